"""Every page × every role, generated from the URL configuration, so that no page escapes scoping.

For each route (the Django admin has its own matrix: tests/test_admin_matrix.py): anonymous users
are sent to the login page; a page that takes a record id answers 404 (or 403) for a record outside
the user's area, for GET and POST alike, and leaves the record in place; pages that write refuse the
roles that only read; no page fails. A new page with an id must look its records up through a
selector (its view's ``selector`` or ``model``), or be described in SPECIAL_ROUTES, or this test
fails and says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.mixins import WriterRequiredMixin
from desmigratif.history import TRACKED

pytestmark = pytest.mark.django_db

ROLES = ["admin", "kemnaker", "jabar", "cirebon", "indramayu", "petugas", "bpjs"]
AREA_ROLES = ["jabar", "cirebon", "indramayu", "petugas"]
READ_ONLY_ROLES = ["kemnaker", "jabar", "bpjs"]
PUBLIC = {"login", "healthz", "readyz", "set_language", "javascript-catalog"}
# their own matrices: tests/test_admin_matrix.py, tests/api/test_matrix.py
SKIPPED_NAMESPACES = {"admin", "api"}
WRITE_SUFFIXES = ("_add", "_edit", "_delete", "_import", "_confirm", "_upload")
# Pages where a role that otherwise only reads writes by a rule of its own: agency staff record
# their own agency's engagements (agencies.services; another agency's engagement is still a 403).
# Agency staff record their own agency's engagements, on the pages and by import (which kinds a
# role may import is tested in tests/exchange).
ROLE_WRITES = {name: {"bpjs"} for name in ("agencies:engagement_add", "agencies:engagement_edit",
                                           "agencies:engagement_delete")}
ROLE_WRITES_NAMESPACES = {"exchange": {"bpjs"}}


def admits_writer(route_name: str, role: str) -> bool:
    namespace = route_name.split(":", 1)[0] if ":" in route_name else ""
    return role in ROLE_WRITES.get(route_name, ()) or role in ROLE_WRITES_NAMESPACES.get(namespace, ())


@dataclass
class Route:
    name: str
    pattern: str
    callback: object
    kwargs: tuple[str, ...]

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None)

    @property
    def writes(self) -> bool:
        view = self.view_class
        return bool(view and issubclass(view, WriterRequiredMixin)) or self.name.endswith(WRITE_SUFFIXES)


def collect(patterns, namespace: str = "", prefix: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            routes += collect(entry.url_patterns, full_ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            routes.append(Route(name, prefix + str(entry.pattern), entry.callback,
                                tuple(entry.pattern.converters)))
    return routes


ROUTES = collect(get_resolver().url_patterns)


def users() -> dict:
    return {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}


def selector_of(route: Route):
    view = route.view_class
    selector = getattr(view, "selector", None)
    if selector is None and view is not None and getattr(view, "model", None) is not None:
        model = view.model
        return lambda *, user: model._default_manager.all()
    return selector


def record_urls(route: Route, *, user, admin) -> tuple[str | None, str | None, object]:
    """(url of a record the user may open, url of one outside their area, the outside record)."""
    if route.name == "dashboards:area":
        # an area is a region code: the user's own (or a province, nationally), and Jawa Tengah, outside
        # every area role's area
        from dashboards.selectors import area_home
        from regions.models import Province

        url = lambda code: reverse(route.name, kwargs={"code": code})  # noqa: E731
        return url(area_home(user) or "32"), url("33"), Province.objects.get(code="33")
    if route.name == "record_history":
        label = "villages.desmigratifvillage"
        from django.utils.module_loading import import_string

        selector = import_string(TRACKED[label].selector)
        url = lambda obj: reverse(route.name, args=[label, obj.pk])  # noqa: E731
    else:
        selector = selector_of(route)
        assert selector is not None, (
            f"{route.name} ({route.pattern}) takes {route.kwargs} but its view declares no `selector` or "
            f"`model`: look records up through a selector so other areas get 404, or describe the route in "
            f"tests/test_permission_matrix.py")
        assert route.kwargs == ("pk",), f"{route.name}: describe how to fill {route.kwargs} in this test"
        url = lambda obj: reverse(route.name, kwargs={"pk": obj.pk})  # noqa: E731
    mine = selector(user=user).order_by("pk").first()
    outside = selector(user=admin).exclude(pk__in=selector(user=user).values("pk")).order_by("pk").first()
    return (url(mine) if mine else None, url(outside) if outside else None, outside)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC], ids=lambda r: r.name)
def test_anonymous_is_sent_to_login(client, route):
    if route.kwargs:
        admin = users()["admin"]
        mine, _, _ = record_urls(route, user=admin, admin=admin)
        if mine is None:
            pytest.skip("no record to try")
        url = mine
    else:
        url = reverse(route.name)
    response = client.get(url)
    assert response.status_code in (302, 405), f"{url}: {response.status_code}"
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC], ids=lambda r: r.name)
def test_role_on_route(client, route, role):
    everyone = users()
    user, admin = everyone[role], everyone["admin"]
    client.force_login(user)
    if not route.kwargs:
        url = reverse(route.name)
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 405), f"{url} as {role}: {response.status_code}"
        if route.writes and role in READ_ONLY_ROLES and not admits_writer(route.name, role):
            assert response.status_code in (403, 405), f"{url} writes but let read-only {role} in"
        return
    mine, outside_url, outside = record_urls(route, user=user, admin=admin)
    if mine is not None:
        response = client.get(mine)
        assert response.status_code in (200, 302, 403, 405), f"{mine} as {role}: {response.status_code}"
        if route.writes and role in READ_ONLY_ROLES and not admits_writer(route.name, role):
            assert response.status_code in (403, 405), f"{mine} writes but let read-only {role} in"
    if role in AREA_ROLES and outside_url is not None:
        response = client.get(outside_url)
        assert response.status_code in (403, 404, 405), f"{outside_url} (outside {role}'s area): {response.status_code}"
        response = client.post(outside_url, {})
        assert response.status_code in (403, 404, 405), f"POST {outside_url} as {role}: {response.status_code}"
        assert type(outside)._default_manager.filter(pk=outside.pk).exists()


def test_every_route_is_covered():
    names = {route.name for route in ROUTES}
    assert {"home", "villages:desmigratifvillage_detail", "record_history"} <= names
