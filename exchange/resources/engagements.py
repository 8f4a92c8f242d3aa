"""Agency engagements. No natural key: the optional "ID" column is the engagement's ID on the portal —
empty for a new engagement, the ID of a recorded one to update it. Who may write which engagement is
``agencies.services.engagement_can_write`` (agency staff: their own agency's only; regency and village
writers: within their area, never national ones), checked on the record before and after the row."""
from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.choices import EngagementKind, EngagementLevel
from agencies.models import Agency, Engagement
from agencies.services import engagement_can_write, engagement_can_write_some, engagement_writable_by
from regions.models import REGENCY_CODE_RE, Regency
from villages.choices import Pillar

from ..cells import CellError, Choice, Integer, Money, Text, VillageCode, as_text
from ..choices import ImportKind
from .base import Column, IdKeyedResource, Row, State


class RegencyCode(Text):
    """A regency code ``32.09``; also ``3209`` (the dot lost)."""

    memo = True
    keep_format = True

    def __init__(self):
        super().__init__(width=12)

    def parse(self, value) -> str:
        text = as_text(value).split(" ", 1)[0].strip()
        if text.isdigit() and len(text) == 4:
            text = f"{text[:2]}.{text[2:]}"
        if not re.match(REGENCY_CODE_RE, text):
            raise CellError(_("%(value)s is not a regency code: a regency code has two parts, e.g. 32.09. "
                              "Format the column as text.") % {"value": text})
        return text

    def hint(self) -> str:
        return _("Kemendagri code, e.g. 32.09.")


class EngagementResource(IdKeyedResource):
    kind = ImportKind.ENGAGEMENTS
    model = Engagement
    selector = "agencies.selectors.engagement_list"
    filterset = "agencies.filtersets.EngagementFilterSet"
    description = gettext_lazy("Agencies' contributions to a pillar in a year: a row without an ID records a new "
                               "engagement, a row with the ID of a recorded engagement updates it.")
    def may_import(self, user) -> bool:
        # agency staff record their own agency's engagements, as on the engagement pages
        return engagement_can_write_some(user)

    columns = (
        Column("ID", "id", Integer(), attname="", aliases=("id keterlibatan",),
               help=gettext_lazy("Empty for a new engagement; the engagement's ID on the portal to change it.")),
        Column("Instansi", "agency", Text(width=16), required=True, attname="",
               export=lambda o: o.agency.acronym, aliases=("singkatan instansi",),
               help=gettext_lazy("The agency's acronym, as on the portal's list of agencies.")),
        Column("Tingkat", "level", Choice(EngagementLevel, width=14), required=True),
        Column("Kode Kabupaten/Kota", "regency", RegencyCode(), attname="regency_id",
               help=gettext_lazy("Only for a regency engagement.")),
        Column("Kode Desa", "village", VillageCode(), attname="village_id",
               help=gettext_lazy("Only for a village engagement.")),
        Column("Pilar", "pillar", Choice(Pillar, width=24), required=True),
        Column("Jenis", "kind", Choice(EngagementKind, width=16), required=True),
        Column("Tahun", "year", Integer(), required=True),
        Column("Anggaran (Rp)", "budget", Money(), aliases=("anggaran",)),
        Column("Uraian", "description", Text(width=40), aliases=("keterangan",)),
    )
    record_related = ("agency",)
    unknown_id_message = gettext_lazy("There is no engagement with the ID %(id)s: leave the ID empty for a new "
                                      "engagement.")
    update_fields = ("agency_id", "level", "regency_id", "village_id", "pillar", "kind", "year", "budget",
                     "description")
    compare_fields = update_fields
    clean_exclude = ("agency", "regency", "village")  # resolved and checked once per file

    def village_fields(self) -> tuple[str, ...]:
        return ("village",)

    def prepare(self, rows: list[Row], state: State) -> None:
        super().prepare(rows, state)
        regencies = state.extra.setdefault("regencies", {})
        codes = {r.values["regency"] for r in rows if r.values.get("regency")} - regencies.keys()
        if codes:
            found = set(Regency.objects.filter(code__in=codes).values_list("code", flat=True))
            regencies.update({code: code in found for code in codes})
        if "agencies" not in state.extra:
            state.extra["agencies"] = {acronym.casefold(): pk
                                       for pk, acronym in Agency.objects.values_list("pk", "acronym")}

    def record_found(self, row: Row, record: Engagement, state: State) -> None:
        # who may change an engagement is not a matter of area alone (agency staff: their agency's)
        row.extra["writable"] = engagement_writable_by(record, state.user)

    def duplicate_message(self, first_row: int) -> str:
        return _("This engagement is also on row %(row)d: each engagement once per file.") % {"row": first_row}

    def build(self, row: Row, existing, state: State):
        obj = super().build(row, existing, state)
        if "agency" in row.values and "agency" not in row.failed:
            acronym = row.values["agency"]
            obj.agency_id = state.extra["agencies"].get(acronym.casefold()) if acronym else None
        return obj

    def check(self, row: Row, obj: Engagement, state: State) -> None:
        acronym = row.values.get("agency")
        if acronym and "agency" not in row.failed and obj.agency_id is None:
            row.error(self.column("agency"), _("There is no agency with the acronym “%(acronym)s”.")
                      % {"acronym": acronym})
        regency = row.values.get("regency")
        if regency and "regency" not in row.failed and not state.extra["regencies"].get(regency):
            row.error(self.column("regency"), _("There is no regency with the code %(code)s.") % {"code": regency})
        village = row.values.get("village")
        if village and "village" not in row.failed and state.villages.get(village) is None:
            row.error(self.column("village"), _("There is no village with the code %(code)s.") % {"code": village})
        if row.problems:
            return
        targets = {EngagementLevel.NATIONAL: (False, False), EngagementLevel.REGENCY: (True, False),
                   EngagementLevel.VILLAGE: (False, True)}
        if targets.get(obj.level) != (bool(obj.regency_id), bool(obj.village_id)):
            return  # the model's rule says what the level needs; the write rule is checked on a valid target
        if row.snapshot is not None and all(getattr(obj, n) == v for n, v in row.snapshot.items()):
            return  # unchanged: an export of what the user reads imports back as it is
        may = engagement_can_write(state.user, agency_id=obj.agency_id, level=obj.level,
                                   regency_code=obj.regency_id, village_code=obj.village_id)
        if row.snapshot is not None and not row.extra.get("writable"):
            row.error(self.column("id"), _("You may not change the engagement with the ID %(id)s.")
                      % {"id": row.values["id"]})
        elif not may:
            row.error("", _("You may not record or change this engagement."))
