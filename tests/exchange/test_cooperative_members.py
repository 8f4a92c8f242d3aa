"""Cooperative members by file: the template, new and updated members (by the optional ID), the area rule
of cooperatives.services on the member's cooperative, an export without the PMI link (no NIK in any file)
that imports back unchanged, and an update that leaves a member's PMI link alone."""
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from cooperatives.models import Cooperative, CooperativeMember
from exchange.choices import JobStatus
from exchange.resources import RESOURCES
from migrants.models import MigrantWorker

from .files import check, confirm, problems, user, xlsx
from .test_export import csv_rows, export, sheet_rows

pytestmark = pytest.mark.django_db
KIND = "cooperative_members"
HEADER = ["ID", "ID Koperasi", "Nama Koperasi", "Nama Anggota", "Purna PMI", "Tanggal Bergabung"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def cooperative(prefix: str) -> Cooperative:
    return Cooperative.objects.filter(desmigratif_village__village__code__startswith=prefix).order_by("pk").first()


def row(coop: int, *, id=None, name="Siti Aminah", returned="Ya", joined=datetime.date(2024, 5, 1)) -> list:
    return [id, coop, None, name, returned, joined]


def test_header_is_the_resource_columns():
    assert [c.header for c in RESOURCES[KIND].columns] == HEADER


def test_template_download(client):
    client.force_login(user("cirebon"))
    response = client.get(reverse("exchange:cooperative_members_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Data"][1]] == HEADER
    assert "Koperasi" in workbook.sheetnames
    ids = {r[0] for r in workbook["Koperasi"].iter_rows(values_only=True)}
    assert cooperative("32.09.").pk in ids and cooperative("32.12.").pk not in ids


def test_new_and_updated_members_are_written_and_the_pmi_link_is_kept():
    coop = cooperative("32.09.")
    known = CooperativeMember.objects.filter(cooperative__desmigratif_village__village__code__startswith="32.09.") \
        .order_by("pk").first()
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    CooperativeMember.objects.filter(pk=known.pk).update(migrant=migrant)
    before = CooperativeMember.objects.count()
    rows = [row(coop.pk), row(coop.pk, name="Budi Santoso", returned=None, joined=None),
            row(known.cooperative_id, id=known.pk, name="Nama baru", returned="Tidak")]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY, job.problems
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (3, 2, 1, 0)
    assert CooperativeMember.objects.count() == before
    job = confirm(job)
    assert job.status == JobStatus.DONE, job.problems
    assert CooperativeMember.objects.count() == before + 2
    new = CooperativeMember.objects.get(cooperative=coop, name="Budi Santoso")
    assert (new.is_returned_pmi, new.joined_on, new.migrant_id) == (False, None, None)
    assert CooperativeMember.objects.get(cooperative=coop, name="Siti Aminah", joined_on=datetime.date(2024, 5, 1)) \
        .is_returned_pmi
    known.refresh_from_db()
    assert (known.name, known.is_returned_pmi, known.migrant_id) == ("Nama baru", False, migrant.pk)


def test_bad_rows_are_listed_and_nothing_is_written():
    mine, theirs = cooperative("32.09."), cooperative("32.12.")
    other = CooperativeMember.objects.filter(cooperative=theirs).order_by("pk").first() or \
        CooperativeMember.objects.create(cooperative=theirs, name="Anggota Lain")
    before = CooperativeMember.objects.count()
    rows = [row(mine.pk),
            row(theirs.pk),
            row(999999999),
            row(mine.pk, id=other.pk),
            row(mine.pk, id=999999999),
            [None, mine.pk, "Koperasi Salah", "Ani", "Ya", None]]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [
        (3, "ID Koperasi", f"The cooperative with the ID {theirs.pk} is outside your area: you may not change its "
                           "members."),
        (4, "ID Koperasi", "There is no cooperative with the ID 999999999."),
        (5, "ID", f"The member with the ID {other.pk} belongs to a cooperative outside your area: you may not "
                  "change them."),
        (6, "ID", "There is no member with the ID 999999999: leave the ID empty for a new member."),
        (7, "Nama Koperasi", f"The cooperative with this ID is called “{mine.name}”: check the ID or the name."),
    ]
    assert CooperativeMember.objects.count() == before


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_round_trip_changes_nothing_and_carries_no_nik(client, export_format):
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    member = CooperativeMember.objects.filter(cooperative=cooperative("32.09.")).order_by("pk").first() or \
        CooperativeMember.objects.create(cooperative=cooperative("32.09."), name="Anggota")
    CooperativeMember.objects.filter(pk=member.pk).update(migrant=migrant)
    client.force_login(user("cirebon"))
    content = export(client, KIND, format=export_format)
    rows = sheet_rows(content) if export_format == "xlsx" else csv_rows(content)
    assert list(rows[0]) == HEADER
    count = len(rows) - 1
    assert count == CooperativeMember.objects.filter(
        cooperative__desmigratif_village__village__code__startswith="32.09.").count() > 0
    assert migrant.nik not in str(rows)
    job = check("cirebon", content, kind=KIND, name=f"export.{export_format}")
    assert job.status == JobStatus.READY, job.problems[:5]
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (count, 0, 0, count)


def test_agency_staff_get_no_member_names(client):
    client.force_login(user("bpjs"))
    assert client.get(reverse("exchange:cooperative_members_export")).status_code == 403
    assert client.get(reverse("exchange:cooperative_members_template")).status_code == 403
