import pytest
from django.urls import reverse

from accounts.models import User
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


def person_counts(figures: dict) -> dict:
    """Every count of persons in a report's figures, by a path that names it."""
    m, c = figures["migrants"], figures["cooperatives"]
    counts = {name: m[name] for name in ("registered", "previous_registered", "departed", "previous_departed",
                                         "returned", "previous_returned")}
    for key in ("destinations", "return_reasons"):
        for row in m[key]:
            counts[(key, row["code"], "count")], counts[(key, row["code"], "previous")] = row["count"], row["previous"]
    counts.update({("reintegration", name): value for name, value in m["reintegration"].items()})
    counts.update({name: c[name] for name in ("members_returned_pmi", "previous_members_returned_pmi")})
    for row in figures["areas"]:
        counts.update({(row["code"], name): row.get(name, 0) for name in ("registered", "departed", "returned")})
    return counts


@pytest.mark.parametrize("area_code", ["", "32.09"])
def test_the_report_api_rounds_counts_of_persons_for_readers_and_is_exact_for_those_who_serve_the_area(area_code):
    from accounts.disclosure import count_shown
    from reports.services import report_request

    report = report_request(user=User.objects.get(username="admin"), year=2024, area_code=area_code)
    report.refresh_from_db()
    url = reverse("api:yearlyreport-detail", args=[report.pk])
    exact = person_counts(report.figures)
    assert any(1 <= count <= 4 for count in exact.values())  # there are small counts to protect
    exact_readers = ["admin"] + (["cirebon"] if area_code == "32.09" else [])
    for username in exact_readers:
        body = token_client(username).get(url).json()
        assert body["small_counts_hidden"] is False and body["count_rounding"] == 1
        assert body["figures"] == report.figures  # exactly as frozen
    readers = ["kemnaker", "bpjs"] + (["jabar"] if area_code == "32.09" else [])
    for username in readers:
        body = token_client(username).get(url).json()
        assert body["small_counts_hidden"] is True and body["count_rounding"] == 10
        shown = person_counts(body["figures"])
        assert shown.keys() == exact.keys()
        for path, value in shown.items():
            assert value == "<5" or (type(value) is int and value >= 10 and value % 10 == 0), (username, path, value)
            assert value == str(count_shown(exact[path], protect=True)) or value == count_shown(exact[path],
                                                                                               protect=True)
        # the rest of the figures is as frozen (villages, activities, money)
        assert body["figures"]["villages"] == report.figures["villages"]
        assert body["figures"]["cooperatives"]["members"] == report.figures["cooperatives"]["members"]
    report.refresh_from_db()
    assert person_counts(report.figures) == exact  # reading never changes what the report stores
