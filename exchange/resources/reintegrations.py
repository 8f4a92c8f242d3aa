"""Reintegration of returned PMI, keyed by the PMI's NIK (one reintegration per PMI): a PMI without one
gets it, a PMI with one has it updated — as ``migrants.services.reintegration_record`` does one at a time:
only for a PMI in the stage 'returned', within the user's area, with the model's rules (a type of
business needs a business, a bank needs a credit).

A recorded reintegration of a PMI who has since registered to leave again is exported as it is, and
imports back as it is: only a row that records or changes something needs the PMI to be returned.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import code_in_area
from migrants.models import MigrantWorker, Reintegration
from migrants.services import migrant_check_reintegration

from ..cells import Boolean, Date, Nik, Text
from ..choices import ImportKind
from .base import Column, Resource, Row, State, chunked, same_name
from .placements import compact_nik


class ReintegrationResource(Resource):
    kind = ImportKind.REINTEGRATIONS
    model = Reintegration
    summaries = ("migrants.summaries.migrant_summaries_refresh",)
    village_path = "migrant__village_id"
    person_records = True
    selector = "migrants.selectors.reintegration_list"
    description = gettext_lazy("Reintegration of returned PMI, by NIK: a PMI without a reintegration gets one, a "
                               "PMI with one has it updated. Only for PMI who have returned.")
    columns = (
        Column("NIK", "nik", Nik(), required=True, attname="", export=lambda o: o.migrant.nik,
               help=gettext_lazy("The NIK of a returned PMI recorded on the portal, in your area.")),
        Column("Nama", "name", Text(width=30), reference=True, export=lambda o: o.migrant.name,
               aliases=("nama pmi", "nama lengkap")),
        Column("Pelatihan Diterima", "training_received", Text(width=30), aliases=("pelatihan",)),
        Column("Punya Usaha", "has_business", Boolean(),
               help=gettext_lazy("Empty: Tidak for a new reintegration, unchanged for a recorded one.")),
        Column("Jenis Usaha", "business_type", Text(width=24),
               help=gettext_lazy("Only with a business (Punya Usaha: Ya).")),
        Column("Usaha Dimulai", "business_started_on", Date(), aliases=("tanggal usaha dimulai",)),
        Column("Anggota Koperasi", "is_cooperative_member", Boolean(),
               help=gettext_lazy("Empty: Tidak for a new reintegration, unchanged for a recorded one.")),
        Column("Kredit KUR", "has_kur_credit", Boolean(), aliases=("kredit", "kur"),
               help=gettext_lazy("Empty: Tidak for a new reintegration, unchanged for a recorded one.")),
        Column("Bank", "credit_bank", Text(width=20), aliases=("bank penyalur",),
               help=gettext_lazy("Only with a credit (Kredit KUR: Ya).")),
        Column("Peserta BPJS Ketenagakerjaan", "has_bpjs_ketenagakerjaan", Boolean(), aliases=("bpjs", "bpjs tk"),
               help=gettext_lazy("Empty: Tidak for a new reintegration, unchanged for a recorded one.")),
        Column("Catatan", "notes", Text(width=40), aliases=("keterangan",)),
    )
    key_fields = ("nik",)
    update_fields = ("training_received", "has_business", "business_type", "business_started_on",
                     "is_cooperative_member", "has_kur_credit", "credit_bank", "has_bpjs_ketenagakerjaan", "notes")
    compare_fields = update_fields
    clean_exclude = ("migrant",)  # resolved by NIK once per chunk
    personal = {"nik": "migrant.nik", "notes": "notes"}

    def export_queryset(self, *, user):
        return super().export_queryset(user=user).order_by("migrant__village_id", "migrant__nik")

    def key_of(self, row: Row, state: State) -> tuple | None:
        key = super().key_of(row, state)
        return (compact_nik(key[0]),) if key else None

    def duplicate_message(self, first_row: int) -> str:
        return _("This NIK is also on row %(row)d: each PMI once per file.") % {"row": first_row}

    def prepare(self, rows: list[Row], state: State) -> None:
        super().prepare(rows, state)
        migrants = state.extra.setdefault("migrants", {})  # NIK → the PMI (None: no such PMI)
        niks = {compact_nik(r.values["nik"]) for r in rows if r.values.get("nik") and "nik" not in r.failed}
        for part in chunked(sorted(niks - migrants.keys()), 2000):
            found = {m.nik: m for m in MigrantWorker.objects.filter(nik__in=part)}
            migrants.update({nik: found.get(nik) for nik in part})

    def existing(self, keys: list[tuple], state: State) -> dict:
        found = {}
        for part in chunked([k[0] for k in keys], 2000):
            found.update({(r.migrant.nik,): r for r in
                          Reintegration.objects.filter(migrant__nik__in=part).select_related("migrant")})
        return found

    def new(self, row: Row, state: State) -> Reintegration:
        migrant = state.extra["migrants"].get(row.key[0]) if row.key else None
        return Reintegration(migrant=migrant) if migrant is not None else Reintegration()

    def check(self, row: Row, obj: Reintegration, state: State) -> None:
        nik_column = self.column("nik")
        if row.key is None:
            return  # no NIK, a NIK the cell refused, or a NIK already on an earlier row: said already
        migrant = state.extra["migrants"].get(row.key[0])
        # a PMI of another area is answered as one not recorded: a file must not tell whether a NIK
        # exists elsewhere (the NIK search of the pages answers the same way)
        if migrant is None or not code_in_area(migrant.village_id, state.prefix):
            row.error(nik_column, _("No PMI with this NIK is recorded in your area: register the PMI first (import "
                                    "of PMI or the PMI pages)."))
            return
        name = row.values.get("name")
        if name and "name" not in row.failed and not same_name(name, migrant.name):
            row.error(self.column("name"), _("The PMI with this NIK is called “%(name)s”: check the NIK or the "
                                             "name.") % {"name": migrant.name})
        unchanged = row.snapshot is not None and all(getattr(obj, n) == v for n, v in row.snapshot.items())
        if not unchanged:
            try:
                migrant_check_reintegration(migrant=migrant)
            except ValidationError as error:
                row.error(nik_column, error.messages[0])

    def reference_sheet(self, *, user):
        return None  # no codes to pick: the PMI are named by NIK
