"""Officials saving at the same moment on the embedded SQLite database: every save goes through; and
when one cannot get the database in time, the answer is "busy, try again" (503 with Retry-After),
never a server error.

The concurrent writes need a database file (the test run's SQLite database lives in memory): the
session's data is copied into one with sqlite3's backup API (as ``database_backup`` does), and each
thread opens it with the portal's SQLite options (desmigratif.settings.base; the test settings leave
their in-memory database without BEGIN IMMEDIATE), as a gunicorn thread would. SQLite only; the
answer for a busy database is checked on either run.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from desmigratif.api.exceptions import portal_exception_handler
from desmigratif.busy import BUSY_RETRY_AFTER
from desmigratif.middleware import DatabaseBusyMiddleware
from desmigratif.settings import base as base_settings
from desmigratif.views import server_error
from migrants import services
from migrants.models import MigrantWorker

from ..api.base import token_client

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded SQLite database's behaviour")
WRITERS = 8
ROUNDS = 3


@pytest.fixture
def database_file(tmp_path):
    """The session's data (regions, demo) in a database file of the test's own."""
    connection.ensure_connection()
    path = tmp_path / "portal.sqlite3"
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return path


def on_file(path, fn: Callable, **options):
    """Run ``fn`` in this thread (never the test's own) with the ``default`` database being the file,
    opened with the portal's SQLite options (``options`` on top of them)."""
    settings_dict = {**connections["default"].settings_dict, "NAME": str(path)}
    settings_dict["OPTIONS"] = {**base_settings.DATABASES["default"].get("OPTIONS", {}), **options}
    wrapper = connections["default"].__class__(settings_dict, alias="default")
    connections["default"] = wrapper  # this thread's connection only
    try:
        return fn()
    finally:
        wrapper.close()


def stored_addresses(path, ids) -> dict[int, str]:
    with sqlite3.connect(path) as db:
        rows = db.execute(f"SELECT id, address FROM migrants_migrantworker WHERE id IN ({','.join('?' * len(ids))})",
                          list(ids)).fetchall()
    return dict(rows)


@sqlite_only
def test_officials_saving_at_the_same_moment_all_get_their_save(database_file):
    cirebon = User.objects.get(username="cirebon")
    migrants = list(MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk")[:WRITERS])
    assert len(migrants) == WRITERS
    failures: list[str] = []
    for round_ in range(ROUNDS):
        start = threading.Barrier(WRITERS)

        def save(migrant: MigrantWorker, round_=round_, start=start):
            def work():
                # read first, as an edit page does, then write: the pattern whose lock upgrade SQLite
                # refuses at once when another writer got there first
                stored = MigrantWorker.objects.get(pk=migrant.pk)
                start.wait(timeout=10)
                services.migrant_update(instance=stored, user=cirebon, address=f"Jl. Mawar {round_}/{migrant.pk}")
            try:
                on_file(database_file, work)
            except OperationalError as error:
                failures.append(f"round {round_}, PMI {migrant.pk}: {error}")

        with ThreadPoolExecutor(WRITERS) as pool:
            list(pool.map(save, migrants))
        assert not failures, failures
        assert stored_addresses(database_file, [m.pk for m in migrants]) == {
            m.pk: f"Jl. Mawar {round_}/{m.pk}" for m in migrants}


@sqlite_only
def test_the_embedded_database_runs_in_wal_with_immediate_transactions(database_file):
    def pragmas():
        with connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
        return mode, connections["default"].transaction_mode

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: this one's connection is the test's
        assert pool.submit(on_file, database_file, pragmas).result(timeout=30) == ("wal", "IMMEDIATE")


@sqlite_only
def test_a_save_that_cannot_get_the_database_in_time_is_answered_busy_try_again(database_file):
    cirebon = User.objects.get(username="cirebon")
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.").first()
    holder = sqlite3.connect(database_file, isolation_level=None)
    ready, locked = threading.Event(), threading.Event()

    def requests():
        page = Client()
        page.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page.force_login(cirebon)  # the session is written before the database is taken
        api = token_client("cirebon")
        api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        ready.set()
        locked.wait(timeout=10)
        form = {"nik": migrant.nik, "name": migrant.name, "gender": migrant.gender,
                "birth_date": migrant.birth_date.isoformat(), "village": migrant.village_id,
                "address": "Jl. Baru", "education": migrant.education, "marital_status": migrant.marital_status,
                "phone": migrant.phone, "version": migrant.version}
        return (page.post(reverse("migrants:migrantworker_edit", args=[migrant.pk]), form),
                api.patch(f"/api/v1/migrant-workers/{migrant.pk}/", {"address": "Jl. Baru"}, format="json"))

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(on_file, database_file, requests, timeout=0.2)
        try:
            assert ready.wait(timeout=30)
            holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock …
            locked.set()
            page, api = future.result(timeout=60)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    for response in (page, api):
        assert response.status_code == 503
        assert response["Retry-After"] == str(BUSY_RETRY_AFTER)
    assert "try again" in page.content.decode()
    assert "try again" in api.json()["detail"]
    assert stored_addresses(database_file, [migrant.pk]) == {migrant.pk: migrant.address}  # nothing saved


# --- the answer itself, on either database ----------------------------------------------------------


@pytest.mark.parametrize("message", ["database is locked", "database table is locked"])
def test_a_busy_database_is_a_503_with_retry_after_for_pages_the_api_and_outside_views(message):
    request = RequestFactory().post("/migrants/1/edit/")
    page = DatabaseBusyMiddleware(lambda r: None).process_exception(request, OperationalError(message))
    assert page.status_code == 503 and page["Retry-After"] == str(BUSY_RETRY_AFTER)

    api = portal_exception_handler(OperationalError(message), {"request": None, "view": None})
    assert api.status_code == 503 and api["Retry-After"] == str(BUSY_RETRY_AFTER)

    try:
        raise OperationalError(message)
    except OperationalError:
        outside = server_error(request)  # Django calls the 500 handler while handling the exception
    assert outside.status_code == 503 and outside["Retry-After"] == str(BUSY_RETRY_AFTER)
    api_path = RequestFactory().post("/api/v1/migrant-workers/")
    try:
        raise OperationalError(message)
    except OperationalError:
        assert server_error(api_path)["Content-Type"] == "application/json"


def test_other_database_errors_stay_server_errors():
    request = RequestFactory().get("/")
    assert DatabaseBusyMiddleware(lambda r: None).process_exception(request, OperationalError("no such table")) is None
    assert portal_exception_handler(OperationalError("disk I/O error"), {"request": None, "view": None}) is None
    try:
        raise OperationalError("no such table: x")
    except OperationalError:
        assert server_error(request).status_code == 500
