"""Reintegration by file, keyed by NIK: new and updated reintegrations of returned PMI, the rules of
migrants.services.reintegration_record (returned PMI only, in the user's area) and of the model, all or
nothing, an export that imports back unchanged, masking for readers and history."""
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from exchange.choices import JobStatus
from exchange.resources import RESOURCES
from migrants.choices import Stage
from migrants.models import MigrantWorker, Reintegration, ReintegrationSummary
from migrants.summaries import REINTEGRATIONS
from privacy.models import PersonalDataAccess

from .files import check, confirm, problems, user, xlsx
from .test_export import csv_rows, export, sheet_rows

NOT_IN_AREA = "No PMI with this NIK is recorded in your area: register the PMI first (import of PMI or the PMI pages)."

pytestmark = pytest.mark.django_db
KIND = "reintegrations"
HEADER = ["NIK", "Nama", "Pelatihan Diterima", "Punya Usaha", "Jenis Usaha", "Usaha Dimulai", "Anggota Koperasi",
          "Kredit KUR", "Bank", "Peserta BPJS Ketenagakerjaan", "Catatan"]
STARTED = datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row(nik: str, *, name=None, training="Pelatihan menjahit", business="Ya", business_type="Warung makan",
        started=STARTED, member="Tidak", credit="Ya", bank="BRI", bpjs="Ya", notes="Usaha berjalan") -> list:
    return [nik, name, training, business, business_type, started, member, credit, bank, bpjs, notes]


def returnee(prefix: str = "32.09.", *, recorded: bool = False, skip: int = 0) -> MigrantWorker:
    return (MigrantWorker.objects.filter(village__code__startswith=prefix, stage=Stage.RETURNED,
                                         reintegration__isnull=not recorded)
            .order_by("pk")[skip])


def test_header_is_the_resource_columns():
    assert [c.header for c in RESOURCES[KIND].columns] == HEADER


def test_template_download(client):
    client.force_login(user("cirebon"))
    response = client.get(reverse("exchange:reintegrations_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Data"][1]] == HEADER
    assert workbook["Data"].column_dimensions["A"].number_format == "@"
    assert [c.value for c in workbook["Pilihan"]["A"] if c.value] == ["Punya Usaha", "Ya", "Tidak"]


def test_new_and_updated_reintegrations_are_written():
    new, known = returnee(), returnee(recorded=True)
    other = returnee(skip=1)
    before = Reintegration.objects.count()
    rows = [row(new.nik, name=new.name),
            row(other.nik, training=None, business="T", business_type=None, started=None, member="1", credit="No",
                bank=None, bpjs="False", notes=None),
            row(known.nik, training="Pelatihan tata boga", business="Y", business_type="Katering", member="0",
                credit="True", bank="BNI", bpjs="Yes", notes=None)]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY, job.problems
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (3, 2, 1, 0)
    assert Reintegration.objects.count() == before
    job = confirm(job)
    assert job.status == JobStatus.DONE, job.problems
    assert Reintegration.objects.count() == before + 2
    first = Reintegration.objects.get(migrant=new)
    assert (first.training_received, first.has_business, first.business_type, first.business_started_on,
            first.is_cooperative_member, first.has_kur_credit, first.credit_bank, first.has_bpjs_ketenagakerjaan,
            first.notes) == ("Pelatihan menjahit", True, "Warung makan", STARTED, False, True, "BRI", True,
                             "Usaha berjalan")
    second = Reintegration.objects.get(migrant=other)
    assert (second.has_business, second.is_cooperative_member, second.has_kur_credit,
            second.has_bpjs_ketenagakerjaan) == (False, True, False, False)
    updated = Reintegration.objects.get(migrant=known)
    assert (updated.training_received, updated.has_business, updated.business_type, updated.credit_bank,
            updated.has_bpjs_ketenagakerjaan) == ("Pelatihan tata boga", True, "Katering", "BNI", True)
    reason = f"Import #{job.pk}"
    assert (first.history.get().history_type, first.history.get().history_change_reason) == ("+", reason)
    latest = updated.history.latest()
    assert (latest.history_type, latest.history_change_reason, latest.history_user.username) == (
        "~", reason, "cirebon")


def test_the_summary_is_kept_by_the_import():
    new = returnee()
    areas = (new.village_id, new.village_id[:5])
    fields = [f.name for f in ReintegrationSummary._meta.concrete_fields if f.name != "id"]

    def rows():
        return sorted(ReintegrationSummary.objects.filter(area_code__in=areas).values_list(*fields))

    before = rows()
    job = confirm(check("cirebon", xlsx([row(new.nik)], header=HEADER), kind=KIND))
    assert job.status == JobStatus.DONE, job.problems
    kept = rows()
    assert kept != before
    REINTEGRATIONS.refresh(villages=[new.village_id])
    assert rows() == kept  # as a recount


