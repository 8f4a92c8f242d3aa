"""Placements: departures and returns of PMI, as ``migrants.services.migrant_depart`` / ``migrant_return``
/ ``placement_update`` do one at a time.

The optional "ID" column is the placement's ID on the portal: a row without an ID records a departure
(the PMI, named by NIK, must be ready to depart); a row with an ID corrects that placement's employment
details and, while the placement is open, may record its return. The stage rules are the services' own
(``migrant_check_stage_change``): a stage moves only along ``TRANSITIONS``, on a date not before the last
change of stage and not in the future. The PMI's stage is written with the placements, in the same
transaction, so stage and placements never disagree.

A departure date, and a return once recorded, are stage events: a file does not change them.
"""
from __future__ import annotations

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import code_in_area
from migrants.choices import Country, PlacementScheme, ReturnReason, Sector, Stage
from migrants.models import MigrantWorker, Placement
from migrants.services import PLACEMENT_EDITABLE_FIELDS, migrant_check_stage_change

from ..bulk import update_with_history
from ..cells import Choice, Date, Integer, Nik, Text
from ..choices import ImportKind
from .base import CREATE, Column, IdKeyedResource, ReferenceSheet, Row, State, chunked, same_name

COUNTRY_ALIASES = {
    "korea": "KR", "korsel": "KR", "republic of korea": "KR", "hongkong": "HK", "hk": "HK",
    "saudi": "SA", "ksa": "SA", "saudi arabia": "SA", "brunei darussalam": "BN", "uae": "AE", "uea": "AE",
    "persatuan emirat arab": "AE", "emirat arab": "AE", "usa": "US", "amerika": "US", "cina": "CN",
    "china": "CN", "makao": "MO", "macao": "MO", "turkiye": "TR", "türkiye": "TR", "lainnya": "ZZ",
    "negara lainnya": "ZZ", "lain-lain": "ZZ", "other": "ZZ",
}
SCHEME_ALIASES = {
    "g to g": "g2g", "gtog": "g2g", "g to p": "g2p", "gtop": "g2p", "p to p": "p2p", "ptop": "p2p",
    "p3mi": "p2p", "perseorangan": "mandiri", "independent": "mandiri",
}
SECTOR_ALIASES = {"pekerja rumah tangga": "informal", "prt": "informal", "domestic": "informal"}
RETURN_ALIASES = {"selesai kontrak": "contract_ended", "habis kontrak": "contract_ended",
                  "dideportasi": "deported", "meninggal": "death", "meninggal dunia": "death",
                  "lainnya": "other", "lain-lain": "other"}

