"""Property-based fuzzing of the whole API against its own OpenAPI schema, with Schemathesis.

The schema is read from the Django WSGI application at collection time (no server, no network), so
every operation it holds when the suite runs becomes a test, once with a regency operator's token
(``cirebon``) and once with ministry staff's (``kemnaker``). Each generated request must not end in
a server error and its response must conform to the schema: documented status code, content type
and body. Requests run in the test's transaction, like the Django test client's: writes roll back.

Generation is bounded (a few examples an operation, fixed seed) so the file stays fast and CI runs
the same cases every time. A failing case prints the request to reproduce it (a curl command).
"""
from __future__ import annotations

import re
import zlib
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client as WsgiClient

from accounts.models import User
from accounts.services import api_token_issue
from desmigratif.wsgi import application

MAX_EXAMPLES = 10  # fuzzed requests an operation and user (the explicit examples come on top)

# A fixed configuration: no schemathesis.toml is looked up; positive and negative data; the
# Authorization header is the test's, never generated.
CONFIG = schemathesis.Config.from_dict({
    "seed": 20240601,
    "generation": {"mode": "all", "deterministic": True, "with-security-parameters": False,
                   "max-examples": MAX_EXAMPLES},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    # reads also get the coverage phase: each query parameter's edge values (0, empty, too long, wrong type),
    # a few dozen requests; on writes it would be hundreds of bodies an operation
    "operations": [{"include-method": "GET", "phases": {"coverage": {"enabled": True}}}],
})

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)

# Known bugs, by operation label ("GET /api/v1/..."), each with its reason: the operation's test is
# an expected failure (not strict: it passes again once fixed). Remove an entry with its fix.
KNOWN_FAILURES: dict[str, str] = {
    # "METHOD /path/": "what fails and why" — an operation with a known bug, expected to fail until fixed
}

# drf-spectacular documents only the success responses; until the views document their errors,
# these client errors of DRF are accepted on an operation whose schema declares no 4xx response at all.
UNDOCUMENTED_CLIENT_ERRORS = {400, 401, 403, 404, 405, 406, 409, 415}


def is_documented(case, status_code: int) -> bool:
    documented = {str(code).upper() for code in case.operation.responses.status_codes}
    return bool(documented & {"DEFAULT", str(status_code), f"{str(status_code)[0]}XX"})


def status_code_documented(ctx, response, case):
    """Schemathesis' ``status_code_conformance``, tolerating DRF's undocumented client errors (see above)."""
    documented = case.operation.responses.status_codes
    declares_errors = "default" in documented or any(str(code).startswith("4") for code in documented)
    if not declares_errors and response.status_code in UNDOCUMENTED_CLIENT_ERRORS:
        return None
    return status_code_conformance(ctx, response, case)


def content_type_documented(ctx, response, case):
    """Schemathesis' ``content_type_conformance`` for the documented responses only: an undocumented
    client error has no documented content type (``errors_are_json`` checks the API's own errors;
    a path the URLs do not match at all, such as ``/migrant-workers/1.5/``, gets the portal's 404 page)."""
    if is_documented(case, response.status_code):
        return content_type_conformance(ctx, response, case)
    return None


def not_a_server_error(ctx, response, case):
    """Any 5xx fails (the schema may document one: that does not make it fine)."""
    if response.status_code >= 500:
        raise AssertionError(f"Server error {response.status_code} on {case.operation.label}:\n"
                             f"{response.text[:2000]}")


def errors_are_json(ctx, response, case):
    """The API's errors are JSON objects (DRF's with field messages), never an HTML page."""
    if response.status_code in (400, 401, 403, 409):
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), (
            f"{response.status_code} answered as {content_type!r}, not JSON:\n{response.text[:500]}")
        assert isinstance(response.json(), dict), response.text[:500]


CHECKS = [not_a_server_error, status_code_documented, content_type_documented, response_schema_conformance,
          errors_are_json]


@contextmanager
def in_the_test_transaction():
    """Django closes "old" connections as a request starts and ends: in a test's transaction that would
    close the test's own connection. Requests to the WSGI application go without that, as the Django
    test client's do (which reconnects the handler after each of its requests, hence a context each time)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_throttling(monkeypatch):
    """Hundreds of requests a minute from one user and address are the point here, not abuse."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        dict.fromkeys(("anon", "user", "token"), "1000000/minute"))


@pytest.fixture(params=["cirebon", "kemnaker"])
def auth_headers(request, db):
    _token, key = api_token_issue(user=User.objects.get(username=request.param), name="schema fuzz")
    return {"Authorization": f"Token {key}"}


DETAIL_PATH = re.compile(r"^(?P<list>.*/)\{(?P<param>[^/{}]+)\}/$")


@pytest.fixture
def real_ids(auth_headers):
    """The ids on the first page of a list endpoint, as the test's user sees them (by list path)."""
    found: dict[str, list] = {}

    def ids(list_path: str) -> list:
        if list_path not in found:
            with in_the_test_transaction():
                response = WsgiClient(application).get(list_path, query_string={"page_size": 100},
                                                       headers=auth_headers)
            body = response.get_json(silent=True) if response.status_code == 200 else None
            rows = body.get("results", []) if isinstance(body, dict) else []
            found[list_path] = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
        return found[list_path]

    return ids


def aim_at_real_records(case, real_ids) -> None:
    """Random ids mostly miss (404 and nothing more is tested): three generated ids in four of a detail
    operation ``.../{id}/`` are replaced by one of the user's records from the list ``.../``, so reads,
    updates and deletes run on real data too."""
    match = DETAIL_PATH.match(case.operation.path)
    if match is None or not case.path_parameters:
        return
    value = case.path_parameters.get(match["param"])
    if not isinstance(value, int) or isinstance(value, bool) or zlib.crc32(str(value).encode()) % 4 == 0:
        return
    if ids := real_ids(match["list"]):
        case.path_parameters[match["param"]] = ids[value % len(ids)]


@schema.parametrize()
@hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, auth_headers, real_ids, request):
    if case.operation.label in KNOWN_FAILURES and request.node.get_closest_marker("xfail") is None:
        request.node.add_marker(pytest.mark.xfail(reason=KNOWN_FAILURES[case.operation.label], strict=False))
    aim_at_real_records(case, real_ids)
    # Each example in a savepoint rolled back: every example sees the demo data as loaded (a delete does
    # not leak into the next one, nor, on PostgreSQL, a failed statement into the rest of the test).
    with in_the_test_transaction(), transaction.atomic():
        case.call_and_validate(headers=auth_headers, checks=CHECKS)
        transaction.set_rollback(True)
