"""Every admin URL × every role, generated from ``admin.site.get_urls()``, so that no admin view escapes the
rule that the admin is for administrators only (accounts.admin.admin_site_admits; README, /admin/).

The URLs are walked recursively: the site's own (index, login, logout, password change, jsi18n,
autocomplete — once per autocomplete field of every admin and inline —, view on site, each app's
page, the catch-all) and every ModelAdmin's (list, add, change, delete, history, and whatever a
ModelAdmin adds). Each URL that takes a record is tried with a record inside the user's area and
one outside it (for cirebon one of 32.09 and one of another regency), by GET and by POST; the POST
is what would write if it were let through (the change form as the admin sees it with a field
changed, the delete confirmed, the bulk delete of the record, a new password).

Roles other than administrator are made staff with every model permission first (as the old demo's
operators were staff with admin groups), so the refusal rests on the site's rule alone: they are
sent to the admin's login (or get 403/404/405), never a page with data, and nothing changes. The
administrator gets 200 or 302 (403 where the admin offers no such write, e.g. no delete service),
never a 500, and a change saved through the admin moves the record's version (it went through the
services).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, reverse

from accounts.models import User
from accounts.services import api_token_issue
from desmigratif.versioning import VersionedModel
from migrants.models import MigrantWorker
from privacy.services import personal_data_viewed
from tests.faults.test_concurrent_edits import FormReader

pytestmark = pytest.mark.django_db

PASSWORD = "demo-Desmigratif-2024"
OTHER_ROLES = ["kemnaker", "jabar", "cirebon", "indramayu", "petugas", "bpjs"]
ROLES = [*OTHER_ROLES, "admin"]  # the administrator last: its POSTs do write (rolled back after the test)
# Where a refused request may be sent: the admin's login, or its index (Django's answer to a logout).
REFUSED_STATUSES = {302, 403, 404, 405}
TOUCHED_FIELDS = ("notes", "description", "title", "name", "job", "training_received", "business_type",
                  "first_name")
# a route parameter → how it is filled (record: the record in or out of the user's area)
KNOWN_PARAMS = {"object_id", "id", "content_type_id", "app_label", "url"}  # id: a user's password page


@dataclass(frozen=True)
class AdminRoute:
    name: str  # the URL name ('' for unnamed routes), without the namespace
    route: str  # the pattern as written, with its prefix under /admin/
    regex: re.Pattern
    model_admin: admin.ModelAdmin | None = None
    query: dict = field(default_factory=dict, hash=False)  # autocomplete: which field it completes
    app_label: str = ""  # app_list: the app

    @property
    def params(self) -> set[str]:
        return set(self.regex.groupindex)

    @property
    def positional(self) -> int:
        return self.regex.groups - len(self.regex.groupindex)

    @property
    def takes_record(self) -> bool:
        return bool({"object_id", "id"} & self.params) or self.positional > 0

    @property
    def model(self):
        if self.model_admin is not None:
            return self.model_admin.model
        return MigrantWorker if self.name == "view_on_site" else None

    def __str__(self) -> str:
        extra = self.app_label or ".".join(self.query.values())
        return f"{self.name or self.route}[{extra}]" if extra else (self.name or self.route)


def _autocomplete_queries() -> list[dict]:
    queries = []
    for model, model_admin in admin.site._registry.items():
        owners = [(model, model_admin.autocomplete_fields)]
        owners += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for owner, names in owners:
            for name in names:
                query = {"app_label": owner._meta.app_label, "model_name": owner._meta.model_name, "field_name": name}
                if query not in queries:
                    queries.append(query)
    return queries


def collect(patterns, prefix: str = "", model_admin=None) -> list[AdminRoute]:
    routes = []
    by_prefix = {f"{model._meta.app_label}/{model._meta.model_name}/": ma for model, ma in admin.site._registry.items()}
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes += collect(entry.url_patterns, prefix + str(entry.pattern),
                              by_prefix.get(str(entry.pattern), model_admin))
            continue
        assert isinstance(entry, URLPattern)
        route = AdminRoute(entry.name or "", prefix + str(entry.pattern), entry.pattern.regex, model_admin)
        unknown = route.params - KNOWN_PARAMS
        assert not unknown, f"admin URL {route.route} takes {unknown}: say in tests/test_admin_matrix.py how to fill it"
        if route.name == "autocomplete":
            routes += [AdminRoute(route.name, route.route, route.regex, query=query)
                       for query in _autocomplete_queries()]
        elif "app_label" in route.params:
            labels = sorted({model._meta.app_label for model in admin.site._registry})
            routes += [AdminRoute(route.name, route.route, route.regex, app_label=label) for label in labels]
        else:
            routes.append(route)
    return routes


ROUTES = collect(admin.site.get_urls())


def test_the_walk_covers_the_sites_and_every_model_admins_urls():
    names = {route.name for route in ROUTES}
    assert {"index", "login", "logout", "password_change", "autocomplete", "jsi18n", "view_on_site",
            "app_list"} <= names
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        assert {f"{info}_{view}" for view in ("changelist", "add", "change", "delete", "history")} <= names, info
    assert len([route for route in ROUTES if route.name == "autocomplete"]) >= 10


# --- the users and the records -------------------------------------------------------------------------


@pytest.fixture
def users() -> dict[str, User]:
    """The demo users; those of the other roles staff with every model permission."""
    group = Group.objects.create(name="matrix: every permission")
    group.permissions.set(Permission.objects.all())
    others = User.objects.filter(username__in=OTHER_ROLES)
    others.update(is_staff=True)
    for user in others:
        user.groups.add(group)
    found = {user.username: user for user in User.objects.filter(username__in=ROLES)}
    assert set(found) == set(ROLES)
    return found


@pytest.fixture
def more_records(users):
    """Rows for admin tables the demo leaves empty."""
    api_token_issue(user=users["cirebon"], name="matrix", issued_by=users["admin"])
    personal_data_viewed(user=users["admin"], migrant=MigrantWorker.objects.order_by("pk").first())


def queryset_for(model_admin: admin.ModelAdmin, user: User):
    request = RequestFactory().get("/admin/")
    request.user = user
    return model_admin.get_queryset(request).order_by("pk")


def records(route: AdminRoute, user: User, admin_user: User) -> list[tuple[str, object]]:
    """[("in", record inside the user's area), ("out", one outside it)], those that exist."""
    model_admin = route.model_admin or admin.site.get_model_admin(route.model)
    everything = queryset_for(model_admin, admin_user)
    mine = queryset_for(model_admin, user)
    found = [("in", mine.first())]
    if user != admin_user:
        found.append(("out", everything.exclude(pk__in=mine.values("pk")).first()))
    return [(where, record) for where, record in found if record is not None]


def url_of(route: AdminRoute, record=None) -> str:
    kwargs: dict[str, str] = {}
    args: list[str] = []
    for name in {"object_id", "id"} & route.params:
        kwargs[name] = str(record.pk)
    if "content_type_id" in route.params:
        kwargs["content_type_id"] = str(ContentType.objects.get_for_model(type(record)).pk)
    if route.app_label:
        kwargs["app_label"] = route.app_label
    if route.positional:
        history = record.history.order_by("history_id").first() if hasattr(record, "history") else None
        args = [str(record.pk), str(history.history_id if history else 1)][:route.positional]
    if "url" in route.params:  # the catch-all
        return "/admin/no-such-page/"
    if route.name:
        url = reverse(f"admin:{route.name}", args=args or None, kwargs=kwargs or None)
    else:  # an unnamed route: <path:object_id>/ redirects to the change page
        url = "/admin/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], route.route)
    if route.query:
        url += "?" + "&".join(f"{key}={value}" for key, value in {**route.query, "term": ""}.items())
    return url


# --- what a POST sends: what would write if it were let through --------------------------------------------


def change_form_data(admin_client: Client, url: str, cache: dict) -> dict[str, str]:
    """The fields of the change form as the administrator's browser would send them back."""
    if url not in cache:
        response = admin_client.get(url)
        reader = FormReader()
        if response.status_code == 200:
            reader.feed(response.content.decode())
        cache[url] = dict(reader.fields) if reader.forms else {}
    return cache[url]


def touched(data: dict[str, str]) -> tuple[dict[str, str], str | None]:
    for name in TOUCHED_FIELDS:
        if name in data:
            return {**data, name: (data[name] + " (matrix)").strip()}, name
    return data, None


def post_data(route: AdminRoute, record, user: User, admin_client: Client, cache: dict) -> tuple[dict, str | None]:
    name = route.name
    if name == "password_change" or name.endswith("_password_change"):
        return {"old_password": PASSWORD, "password1": "Matrix-new-pass-2024!", "password2": "Matrix-new-pass-2024!",
                "new_password1": "Matrix-new-pass-2024!", "new_password2": "Matrix-new-pass-2024!",
                "usable_password": "true"}, None
    if name.endswith("_changelist") and record is not None:
        return {"action": "delete_selected", "_selected_action": [str(record.pk)], "post": "yes", "index": "0"}, None
    if name.endswith("_delete"):
        return {"post": "yes"}, None
    if name.endswith("_change") or (route.positional and record is not None):
        return touched(change_form_data(admin_client, reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]), cache))
    if name == "login":
        return {"username": user.username, "password": PASSWORD, "next": "/admin/"}, None
    return {}, None


