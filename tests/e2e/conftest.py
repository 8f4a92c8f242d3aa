"""End-to-end tests in a real Chromium (Debian's ``chromium`` + ``chromium-driver``, driven by Selenium).

The portal is served by a live server thread that shares the test's own database connection, on
SQLite and PostgreSQL alike, instead of pytest-django's ``live_server``:

- ``live_server`` makes every test transactional, and a transactional test ends with a flush of the
  whole database: the session's 83,762 villages and the demo data (tests/conftest.py) would be gone
  for the next browser test and for tests/reports/test_worker.py, and loading them again costs
  30–60 s a time.
- Sharing the connection is what Django itself does for in-memory SQLite. Here it is done on
  PostgreSQL too: the server sees the session's data and the test's writes, the test sees what was
  done through the browser, and all of it is rolled back after the test like any other test's.
  For that the server handles one request at a time (two threads never use the connection at
  once; a response is read whole before the next request starts) and may not close the connection
  (Django closes it after each request). Connections are still accepted by a thread each: Chromium
  opens sockets ahead of use, and a server reading from one of those would wait for nothing.
  As in every ``db`` test, ``transaction.on_commit`` callbacks do not run.

Screenshots of every step go to ``$E2E_SCREENSHOTS/<test name>/NN-step.png`` (default
``artifacts/e2e`` in the repository); a failed test also leaves ``failure.png`` and ``failure.html``.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("E2E_CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL_HINT = ("The browser tests (tests/e2e) need Debian's Chromium and its driver: "
                "`apt-get install -y chromium chromium-driver` (as root; `make test` and .ci/run install them). "
                "Other paths: set E2E_CHROMIUM and E2E_CHROMEDRIVER.")


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: end-to-end tests in a real Chromium (tests/e2e)")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # the browser fixture reads the outcome of the test's call to save the page of a failure
    report = yield
    item.stash.setdefault(OUTCOMES, {})[report.when] = report
    return report


OUTCOMES = pytest.StashKey[dict]()


class OneRequestAtATime(StaticFilesHandler):
    """The portal (and its static files), one request at a time: the response is read whole under the lock,
    since a streamed one may still query the database."""

    lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            response = super().__call__(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        return [body]


@pytest.fixture
def live_site(db, settings):
    """The portal served on 127.0.0.1 for this test, on this test's database connection; its URL."""
    connection = connections["default"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    server = LiveServerThread("127.0.0.1", static_handler=OneRequestAtATime,
                              connections_override={"default": connection})
    server.daemon = True
    # Django closes connections after each request and when the server stops: not this one, it
    # carries the test's transaction (in-memory SQLite ignores close() for the same reason).
    connection.close = lambda: None
    connection.inc_thread_sharing()
    try:
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        connection.dec_thread_sharing()
        del connection.close


def _check_browser_installed() -> None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not (os.path.isfile(path) and os.access(path, os.X_OK))]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found. {INSTALL_HINT}", pytrace=False)


@pytest.fixture(scope="session")
def screenshot_root() -> Path:
    root = Path(os.environ.get("E2E_SCREENSHOTS") or REPO / "artifacts" / "e2e")
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture
def browser(request, live_site, screenshot_root, tmp_path_factory):
    """A fresh headless Chromium (its own profile) on the live site; ``browser.shot(step)`` saves a step."""
    _check_browser_installed()
    from .browser import Browser

    folder = screenshot_root / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp_path_factory.getbasetemp())
    driver = Browser.start(chromium=CHROMIUM, chromedriver=CHROMEDRIVER, profile=profile,
                           base_url=live_site, folder=folder)
    try:
        yield driver
        call = request.node.stash.get(OUTCOMES, {}).get("call")
        if call is not None and call.failed:
            driver.save_failure()
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
