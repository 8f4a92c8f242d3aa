"""The database connection dropped between two requests: the next request recovers.

The portal keeps its database connection from one request to the next (``CONN_MAX_AGE``); when the
server side of it is gone — PostgreSQL restarted, a failover, an idle-connection reaper, a network
blip — ``CONN_HEALTH_CHECKS`` makes Django check the connection before the request's first query and
open a new one, instead of failing that request.

PostgreSQL only (SQLite has no server to drop the connection). The requests go through Django's
WSGI handler in a thread of their own, one after the other, as a gunicorn sync worker runs them:
Django's test client would not do (it switches off the closing of old connections between
requests), nor the test's own connection (inside the test's transaction). That thread's connection
is in autocommit as in production; the requests only read the session's data.
"""
from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="needs PostgreSQL: SQLite has no server-side connection to drop")


def wsgi_get(path: str) -> tuple[int, dict]:
    """One request through Django's WSGI handler, as a WSGI server makes it (signals included)."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(),
               "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True,
               "wsgi.run_once": False}
    status = []
    response = WSGIHandler()(environ, lambda code, headers, exc_info=None: status.append(code))
    try:
        body = b"".join(response)
    finally:
        response.close()  # request_finished: where Django closes obsolete or broken connections
    return int(status[0].split()[0]), json.loads(body)


class Worker:
    """A web worker's thread: its requests share its database connection, from one to the next."""

    def __init__(self):
        self.executor = ThreadPoolExecutor(max_workers=1)

    def run(self, function, *args):
        return self.executor.submit(function, *args).result()

    def get(self, path: str) -> tuple[int, dict]:
        return self.run(wsgi_get, path)

    def backend_pid(self) -> int:
        return self.run(lambda: connection.connection.get_backend_pid())

    def stop(self) -> None:
        self.run(connections.close_all)
        self.executor.shutdown()


def terminate(pid: int) -> None:
    """Kill the server side of a connection from a second connection, and wait until it is gone."""
    import psycopg2

    params = connection.get_connection_params()
    killer = psycopg2.connect(**params)
    killer.autocommit = True
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0], "the backend was not terminated"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
        raise AssertionError(f"backend {pid} still there")
    finally:
        killer.close()


@contextmanager
def worker(*, health_checks: bool) -> Iterator[Worker]:
    """A worker keeping its connection between requests (as in production), with or without the health
    check (both read when the worker's connection opens)."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=health_checks)
    web = Worker()
    try:
        yield web
    finally:
        web.stop()
        connection.settings_dict.update(saved)


@pytest.mark.django_db
def test_after_the_connection_is_dropped_the_next_request_succeeds():
    with worker(health_checks=True) as web:
        status, body = web.get("/readyz")
        assert status == 200 and body["checks"]["database"] == "ok"
        first = web.backend_pid()
        assert web.get("/readyz")[0] == 200 and web.backend_pid() == first  # the connection is kept

        terminate(first)  # between two requests

        status, body = web.get("/readyz")
        assert status == 200, body
        assert body["checks"]["database"] == "ok"
        assert web.backend_pid() != first  # a new connection took its place


@pytest.mark.django_db
def test_without_the_health_check_the_first_request_after_the_drop_fails():
    """What CONN_HEALTH_CHECKS prevents (so the test above tests something): the request that meets
    the dead connection fails; Django only throws the connection away after it."""
    with worker(health_checks=False) as web:
        assert web.get("/readyz")[0] == 200
        first = web.backend_pid()

        terminate(first)

        status, body = web.get("/readyz")
        assert status == 503
        assert body["checks"]["database"].startswith("unavailable: ")
        assert web.get("/readyz")[0] == 200  # the one after that has a new connection
        assert web.backend_pid() != first
