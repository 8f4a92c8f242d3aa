"""Every query parameter the schema documents for a list works: a valid value is accepted and changes
the answer.

The schema once documented ``registered_on_after``/``_before`` while the API read ``_min``/``_max``:
the filter was silently ignored and the whole list came back. Generated from the served schema (every
paginated list, every query parameter), so a new filter is covered by itself: a filter is tried with
values taken from the list's own unfiltered rows (codes and their prefixes, dates and their years, ids,
names), the middle ones first so that a range leaves rows on both sides; one of them must give another
count than the unfiltered list. Ordering must change the order, pagination the page.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from migrants.filtersets import MigrantWorkerFilterSet
from migrants.selectors import migrant_list
from reports.services import report_request

pytestmark = pytest.mark.django_db

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CODE_RE = re.compile(r"^\d{2}(\.\d{2}){1,2}(\.\d{4})?$")
PAGINATION = {"page", "page_size"}
MAX_TRIES = 25


def client() -> APIClient:
    api = APIClient()
    api.force_authenticate(User.objects.get(username="admin"))  # the whole country, unmasked
    return api


@pytest.fixture
def yearly_reports():
    """The demo builds no yearly report: a few, of each scope and two versions of one (built in the test)."""
    for area_code, year in (("", 2022), ("", 2023), ("", 2023), ("32", 2023), ("32.09", 2022)):
        report_request(user=None, year=year, area_code=area_code)


def list_operations() -> Iterator[tuple[str, list[dict]]]:
    """(path, query parameters) of every paginated list of the schema."""
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        ref = (operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
               .get("schema", {}).get("$ref", ""))
        if {"count", "results"} <= set(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})):
            yield path, [p for p in operation.get("parameters", []) if p["in"] == "query"]


def scalars(value, key: str = "") -> Iterator[tuple[str, object]]:
    """(key, value) of every scalar of a row, nested ones with the key of their own field."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from scalars(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from scalars(item, key)
    elif value is not None:
        yield key, value


def derived(key: str, value) -> Iterator[tuple[str, object]]:
    """A value as it is, and what a filter may take of it: a date's year, a region code's prefixes, a
    text's words, a number as text."""
    yield key, value
    if isinstance(value, str) and DATE_RE.match(value):
        yield key, int(value[:4])
    elif isinstance(value, str) and CODE_RE.match(value):
        for level in range(1, value.count(".") + 1):
            yield key, value.rsplit(".", level)[0]
    elif isinstance(value, str):
        for word in value.split():
            if len(word) > 3:
                yield key, word
    if isinstance(value, int) and not isinstance(value, bool):
        yield key, str(value)


def affinity(parameter: str, key: str) -> int:
    """How likely a row's field feeds the parameter: the same name first, then a shared word."""
    base = re.sub(r"_(min|max|after|before)$", "", parameter)
    if key == base:
        return 0
    if base in key or (key and key in base):
        return 1
    return 2 if set(base.split("_")) & set(key.split("_")) else 3


def middle_first(values: list) -> list:
    ordered = sorted(set(values), key=lambda v: (str(type(v)), v))
    mid = len(ordered) // 2
    return sorted(ordered, key=lambda v: abs(ordered.index(v) - mid))


def candidates(parameter: dict, rows: list[dict]) -> list:
    """Values of the parameter's type taken from the rows a client read: those of the likeliest fields
    first, and of each field the middle ones first (a bound in the middle leaves rows on both sides)."""
    schema = parameter["schema"]
    enum = schema.get("enum") or schema.get("items", {}).get("enum")
    if enum:
        return list(enum)
    kind = schema.get("items", {}).get("type") if schema.get("type") == "array" else schema.get("type")
    if kind == "boolean":
        return ["true", "false"]
    if schema.get("format") == "date":
        fits = lambda v: isinstance(v, str) and DATE_RE.match(v)  # noqa: E731
    elif kind in ("integer", "number"):
        fits = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
    else:
        fits = lambda v: isinstance(v, str)  # noqa: E731
    by_affinity: dict[int, list] = {}
    for key, raw in scalars(rows):
        for name, value in derived(key, raw):
            if fits(value):
                by_affinity.setdefault(affinity(parameter["name"], name), []).append(value)
    found = [value for level in sorted(by_affinity) for value in ordered(by_affinity[level])]
    return list(dict.fromkeys(found))


