"""Pillar activities. The model has no natural key: the optional "ID" column is the activity's ID on
the portal — empty for a new activity, the ID of a recorded one to update it (as
``villages.services.pillar_activity_create`` / ``pillar_activity_update`` do one at a time, with
their area rule on the activity's village)."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from villages.choices import ActivityKind, Pillar
from villages.models import PillarActivity

from ..cells import Choice, Date, Integer, Money, Text, VillageCode
from ..choices import ImportKind
from .base import Column, IdKeyedResource, Row, State, load_program_villages, same_name


def _acronym(activity: PillarActivity) -> str | None:
    return activity.partner_agency.acronym if activity.partner_agency_id else None


class PillarActivityResource(IdKeyedResource):
    kind = ImportKind.PILLAR_ACTIVITIES
    model = PillarActivity
    summaries = ("villages.summaries.activity_summaries_refresh",)
    village_path = "desmigratif_village__village_id"
    selector = "villages.selectors.pillar_activity_list"
    filterset = "villages.filtersets.PillarActivityFilterSet"
    description = gettext_lazy("Activities under the four pillars in Desmigratif villages: a row without an ID "
                               "records a new activity, a row with the ID of a recorded activity updates it.")
    columns = (
        Column("ID", "id", Integer(), attname="", aliases=("id kegiatan",),
               help=gettext_lazy("Empty for a new activity; the activity's ID on the portal to change it.")),
        Column("Kode Desa", "village", VillageCode(), required=True, attname="",
               export=lambda o: o.desmigratif_village.village_id,
               help=gettext_lazy("A village in the Desmigratif program.")),
        Column("Nama Desa", "village_name", Text(width=24), reference=True,
               export=lambda o: o.desmigratif_village.village.name),
        Column("Pilar", "pillar", Choice(Pillar, width=24), required=True),
        Column("Jenis Kegiatan", "kind", Choice(ActivityKind, width=32), required=True,
               help=gettext_lazy("A kind of the row's pillar.")),
        Column("Tanggal", "date", Date(), required=True),
        Column("Judul", "title", Text(width=36), required=True, aliases=("nama kegiatan",)),
        Column("Peserta Perempuan", "participants_women", Integer()),
        Column("Peserta Laki-laki", "participants_men", Integer()),
        Column("Layanan Diberikan", "services_given", Integer(),
               help=gettext_lazy("Pillar 1: number of services given.")),
        Column("Usaha Dirintis", "businesses_started", Integer(),
               help=gettext_lazy("Pillar 2 only.")),
        Column("Anak Terjangkau", "children_reached", Integer(),
               help=gettext_lazy("Pillar 3 only: a count, never names.")),
        Column("Instansi Mitra", "partner_agency", Text(width=16), attname="", export=_acronym,
               aliases=("mitra",), help=gettext_lazy("The agency's acronym, as on the portal's list of agencies.")),
        Column("Anggaran (Rp)", "budget", Money(), aliases=("anggaran",)),
        Column("Catatan", "notes", Text(width=40)),
    )
    record_related = ("desmigratif_village__village", "partner_agency")
    unknown_id_message = gettext_lazy("There is no activity with the ID %(id)s: leave the ID empty for a new "
                                      "activity.")
    outside_area_message = gettext_lazy("The activity with the ID %(id)s is in a village outside your area: you "
                                        "may not change it.")
    update_fields = ("desmigratif_village_id", "pillar", "kind", "date", "title", "participants_women",
                     "participants_men", "services_given", "businesses_started", "children_reached",
                     "partner_agency_id", "budget", "notes")
    compare_fields = update_fields
    clean_exclude = ("desmigratif_village", "partner_agency")  # resolved and checked once per file

    def village_fields(self) -> tuple[str, ...]:
        return ("village",)

    def prepare(self, rows: list[Row], state: State) -> None:
        super().prepare(rows, state)
        load_program_villages(rows, state)
        if "agencies" not in state.extra:
            state.extra["agencies"] = {acronym.casefold(): pk
                                       for pk, acronym in Agency.objects.values_list("pk", "acronym")}

    def record_village_code(self, record: PillarActivity) -> str:
        return record.desmigratif_village.village_id

    def duplicate_message(self, first_row: int) -> str:
        return _("This activity is also on row %(row)d: each activity once per file.") % {"row": first_row}

    def build(self, row: Row, existing, state: State):
        obj = super().build(row, existing, state)
        values = row.values
        code = values.get("village")
        if "village" in values and "village" not in row.failed:
            obj.desmigratif_village_id = state.extra["program"].get(code) if code else None
        if "partner_agency" in values and "partner_agency" not in row.failed:
            acronym = values["partner_agency"]
            obj.partner_agency_id = state.extra["agencies"].get(acronym.casefold()) if acronym else None
        return obj

    def check(self, row: Row, obj: PillarActivity, state: State) -> None:
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
        acronym = row.values.get("partner_agency")
        if acronym and "partner_agency" not in row.failed and obj.partner_agency_id is None:
            row.error(self.column("partner_agency"), _("There is no agency with the acronym “%(acronym)s”.")
                      % {"acronym": acronym})
