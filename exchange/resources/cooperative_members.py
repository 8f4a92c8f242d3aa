"""Cooperative members known by name. No natural key: the optional "ID" column is the member's ID on
the portal — empty for a new member, the ID of a recorded one to update it — and the cooperative is
named by its ID, as ``cooperatives.services.cooperative_member_add`` / ``cooperative_member_update``
do one at a time: the cooperative's village must be in the user's area (before and after a move).

The link to a PMI record (by NIK) is neither exported nor imported: a file would carry NIKs to roles
that see them masked, and a link is made on the cooperative's page, where the PMI search keeps to
the user's area. An update by file leaves a member's link as it is."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import code_in_area
from cooperatives.models import Cooperative, CooperativeMember

from ..cells import Boolean, Date, Integer, Text
from ..choices import ImportKind
from .base import Column, IdKeyedResource, ReferenceSheet, Row, State, chunked, same_name
from .cooperatives import CooperativeYearlyFigureResource


class CooperativeMemberResource(IdKeyedResource):
    kind = ImportKind.COOPERATIVE_MEMBERS
    model = CooperativeMember
    person_records = True  # member names are person-level data: agency staff see the count only, as on the page
    selector = "cooperatives.selectors.cooperative_member_list"
    description = gettext_lazy("Members of cooperatives, by name: a row without an ID records a new member, a row "
                               "with the ID of a recorded member updates it. Links to PMI records are made on the "
                               "cooperative's page, not by file.")
    columns = (
        Column("ID", "id", Integer(), attname="", aliases=("id anggota",),
               help=gettext_lazy("Empty for a new member; the member's ID on the portal to change it.")),
        Column("ID Koperasi", "cooperative", Integer(), required=True, attname="cooperative_id",
               help=gettext_lazy("The cooperative's ID on the portal (see the sheet “Koperasi”).")),
        Column("Nama Koperasi", "cooperative_name", Text(width=30), reference=True,
               export=lambda o: o.cooperative.name),
        Column("Nama Anggota", "name", Text(width=30), required=True, aliases=("nama",)),
        Column("Purna PMI", "is_returned_pmi", Boolean(),
               help=gettext_lazy("Empty: Tidak for a new member, unchanged for a known one.")),
        Column("Tanggal Bergabung", "joined_on", Date()),
    )
    record_related = ("cooperative__desmigratif_village",)
    unknown_id_message = gettext_lazy("There is no member with the ID %(id)s: leave the ID empty for a new member.")
    outside_area_message = gettext_lazy("The member with the ID %(id)s belongs to a cooperative outside your "
                                        "area: you may not change them.")
    update_fields = ("cooperative_id", "name", "is_returned_pmi", "joined_on")
    compare_fields = update_fields
    clean_exclude = ("cooperative", "migrant")  # resolved and checked once per file; the link is not touched

    def export_queryset(self, *, user):
        # the linked PMI is not exported: its record (and NIK) is not even read
        return (super().export_queryset(user=user).select_related(None).select_related("cooperative")
                .order_by("cooperative__name", "cooperative_id", "name", "id"))

    def prepare(self, rows: list[Row], state: State) -> None:
        super().prepare(rows, state)
        coops = state.extra.setdefault("cooperatives", {})
        wanted = {r.values["cooperative"] for r in rows if isinstance(r.values.get("cooperative"), int)} \
            - coops.keys()
        for part in chunked(sorted(wanted), 1000):
            found = {c.pk: c for c in Cooperative.objects.filter(pk__in=part).select_related("desmigratif_village")}
            coops.update({pk: found.get(pk) for pk in part})

    def record_village_code(self, record: CooperativeMember) -> str:
        return record.cooperative.desmigratif_village.village_id

    def duplicate_message(self, first_row: int) -> str:
        return _("This member is also on row %(row)d: each member once per file.") % {"row": first_row}

    def check(self, row: Row, obj: CooperativeMember, state: State) -> None:
        pk = row.values.get("cooperative")
        if pk is None or "cooperative" in row.failed:
            return
        column = self.column("cooperative")
        coop = state.extra["cooperatives"].get(pk)
        if coop is None:
            row.error(column, _("There is no cooperative with the ID %(id)s.") % {"id": pk})
            obj.cooperative_id = None  # the row's problem names the cause; no "required" echo
        elif not code_in_area(coop.desmigratif_village.village_id, state.prefix):
            row.error(column, _("The cooperative with the ID %(id)s is outside your area: you may not change its "
                                "members.") % {"id": pk})
        else:
            name = row.values.get("cooperative_name")
            if name and not same_name(name, coop.name):
                row.error(self.column("cooperative_name"), _("The cooperative with this ID is called “%(name)s”: "
                                                             "check the ID or the name.") % {"name": coop.name})

    def reference_sheet(self, *, user) -> ReferenceSheet:
        return CooperativeYearlyFigureResource().reference_sheet(user=user)
