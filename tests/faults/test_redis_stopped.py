"""Redis stopped: both the cache and the Celery broker unreachable. Pages and data entry keep
working (the cache misses instead of failing, writes need no worker), and what does need background
work says it is unavailable instead of failing.

tests/test_redis_down.py covers reading (pages, API, statistics) with the cache down; these add the
broker: a real publish to a Redis that refuses connections, no monkeypatched ``delay``. The dead
Redis is a closed port, so they run the same on both CI runs (the real Redis of the second run is
never touched, and never needed).
"""
from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from accounts.models import User
from exchange.choices import JobStatus
from exchange.models import ImportJob
from migrants.models import MigrantWorker
from migrants.nik import nik_for
from reports.choices import ReportStatus
from reports.models import YearlyReport
from villages.models import DesmigratifVillage

from ..api.base import token_client
from ..exchange.files import cirebon_villages, pmi_row, upload, xlsx

pytestmark = pytest.mark.django_db

DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there: connection refused, as with Redis stopped
DEAD_CACHE = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DEAD_REDIS_URL,
                          "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2,
                                      "SOCKET_TIMEOUT": 0.2}}}


@pytest.fixture
def redis_stopped(settings, tmp_path):
    """The cache and the broker both on a Redis that is not running; tasks sent to it, not run eagerly."""
    from desmigratif.celery import app

    # read before the settings change: Celery's configuration falls back on Django's settings
    saved = {key: app.conf.get(key) for key in ("broker_url", "task_always_eager")}
    settings.CACHES = DEAD_CACHE
    settings.CELERY_BROKER_URL = DEAD_REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    # Celery read its settings once: point the app itself at the dead broker, with fresh connection
    # pools (any pool made earlier would still talk to the old broker)
    pools = (app._pool, app.amqp._producer_pool)
    app._pool = app.amqp._producer_pool = None
    app.conf.broker_url, app.conf.task_always_eager = DEAD_REDIS_URL, False
    try:
        yield
    finally:
        # nothing to close: no connection to the dead port ever opened (kombu keeps its pools per URL,
        # for the next test of this kind)
        app._pool, app.amqp._producer_pool = pools
        app.conf.update(saved)
        assert app.conf.task_always_eager == saved["task_always_eager"]


def browser(client, username: str):
    client.force_login(User.objects.get(username=username))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_broker_really_is_unreachable(redis_stopped):
    """The fixture's premise: sending a task fails as it does with Redis stopped."""
    from kombu.exceptions import OperationalError

    from reports.tasks import report_build_task

    with pytest.raises(OperationalError):
        report_build_task.delay(0)


def test_registering_a_pmi_through_the_form_works(client, redis_stopped):
    browser(client, "cirebon")
    village = cirebon_villages(1)[0]
    birth = datetime.date(1996, 5, 4)
    nik = nik_for(district_code=village[:8], birth_date=birth, female=True, serial=9321)
    assert client.get(reverse("migrants:migrantworker_add")).status_code == 200
    response = client.post(reverse("migrants:migrantworker_add"), {
        "nik": nik, "name": "Rina Tanpa Redis", "gender": "F", "birth_date": birth.strftime("%d/%m/%Y"),
        "village": village, "education": "sma", "marital_status": "single", "phone": "081234567890",
        "registered_on": datetime.date.today().strftime("%d/%m/%Y")})
    assert response.status_code == 302, response.context["form"].errors
    migrant = MigrantWorker.objects.get(nik=nik)
    assert migrant.name == "Rina Tanpa Redis"
    # the page of the new record, and the list, are served too
    assert client.get(migrant.get_absolute_url()).status_code == 200
    assert client.get(reverse("migrants:migrantworker_list")).status_code == 200


def test_editing_a_village_through_the_form_works(client, redis_stopped):
    from .test_concurrent_edits import read_form

    browser(client, "cirebon")
    program_village = DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    url = reverse("villages:desmigratifvillage_edit", args=[program_village.pk])
    form = read_form(client.get(url))
    assert client.post(url, {**form.fields, "notes": "Dicatat saat Redis mati"}).status_code == 302
    program_village.refresh_from_db()
    assert program_village.notes == "Dicatat saat Redis mati"


def test_an_import_dry_run_and_its_confirmation_work(client, redis_stopped):
    """A file small enough for the request itself (the usual case) needs no worker."""
    browser(client, "cirebon")
    village = cirebon_villages(1)[0]
    rows = [pmi_row(village, name=f"Impor Tanpa Redis {i}") for i in range(3)]
    response = client.post(reverse("exchange:import_upload"), {"kind": "migrants", "file": upload(xlsx(rows))})
    assert response.status_code == 302
    job = ImportJob.objects.filter(user__username="cirebon").latest("pk")
    assert job.status == JobStatus.READY, job.problems
    assert client.get(reverse("exchange:import_detail", args=[job.pk])).status_code == 200
    assert client.post(reverse("exchange:import_confirm", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_count == 3
    assert MigrantWorker.objects.filter(name__startswith="Impor Tanpa Redis").count() == 3


def test_a_large_import_says_background_work_is_unavailable(client, redis_stopped, settings,
                                                            django_capture_on_commit_callbacks):
    """A file large enough for a worker: the job fails at once with the reason, nothing written, no 500."""
    settings.EXCHANGE_ASYNC_ROWS = 2
    browser(client, "cirebon")
    village = cirebon_villages(1)[0]
    rows = [pmi_row(village, name=f"Impor Besar Tanpa Redis {i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):  # the task is sent as the request commits
        response = client.post(reverse("exchange:import_upload"), {"kind": "migrants", "file": upload(xlsx(rows))})
    assert response.status_code == 302
    job = ImportJob.objects.filter(user__username="cirebon").latest("pk")
    assert job.in_background and job.status == JobStatus.FAILED
    assert "Background work is unavailable" in job.problems[0]["message"]
    page = client.get(reverse("exchange:import_detail", args=[job.pk]))
    assert page.status_code == 200 and "Background work is unavailable" in page.content.decode()
    assert not MigrantWorker.objects.filter(name__startswith="Impor Besar Tanpa Redis").exists()


def test_requesting_a_report_says_background_work_is_unavailable(client, redis_stopped):
    browser(client, "kemnaker")
    response = client.post(reverse("reports:yearlyreport_request"), {"year": 2022, "area": "32"}, follow=True)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any("Background work is unavailable at the moment" in message for message in shown), shown
    report = YearlyReport.objects.get(year=2022, area_code="32", requested_by__username="kemnaker")
    assert report.status == ReportStatus.FAILED and "unavailable" in report.error
    # the reports page itself still lists, with the failed request and its reason
    assert client.get(reverse("reports:yearlyreport_list")).status_code == 200


def test_the_api_answers_503_for_a_report_and_serves_the_rest(redis_stopped):
    api = token_client("kemnaker")
    api.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.post(reverse("api:yearlyreport-list"), {"year": 2021, "area_code": "33"}, format="json")
    assert response.status_code == 503
    assert "Background work is unavailable" in response.json()["detail"]
    assert api.get(reverse("api:migrantworker-list")).status_code == 200
    operator = token_client("cirebon")
    program_village = DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    response = operator.patch(reverse("api:desmigratifvillage-detail", args=[program_village.pk]),
                              {"notes": "Lewat API saat Redis mati"}, format="json")
    assert response.status_code == 200
