"""Cooperatives by file: the template, new and updated cooperatives (by the optional ID), rows that break
the area, program-village or uniqueness rules of cooperatives.services, and an export that imports back
unchanged."""
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from cooperatives.models import Cooperative
from exchange.choices import JobStatus
from exchange.resources import RESOURCES
from villages.models import DesmigratifVillage

from .files import check, cirebon_villages, confirm, problems, user, xlsx
from .test_export import csv_rows, export, sheet_rows

pytestmark = pytest.mark.django_db
KIND = "cooperatives"
HEADER = ["ID", "Kode Desa", "Nama Desa", "Nama Koperasi", "Jenis", "Nomor Badan Hukum", "Tahun Berdiri",
          "Jenis Usaha", "Aktif"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def program_village(prefix: str) -> DesmigratifVillage:
    return DesmigratifVillage.objects.filter(village__code__startswith=prefix).order_by("pk").first()


def row(code: str, *, id=None, name="Koperasi Maju Bersama", **overrides) -> list:
    values = {"id": id, "village": code, "village_name": None, "name": name, "kind": "Koperasi",
              "legal_number": None, "year": 2019, "business": "Simpan pinjam", "active": "Ya"}
    values.update(overrides)
    return list(values.values())


def test_header_is_the_resource_columns():
    assert [c.header for c in RESOURCES[KIND].columns] == HEADER


def test_template_download(client):
    client.force_login(user("cirebon"))
    response = client.get(reverse("exchange:cooperatives_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Data"][1]] == HEADER
    assert "Pilihan" in workbook.sheetnames and "Kode Desa" in workbook.sheetnames
    choices = {v for r in workbook["Pilihan"].iter_rows(values_only=True) for v in r if v}
    assert {"Koperasi", "Simpan pinjam", "Ya", "Tidak"} <= choices


def test_new_and_updated_cooperatives_are_written():
    village = program_village("32.09.")
    known = Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.").order_by("pk").first()
    before = Cooperative.objects.count()
    rows = [row(village.village_id, legal_number="AHU-0099999.AH.01.26.TAHUN 2026"),
            row(village.village_id, name="BUMDes Sejahtera", kind="bumdes", business="jasa", active="Tidak"),
            [known.pk, *row(known.desmigratif_village.village_id, name="Nama baru",
                            legal_number=known.legal_entity_number or None, year=known.year_founded)[1:]]]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY, job.problems
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (3, 2, 1, 0)
    assert Cooperative.objects.count() == before
    job = confirm(job)
    assert job.status == JobStatus.DONE, job.problems
    assert Cooperative.objects.count() == before + 2
    new = Cooperative.objects.get(name="BUMDes Sejahtera")
    assert (new.desmigratif_village_id, new.kind, new.business_type, new.is_active, new.year_founded) == \
        (village.pk, "bumdes", "jasa", False, 2019)
    assert Cooperative.objects.get(legal_entity_number="AHU-0099999.AH.01.26.TAHUN 2026").name == \
        "Koperasi Maju Bersama"
    known.refresh_from_db()
    assert (known.name, known.business_type) == ("Nama baru", "simpan_pinjam")


def test_bad_rows_are_listed_and_nothing_is_written():
    mine = program_village("32.09.")
    theirs = program_village("32.12.")
    program = set(DesmigratifVillage.objects.values_list("village_id", flat=True))
    outside = next(code for code in cirebon_villages(200) if code not in program)
    other = Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.12.").order_by("pk").first()
    numbered = Cooperative.objects.exclude(legal_entity_number="").order_by("pk").first()
    taken = Cooperative.objects.filter(desmigratif_village=mine).order_by("pk").first()
    before = Cooperative.objects.count()
    rows = [row(mine.village_id),
            row(theirs.village_id),
            row(outside),
            [other.pk, *row(mine.village_id)[1:]],
            row(mine.village_id, name="Koperasi Lain", legal_number=numbered.legal_entity_number),
            row(mine.village_id, name="Koperasi Baru", legal_number="AHU-1"),
            row(mine.village_id, name="Koperasi Baru Dua", legal_number="AHU-1"),
            row(mine.village_id, name=taken.name),
            row(mine.village_id)]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [
        (3, "Kode Desa", f"You may not enter or change data of village {theirs.village_id}."),
        (4, "Kode Desa", f"Village {outside} is not in the Desmigratif program."),
        (5, "ID", f"The cooperative with the ID {other.pk} is in a village outside your area: you may not "
                  "change it."),
        (6, "Nomor Badan Hukum", "Another cooperative has this legal entity number."),
        (8, "Nomor Badan Hukum", "This legal entity number is also on row 7: no two cooperatives share one."),
        (9, "Nama Koperasi", "This village already has a cooperative of this name."),
        (10, "Nama Koperasi", "A cooperative of this name in this village is also on row 2."),
    ]
    assert Cooperative.objects.count() == before


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_round_trip_changes_nothing(client, export_format):
    client.force_login(user("cirebon"))
    content = export(client, KIND, format=export_format)
    rows = sheet_rows(content) if export_format == "xlsx" else csv_rows(content)
    assert list(rows[0]) == HEADER
    count = len(rows) - 1
    assert count > 0
    assert count == Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.").count()
    job = check("cirebon", content, kind=KIND, name=f"export.{export_format}")
    assert job.status == JobStatus.READY, job.problems[:5]
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (count, 0, 0, count)


def test_export_takes_the_list_filters(client):
    client.force_login(user("kemnaker"))
    rows = sheet_rows(export(client, KIND, area="32.09", business_type="simpan_pinjam"))
    assert {r[1][:5] for r in rows[1:]} <= {"32.09"}
    assert len(rows) - 1 == Cooperative.objects.filter(
        desmigratif_village__village__code__startswith="32.09.", business_type="simpan_pinjam").count()


def test_cooperative_list_exports_what_it_shows(client):
    client.force_login(user("cirebon"))
    page = client.get(reverse("cooperatives:cooperative_list"), {"kind": "koperasi"})
    link = reverse("exchange:cooperatives_export") + "?kind=koperasi"
    assert link in page.content.decode()
