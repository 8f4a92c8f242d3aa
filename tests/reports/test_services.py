"""Requesting and building reports: versions, one current, one run at a time, failures said plainly."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import User
from reports import services
from reports.choices import ReportStatus
from reports.models import YearlyReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def user(name: str) -> User:
    return User.objects.get(username=name)


def test_a_request_builds_the_report_with_its_workbook_and_makes_it_current():
    report = services.report_request(user=user("kemnaker"), year=2022, area_code="")
    report.refresh_from_db()  # built by the eager task
    assert report.status == ReportStatus.DONE and report.is_current and report.progress == 100
    assert report.figures["villages"]["cumulative"] == 503 and report.figures["villages"]["new"] == 50
    workbook = load_workbook(report.workbook.open("rb"))
    assert {"Ringkasan", "Desa", "Kegiatan", "PMI", "Koperasi", "Instansi", "Wilayah"} <= set(workbook.sheetnames)
    summary = {row[0]: row[1:] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Desa Desmigratif (kumulatif)"][:2] == (503, 453)
    assert summary["Desa Desmigratif baru"][:2] == (50, 51)
    provinces = list(workbook["Wilayah"].iter_rows(min_row=2, values_only=True))
    assert len(provinces) == 38 and sum(row[2] for row in provinces) == 503


def test_a_new_request_makes_a_new_version_and_the_old_one_stays_as_issued():
    first = services.report_request(user=user("kemnaker"), year=2021, area_code="32")
    second = services.report_request(user=user("admin"), year=2021, area_code="32")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert second.is_current and not first.is_current
    assert first.figures == second.figures  # nothing changed in between; the first is kept as issued
    assert YearlyReport.objects.filter(year=2021, area_code="32", is_current=True).count() == 1


def test_a_request_while_one_runs_returns_the_run_under_way():
    running = YearlyReport.objects.create(year=2020, area_code="33", area_name="Jawa Tengah", scope="province",
                                          version=1, as_of="2020-12-31", status=ReportStatus.RUNNING)
    again = services.report_request(user=user("kemnaker"), year=2020, area_code="33")
    assert again.pk == running.pk
    assert YearlyReport.objects.filter(year=2020, area_code="33").count() == 1


def test_building_twice_the_same_message_does_nothing_the_second_time():
    report = services.report_request(user=user("kemnaker"), year=2019, area_code="35")
    report.refresh_from_db()
    finished = report.finished_at
    services.report_build(report_pk=report.pk)  # a redelivered message
    report.refresh_from_db()
    assert report.finished_at == finished and report.attempts == 1


def test_a_failure_leaves_nothing_half_written_and_says_why(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.services.report_workbook", lambda report, figures: broken())
    report = services.report_request(user=user("kemnaker"), year=2018, area_code="")
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and not report.is_current
    assert report.figures == {} and not report.workbook
    assert "RuntimeError" in report.error and str(report.pk) in report.error
    monkeypatch.undo()
    again = services.report_retry(user=user("kemnaker"), report=report)
    again.refresh_from_db()
    assert again.status == ReportStatus.DONE and again.version == report.version + 1


def test_with_the_broker_down_a_request_says_background_work_is_unavailable(monkeypatch):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("reports.tasks.report_build_task.delay", down)
    with pytest.raises(services.ReportsUnavailable), translation.override("en"):
        services.report_request(user=user("kemnaker"), year=2017, area_code="")
    report = YearlyReport.objects.get(year=2017, area_code="")
    assert report.status == ReportStatus.FAILED and "unavailable" in report.error.lower()


@pytest.mark.parametrize("username, area, error", [
    ("cirebon", "32.12", PermissionDenied), ("jabar", "33", PermissionDenied), ("petugas", "32.09", PermissionDenied),
    ("bpjs", "", PermissionDenied), ("kemnaker", "32.09.07", ValidationError), ("kemnaker", "99", ValidationError)])
def test_requests_outside_the_area_or_of_no_such_area_are_refused(username, area, error):
    with pytest.raises(error):
        services.report_request(user=user(username), year=2022, area_code=area)


def test_a_year_outside_the_program_is_refused():
    with pytest.raises(ValidationError):
        services.report_request(user=user("kemnaker"), year=2015, area_code="")


def test_the_schedules_request_the_national_and_every_provinces_report():
    made = services.reports_request_scheduled(scope="provinces", year_offset=-1)
    assert len(made) == 38
    assert services.reports_request_scheduled(scope="national", year_offset=0)


def test_the_schedules_are_in_the_beat_table():
    from django_celery_beat.models import PeriodicTask

    tasks = PeriodicTask.objects.filter(task="reports.request_scheduled")
    assert tasks.count() == 3
    assert {t.crontab.timezone.key if hasattr(t.crontab.timezone, "key") else str(t.crontab.timezone)
            for t in tasks} == {"Asia/Jakarta"}
