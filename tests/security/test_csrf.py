"""CSRF: every form that posts carries the token, and a POST without one is refused everywhere.

The pages are the ones of the page permission matrix (tests/test_permission_matrix.py), generated from
the URL configuration, so a new page is covered as soon as it exists. Each is rendered as an
administrator and as a regency operator (who sees the write forms of an area).
"""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import PUBLIC, ROUTES, record_urls, users

from .html_forms import forms_of

pytestmark = pytest.mark.django_db

PAGE_ROUTES = [r for r in ROUTES if r.name not in PUBLIC]


def make_records(route, user) -> None:
    """Records the demo data has none of, so that their pages (and their forms) are rendered too."""
    namespace = route.name.split(":")[0]
    if namespace == "exchange":
        from tests.exchange.files import check, cirebon_villages, csv_bytes, pmi_row

        check(user.username, csv_bytes([pmi_row(cirebon_villages(1)[0], name="CSRF Contoh")]), name="data.csv")
    elif namespace == "reports":
        from reports.services import report_request

        report_request(user=user, year=2022, area_code=user.area_code)


def page_url(route, user, admin) -> str | None:
    if not route.kwargs:
        return reverse(route.name)
    mine, _, _ = record_urls(route, user=user, admin=admin)
    if mine is None:
        make_records(route, user)
        mine, _, _ = record_urls(route, user=user, admin=admin)
    return mine


def any_url(route) -> str:
    """The route's address with made-up arguments: CSRF is checked before the view looks anything up."""
    values = {"pk": 999_999_999, "label": "villages.desmigratifvillage", "code": "32"}
    return reverse(route.name, kwargs={name: values[name] for name in route.kwargs})


@pytest.mark.parametrize("role", ["admin", "cirebon"])
@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.name)
def test_every_post_form_carries_the_csrf_token(client, route, role, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    everyone = users()
    client.force_login(everyone[role])
    url = page_url(route, everyone[role], everyone["admin"])
    if url is None:
        pytest.skip(f"no record for {role} to open")
    response = client.get(url, follow=True)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return  # a download, a refusal or a redirect elsewhere: no form here (the matrix checks the status)
    html = response.content.decode()
    for form in forms_of(html):
        if form.method == "post":
            assert "csrfmiddlewaretoken" in form.names, f"{url}: a POST form to {form.action!r} has no CSRF token"


def test_the_login_form_carries_the_csrf_token(client):
    forms = [f for f in forms_of(client.get(reverse("login")).content.decode()) if f.method == "post"]
    assert forms and all("csrfmiddlewaretoken" in f.names for f in forms)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_a_post_without_the_token_is_refused(route):
    """CsrfViewMiddleware refuses before any view runs: whatever the view, a POST without a token is a 403."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(users()["admin"])
    url = any_url(route)
    assert not getattr(route.callback, "csrf_exempt", False), f"{route.name} is exempt from CSRF checks"
    response = client.post(url, {"reason": "x", "confirm": "on", "name": "x"})
    assert response.status_code == 403, f"POST {url} without a CSRF token: {response.status_code}"
    assert b"CSRF" in response.content, f"POST {url}: refused, but not by the CSRF check"


def test_a_post_without_the_token_changes_nothing():
    from villages.models import DesmigratifVillage

    village = DesmigratifVillage.objects.order_by("pk").first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(users()["admin"])
    response = client.post(reverse("villages:desmigratifvillage_delete", args=[village.pk]))
    assert response.status_code == 403 and DesmigratifVillage.objects.filter(pk=village.pk).exists()


def test_login_post_without_the_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "cirebon", "password": "demo-Desmigratif-2024"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_api_with_a_session_needs_the_token_too():
    """The API's session authentication (the browsable API, htmx) enforces CSRF; tokens carry no cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(users()["cirebon"])
    response = client.post(reverse("api:migrantworker-list"), {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
