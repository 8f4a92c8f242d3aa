"""`make loadtest` at a tiny size, so that its locustfile, plan, check and table cannot rot: the real
Locust, in a child process, drives three clients (a regency operator, a reader, an API client that writes)
for a few seconds against the portal served from this test's process; each client first runs every one
of its tasks once (LOADTEST_TOUR), so every kind of request and every kind of write is made. No test
asserts a time.

Why not pytest-django's ``live_server``: it needs a transactional test, whose flush at the end would take
the session's regions and demo data away from the tests that run after it (tests/conftest.py). Instead a
single-threaded WSGI server in a thread of this process shares the test's own database connection, one
request at a time: the clients' writes land in the test's transaction, the check below sees them, and
everything is rolled back afterwards — on SQLite and PostgreSQL alike.
"""
import threading

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

from bench import loadtest, loadtest_plan, loadtest_report

pytestmark = pytest.mark.django_db


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture
def portal_url():
    """The portal on a free loopback port, served in a thread on this test's database connection."""
    shared = connections["default"]
    server = WSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(WSGIHandler())

    def serve():
        connections["default"] = shared
        server.serve_forever(poll_interval=0.1)

    # As Django's test client does: a request must not close the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    shared.inc_thread_sharing()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        shared.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_locust_clients_make_no_error_and_every_write_is_found(portal_url, tmp_path):
    plan = loadtest_plan.clients_ensure(count=3, run="smoke")
    assert plan["mix"] == {"operator": 1, "api": 1, "reader": 1}
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(loadtest_plan.json.dumps(plan), encoding="utf-8")
    (tmp_path / "writes").mkdir()

    command = loadtest.locust_command(host=portal_url, clients=3, spawn_rate=3, seconds=5,
                                      csv_prefix=tmp_path / "locust")
    env = loadtest.locust_env(plan=plan_path, writes=tmp_path / "writes", wait="0.05,0.2", tour=True)
    exit_code = loadtest.locust_run(command, env, log=tmp_path / "locust.log", timeout=90)

    stats = loadtest_report.locust_read(tmp_path / "locust")
    log = (tmp_path / "locust.log").read_text(encoding="utf-8")
    assert loadtest_report.errors_of(stats, exit_code) == 0, (stats["failures"], stats["exceptions"], log[-3000:])
    made = {row["kind"] for row in stats["rows"]}
    for kind in ("login (post)", "dashboard: home (own area)", "dashboard: district", "dashboard: regency",
                 "page: PMI list", "page: PMI detail", "form: add activity (post)", "form: register PMI (post)",
                 "form: PMI stage → verified (post)", "api: PMI list (area, page 1)", "api: statistics summary",
                 "api: add activity (post)"):
        assert kind in made, (kind, sorted(made))

    writes = loadtest_plan.writes_verify(records=loadtest_plan.writes_read(tmp_path / "writes"),
                                         marker=plan["marker"])
    assert {kind: figures["made"] > 0 for kind, figures in writes["kinds"].items()} == {
        "pmi": True, "activity (page)": True, "activity (api)": True, "stage move": True}
    assert writes["missing"] == 0 and writes["found"] == writes["made"], writes["kinds"]
    assert writes["in_database"]["pmi"] == writes["kinds"]["pmi"]["made"]

    result = {"run": "smoke", "started": "now", "started_local": "now", "passed": True, "errors": 0,
              "setup": {"clients": 3, "seconds": 5, "mix_text": loadtest.mix_text(plan["mix"]), "wait": "0.05–0.2",
                        "spawn_rate": 3, "locust": loadtest.package_version("locust"), "server": "in-process",
                        "data": "demo", "machine": loadtest.machine()},
              "stats": stats, "writes": writes, "notes": []}
    text = loadtest_report.write(result, tmp_path / "load-latest.md")
    assert "— PASS" in text.splitlines()[0]
    assert "| GET page: PMI list |" in text and "| **total** |" in text
    assert (tmp_path / "load-latest.json").exists()


def test_the_client_mix():
    assert loadtest_plan.client_mix(50) == {"operator": 25, "api": 10, "reader": 15}
    assert loadtest_plan.client_mix(2) == {"operator": 1, "api": 0, "reader": 1}
    assert sum(loadtest_plan.client_mix(7).values()) == 7
    with pytest.raises(ValueError):
        loadtest_plan.client_mix(0)
