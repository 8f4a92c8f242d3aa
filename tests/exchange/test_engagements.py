"""Agency engagements by file: the template, new and updated engagements (by the optional ID), the write
rule of agencies.services (area for regency operators, own agency for agency staff), and an export
that imports back unchanged."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency, Engagement
from exchange.choices import JobStatus
from exchange.engine import Importer
from exchange.readers import open_table
from exchange.resources import RESOURCES

from .files import check, cirebon_villages, confirm, problems, user, xlsx
from .test_export import csv_rows, export, sheet_rows

pytestmark = pytest.mark.django_db
KIND = "engagements"
HEADER = ["ID", "Instansi", "Tingkat", "Kode Kabupaten/Kota", "Kode Desa", "Pilar", "Jenis", "Tahun",
          "Anggaran (Rp)", "Uraian"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row(agency: str, *, id=None, level="Kabupaten/kota", regency="32.09", village=None, **overrides) -> list:
    values = {"id": id, "agency": agency, "level": level, "regency": regency, "village": village,
              "pillar": "Usaha produktif", "kind": "Pelatihan", "year": 2025, "budget": "Rp 2.000.000",
              "description": "Pelatihan usaha"}
    values.update(overrides)
    return list(values.values())


def dry_run(username: str, rows: list):
    """The engine as the import runs it, without storing a job."""
    table = open_table(io.BytesIO(xlsx(rows, header=HEADER)), file_name="data.xlsx")
    return Importer(RESOURCES[KIND], user=user(username)).check(table)


def test_header_is_the_resource_columns():
    assert [c.header for c in RESOURCES[KIND].columns] == HEADER


def test_template_download(client):
    client.force_login(user("cirebon"))
    response = client.get(reverse("exchange:engagements_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Data"][1]] == HEADER
    choices = {v for r in workbook["Pilihan"].iter_rows(values_only=True) for v in r if v}
    assert {"Nasional", "Kabupaten/kota", "Desa/kelurahan", "Pelatihan", "Usaha produktif"} <= choices


def test_new_and_updated_engagements_are_written():
    agency = Agency.objects.order_by("pk").first()
    village = cirebon_villages(1)[0]
    known = Engagement.objects.filter(regency_id="32.09").order_by("pk").first() \
        or Engagement.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    before = Engagement.objects.count()
    rows = [row(agency.acronym.lower()),
            row(agency.acronym, level="Desa/kelurahan", regency=None, village=village, budget=None),
            row(known.agency.acronym, id=known.pk, level="Kabupaten/kota", regency="32.09", village=None,
                description="Uraian baru")]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY, job.problems
    assert (job.total_rows, job.created_count, job.updated_count) == (3, 2, 1)
    assert Engagement.objects.count() == before
    job = confirm(job)
    assert job.status == JobStatus.DONE, job.problems
    assert Engagement.objects.count() == before + 2
    new = Engagement.objects.get(village_id=village, agency=agency, year=2025, kind="training")
    assert (new.level, new.pillar, new.budget) == ("village", 2, Decimal(0))
    known.refresh_from_db()
    assert (known.description, known.level, known.regency_id) == ("Uraian baru", "regency", "32.09")


def test_bad_rows_are_listed_and_nothing_is_written():
    agency = Agency.objects.order_by("pk").first()
    national = Engagement.objects.filter(level="national").order_by("pk").first()
    before = Engagement.objects.count()
    rows = [row(agency.acronym),
            row(agency.acronym, regency="32.12"),  # another regency
            row(agency.acronym, level="Nasional", regency=None),  # a regency operator records no national one
            row(agency.acronym, level="Desa/kelurahan"),  # a village engagement without its village
            row("NOPE"),
            row(national.agency.acronym, id=national.pk, level="Nasional", regency=None, description="x"),
            row(agency.acronym, id=999999999)]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [
        (3, "", "You may not record or change this engagement."),
        (4, "", "You may not record or change this engagement."),
        (5, "Kode Desa", "Choose the village of a village engagement."),
        (5, "Kode Kabupaten/Kota", "A village engagement has no separate regency."),
        (6, "Instansi", "There is no agency with the acronym “NOPE”."),
        (7, "ID", f"You may not change the engagement with the ID {national.pk}."),
        (8, "ID", "There is no engagement with the ID 999999999: leave the ID empty for a new engagement."),
    ]
    assert Engagement.objects.count() == before


def test_agency_staff_write_only_their_own_agencys_engagements():
    staff = user("bpjs")
    other = Agency.objects.exclude(pk=staff.agency_id).order_by("pk").first()
    report = dry_run("bpjs", [row(staff.agency.acronym, level="Nasional", regency=None),
                              row(other.acronym, level="Nasional", regency=None)])
    assert (report.created, report.problem_count) == (1, 1)
    assert report.problems[0]["row"] == 3


def test_agency_staff_import_their_engagements_through_the_import():
    staff = user("bpjs")
    before = Engagement.objects.filter(agency=staff.agency).count()
    content = xlsx([row(staff.agency.acronym, level="Nasional", regency=None)], header=HEADER)
    job = check("bpjs", content, kind=KIND)
    assert job.status == JobStatus.READY, job.problems[:5]
    job = confirm(job)
    assert job.status == JobStatus.DONE and job.created_count == 1
    assert Engagement.objects.filter(agency=staff.agency).count() == before + 1


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_round_trip_changes_nothing(client, export_format):
    client.force_login(user("cirebon"))
    content = export(client, KIND, format=export_format)
    rows = sheet_rows(content) if export_format == "xlsx" else csv_rows(content)
    assert list(rows[0]) == HEADER
    count = len(rows) - 1
    assert count > 0
    job = check("cirebon", content, kind=KIND, name=f"export.{export_format}")
    assert job.status == JobStatus.READY, job.problems[:5]
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (count, 0, 0, count)


def test_engagement_list_exports_what_it_shows(client):
    client.force_login(user("cirebon"))
    page = client.get(reverse("agencies:engagement_list"), {"pillar": "2"})
    link = reverse("exchange:engagements_export") + "?pillar=2"
    assert link in page.content.decode()
    rows = csv_rows(export(client, KIND, pillar="2", format="csv"))
    assert {r[5] for r in rows[1:]} <= {"Usaha produktif"}
