"""A save that changes nothing writes nothing: no history row, no new version, no summary recount,
``updated_at`` as it was (desmigratif.versioning.versioned_write) — through every door.

"Nothing written" is measured as the database sees it: not one INSERT, UPDATE or DELETE while the
request runs. The API cases come from the schema (every PUT and PATCH of a record), the page cases
from the edit pages of the concurrent-edit tests, so a new endpoint or edit page is covered too.
"""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from desmigratif.versioning import StaleRecordError, versioned_write
from migrants import services as migrant_services
from migrants.models import MigrantWorker
from villages.models import PillarActivity

from .faults.test_concurrent_edits import CASES, browser, read_form

pytestmark = pytest.mark.django_db

WRITE_RE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# The access log of who saw a PMI unmasked (privacy.middleware) records a reading, not a write of the
# record: the answer to a PUT or PATCH shows the record, so it is logged like any other view.
READ_LOG = ("privacy_personaldataaccess",)


def writes(queries: CaptureQueriesContext, *, ignore: tuple[str, ...] = ()) -> list[str]:
    ignore = READ_LOG + ignore
    return [q["sql"] for q in queries.captured_queries
            if WRITE_RE.match(q["sql"]) and not any(table in q["sql"] for table in ignore)]


# --- API: every PUT and PATCH of the schema --------------------------------------------------------


def api_client(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))  # no token to mark as used
    return client


def record_operations() -> list[tuple[str, str, str]]:
    """(method, path template, request schema) of every PUT and PATCH on one record."""
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    found = []
    for path, operations in schema["paths"].items():
        for method in ("put", "patch"):
            if method in operations and "{id}" in path:
                body = operations[method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                found.append((method, path, schema["components"]["schemas"][body.rsplit("/", 1)[1]]))
    return found


def records(client: APIClient, path: str):
    """(URL, body read there) of records of the writer's area for ``path``, the first ones first."""
    base, _, action = path.partition("{id}/")
    query = {"page_size": 100, **({"stage": "returned"} if action == "reintegration/" else {})}
    for row in client.get(base, query).json()["results"]:
        detail = client.get(f"{base}{row['id']}/").json()
        if not action:
            yield f"{base}{row['id']}/", detail
        elif detail.get(action.strip("/")):
            yield f"{base}{row['id']}/{action}", detail[action.strip("/")]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_sending_a_record_back_unchanged_writes_nothing(method):
    client = api_client("cirebon")
    checked = []
    for operation, path, request_schema in record_operations():
        if operation != method:
            continue
        fields = set(request_schema["properties"])
        for url, read in records(client, path):
            body = {name: value for name, value in read.items() if name in fields} if method == "put" else {}
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url, body, format="json")
            if response.status_code == 403:  # a record the operator reads but may not change (national)
                continue
            assert response.status_code == 200, (url, response.json())
            assert not writes(queries), (url, writes(queries))
            assert response.json()["version"] == read["version"], url
            checked.append(path)
            break
        else:
            raise AssertionError(f"no record to edit for {path}")
    assert len(checked) >= 6


def test_an_unchanged_patch_from_a_stale_version_is_refused():
    client = api_client("cirebon")
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    url = f"/api/v1/migrant-workers/{migrant.pk}/"
    assert client.patch(url, {"address": migrant.address + " 2"}, format="json").status_code == 200
    response = client.patch(url, {"address": migrant.address + " 2", "version": migrant.version}, format="json")
    assert response.status_code == 409  # the user had not seen the record as it is


def test_a_real_change_still_moves_the_version_and_writes_its_history():
    client = api_client("cirebon")
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    history = migrant.history.count()
    response = client.patch(f"/api/v1/migrant-workers/{migrant.pk}/", {"name": "Nama Baru"}, format="json")
    assert response.status_code == 200 and response.json()["version"] == migrant.version + 1
    assert migrant.history.count() == history + 1


# --- pages: every edit page, its form sent back as the browser shows it ----------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.url_name.split(":")[1] for case in CASES])
def test_an_edit_page_saved_unchanged_writes_nothing(case):
    record, pk = case.make()
    user, _second = case.users()
    url = reverse(case.url_name, args=[pk])
    client = browser(user)
    if case.url_name == "migrants:reintegration_edit":  # none recorded yet: the first save records it
        assert client.post(url, read_form(client.get(url)).fields).status_code == 302
    form = read_form(client.get(url))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, form.fields)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert not writes(queries), writes(queries)
    assert read_form(client.get(url)).hidden["version"] == form.hidden["version"]


# --- the admin and the services -------------------------------------------------------------------


def test_the_admin_change_form_saved_unchanged_writes_nothing_but_its_own_log(client):
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.", stage="registered").first()
    client.force_login(User.objects.get(username="admin"))
    url = reverse("admin:migrants_migrantworker_change", args=[migrant.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    for inline in page.context["inline_admin_formsets"]:
        formset, prefix = inline.formset, inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": formset.total_form_count(),
                     f"{prefix}-INITIAL_FORMS": formset.initial_form_count(),
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert not writes(queries, ignore=("django_admin_log",)), writes(queries, ignore=("django_admin_log",))
    migrant_after = MigrantWorker.objects.get(pk=migrant.pk)
    assert (migrant_after.version, migrant_after.updated_at) == (migrant.version, migrant.updated_at)


def test_versioned_write_says_whether_it_wrote():
    activity = PillarActivity.objects.filter(desmigratif_village__village__code__startswith="32.09.").first()
    version = activity.version
    assert versioned_write(activity, {"title": activity.title}) is False
    assert versioned_write(activity, {"title": activity.title}, expected_version=version) is False
    with pytest.raises(StaleRecordError):
        versioned_write(activity, {"title": activity.title}, expected_version=version - 1)
    assert versioned_write(activity, {"title": activity.title + "!"}) is True
    assert activity.version == version + 1


def test_the_migrant_services_write_nothing_for_nothing():
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.", stage="abroad").first()
    placement = migrant.placements.get(return_date__isnull=True)
    cirebon = User.objects.get(username="cirebon")
    with CaptureQueriesContext(connection) as queries:
        migrant_services.migrant_update(instance=migrant, user=cirebon, name=migrant.name, nik=migrant.nik)
        migrant_services.placement_update(instance=placement, user=cirebon, job=placement.job)
    assert not writes(queries), writes(queries)
