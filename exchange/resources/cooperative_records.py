"""Cooperatives (and BUMDes units). No natural key: the optional "ID" column is the cooperative's ID
on the portal — empty for a new cooperative, the ID of a recorded one to update it — as
``cooperatives.services.cooperative_create`` / ``cooperative_update`` do one at a time: the
cooperative's Desmigratif village (given by its village code) must be a program village in the
user's area, before and after the change. The model's uniqueness rules (name per village, legal
entity number when given) are checked per file against the records and the file's other rows."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.choices import BusinessType, CooperativeKind
from cooperatives.models import Cooperative

from ..cells import Boolean, Choice, Integer, Text, VillageCode
from ..choices import ImportKind
from .base import Column, IdKeyedResource, Row, State, chunked, load_program_villages, same_name


class CooperativeResource(IdKeyedResource):
    kind = ImportKind.COOPERATIVES
    model = Cooperative
    summaries = ("cooperatives.summaries.cooperative_summaries_refresh",)
    village_path = "desmigratif_village__village_id"
    selector = "cooperatives.selectors.cooperative_list"
    filterset = "cooperatives.filtersets.CooperativeFilterSet"
    description = gettext_lazy("Cooperatives and BUMDes units in Desmigratif villages: a row without an ID "
                               "records a new cooperative, a row with the ID of a recorded cooperative updates it.")
    columns = (
        Column("ID", "id", Integer(), attname="", aliases=("id koperasi",),
               help=gettext_lazy("Empty for a new cooperative; the cooperative's ID on the portal to change it.")),
        Column("Kode Desa", "village", VillageCode(), required=True, attname="",
               export=lambda o: o.desmigratif_village.village_id,
               help=gettext_lazy("A village in the Desmigratif program.")),
        Column("Nama Desa", "village_name", Text(width=24), reference=True,
               export=lambda o: o.desmigratif_village.village.name),
        Column("Nama Koperasi", "name", Text(width=30), required=True,
               help=gettext_lazy("Once per village.")),
        Column("Jenis", "kind", Choice(CooperativeKind, width=24),
               help=gettext_lazy("Empty: Koperasi for a new cooperative, unchanged for a known one.")),
        Column("Nomor Badan Hukum", "legal_entity_number", Text(width=24),
               help=gettext_lazy("Once the cooperative is registered; no two cooperatives share one.")),
        Column("Tahun Berdiri", "year_founded", Integer(), required=True),
        Column("Jenis Usaha", "business_type", Choice(BusinessType, width=18), required=True),
        Column("Aktif", "is_active", Boolean(),
               help=gettext_lazy("Empty: Ya for a new cooperative, unchanged for a known one.")),
    )
    record_related = ("desmigratif_village",)
    unknown_id_message = gettext_lazy("There is no cooperative with the ID %(id)s: leave the ID empty for a new "
                                      "cooperative.")
    outside_area_message = gettext_lazy("The cooperative with the ID %(id)s is in a village outside your area: "
                                        "you may not change it.")
    update_fields = ("desmigratif_village_id", "name", "kind", "legal_entity_number", "year_founded",
                     "business_type", "is_active")
    compare_fields = update_fields
    clean_exclude = ("desmigratif_village",)  # resolved and checked once per file

    def village_fields(self) -> tuple[str, ...]:
        return ("village",)

    def prepare(self, rows: list[Row], state: State) -> None:
        super().prepare(rows, state)
        load_program_villages(rows, state)
        # the recorded cooperatives the uniqueness rules compare with: by legal entity number, by village
        numbers = state.extra.setdefault("numbers", {})  # legal entity number → cooperative id
        wanted = {r.values["legal_entity_number"] for r in rows if r.values.get("legal_entity_number")} \
            - numbers.keys()
        for part in chunked(sorted(wanted), 1000):
            found = dict(Cooperative.objects.filter(legal_entity_number__in=part)
                         .values_list("legal_entity_number", "pk"))
            numbers.update({number: found.get(number) for number in part})
        names = state.extra.setdefault("names", {})  # Desmigratif village id → {name: cooperative id}
        program, records = state.extra["program"], state.extra["records"]
        villages = {program.get(r.values.get("village")) for r in rows} | \
            {c.desmigratif_village_id for c in records.values() if c is not None}
        villages = {v for v in villages if v is not None} - names.keys()
        for part in chunked(sorted(villages), 1000):
            names.update({v: {} for v in part})
            for village, name, pk in Cooperative.objects.filter(desmigratif_village_id__in=part) \
                    .values_list("desmigratif_village_id", "name", "pk"):
                names[village][name] = pk

    def record_village_code(self, record: Cooperative) -> str:
        return record.desmigratif_village.village_id

    def duplicate_message(self, first_row: int) -> str:
        return _("This cooperative is also on row %(row)d: each cooperative once per file.") % {"row": first_row}

    def build(self, row: Row, existing, state: State):
        obj = super().build(row, existing, state)
        code = row.values.get("village")
        if "village" in row.values and "village" not in row.failed:
            obj.desmigratif_village_id = state.extra["program"].get(code) if code else None
        return obj

    def check(self, row: Row, obj: Cooperative, state: State) -> None:
        village = self.column("village")
        code = row.values.get("village")
        if code and "village" not in row.failed and self.check_village(row, village, code, state):
            if state.extra["program"].get(code) is None:
                row.error(village, _("Village %(code)s is not in the Desmigratif program.") % {"code": code})
            else:
                name, official = row.values.get("village_name"), state.villages[code]
                if name and not same_name(name, official):
                    row.error(self.column("village_name"), _("The village %(code)s is called %(name)s: check the "
                                                             "code or the name.") % {"code": code, "name": official})
        if "id" in row.failed:
            return  # a cooperative the user may not change: its other rules would only add noise
        number = obj.legal_entity_number
        if number and "legal_entity_number" not in row.failed:
            column = self.column("legal_entity_number")
            seen = state.extra.setdefault("seen_numbers", {})
            other = state.extra["numbers"].get(number)
            if other is not None and other != obj.pk:
                row.error(column, _("Another cooperative has this legal entity number."))
            elif seen.setdefault(number, row.number) != row.number:
                row.error(column, _("This legal entity number is also on row %(row)d: no two cooperatives share "
                                    "one.") % {"row": seen[number]})
        if obj.desmigratif_village_id and obj.name and "name" not in row.failed and "village" not in row.failed:
            column = self.column("name")
            seen = state.extra.setdefault("seen_names", {})
            other = state.extra["names"].get(obj.desmigratif_village_id, {}).get(obj.name)
            key = (obj.desmigratif_village_id, obj.name)
            if other is not None and other != obj.pk:
                row.error(column, _("This village already has a cooperative of this name."))
            elif seen.setdefault(key, row.number) != row.number:
                row.error(column, _("A cooperative of this name in this village is also on row %(row)d.")
                          % {"row": seen[key]})
