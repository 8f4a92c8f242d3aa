"""Pathological bodies and query strings get a clear client error, never a server error.

A body nested 100,000 levels deep once ended the token endpoint (anonymous) in a RecursionError; a
search box holding 60,000 characters ended every list in SQLite's "LIKE pattern too complex". The
body cases run on the token endpoint and on an authenticated write; the query-string case runs over
every query parameter the schema documents (a new filter is covered by itself) and the page lists.
"""
from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from migrants.models import MigrantWorker

from .base import token_client

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
DEEP = "[" * 100_000 + "]" * 100_000


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def writer_and_record():
    client = english(token_client("cirebon"))
    record = MigrantWorker.objects.filter(village__code__startswith="32.09.").first()
    return client, f"/api/v1/migrant-workers/{record.pk}/", record


def many_fields(count: int) -> str:
    return "&".join(f"f{i}=1" for i in range(count))


def multipart(parts: int, *, files: bool = False) -> bytes:
    disposition = 'form-data; name="f{i}"; filename="f{i}.txt"' if files else 'form-data; name="f{i}"'
    body = "".join(f"--b\r\nContent-Disposition: {disposition.format(i=i)}\r\n\r\n1\r\n" for i in range(parts))
    return (body + "--b--\r\n").encode()


# (what, content type, body, status, words of the message)
BODIES = [
    ("JSON nested 100,000 deep", "application/json", DEEP, 400, "nested too deeply"),
    ("JSON nested just past the limit", "application/json", '{"name": ' + "[" * 40 + "]" * 40 + "}", 400,
     "nested too deeply"),
    ("JSON larger than the body limit", "application/json", '{"name": "' + "a" * 3_000_000 + '"}', 413,
     "larger than"),
    ("a form with too many fields", "application/x-www-form-urlencoded", many_fields(5000), 400, "more than 1000"),
    ("multipart with too many fields", "multipart/form-data; boundary=b", multipart(2000), 400, "more than 1000"),
    ("multipart with too many files", "multipart/form-data; boundary=b", multipart(200, files=True), 400,
     "more than 100 files"),
]


@pytest.mark.parametrize("what, content_type, body, status, words", BODIES, ids=[b[0] for b in BODIES])
def test_a_pathological_body_to_the_token_endpoint_is_a_clear_json_error(what, content_type, body, status, words):
    response = english(APIClient()).generic("POST", TOKEN_URL, body, content_type=content_type)
    assert response.status_code == status, what
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["detail"]


@pytest.mark.parametrize("what, content_type, body, status, words", BODIES, ids=[b[0] for b in BODIES])
def test_a_pathological_body_to_an_authenticated_write_is_a_clear_json_error(what, content_type, body, status,
                                                                          words):
    client, url, record = writer_and_record()
    response = client.generic("PATCH", url, body, content_type=content_type)
    assert response.status_code == status, what
    assert words in response.json()["detail"]
    stored = MigrantWorker.objects.get(pk=record.pk)
    assert (stored.version, stored.name) == (record.version, record.name)


def test_json_within_the_limit_is_read_as_before():
    client, url, record = writer_and_record()
    response = client.patch(url, {"name": "Nama Baru", "address": "Jl. Mawar 1"}, format="json")
    assert response.status_code == 200, response.json()
    # a nested value where a text is expected: the field's own error, not a parse error
    response = client.patch(url, {"name": [[["x"]]]}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_a_deep_body_asked_for_as_html_is_a_client_error_too():
    response = APIClient().generic("POST", TOKEN_URL, DEEP, content_type="application/json", HTTP_ACCEPT="text/html")
    assert response.status_code == 400


# --- query strings ----------------------------------------------------------------------------------

HOSTILE_VALUES = ["a" * 60_000, "\x00", "9" * 400, "2024-02-30", "%_" * 50]


def schema_query_parameters():
    """(path, parameter) of every GET operation without a path parameter, from the served schema."""
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                yield path, parameter["name"]


def test_hostile_values_of_every_documented_query_parameter_are_never_a_server_error():
    client = token_client("admin")
    failures = []
    checked = 0
    for path, name in schema_query_parameters():
        for value in HOSTILE_VALUES:
            response = client.get(path, {name: value})
            checked += 1
            if response.status_code >= 500:
                failures.append(f"{path}?{name}={value[:12]!r}…: {response.status_code}")
    assert checked > 100  # the schema was read
    assert not failures, failures


def test_a_too_long_search_is_an_error_on_the_api_and_on_the_page():
    response = english(token_client("cirebon")).get("/api/v1/migrant-workers/", {"q": "a" * 60_000})
    assert response.status_code == 400
    assert "at most 200 characters" in response.json()["q"][0]
    assert token_client("cirebon").get("/api/v1/provinces/", {"q": "a" * 60_000}).status_code == 400


PAGE_LISTS = ["migrants:migrantworker_list", "migrants:placement_list", "villages:desmigratifvillage_list",
              "villages:pillaractivity_list", "cooperatives:cooperative_list", "agencies:engagement_list",
              "agencies:agency_list"]


@pytest.mark.parametrize("url_name", PAGE_LISTS)
def test_hostile_values_of_every_filter_of_a_page_list_are_never_a_server_error(url_name):
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    url = reverse(url_name)
    page = client.get(url)
    assert page.status_code == 200
    fields = set(re.findall(r'name="([^"]+)"', page.content.decode())) - {"csrfmiddlewaretoken", "next",
                                                                           "language", "nik"}
    assert fields, "the page shows its filter form"
    for name in sorted(fields | {"page", "per_page", "o"}):
        for value in HOSTILE_VALUES:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (name, value[:12])
