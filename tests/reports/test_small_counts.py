"""The yearly report's page and workbook show counts of persons as their reader may see them: rounded
to the nearest 10 (0 to 4 as <5) for readers who do not serve the area, exact for those who do."""
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.disclosure import count_shown
from accounts.models import User
from reports.services import report_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report():
    report = report_request(user=User.objects.get(username="admin"), year=2024, area_code="32.09")
    report.refresh_from_db()
    return report


def workbook_of(client, report) -> dict:
    response = client.get(reverse("reports:yearlyreport_workbook", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(response.content))
    return {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}


def pmi_cells(sheets: dict) -> list:
    """The cells of the workbook that hold counts of persons."""
    rows = {row[0]: row for row in sheets["Ringkasan"] if row and row[0]}
    cells = [value for label in ("PMI terdaftar", "PMI berangkat", "PMI kembali") for value in rows[label][1:3]]
    cells += [value for row in sheets["PMI"][1:] if row and row[0] and row[1] is not None for value in row[1:3]
              if value is not None and not isinstance(value, str) or value == "<5"]
    cells += [value for row in sheets["Wilayah"][1:] for value in row[6:9]]
    cells += [value for row in sheets["Koperasi"] if row[0] == "Anggota PMI purna" for value in row[1:3]]
    return cells


def login(client, username: str, language: str = "en"):
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def test_readers_get_the_workbook_and_the_page_rounded_and_are_told_so(client, report):
    f = report.figures
    exact_areas = [row.get("registered", 0) for row in f["areas"]]
    assert any(1 <= n <= 4 for n in exact_areas)
    for username in ("kemnaker", "jabar", "bpjs"):
        login(client, username)
        sheets = workbook_of(client, report)
        assert sheets["Ringkasan"][2][0].startswith("Angka PMI dibulatkan")
        cells = pmi_cells(sheets)
        assert cells and all(value == "<5" or (type(value) is int and value >= 10 and value % 10 == 0)
                             for value in cells), (username, cells)
        areas = [row[6] for row in sheets["Wilayah"][1:]]
        assert areas == [str(count_shown(n, protect=True)) if n < 5 else count_shown(n, protect=True)
                         for n in exact_areas]
        page = client.get(report.get_absolute_url()).content.decode()
        assert 'id="small-counts-note"' in page and "rounded to the nearest 10" in page
        table = page[page.rindex("table-hover"):]  # the table of areas, after the chart's own
        table = table[:table.index("</table>")]
        rows = [re.findall(r'<td class="num">([^<]*)</td>', row) for row in re.findall(r'<tr><th scope="row".*?</tr>',
                                                                                      table, re.S)]
        assert len(rows) == len(f["areas"])
        assert [row[3] for row in rows] == [str(count_shown(n, protect=True)).replace("<", "&lt;")
                                            for n in exact_areas]  # the registered PMI of each district
        assert all(cell == "&lt;5" or int(cell.replace(",", "")) % 10 == 0 for row in rows for cell in row[3:6])
        assert f'<td class="num">{count_shown(f["migrants"]["registered"], protect=True):,}</td>' in page


def test_those_who_serve_the_area_get_exact_figures(client, report):
    f = report.figures
    for username in ("admin", "cirebon"):
        login(client, username)
        sheets = workbook_of(client, report)
        assert not sheets["Ringkasan"][2] or not str(sheets["Ringkasan"][2][0] or "").startswith("Angka PMI")
        rows = {row[0]: row for row in sheets["Ringkasan"] if row and row[0]}
        assert rows["PMI terdaftar"][1:3] == (f["migrants"]["registered"], f["migrants"]["previous_registered"])
        assert [row[6] for row in sheets["Wilayah"][1:]] == [row.get("registered", 0) for row in f["areas"]]
        page = client.get(report.get_absolute_url()).content.decode()
        assert 'id="small-counts-note"' not in page
        assert f'<td class="num">{f["migrants"]["registered"]:,}</td>' in page


def test_the_file_kept_with_the_report_is_the_rounded_one(report):
    workbook = load_workbook(report.workbook.open("rb"))
    wilayah = [row[6:9] for row in workbook["Wilayah"].iter_rows(min_row=2, values_only=True)]
    assert all(value == "<5" or value % 10 == 0 for row in wilayah for value in row)