# attnames that a correction of a placement writes; the return is written when a file records it
UPDATE_FIELDS = (*PLACEMENT_EDITABLE_FIELDS, "return_date", "return_reason")


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class PlacementResource(IdKeyedResource):
    kind = ImportKind.PLACEMENTS
    model = Placement
    summaries = ("migrants.summaries.migrant_summaries_refresh",)
    village_path = "migrant__village_id"
    person_records = True
    selector = "migrants.selectors.placement_list"
    filterset = "migrants.filtersets.PlacementFilterSet"
    description = gettext_lazy(
        "Departures and returns of PMI: a row without an ID records the departure of a PMI who is ready to "
        "depart (and, with a return date and reason, the return too); a row with the ID of a recorded placement "
        "corrects its employment details and, while the PMI is abroad, records the return. A departure date "
        "and a recorded return are not changed by a file.")
    columns = (
        Column("ID", "id", Integer(), attname="", aliases=("id penempatan",),
               help=gettext_lazy("Empty for a new departure; the placement's ID on the portal to change it.")),
        Column("NIK", "nik", Nik(), required=True, attname="", export=lambda o: o.migrant.nik,
               help=gettext_lazy("The NIK of a PMI recorded on the portal, in your area.")),
        Column("Nama", "name", Text(width=30), reference=True, export=lambda o: o.migrant.name,
               aliases=("nama pmi", "nama lengkap")),
        Column("Negara Tujuan", "destination_country", Choice(Country, aliases=COUNTRY_ALIASES, width=22),
               required=True, aliases=("negara",),
               help=gettext_lazy("The country's name in Indonesian or English, or its ISO code (e.g. TW).")),
        Column("Sektor", "sector", Choice(Sector, aliases=SECTOR_ALIASES, width=30), required=True),
        Column("Jabatan/Pekerjaan", "job", Text(width=28), required=True, aliases=("jabatan", "pekerjaan")),
        Column("Skema Penempatan", "scheme", Choice(PlacementScheme, aliases=SCHEME_ALIASES, width=36),
               required=True, aliases=("skema",)),
        Column("Nama P3MI", "p3mi_name", Text(width=30), aliases=("p3mi",),
               help=gettext_lazy("Required for a P to P placement.")),
        Column("Tanggal Berangkat", "departure_date", Date(), required=True, attname="",
               help=gettext_lazy("Not before the PMI's last change of stage, not in the future. Not changed for a "
                                 "recorded placement.")),
        Column("Tanggal Akhir Kontrak", "contract_end_date", Date()),
        Column("Tanggal Kembali", "return_date", Date(), attname="",
               help=gettext_lazy("With the reason, records the return. A recorded return is not changed.")),
        Column("Alasan Kembali", "return_reason", Choice(ReturnReason, aliases=RETURN_ALIASES, width=30),
               attname=""),
    )
    record_related = ("migrant",)
    unknown_id_message = gettext_lazy("There is no placement with the ID %(id)s: leave the ID empty for a new "
                                      "departure.")
    outside_area_message = gettext_lazy("The placement with the ID %(id)s is of a PMI outside your area: you may "
                                        "not change it.")
    update_fields = UPDATE_FIELDS
    compare_fields = UPDATE_FIELDS
    clean_exclude = ("migrant",)  # resolved by NIK once per chunk
    personal = {"nik": "migrant.nik"}

    def export_queryset(self, *, user):
        return super().export_queryset(user=user).order_by("migrant__village_id", "migrant__nik", "departure_date",
                                                           "id")

    def village_fields(self) -> tuple[str, ...]:
        return ()

    def record_village_code(self, record: Placement) -> str:
        return record.migrant.village_id

    def duplicate_message(self, first_row: int) -> str:
        return _("This placement is also on row %(row)d: each placement once per file.") % {"row": first_row}

    # --- once per chunk ----------------------------------------------------------------------------

    def prepare(self, rows: list[Row], state: State) -> None:
        super().prepare(rows, state)
        migrants = state.extra.setdefault("migrants", {})  # NIK → the PMI (None: no such PMI)
        niks = {compact_nik(r.values["nik"]) for r in rows if r.values.get("nik") and "nik" not in r.failed}
        wanted = sorted(niks - migrants.keys())
        for part in chunked(wanted, 2000):
            queryset = MigrantWorker.objects.filter(nik__in=part)
            if connection.in_atomic_block and connection.features.has_select_for_update:
                # the write: hold the PMI as the stage services do (select_for_update), so that no page
                # changes their stage between this check and the write
                queryset = queryset.select_for_update()
            found = {m.nik: m for m in queryset}
            migrants.update({nik: found.get(nik) for nik in part})
        # the records the IDs name carry their PMI: the same object as the NIK's, so that a stage
        # change made by a row is the one written
        records = state.extra["records"]
        for row in rows:
            record = records.get(row.values.get("id")) if isinstance(row.values.get("id"), int) else None
            if record is not None and migrants.get(record.migrant.nik) is not None:
                record.migrant = migrants[record.migrant.nik]

    # --- one row -----------------------------------------------------------------------------------

    def build(self, row: Row, existing, state: State):
        obj = super().build(row, existing, state)
        values = row.values
        if row.action == CREATE:
            migrant = state.extra["migrants"].get(compact_nik(values.get("nik") or ""))
            if migrant is not None:
                obj.migrant = migrant
            if "departure_date" not in row.failed:
                obj.departure_date = values.get("departure_date")
        # the return is assigned as given; check() decides whether the row may record it
        if "return_date" in values and "return_date" not in row.failed:
            obj.return_date = values["return_date"]
        if "return_reason" in values and "return_reason" not in row.failed:
            obj.return_reason = values["return_reason"] or ""
        return obj

    def check(self, row: Row, obj: Placement, state: State) -> None:
        nik_column = self.column("nik")
        if "nik" in row.failed or not row.values.get("nik"):
            return
        if "id" in row.failed or (row.values.get("id") is not None and row.snapshot is None):
            return  # an ID that names no placement of the user's: said already; the row is not a departure
        migrant = state.extra["migrants"].get(compact_nik(row.values["nik"]))
        # a PMI of another area is answered as one not recorded: a file must not tell whether a NIK
        # exists elsewhere (the NIK search of the pages answers the same way)
        if migrant is None or not code_in_area(migrant.village_id, state.prefix):
            row.error(nik_column, _("No PMI with this NIK is recorded in your area: register the PMI first (import "
                                    "of PMI or the PMI pages)."))
            return
        if row.snapshot is not None and obj.migrant_id != migrant.pk:
            row.error(nik_column, _("The placement with the ID %(id)s is of another PMI (%(name)s): check the ID "
                                    "or the NIK.") % {"id": row.values["id"], "name": obj.migrant.name})
            return
        name = row.values.get("name")
        if name and "name" not in row.failed and not same_name(name, migrant.name):
            row.error(self.column("name"), _("The PMI with this NIK is called “%(name)s”: check the NIK or the "
                                             "name.") % {"name": migrant.name})

        departs = row.snapshot is None
        returns = self._records_return(row, obj)
        moves = departs or returns
        # A departure or a return changes the PMI: it must be the PMI's only row in the file, or the
        # rows would be checked against a stage that another row changes.
        seen = state.extra.setdefault("pmi_rows", {})
        if migrant.pk in seen:
            first, first_moves = seen[migrant.pk]
            if moves or first_moves:
                row.error(nik_column, _("This PMI is also on row %(row)d: a departure or a return is recorded on "
                                        "the PMI's only row in a file; import the other row in another file.")
                          % {"row": first})
                return
        else:
            seen[migrant.pk] = (row.number, moves)

        before = len(row.problems)
        if departs:
            self._check_departure(row, obj, migrant)
        else:
            self._check_update(row, obj, migrant)
        if returns and len(row.problems) == before and obj.departure_date:
            # a return follows its departure: checked once the departure (of this row or recorded) is
            self._check_return(row, obj, migrant, after=obj.departure_date if departs else None)
        if row.problems:
            return
        if moves:
            # the PMI's new stage, written with the placement by write() (the row may still fail the model's
            # rules; nothing is changed on the PMI before then)
            obj._migrant_move = ((Stage.RETURNED, obj.return_date) if returns
                                 else (Stage.ABROAD, obj.departure_date))

    @staticmethod
    def _records_return(row: Row, obj: Placement) -> bool:
        """Whether the row records the return: a date and a reason, on a placement without a recorded return."""
        if row.snapshot is not None and row.snapshot["return_date"] is not None:
            return False  # a recorded return; _check_update refuses a change of it
        return bool(obj.return_date and obj.return_reason)

    def _check_departure(self, row: Row, obj: Placement, migrant: MigrantWorker) -> None:
        if "departure_date" in row.failed or obj.departure_date is None:
            return
        self._stage_rule(row, migrant, Stage.ABROAD, obj.departure_date, self.column("departure_date"))

    def _check_update(self, row: Row, obj: Placement, migrant: MigrantWorker) -> None:
        given = row.values.get("departure_date")
        recorded = obj.departure_date
        if given and "departure_date" not in row.failed and given != recorded:
            row.error(self.column("departure_date"), _("The departure date of a recorded placement is not changed "
                                                       "by a file (recorded: %(date)s).") % {"date": _date(recorded)})
        recorded_return = row.snapshot["return_date"]
        if recorded_return is None:
            return
        changed = [name for name in ("return_date", "return_reason")
                   if name in row.values and name not in row.failed and getattr(obj, name) != row.snapshot[name]]
        if changed:
            reason = ReturnReason(row.snapshot["return_reason"]).label if row.snapshot["return_reason"] else ""
            row.error(self.column(changed[0]), _("The return of this placement is recorded (%(date)s, %(reason)s): it "
                                                 "is not changed by a file.")
                      % {"date": _date(recorded_return), "reason": reason})

    def _check_return(self, row: Row, obj: Placement, migrant: MigrantWorker, *,
                      after: datetime.date | None) -> None:
        if obj.departure_date and obj.return_date < obj.departure_date:
            return  # the model's own rule says it (the return date cannot be before the departure)
        if after is not None:
            # the departure of the same row: the PMI is abroad from that date
            migrant = copy.copy(migrant)
            migrant.stage, migrant.stage_changed_on = Stage.ABROAD, after
        self._stage_rule(row, migrant, Stage.RETURNED, obj.return_date, self.column("return_date"))

    def _stage_rule(self, row: Row, migrant: MigrantWorker, to_stage: str, on: datetime.date,
                    date_column: Column) -> None:
        """The services' rule of a stage change, its refusal put on the row."""
        try:
            migrant_check_stage_change(migrant=migrant, to_stage=to_stage, on=on)
        except ValidationError as error:
            messages = error.message_dict
            if "stage" in messages:
                row.error(self.column("nik"), _("This PMI is at the stage “%(stage)s”: %(rule)s")
                          % {"stage": Stage(migrant.stage).label,
                             "rule": _("a departure is recorded for a PMI who is ready to depart.")
                             if to_stage == Stage.ABROAD else _("a return is recorded for a PMI who is abroad.")})
            for message in messages.get("date", []):
                row.error(date_column, message)

    # --- writing -----------------------------------------------------------------------------------

    def write(self, *, creates: list, updates: list, user, reason: str) -> None:
        super().write(creates=creates, updates=updates, user=user, reason=reason)
        moved = []
        for placement in (*creates, *updates):
            move = getattr(placement, "_migrant_move", None)
            if move is not None:
                placement.migrant.stage, placement.migrant.stage_changed_on = move
                moved.append(placement.migrant)
        update_with_history(MigrantWorker, moved, ["stage", "stage_changed_on", "updated_at"], user=user,
                            reason=reason)

    # --- export --------------------------------------------------------------------------------------

    def reference_sheet(self, *, user) -> ReferenceSheet:
        with translation.override("id"):
            indonesian = {value: str(label) for value, label in Country.choices}
        with translation.override("en"):
            english = {value: str(label) for value, label in Country.choices}
        return ReferenceSheet(
            title="Negara", headers=["Kode ISO", "Negara (Indonesia)", "Country (English)"],
            rows=[[code, indonesian[code], english[code]] for code in Country.values],
            note=_("The destination country may be written in Indonesian or English, or as its ISO code (see the "
                   "sheet “Negara”)."))


def compact_nik(nik: str) -> str:
    """The NIK as stored (no spaces, dots or dashes), as the PMI import keys it."""
    return nik.replace(" ", "").replace(".", "").replace("-", "")
