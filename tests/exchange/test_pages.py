"""The import pages as cirebon uses them, and what other users cannot reach."""
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from exchange.choices import JobStatus
from exchange.models import ImportJob
from exchange.resources import RESOURCES
from migrants.models import MigrantWorker
from regions.models import Village

from .files import PMI_HEADER, check, cirebon_villages, csv_bytes, pmi_row, upload, user, xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def cirebon(client):
    client.force_login(user("cirebon"))
    return client


@pytest.mark.parametrize("kind", ["migrants", "villages", "cooperative_figures"])
def test_template_download(cirebon, kind):
    response = cirebon.get(reverse(f"exchange:{kind}_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Data", "Petunjuk"] and "Pilihan" in workbook.sheetnames
    data = workbook["Data"]
    assert [c.value for c in data[1]] == [c.header for c in RESOURCES[kind].columns]
    assert data.max_row == 1
    reference = workbook[workbook.sheetnames[2]]
    codes = [r[0] for r in reference.iter_rows(min_row=2, values_only=True)]
    if kind == "cooperative_figures":
        assert reference.title == "Koperasi" and codes
    else:
        assert reference.title == "Kode Desa"
        assert len(codes) == Village.objects.filter(code__startswith="32.09.").count()
        assert all(code.startswith("32.09.") for code in codes)


def test_template_has_drop_downs_and_text_columns(cirebon):
    workbook = openpyxl.load_workbook(io.BytesIO(cirebon.get(reverse("exchange:migrants_template")).content))
    data = workbook["Data"]
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in data.data_validations.dataValidation}
    assert validations["C2"] == "'Pilihan'!$A$2:$A$3"  # Jenis Kelamin: Laki-laki, Perempuan
    assert validations["E2"].startswith("'Kode Desa'!$A$2:$A$")  # the villages of the user's regency
    assert data.column_dimensions["A"].number_format == "@"  # NIK typed as text
    assert data.column_dimensions["D"].number_format == "DD/MM/YYYY"
    assert [c.value for c in workbook["Pilihan"]["A"] if c.value] == ["Jenis Kelamin", "Laki-laki", "Perempuan"]


def test_national_template_lists_districts(client):
    client.force_login(user("admin"))
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("exchange:villages_template")).content),
                                      read_only=True)
    assert "Kode Kecamatan" in workbook.sheetnames