def snapshot(route: AdminRoute, user: User, record) -> tuple:
    model = route.model
    row = (type(record)._default_manager.filter(pk=record.pk).values().first() if record is not None else None)
    return (row, model._default_manager.count() if model is not None else None,
            User.objects.filter(pk=user.pk).values_list("password", "is_staff", "is_superuser").get(),
            LogEntry.objects.count())


# --- the matrix ---------------------------------------------------------------------------------------------


def refused(route: AdminRoute, response, where: str) -> str | None:
    """Why the response is not a refusal, or None."""
    status = response.status_code
    if route.name == "login":
        if status == 200 and "The administration site is for administrators only" in response.content.decode():
            return None
        return f"{where}: {status} (the login should refuse and say why)"
    if status not in REFUSED_STATUSES:
        return f"{where}: {status}"
    if status == 302:
        location = response["Location"]
        if not (location.startswith(reverse("admin:login")) or location == reverse("admin:index")):
            return f"{where}: sent to {location}"
    return None


def admin_may(route: AdminRoute, request_user: User, record, method: str) -> bool:
    """Whether the admin offers this view to the administrator (else 403 is the right answer)."""
    model_admin = route.model_admin
    if model_admin is None:
        return True
    request = RequestFactory().get("/admin/")
    request.user = request_user
    name = route.name
    if name.endswith("_add"):
        return model_admin.has_add_permission(request)
    if name.endswith("_delete"):
        return model_admin.has_delete_permission(request, record)
    if name.endswith("_change") and method == "POST":
        return model_admin.has_change_permission(request, record)
    return model_admin.has_view_or_change_permission(request, record)


