"""No personal data in addresses: addresses end up in server and proxy logs, browser history and Referer
headers, where the portal's masking and access log cannot follow (UU 27/2022)."""
from __future__ import annotations

import re
from pathlib import Path

import django_filters
import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from migrants.models import MigrantWorker
from tests.test_permission_matrix import PUBLIC, ROUTES, users

from .html_forms import forms_of

pytestmark = pytest.mark.django_db

PERSONAL = {"nik", "name", "phone", "nama", "telepon", "no_hp", "address", "alamat", "birth_date"}
PERSONAL_IN_QUERY = {"nik", "phone", "telepon", "no_hp", "address", "alamat", "birth_date"}


def every_pattern(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from every_pattern(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern


def parameter_names(pattern) -> set[str]:
    names = set(getattr(pattern, "converters", {}) or {})
    regex = getattr(pattern, "regex", None)
    if regex is not None:
        names |= set(regex.groupindex)
    return names


def test_no_route_takes_personal_data():
    """Every route of the URL configuration, the admin and the API included."""
    offending = [(text, parameter_names(pattern) & PERSONAL) for text, pattern in every_pattern(
        get_resolver().url_patterns) if parameter_names(pattern) & PERSONAL]
    assert offending == []
    assert any("<int:pk>" in text for text, _ in every_pattern(get_resolver().url_patterns))  # the walk walks


def test_no_filter_takes_a_nik_or_phone():
    """Filters are GET parameters on the pages and the API alike."""
    filtersets = [cls for cls in _subclasses(django_filters.FilterSet) if cls.__module__.split(".")[0] in
                  {"villages", "migrants", "cooperatives", "agencies", "regions", "reports", "exchange", "dashboards"}]
    assert filtersets, "no FilterSet found"
    for filterset in filtersets:
        assert not set(filterset.base_filters) & PERSONAL_IN_QUERY, filterset


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
METHOD_RE = re.compile(r"""method\s*=\s*["']?(\w+)""", re.I)
FIELD_RE = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname\s*=\s*["']([\w-]+)["']""", re.I)


def template_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [path for path in base.glob("**/templates/**/*.html") if ".venv" not in path.parts]


def test_get_forms_in_the_templates_have_no_nik_or_phone_field():
    checked = 0
    for path in template_files():
        for attributes, body in FORM_RE.findall(path.read_text(encoding="utf-8")):
            method = METHOD_RE.search(attributes)
            if method and method.group(1).lower() != "get":  # no method: the browser sends GET
                continue
            checked += 1
            fields = set(FIELD_RE.findall(body)) & PERSONAL_IN_QUERY
            assert not fields, f"{path}: a GET form with {fields}"
    assert checked, "no GET form found in the templates: the scan scans nothing"


@pytest.mark.parametrize("role", ["admin", "cirebon"])
def test_rendered_get_forms_have_no_nik_or_phone_field(client, role):
    """The forms as rendered (filter forms are built from FilterSets), on every page without a record id."""
    client.force_login(users()[role])
    get_forms = 0
    for route in ROUTES:
        if route.kwargs or route.name in PUBLIC:
            continue
        response = client.get(reverse(route.name))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_of(response.content.decode()):
            if form.method == "get":
                get_forms += 1
                personal = form.names & PERSONAL_IN_QUERY
                assert not personal, f"{route.name}: a GET form with {personal}"
                assert not any(kind == "tel" for _, kind in form.fields), f"{route.name}: a phone field in a GET form"
    assert get_forms >= 5


def test_pmi_lookup_by_nik_is_a_post(client):
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    client.force_login(users()["cirebon"])
    url = reverse("migrants:migrantworker_find")
    assert url == "/migrants/find/"
    # the form on the list posts the NIK
    page = client.get(reverse("migrants:migrantworker_list")).content.decode()
    finders = [f for f in forms_of(page) if f.action == url]
    assert finders and all(f.method == "post" and "nik" in f.names for f in finders)
    # a NIK in the address finds nothing: the address goes back to the list, without the NIK
    response = client.get(url, {"nik": migrant.nik})
    assert response.status_code == 302 and response["Location"] == reverse("migrants:migrantworker_list")
    # by POST it opens the person, at an address without the NIK
    response = client.post(url, {"nik": migrant.nik})
    assert response.status_code == 302 and response["Location"] == migrant.get_absolute_url()
    assert migrant.nik not in response["Location"]


def test_a_whole_nik_in_a_search_address_is_refused(client):
    """The list's search box (GET) takes a name or the region part of a NIK, not a whole NIK."""
    migrant = MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    client.force_login(users()["cirebon"])
    response = client.get(reverse("migrants:migrantworker_list"), {"q": migrant.nik})
    assert response.status_code == 200
    assert "q" in response.context["filter"].form.errors  # "use the Open by NIK box"
    api = APIClient()
    api.force_authenticate(users()["cirebon"])
    response = api.get(reverse("api:migrantworker-list"), {"q": migrant.nik})
    assert response.status_code == 400
    assert migrant.nik not in response.content.decode()


def test_settings_keep_personal_data_out_of_referers():
    """Browsers send the address as Referer to other sites: the portal tells them not to send the path."""
    assert settings.SECURE_REFERRER_POLICY in {"same-origin", "no-referrer", "strict-origin",
                                               "strict-origin-when-cross-origin"}
