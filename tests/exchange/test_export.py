"""Exports: the template's columns, the list's filters, masking, formula injection, and a round trip
that changes nothing."""
import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from cooperatives.models import Cooperative, CooperativeYearlyFigure
from exchange.choices import JobStatus
from exchange.resources import RESOURCES
from migrants.models import MigrantWorker
from privacy.models import PersonalDataAccess
from villages.models import DesmigratifVillage

from .files import check, cirebon_villages, new_nik, user

pytestmark = pytest.mark.django_db


def export(client, kind: str, **params) -> bytes:
    response = client.get(reverse(f"exchange:{kind}_export"), params)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


def sheet_rows(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return list(workbook["Data"].iter_rows(values_only=True))


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("kind", ["migrants", "villages", "cooperative_figures"])
@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_round_trip_changes_nothing(client, kind, export_format):
    client.force_login(user("cirebon"))
    content = export(client, kind, format=export_format)
    rows = sheet_rows(content) if export_format == "xlsx" else csv_rows(content)
    assert list(rows[0]) == [c.header for c in RESOURCES[kind].columns]
    count = len(rows) - 1
    assert count > 0
    job = check("cirebon", content, kind=kind, name=f"export.{export_format}")
    assert job.status == JobStatus.READY, job.problems[:5]
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (count, 0, 0, count)


@pytest.fixture
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_export_takes_the_list_filters(client, english_pages):
    client.force_login(user("kemnaker"))
    rows = sheet_rows(export(client, "villages", area="32.09", funding_source="dana_desa"))
    assert len(rows) == 11  # Kabupaten Cirebon's ten Dana Desa villages, and the header
    assert {r[0][:5] for r in rows[1:]} == {"32.09"}
    response = client.get(reverse("exchange:villages_export"), {"year_designated_min": "soon"})
    assert response.status_code == 400
    assert "The filters are not valid" in response.content.decode()


def test_export_is_scoped_and_masked_for_readers(client):
    client.force_login(user("kemnaker"))
    rows = sheet_rows(export(client, "migrants"))
    assert len(rows) - 1 == MigrantWorker.objects.count()
    assert all("••••" in r[0] for r in rows[1:])  # NIK masked for a national reader
    client.force_login(user("indramayu"))
    codes = {r[4][:5] for r in sheet_rows(export(client, "migrants"))[1:]}
    assert codes == {"32.12"}
    client.force_login(user("bpjs"))
    assert client.get(reverse("exchange:migrants_export")).status_code == 403
    assert client.get(reverse("exchange:villages_export")).status_code == 200


def test_unmasked_export_is_logged_per_person(client):
    client.force_login(user("cirebon"))
    before = PersonalDataAccess.objects.filter(user__username="cirebon").count()
    rows = sheet_rows(export(client, "migrants", area="32.09.07"))
    logged = PersonalDataAccess.objects.filter(user__username="cirebon").count() - before
    assert logged == len(rows) - 1 > 0


def test_export_above_the_row_limit_is_refused(client, english_pages, settings):
    settings.EXCHANGE_MAX_ROWS = 5
    client.force_login(user("cirebon"))
    response = client.get(reverse("exchange:migrants_export"))
    assert response.status_code == 400
    assert "Narrow the filters" in response.content.decode()
    assert f'href="{reverse("home")}"' in response.content.decode()  # no script link (the CSP forbids them)
    listed = reverse("migrants:migrantworker_list") + "?stage=abroad"
    back = client.get(reverse("exchange:migrants_export"), HTTP_REFERER=f"http://testserver{listed}")
    assert f'href="http://testserver{listed}"' in back.content.decode().replace("&amp;", "&")
    elsewhere = client.get(reverse("exchange:migrants_export"), HTTP_REFERER="https://evil.example/x")
    assert "evil.example" not in elsewhere.content.decode()


def test_formula_injection_neutralised_and_round_trip_kept(client):
    village = cirebon_villages(1)[0]
    nik = new_nik(village)
    MigrantWorker.objects.create(nik=nik, name='=HYPERLINK("http://x","klik")', gender="F",
                                 birth_date=datetime.date(1995, 8, 17), village_id=village, address="@SUM(1+1)",
                                 phone="+6281234567890", registered_on=datetime.date(2024, 1, 1),
                                 stage_changed_on=datetime.date(2024, 1, 1))
    coop = Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.").order_by("pk").first()
    CooperativeYearlyFigure.objects.create(cooperative=coop, year=2099, members=10, shu=Decimal(-1500000),
                                           capital=Decimal(0), assets=Decimal(0), revenue=Decimal(0))
    client.force_login(user("cirebon"))

    content = export(client, "migrants")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    row = next(r for r in workbook["Data"].iter_rows(min_row=2) if r[0].value == nik)
    assert [(c.value, c.data_type) for c in (row[1], row[5], row[8])] == [
        ("'=HYPERLINK(\"http://x\",\"klik\")", "s"), ("'@SUM(1+1)", "s"), ("'+6281234567890", "s")]
    job = check("cirebon", content)
    assert (job.problem_count, job.updated_count, job.created_count) == (0, 0, 0), job.problems[:3]

    text = export(client, "migrants", format="csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";'@SUM(1+1);" in text

    rows = sheet_rows(export(client, "cooperative_figures"))
    shu = next(r for r in rows[1:] if r[0] == coop.pk and r[3] == 2099)[9]
    assert shu == -1500000 and isinstance(shu, int)  # a negative number stays a number
    text = export(client, "cooperative_figures", format="csv").decode("utf-8-sig")
    assert ";2099;10;0;0;0;0;-1500000" in text.replace("\r\n", "\n")


def test_villages_export_names_the_village(client):
    client.force_login(user("cirebon"))
    rows = sheet_rows(export(client, "villages"))
    dv = DesmigratifVillage.objects.filter(village__code__startswith="32.09.").select_related("village") \
        .order_by("village_id").first()
    row = next(r for r in rows if r[0] == dv.village_id)
    assert row[1] == dv.village.name