def check_admin(route: AdminRoute, client: Client, user: User, url: str, record, problems: list[str]) -> None:
    allowed = {200, 302} | ({404} if "url" in route.params else set())
    allowed |= {405} if route.name in ("logout", "autocomplete", "jsi18n", "password_change_done") else set()
    for method in ("GET", "POST"):
        expected = allowed if admin_may(route, user, record, method) else {403}
        client.force_login(user)  # again: a logout or a password change before ends the session
        data, touched_field = post_data(route, record, user, client, {}) if method == "POST" else ({}, None)
        version = getattr(record, "version", None) if isinstance(record, VersionedModel) else None
        response = client.get(url) if method == "GET" else client.post(url, data)
        if response.status_code not in expected:
            problems.append(f"admin {method} {url}: {response.status_code}, expected {sorted(expected)}")
        if method == "POST" and touched_field and version is not None and 403 not in expected:
            stored = type(record)._default_manager.filter(pk=record.pk).values_list("version", flat=True).first()
            if response.status_code != 302 or stored != version + 1:
                errors = response.context["adminform"].form.errors if response.context and "adminform" in \
                    response.context else ""
                problems.append(f"admin POST {url} (changed {touched_field}): {response.status_code}, version "
                                f"{version} → {stored}: not saved through the services {errors}")


@pytest.fixture(scope="module")
def clients() -> tuple[Client, Client]:
    """Two test clients for the whole module (a new one loads the middleware again, WhiteNoise's scan of the
    static files among it): one for the role under test, one for the administrator's change forms."""
    pair = (Client(), Client())
    for client in pair:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return pair


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_admin_url_for_every_role(route, users, more_records, clients):
    admin_user = users["admin"]
    client, admin_client = clients
    admin_client.force_login(admin_user)
    problems: list[str] = []
    forms: dict = {}
    for role in ROLES:
        user = users[role]
        if role != "admin":
            client.force_login(user)  # the site refuses them: no logout or password change can end it
        targets = records(route, user, admin_user) if route.takes_record or route.model is not None else []
        if route.takes_record and not targets:
            continue  # no record of this kind at all: nothing to try
        if not route.takes_record and not route.name.endswith("_changelist"):
            targets = targets[:1] or [("—", None)]  # one URL (an add page: with a record to count)
        targets = targets or [("—", None)]  # a list of an empty table: its URL without a record
        for where, record in targets:
            url = url_of(route, record if route.takes_record else None)
            if role == "admin":
                check_admin(route, client, user, url, record, problems)
                continue
            for method in ("GET", "POST"):
                data, _ = post_data(route, record, user, admin_client, forms) if method == "POST" else ({}, None)
                before = snapshot(route, user, record)
                response = client.get(url) if method == "GET" else client.post(url, data)
                why = refused(route, response, f"{role} {method} {url} ({where})")
                if why:
                    problems.append(why)
                if snapshot(route, user, record) != before:
                    problems.append(f"{role} {method} {url} ({where}) changed the data")
    assert not problems, "\n".join(problems)