def ordered(values: list) -> list:
    """Numbers and dates from the middle out; texts the most shared first (a code most rows carry, not a
    name only one row has)."""
    if values and isinstance(values[0], str) and not DATE_RE.match(values[0]):
        return [value for value, _count in Counter(values).most_common()]
    return middle_first(values)


def answer(api: APIClient, path: str, query: dict) -> dict:
    response = api.get(path, {"page_size": 100, **query})
    assert response.status_code < 500, (path, query, response.status_code)
    return response.json() if response.status_code == 200 else {}


def ids(page: dict) -> list:
    return [row.get("id", row.get("code")) for row in page["results"]]


def test_every_documented_filter_of_every_list_is_read_and_filters(yearly_reports):
    api = client()
    failures, checked = [], 0
    for path, parameters in list_operations():
        everything = answer(api, path, {})
        assert everything["count"] > 1, f"{path}: the demo data has too few rows to show a filter working"
        last = answer(api, path, {"page": (everything["count"] - 1) // 100 + 1}) if everything["next"] else {}
        rows = everything["results"] + last.get("results", [])  # the first rows and the last, of either end
        for parameter in parameters:
            name = parameter["name"]
            checked += 1
            if name in PAGINATION:
                continue  # checked below
            tried = []
            for value in candidates(parameter, rows)[:MAX_TRIES]:
                page = answer(api, path, {name: value})
                tried.append(value)
                if not page:
                    continue  # refused (400): not a value this filter takes; another one is tried
                if name == "o" and ids(page) != ids(everything):
                    break
                if name != "o" and page["count"] != everything["count"]:
                    break
            else:
                failures.append(f"{path}?{name}: no value changed the answer (tried {tried[:8]}…)")
    assert checked > 60  # the schema was read
    assert not failures, "\n".join(failures)


def test_pagination_of_every_list_pages(yearly_reports):
    api = client()
    for path, parameters in list_operations():
        names = {p["name"] for p in parameters}
        assert names >= PAGINATION, path
        first, second = answer(api, path, {"page_size": 1}), answer(api, path, {"page_size": 1, "page": 2})
        assert len(first["results"]) == len(second["results"]) == 1, path
        assert ids(first) != ids(second) and first["count"] == second["count"], path


def test_the_registration_date_range_filters_on_the_api_and_on_the_page(client):
    """The filter that was ignored: a span of the demo's registrations, on both doors of its FilterSet."""
    query = {"registered_on_after": "2021-01-01", "registered_on_before": "2021-12-31"}
    user = User.objects.get(username="cirebon")
    expected = migrant_list(user=user).filter(registered_on__year=2021).count()
    everything = migrant_list(user=user).count()
    assert 0 < expected < everything
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/migrant-workers/", query).json()["count"] == expected
    client.force_login(user)
    page = client.get(reverse("migrants:migrantworker_list"), query)
    assert page.status_code == 200
    assert page.context["paginator"].count == expected
    form = page.content.decode()
    assert 'name="registered_on_after"' in form and 'name="registered_on_before"' in form
    assert MigrantWorkerFilterSet(query, queryset=migrant_list(user=user)).qs.count() == expected


def test_a_range_filter_whose_widget_reads_other_names_than_the_schema_is_refused():
    import django_filters
    from django.core.exceptions import ImproperlyConfigured

    from migrants.models import MigrantWorker
    from regions.filters import PortalFilterSet

    with pytest.raises(ImproperlyConfigured, match="registered_on"):
        class Wrong(PortalFilterSet):
            registered_on = django_filters.DateFromToRangeFilter(widget=django_filters.widgets.RangeWidget())

            class Meta:
                model = MigrantWorker
                fields = ["registered_on"]


def test_a_page_list_sorted_by_a_shared_key_neither_repeats_nor_skips_a_row(client):
    """The pages paginate as the API does (desmigratif.pagination): engagements sorted by year, 720 rows
    sharing a handful of years, walked page by page."""
    client.force_login(User.objects.get(username="admin"))
    seen: list[int] = []
    page, url = 1, reverse("agencies:engagement_list")
    while True:
        response = client.get(url, {"o": "year", "page": page, "per_page": 100})
        seen += [row.pk for row in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            break
        page += 1
    assert len(seen) == len(set(seen)) == response.context["paginator"].count