def test_filled_template_round(cirebon):
    """Download the template, fill it with one bad row, see every problem, fix it, confirm, see the summary."""
    workbook = openpyxl.load_workbook(io.BytesIO(cirebon.get(reverse("exchange:migrants_template")).content))
    village = cirebon_villages(1)[0]
    good, bad = pmi_row(village, name="Siti Aminah"), pmi_row(village, name="Ani", gender="?", birth="1995-13-01")
    workbook["Data"].append(good)
    workbook["Data"].append(bad)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with translation.override("en"):
        response = cirebon.post(reverse("exchange:import_upload"), {"kind": "migrants",
                                                                    "file": upload(buffer.getvalue(), "isian.xlsx")},
                                follow=True)
    assert response.status_code == 200
    job = response.context["job"]
    assert job.status == JobStatus.INVALID
    page = response.content.decode()
    assert 'id="problems"' in page and "Jenis Kelamin" in page and "Tanggal Lahir" in page
    assert not MigrantWorker.objects.filter(nik=good[0]).exists()

    workbook["Data"].delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = cirebon.post(reverse("exchange:import_upload"), {"kind": "migrants",
                                                                "file": upload(buffer.getvalue(), "isian.xlsx")},
                            follow=True)
    job = response.context["job"]
    assert job.status == JobStatus.READY
    assert reverse("exchange:import_confirm", args=[job.pk]) in response.content.decode()
    response = cirebon.post(reverse("exchange:import_confirm", args=[job.pk]), follow=True)
    assert response.context["job"].status == JobStatus.DONE
    assert MigrantWorker.objects.filter(nik=good[0], name="Siti Aminah").exists()
    # a second confirm does nothing but say so
    response = cirebon.post(reverse("exchange:import_confirm", args=[job.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert MigrantWorker.objects.filter(nik=good[0]).count() == 1
    listing = cirebon.get(reverse("exchange:import_list"))
    assert job in listing.context["jobs"]
    problems_csv = cirebon.get(reverse("exchange:import_problems", args=[job.pk]))
    assert problems_csv.status_code == 200 and problems_csv["Content-Type"].startswith("text/csv")


def test_problems_download_neutralises_formulas(cirebon):
    row = pmi_row(cirebon_villages(1)[0], gender="=1+2", birth="17/08/1995", registered_on="")
    job = check("cirebon", csv_bytes([row]), name="pmi.csv")
    assert job.problems[0]["value"] == "=1+2"
    content = cirebon.get(reverse("exchange:import_problems", args=[job.pk])).content.decode("utf-8-sig")
    assert ";'=1+2;" in content


def test_cancel_a_checked_import(cirebon):
    job = check("cirebon", xlsx([pmi_row(cirebon_villages(1)[0])]))
    assert job.file
    response = cirebon.post(reverse("exchange:import_cancel", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and not job.file
    assert response.status_code == 200


def test_background_job_page_polls_its_progress(cirebon, settings):
    settings.EXCHANGE_ASYNC_ROWS = 1
    rows = [pmi_row(cirebon_villages(1)[0], name=f"PMI {i}") for i in range(2)]
    response = cirebon.post(reverse("exchange:import_upload"), {"kind": "migrants", "file": upload(xlsx(rows))},
                            follow=True)
    job = response.context["job"]
    assert job.status == JobStatus.QUEUED  # the Celery task is sent after the request's transaction
    progress_url = reverse("exchange:import_progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in response.content.decode()
    assert 'role="progressbar"' in response.content.decode()
    polled = cirebon.get(progress_url, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and "HX-Refresh" not in polled
    from exchange import tasks

    tasks.import_job_check_task.apply(args=[job.pk])
    polled = cirebon.get(progress_url, HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"


def test_other_users_cannot_reach_a_job(client):
    job = check("cirebon", xlsx([pmi_row(cirebon_villages(1)[0])]))
    client.force_login(user("indramayu"))
    for name in ("import_detail", "import_progress", "import_problems"):
        assert client.get(reverse(f"exchange:{name}", args=[job.pk])).status_code == 404
    for name in ("import_confirm", "import_cancel"):
        assert client.post(reverse(f"exchange:{name}", args=[job.pk])).status_code == 404
    assert job not in client.get(reverse("exchange:import_list")).context["jobs"]
    job.refresh_from_db()
    assert job.status == JobStatus.READY


@pytest.mark.parametrize("username", ["kemnaker", "jabar"])
def test_read_only_roles_get_403_on_import_pages(client, username):
    job = check("cirebon", xlsx([pmi_row(cirebon_villages(1)[0])]))
    client.force_login(user(username))
    for url in (reverse("exchange:import_list"), reverse("exchange:import_upload"),
                reverse("exchange:migrants_template"), reverse("exchange:villages_template"),
                reverse("exchange:import_detail", args=[job.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("exchange:import_upload"), {"kind": "villages", "file": upload(b"x")}).status_code == 403
    assert client.post(reverse("exchange:import_confirm", args=[job.pk])).status_code == 403
    assert ImportJob.objects.filter(user__username=username).count() == 0


def test_agency_staff_import_engagements_only(client):
    job = check("cirebon", xlsx([pmi_row(cirebon_villages(1)[0])]))
    client.force_login(user("bpjs"))
    response = client.get(reverse("exchange:import_list"))
    assert response.status_code == 200
    assert [r.kind for r in response.context["resources"]] == ["engagements"]
    assert client.get(reverse("exchange:engagements_template")).status_code == 200
    for name in ("migrants_template", "villages_template", "activities_template"):
        assert client.get(reverse(f"exchange:{name}")).status_code == 403, name
    response = client.post(reverse("exchange:import_upload"), {"kind": "villages", "file": upload(b"x")})
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    # another user's job stays out of reach
    assert client.get(reverse("exchange:import_detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("exchange:import_confirm", args=[job.pk])).status_code == 404
    assert ImportJob.objects.filter(user__username="bpjs").count() == 0


def test_import_list_queries_are_bounded(cirebon, django_assert_max_num_queries):
    for _ in range(3):
        check("cirebon", xlsx([pmi_row(cirebon_villages(1)[0])]))
    with django_assert_max_num_queries(10):
        response = cirebon.get(reverse("exchange:import_list"))
    assert len(response.context["jobs"]) == 3


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("exchange:import_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_upload_form_errors(cirebon):
    response = cirebon.post(reverse("exchange:import_upload"), {"kind": "migrants", "file": upload(b"x", "a.xls")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    response = cirebon.post(reverse("exchange:import_upload"), {"kind": "nothing", "file": upload(b"x", "a.csv")})
    assert response.context["form"].errors["kind"]


def test_menu_shows_imports_to_writers_only(client):
    client.force_login(user("cirebon"))
    assert reverse("exchange:import_list") in client.get(reverse("home")).content.decode()
    client.force_login(user("kemnaker"))
    assert reverse("exchange:import_list") not in client.get(reverse("home")).content.decode()


def test_header_matches_the_template_vocabulary():
    assert PMI_HEADER[:5] == ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa"]
