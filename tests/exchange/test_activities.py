"""Pillar activities by file: the template, new and updated activities (by the optional ID), rows that
break the pillar or area rules, and an export that imports back unchanged."""
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency
from exchange.choices import JobStatus
from exchange.resources import RESOURCES
from villages.models import DesmigratifVillage, PillarActivity

from .files import check, confirm, problems, user, xlsx
from .test_export import csv_rows, export, sheet_rows

pytestmark = pytest.mark.django_db
KIND = "activities"
HEADER = ["ID", "Kode Desa", "Nama Desa", "Pilar", "Jenis Kegiatan", "Tanggal", "Judul", "Peserta Perempuan",
          "Peserta Laki-laki", "Layanan Diberikan", "Usaha Dirintis", "Anak Terjangkau", "Instansi Mitra",
          "Anggaran (Rp)", "Catatan"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def program_village(prefix: str) -> DesmigratifVillage:
    return DesmigratifVillage.objects.filter(village__code__startswith=prefix).order_by("pk").first()


def row(code: str, *, id=None, pillar="Layanan migrasi", kind="Informasi pasar kerja", **overrides) -> list:
    values = {"id": id, "village": code, "village_name": None, "pillar": pillar, "kind": kind,
              "date": datetime.date(2025, 3, 4), "title": "Sosialisasi migrasi aman", "women": 12, "men": 8,
              "services": 5, "businesses": None, "children": None, "agency": None, "budget": "Rp 1.500.000",
              "notes": ""}
    values.update(overrides)
    return list(values.values())


def test_header_is_the_resource_columns():
    assert [c.header for c in RESOURCES[KIND].columns] == HEADER


def test_template_download(client):
    client.force_login(user("cirebon"))
    response = client.get(reverse("exchange:activities_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Data"][1]] == HEADER
    assert "Pilihan" in workbook.sheetnames and "Kode Desa" in workbook.sheetnames
    choices = {v for r in workbook["Pilihan"].iter_rows(values_only=True) for v in r if v}
    assert {"Layanan migrasi", "Informasi pasar kerja", "Pelatihan kewirausahaan"} <= choices


def test_new_and_updated_activities_are_written():
    village = program_village("32.09.")
    known = PillarActivity.objects.filter(desmigratif_village__village__code__startswith="32.09.") \
        .order_by("pk").first()
    agency = Agency.objects.order_by("pk").first()
    before = PillarActivity.objects.count()
    rows = [row(village.village_id, agency=agency.acronym.lower()),
            row(village.village_id, pillar="Usaha produktif", kind="Pelatihan kewirausahaan", title="Pelatihan",
                services=None, businesses=3),
            [known.pk, *row(village.village_id, title="Judul baru", businesses=0, children=0)[1:]]]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY, job.problems
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (3, 2, 1, 0)
    assert PillarActivity.objects.count() == before
    job = confirm(job)
    assert job.status == JobStatus.DONE, job.problems
    assert PillarActivity.objects.count() == before + 2
    new = PillarActivity.objects.get(title="Pelatihan")
    assert (new.pillar, new.kind, new.businesses_started, new.budget) == (2, "2_training", 3, Decimal(1500000))
    assert PillarActivity.objects.filter(partner_agency=agency, title="Sosialisasi migrasi aman",
                                         desmigratif_village=village).exists()
    known.refresh_from_db()
    assert (known.title, known.desmigratif_village_id) == ("Judul baru", village.pk)


def test_bad_rows_are_listed_and_nothing_is_written():
    mine = program_village("32.09.")
    theirs = program_village("32.12.")
    other = PillarActivity.objects.filter(desmigratif_village__village__code__startswith="32.12.").order_by("pk") \
        .first()
    before = PillarActivity.objects.count()
    rows = [row(mine.village_id),
            row(mine.village_id, kind="Pelatihan kewirausahaan"),  # a pillar 2 kind under pillar 1
            row(theirs.village_id),
            [other.pk, *row(mine.village_id)[1:]],
            [999999999, *row(mine.village_id)[1:]],
            row(mine.village_id, agency="NOPE")]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [
        (3, "Jenis Kegiatan", "This kind of activity belongs to another pillar."),
        (4, "Kode Desa", f"You may not enter or change data of village {theirs.village_id}."),
        (5, "ID", f"The activity with the ID {other.pk} is in a village outside your area: you may not change it."),
        (6, "ID", "There is no activity with the ID 999999999: leave the ID empty for a new activity."),
        (7, "Instansi Mitra", "There is no agency with the acronym “NOPE”."),
    ]
    assert PillarActivity.objects.count() == before


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


def test_export_takes_the_list_filters(client):
    client.force_login(user("kemnaker"))
    rows = sheet_rows(export(client, KIND, area="32.09", pillar="2"))
    assert {r[1][:5] for r in rows[1:]} <= {"32.09"}
    assert len(rows) - 1 == PillarActivity.objects.filter(
        desmigratif_village__village__code__startswith="32.09.", pillar=2).count()


def test_activity_list_exports_what_it_shows(client):
    client.force_login(user("cirebon"))
    page = client.get(reverse("villages:pillaractivity_list"), {"pillar": "1"})
    link = reverse("exchange:activities_export") + "?pillar=1"
    assert link in page.content.decode()
    rows = csv_rows(export(client, KIND, pillar="1", format="csv"))
    assert len(rows) - 1 == PillarActivity.objects.filter(
        desmigratif_village__village__code__startswith="32.09.", pillar=1).count()
