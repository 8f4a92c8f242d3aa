import pytest
from django.urls import reverse

from reports.choices import ReportStatus
from reports.models import YearlyReport

from .base import ApiEndpointCases, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class TestYearlyReports(ApiEndpointCases):
    basename = "yearlyreport"
    model = YearlyReport
    readers = ("admin", "kemnaker", "jabar", "cirebon", "indramayu", "petugas", "bpjs")
    read_only_roles = ("petugas", "bpjs")  # village officers and agency staff read reports, never request them

    def in_area_record(self):
        return YearlyReport.objects.filter(area_code="32.09").first() or YearlyReport.objects.create(
            year=2021, area_code="32.09", area_name="Kabupaten Cirebon", scope="regency", version=1,
            as_of="2021-12-31", status=ReportStatus.FAILED)

    def test_the_writer_reads_creates_and_edits_in_area(self):
        """A request answers 202 with the report (built at once here: Celery is eager in this run)."""
        client = token_client(self.writer)
        assert client.get(self.detail_url(self.in_area_record())).status_code == 200
        response = client.post(self.list_url(), {"year": 2022, "area_code": "32.09"}, format="json")
        assert response.status_code == 202, response.json()
        report = YearlyReport.objects.get(pk=response.json()["id"])
        assert report.area_code == "32.09" and report.requested_by.username == "cirebon"
        detail = client.get(self.detail_url(report)).json()
        assert detail["figures"]["villages"]["funding"]["dana_desa"] == 10
        download = client.get(detail["workbook_url"])
        assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")

    def test_read_only_roles_and_tokens_do_not_write(self):
        for client in (token_client("petugas"), token_client("bpjs"), token_client("kemnaker", read_only=True)):
            assert client.post(self.list_url(), {"year": 2022, "area_code": ""}, format="json").status_code == 403
        assert not YearlyReport.objects.filter(year=2022, area_code="").exists()


def test_a_request_outside_the_area_or_with_a_bad_year_answers_with_the_reason():
    client = token_client("cirebon")
    assert client.post(reverse("api:yearlyreport-list"), {"year": 2022, "area_code": "32.12"},
                       format="json").status_code == 403
    response = client.post(reverse("api:yearlyreport-list"), {"year": 1999, "area_code": "32.09"}, format="json")
    assert response.status_code == 400 and "year" in response.json()
    response = client.post(reverse("api:yearlyreport-list"), {"year": "x"}, format="json")
    assert response.status_code == 400 and "year" in response.json()


def test_with_the_broker_down_a_request_answers_503_with_the_reason(monkeypatch):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr("reports.tasks.report_build_task.delay", down)
    response = token_client("kemnaker").post(reverse("api:yearlyreport-list"), {"year": 2021, "area_code": ""},
                                             format="json")
    assert response.status_code == 503 and response.json()["detail"]