def test_bad_rows_are_listed_and_nothing_is_written():
    fine = returnee()
    abroad = MigrantWorker.objects.filter(village__code__startswith="32.09.", stage=Stage.ABROAD).order_by("pk")[0]
    theirs = returnee("32.12.")
    rows = [row(fine.nik),  # 2: fine, but nothing is written with the problems below
            row(abroad.nik),  # 3
            row(returnee(skip=1).nik, business="Tidak"),  # 4: a type of business without a business
            row(returnee(skip=2).nik, credit="Tidak"),  # 5: a bank without a credit
            row("3209999999999999"),  # 6
            row(theirs.nik),  # 7
            row(fine.nik),  # 8
            row(returnee(skip=3).nik, bpjs="Mungkin"),  # 9
            row(returnee(skip=4).nik, name="Nama Lain")]  # 10
    before = Reintegration.objects.count()
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [
        (3, "NIK", "Reintegration is recorded for returned PMI only: this PMI is at the stage “Working abroad”."),
        (4, "Jenis Usaha", "A type of business needs a business."),
        (5, "Bank", "A bank is named only with a credit."),
        # another area's PMI is answered as one not recorded (a file does not tell whether a NIK exists)
        (6, "NIK", NOT_IN_AREA),
        (7, "NIK", NOT_IN_AREA),
        (8, "NIK", "This NIK is also on row 2: each PMI once per file."),
        (9, "Peserta BPJS Ketenagakerjaan", "“Mungkin”: write Ya or Tidak."),
        (10, "Nama", f"The PMI with this NIK is called “{returnee(skip=4).name}”: check the NIK or the name."),
    ]
    assert Reintegration.objects.count() == before


def test_a_recorded_reintegration_of_a_pmi_registered_again_imports_back_unchanged_only():
    known = returnee(recorded=True)
    MigrantWorker.objects.filter(pk=known.pk).update(stage=Stage.REGISTERED)
    r = known.reintegration
    same = [known.nik, known.name, r.training_received, r.has_business, r.business_type, r.business_started_on,
            r.is_cooperative_member, r.has_kur_credit, r.credit_bank, r.has_bpjs_ketenagakerjaan, r.notes]
    job = check("cirebon", xlsx([same], header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY and job.unchanged_count == 1, job.problems
    changed = [*same[:-1], "Catatan baru"]
    job = check("cirebon", xlsx([changed], header=HEADER), kind=KIND)
    assert problems(job) == [(2, "NIK", "Reintegration is recorded for returned PMI only: this PMI is at the stage "
                                        "“Registered (prospective)”.")]


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_round_trip_changes_nothing(client, export_format):
    client.force_login(user("cirebon"))
    content = export(client, KIND, format=export_format)
    rows = sheet_rows(content) if export_format == "xlsx" else csv_rows(content)
    assert list(rows[0]) == HEADER
    count = len(rows) - 1
    assert count == Reintegration.objects.filter(migrant__village__code__startswith="32.09.").count() > 0
    job = check("cirebon", content, kind=KIND, name=f"export.{export_format}")
    assert job.status == JobStatus.READY, job.problems[:5]
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (count, 0, 0, count)


@pytest.mark.parametrize("username", ["kemnaker", "jabar"])
def test_export_is_masked_for_readers_and_not_logged(client, username):
    known = returnee(recorded=True)
    Reintegration.objects.filter(migrant=known).update(notes="Sakit setelah pulang")
    client.force_login(user(username))
    before = PersonalDataAccess.objects.count()
    rows = sheet_rows(export(client, KIND))
    assert len(rows) > 1
    assert all("••••" in r[0] for r in rows[1:])
    assert known.nik not in str(rows) and "Sakit setelah pulang" not in str(rows)
    assert PersonalDataAccess.objects.count() == before


def test_unmasked_export_is_logged_per_person(client):
    client.force_login(user("cirebon"))
    before = PersonalDataAccess.objects.filter(user__username="cirebon").count()
    rows = sheet_rows(export(client, KIND))
    logged = PersonalDataAccess.objects.filter(user__username="cirebon").count() - before
    assert logged == len(rows) - 1 > 0


def test_agency_staff_get_no_reintegrations(client):
    client.force_login(user("bpjs"))
    assert client.get(reverse("exchange:reintegrations_export")).status_code == 403
