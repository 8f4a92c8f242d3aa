"""PMI registration data: new NIKs are registered (stage 'registered'), known NIKs get their person
data updated — as ``migrants.services.migrant_register`` / ``migrant_update`` do one at a time.

The stage is not importable: it moves only through the stage actions.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import code_in_area
from migrants.choices import Education, Gender, MaritalStatus, Stage
from migrants.models import MigrantWorker
from migrants.nik import nik_taken_message
from migrants.services import EDITABLE_FIELDS

from ..cells import Choice, Date, Nik, Phone, Text, VillageCode
from ..choices import ImportKind
from .base import Column, Resource, Row, State, chunked


class MigrantWorkerResource(Resource):
    kind = ImportKind.MIGRANTS
    model = MigrantWorker
    summaries = ("migrants.summaries.migrant_stage_summary_refresh",)
    summaries_when_moved = ("migrants.summaries.migrant_event_summaries_refresh",)
    village_path = "village_id"
    person_records = True
    selector = "migrants.selectors.migrant_list"
    filterset = "migrants.filtersets.MigrantWorkerFilterSet"
    description = gettext_lazy("Registration data of PMI: a new NIK is registered, a known NIK is updated. "
                               "The stage is changed on the PMI's page, not by a file.")
    columns = (
        Column("NIK", "nik", Nik(), required=True),
        Column("Nama", "name", Text(width=30), required=True, aliases=("nama lengkap",)),
        Column("Jenis Kelamin", "gender", Choice(Gender, aliases={"L": "M", "P": "F", "LK": "M", "PR": "F"},
                                                 width=14), required=True),
        Column("Tanggal Lahir", "birth_date", Date(), required=True),
        Column("Kode Desa", "village", VillageCode(), required=True, attname="village_id",
               aliases=("kode desa asal", "kode wilayah")),
        Column("Alamat", "address", Text(width=40)),
        Column("Pendidikan", "education", Choice(Education, aliases={
            "tidak sekolah": "none", "smk": "sma", "d1": "diploma", "d2": "diploma", "d3": "diploma",
            "d4": "diploma", "s2": "s2", "s3": "s2"})),
        Column("Status Perkawinan", "marital_status", Choice(MaritalStatus, width=18)),
        Column("Nomor Telepon", "phone", Phone(), aliases=("telepon", "no hp", "nomor hp")),
        Column("Tanggal Registrasi", "registered_on", Date(), attname="",
               help=gettext_lazy("Empty: today. Not changed for a PMI already recorded.")),
    )
    key_fields = ("nik",)
    # what an update writes: the person's data (and the NIK flags clean() recomputes from it)
    update_fields = tuple(f if f != "village" else "village_id" for f in EDITABLE_FIELDS if f != "nik") + (
        "nik_needs_verification", "nik_flags")
    compare_fields = update_fields
    clean_exclude = ("village",)  # checked against the villages of the file, loaded once
    personal = {"nik": "nik", "birth_date": "birth_date", "address": "address", "phone": "phone"}

    def village_fields(self) -> tuple[str, ...]:
        return ("village",)

    def key_of(self, row: Row, state: State) -> tuple | None:
        key = super().key_of(row, state)
        # the key is the NIK as stored (no spaces, dots or dashes)
        return (key[0].replace(" ", "").replace(".", "").replace("-", ""),) if key else None

    def duplicate_message(self, first_row: int) -> str:
        return _("This NIK is also on row %(row)d: each PMI once per file.") % {"row": first_row}

    def existing(self, keys: list[tuple], state: State) -> dict:
        found = {}
        for part in chunked([k[0] for k in keys], 2000):
            found.update({(m.nik,): m for m in MigrantWorker.objects.filter(nik__in=part)})
        return found

    def new(self, row: Row, state: State) -> MigrantWorker:
        registered_on = row.values.get("registered_on") or state.today
        obj = self.blank()
        obj.stage, obj.registered_on, obj.stage_changed_on = Stage.REGISTERED, registered_on, registered_on
        return obj

    def check(self, row: Row, obj: MigrantWorker, state: State) -> None:
        nik, village, registered = self.column("nik"), self.column("village"), self.column("registered_on")
        if row.snapshot is not None:  # a recorded PMI
            if not code_in_area(row.snapshot["village_id"], state.prefix):
                # a NIK of the user's area updates its record; of another area, the portal's one answer
                # for a taken NIK, naming nothing of that record (migrants.nik.nik_taken_message)
                row.error(nik, nik_taken_message())
                return
            given = row.values.get("registered_on")
            if given and given != obj.registered_on:
                row.error(registered, _("The registration date of a recorded PMI is not changed by a file "
                                        "(recorded: %(date)s).") % {"date": obj.registered_on.strftime("%d/%m/%Y")})
        # a new PMI's registration date and age: the model's rules (MigrantWorker.clean, desmigratif.limits)
        code = row.values.get("village")
        if code and "village" not in row.failed:
            self.check_village(row, village, code, state)
