"""Desmigratif villages, keyed by the official village code: a new code designates a village into
the program (as ``villages.services.desmigratif_village_create``), a known one is updated."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from villages.choices import DesmigratifStatus, FundingSource
from villages.models import DesmigratifVillage

from ..cells import Boolean, Choice, Date, Integer, Text, VillageCode
from ..choices import ImportKind
from .base import Column, Resource, Row, State, chunked, same_name


class DesmigratifVillageResource(Resource):
    kind = ImportKind.DESMIGRATIF_VILLAGES
    model = DesmigratifVillage
    selector = "villages.selectors.desmigratif_village_list"
    filterset = "villages.filtersets.DesmigratifVillageFilterSet"
    description = gettext_lazy("Villages in the program, by village code: a new code adds the village to the "
                               "program, a known one is updated.")
    columns = (
        Column("Kode Desa", "village", VillageCode(), required=True, attname="village_id"),
        Column("Nama Desa", "village_name", Text(width=24), reference=True, export=lambda o: o.village.name),
        Column("Tahun Penetapan", "year_designated", Integer(), required=True, aliases=("tahun",)),
        Column("Nomor SK", "decree_number", Text(width=24)),
        Column("Tanggal SK", "decree_date", Date()),
        Column("Sumber Dana", "funding_source", Choice(FundingSource, width=14), required=True),
        Column("Status", "status", Choice(DesmigratifStatus, width=14),
               help=gettext_lazy("Empty: Aktif for a new village, unchanged for a known one.")),
        Column("Label Desmigratif", "is_desmigratif", Boolean(),
               help=gettext_lazy("Empty: Ya for a new village, unchanged for a known one.")),
        Column("Label Desa Migran Emas", "is_desa_migran_emas", Boolean(),
               help=gettext_lazy("Empty: Tidak for a new village, unchanged for a known one.")),
        Column("Catatan", "notes", Text(width=40)),
    )
    key_fields = ("village",)
    update_fields = ("year_designated", "decree_number", "decree_date", "funding_source", "status",
                     "is_desmigratif", "is_desa_migran_emas", "notes")
    compare_fields = update_fields
    clean_exclude = ("village",)  # checked against the villages of the file, loaded once

    def village_fields(self) -> tuple[str, ...]:
        return ("village",)

    def duplicate_message(self, first_row: int) -> str:
        return _("This village is also on row %(row)d: each village once per file.") % {"row": first_row}

    def existing(self, keys: list[tuple], state: State) -> dict:
        found = {}
        for part in chunked([k[0] for k in keys], 2000):
            found.update({(v.village_id,): v for v in DesmigratifVillage.objects.filter(village_id__in=part)})
        return found

    def check(self, row: Row, obj: DesmigratifVillage, state: State) -> None:
        code = row.values.get("village")
        if code and "village" not in row.failed and self.check_village(row, self.column("village"), code, state):
            # the name is there for people; when given it must be the code's village (a typo in a code
            # would otherwise designate the wrong village)
            name, official = row.values.get("village_name"), state.villages[code]
            if name and not same_name(name, official):
                row.error(self.column("village_name"), _("The village %(code)s is called %(name)s: check the code "
                                                         "or the name.") % {"code": code, "name": official})
