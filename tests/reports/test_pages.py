import pytest
from django.urls import reverse

from accounts.models import User
from reports.choices import ReportStatus
from reports.models import YearlyReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def login(client, name):
    client.force_login(User.objects.get(username=name))


def test_kemnaker_requests_the_2022_national_report_and_reads_it(client):
    login(client, "kemnaker")
    page = client.get(reverse("reports:yearlyreport_list"))
    assert page.status_code == 200 and "form" in page.context
    response = client.post(reverse("reports:yearlyreport_request"), {"year": 2022, "area": ""})
    report = YearlyReport.objects.get(year=2022, area_code="")
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    detail = client.get(report.get_absolute_url())
    content = detail.content.decode()
    assert detail.status_code == 200 and "503" in content and "<svg" in content
    download = client.get(reverse("reports:yearlyreport_workbook", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    progress = client.get(reverse("reports:yearlyreport_progress", args=[report.pk]))
    assert progress["HX-Refresh"] == "true"


def test_a_running_report_shows_its_progress_bar_polled_by_htmx(client):
    report = YearlyReport.objects.create(year=2021, area_code="32", area_name="Jawa Barat", scope="province",
                                         version=1, as_of="2021-12-31", status=ReportStatus.RUNNING, progress=42)
    login(client, "jabar")
    content = client.get(report.get_absolute_url()).content.decode()
    assert 'aria-valuenow="42"' in content and "hx-trigger" in content
    assert "newer version" not in content and "lebih baru" not in content  # not replaced: still being made
    assert "HX-Refresh" not in client.get(reverse("reports:yearlyreport_progress", args=[report.pk]))


def test_reports_of_other_areas_are_not_found(client):
    report = YearlyReport.objects.create(year=2021, area_code="32.09", area_name="Kabupaten Cirebon", scope="regency",
                                         version=1, as_of="2021-12-31", status=ReportStatus.FAILED)
    login(client, "indramayu")
    for name in ("yearlyreport_detail", "yearlyreport_progress", "yearlyreport_workbook"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:yearlyreport_retry", args=[report.pk])).status_code == 404
    assert report not in client.get(reverse("reports:yearlyreport_list")).context["object_list"]
    response = client.post(reverse("reports:yearlyreport_request"), {"year": 2021, "area": "32.09"})
    assert response.status_code == 400  # not among the areas the form offers indramayu
    assert not YearlyReport.objects.filter(area_code="32.09", requested_by__username="indramayu").exists()


def test_with_the_broker_down_the_page_says_so_instead_of_failing(client, monkeypatch):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr("reports.tasks.report_build_task.delay", down)
    login(client, "kemnaker")
    response = client.post(reverse("reports:yearlyreport_request"), {"year": 2022, "area": "32"}, follow=True)
    assert response.status_code == 200
    assert any("unavailable" in str(m).lower() or "tidak tersedia" in str(m).lower()
               for m in response.context["messages"])


def test_village_officers_and_agency_staff_see_no_request_form(client):
    for name in ("petugas", "bpjs"):
        login(client, name)
        assert "form" not in client.get(reverse("reports:yearlyreport_list")).context
        assert client.post(reverse("reports:yearlyreport_request"), {"year": 2022, "area": ""}).status_code == 403
