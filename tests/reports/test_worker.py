"""With PostgreSQL and Redis (CI's second run): a real `celery worker` builds a report requested
through the service, and a worker process killed in the middle of a report leaves nothing
half-written and the report is finished when the worker carries on.

One transactional test (it commits, so the worker's own connections see the rows): pytest-django
runs it after the tests that share the session's data, and it puts nothing back.
"""
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import User
from reports import services
from reports.choices import ReportStatus
from reports.models import YearlyReport

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL or connection.vendor != "postgresql",
    reason="needs PostgreSQL and Redis (CI's second run)")


def wait_for(condition, *, timeout: float = 90, every: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise AssertionError("timed out")


def children_of(pid: int) -> list[int]:
    output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in output.split()]


@pytest.fixture
def real_broker():
    """This test's tasks go to Redis for the worker, not run in the test's process (the test settings'
    default)."""
    from desmigratif.celery import app

    eager = app.conf.get("task_always_eager")
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_a_report_and_survives_being_killed_mid_report(tmp_path, settings, real_broker):
    settings.MEDIA_ROOT = tmp_path
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "desmigratif.settings.test", "MEDIA_ROOT": str(tmp_path),
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}",
           "REPORTS_BUILD_PAUSE": "4"}
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - open for the worker's whole life
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "desmigratif", "worker", "--pool=prefork",
                               "--concurrency=1", "--loglevel=INFO", "-n", f"test-{os.getpid()}@%h"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: children_of(worker.pid), timeout=60)
        kemnaker = User.objects.get(username="kemnaker")
        report = services.report_request(user=kemnaker, year=2022, area_code="")
        # the worker takes it and computes; during its pause nothing is written yet
        wait_for(lambda: YearlyReport.objects.get(pk=report.pk).status == ReportStatus.RUNNING)
        time.sleep(1)
        for child in children_of(worker.pid):
            os.kill(child, signal.SIGKILL)  # the process computing the report dies mid-way
        stalled = YearlyReport.objects.get(pk=report.pk)
        assert stalled.status == ReportStatus.RUNNING and stalled.figures == {} and not stalled.workbook
        assert not YearlyReport.objects.filter(year=2022, area_code="", is_current=True).exists()
        # the unacknowledged message goes back to the queue; the worker's next process finishes it
        done = wait_for(lambda: YearlyReport.objects.filter(pk=report.pk, status=ReportStatus.DONE).first(),
                        timeout=120)
        assert done.is_current and done.attempts >= 2
        assert done.figures["villages"]["cumulative"] == 503 and done.figures["villages"]["new"] == 50
        assert done.workbook and os.path.exists(done.workbook.path)
        assert YearlyReport.objects.filter(year=2022, area_code="").count() == 1
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
