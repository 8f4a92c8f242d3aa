"""The admin: every registered model opens, list pages stay within 10 queries whatever the number of
rows, big tables are reached by autocomplete; only administrators enter; reads come through the pages'
selectors, writes through the services, history is the portal's page. (Every admin URL × every role:
tests/test_admin_matrix.py.)"""
from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.models import Permission
from django.contrib.messages import ERROR, SUCCESS
from django.db.models import Sum
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape
from simple_history.admin import SimpleHistoryAdmin

from accounts.choices import Role
from accounts.models import ApiToken, User
from accounts.services import api_token_issue
from agencies.models import Agency, Engagement
from cooperatives.models import Cooperative, CooperativeMember, CooperativeSummary, CooperativeYearlyFigure
from cooperatives.summaries import cooperative_summaries_refresh
from desmigratif.summaries import SummaryLevel, SummaryRow
from migrants.choices import Stage
from migrants.models import MigrantStageSummary, MigrantWorker, Placement, Reintegration
from migrants.nik import nik_for
from migrants.summaries import migrant_summaries_refresh
from privacy.choices import AccessAction
from privacy.models import PersonalDataAccess
from regions.models import District, Province, Regency, Village
from tests import factories as f
from villages.models import ActivitySummary, DesmigratifVillage, FieldOfficer, PillarActivity
from villages.summaries import activity_summaries_refresh

pytestmark = pytest.mark.django_db

D = datetime.date
MAX_LIST_QUERIES = 10
OUR_APPS = {"accounts", "regions", "agencies", "villages", "migrants", "cooperatives"}
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
OUR_REGISTRY = [(model, model_admin) for model, model_admin in REGISTRY if model._meta.app_label in OUR_APPS]
# Tables too big for a <select> or a related list filter.
BIG_TABLES = {Village, District, Regency, DesmigratifVillage, MigrantWorker, Cooperative, Agency}


def label(item) -> str:
    return item[0]._meta.label


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("root-admin", "root@example.go.id", f.PASSWORD, role=Role.ADMIN)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _migrants() -> None:
    f.MigrantWorkerFactory.create_batch(8)
    f.MigrantWorkerFactory.create_batch(6, verified=True)
    f.MigrantWorkerFactory.create_batch(4, ready=True)
    f.MigrantWorkerFactory.create_batch(8, abroad=True)
    f.MigrantWorkerFactory.create_batch(8, returned=True)


def _cooperatives() -> None:
    for cooperative in f.CooperativeFactory.create_batch(31):
        f.CooperativeYearlyFigureFactory(cooperative=cooperative)
        f.CooperativeMemberFactory(cooperative=cooperative)
    f.CooperativeMemberFactory.create_batch(3, pmi=True)


def _users() -> None:
    for trait in ("admin", "province_officer", "regency_operator", "village_officer", "agency_staff", None):
        f.UserFactory.create_batch(6, **({trait: True} if trait else {}))


# Rows to fill each program table with before opening its list page (regions are loaded already).
ROWS = {
    Agency: lambda: f.AgencyFactory.create_batch(31),
    Engagement: lambda: (f.EngagementFactory.create_batch(12), f.EngagementFactory.create_batch(12, regency_level=True),
                         f.EngagementFactory.create_batch(12, village_level=True)),
    DesmigratifVillage: lambda: f.DesmigratifVillageFactory.create_batch(35),
    FieldOfficer: lambda: [f.FieldOfficerFactory.create_batch(2, desmigratif_village=village)
                           for village in f.DesmigratifVillageFactory.create_batch(16)],
    PillarActivity: lambda: f.PillarActivityFactory.create_batch(36, partner_agency=f.AgencyFactory()),
    MigrantWorker: _migrants,
    Placement: lambda: (f.PlacementFactory.create_batch(20), f.MigrantWorkerFactory.create_batch(12, returned=True)),
    Reintegration: lambda: f.ReintegrationFactory.create_batch(31),
    Cooperative: _cooperatives,
    CooperativeMember: _cooperatives,
    CooperativeYearlyFigure: _cooperatives,
    User: _users,
    ApiToken: lambda: [api_token_issue(user=user, name=f"Sistem {user.username}", read_only=index % 2 == 0)
                       for index, user in enumerate(f.UserFactory.create_batch(32))],
}


def test_every_program_model_is_registered_and_has_rows_for_its_list_test():
    from django.apps import apps

    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or issubclass(model, SummaryRow):
                continue  # history and summaries are derived from the records, not edited
            assert admin.site.is_registered(model), f"{model._meta.label} has no admin"
            if app != "regions":
                assert model in ROWS, f"add rows for {model._meta.label} to ROWS in tests/test_admin.py"


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[label(item) for item in REGISTRY])
def test_changelist_and_add_page_open(admin_client, superuser, model, model_admin):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    request = RequestFactory().get("/")
    request.user = superuser
    response = admin_client.get(admin_url(model, "add"))
    if model._meta.app_label in OUR_APPS:
        assert response.status_code == 200
    else:  # some third-party admins (axes' logs) refuse additions on purpose
        assert response.status_code == (200 if model_admin.has_add_permission(request) else 403)


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[label(item) for item in REGISTRY])
def test_changelist_queries_do_not_grow_with_rows(admin_client, django_assert_max_num_queries, model, model_admin):
    if model in ROWS:
        ROWS[model]()
    url = admin_url(model, "changelist")
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = admin_client.get(url)
    assert response.status_code == 200
    if model in ROWS or model._meta.app_label == "regions":
        changelist = response.context["cl"]
        assert changelist.result_count >= 30
        assert len(changelist.result_list) >= 30


@pytest.mark.parametrize(("model", "model_admin"), OUR_REGISTRY, ids=[label(item) for item in OUR_REGISTRY])
def test_every_list_filter_and_search_stays_cheap(admin_client, superuser, django_assert_max_num_queries, model,
                                                  model_admin):
    if model in ROWS:
        ROWS[model]()
    request = RequestFactory().get("/")
    request.user = superuser
    url = admin_url(model, "changelist")
    queries = [{"q": "32.09"}, {"q": "Sejahtera"}, {"q": "3209"}]
    for spec in model_admin.list_filter:
        if isinstance(spec, type) and issubclass(spec, admin.SimpleListFilter):
            lookups = spec(request, {}, model, model_admin).lookup_choices
            value = "32" if spec.parameter_name == "province" else lookups[0][0]
            queries.append({spec.parameter_name: value})
    for params in queries:
        with django_assert_max_num_queries(MAX_LIST_QUERIES):
            response = admin_client.get(url, params)
        assert response.status_code == 200, params


@pytest.mark.parametrize(("model", "model_admin"), OUR_REGISTRY, ids=[label(item) for item in OUR_REGISTRY])
def test_big_tables_are_never_a_select_nor_a_list_filter(superuser, model, model_admin):
    request = RequestFactory().get("/")
    request.user = superuser
    for spec in model_admin.list_filter:
        if isinstance(spec, str):
            field = model._meta.get_field(spec.split("__")[0])
            assert not (field.is_relation and field.related_model in BIG_TABLES - {Agency}), spec
    form_classes = [(model_admin, model_admin.get_form(request))]
    form_classes += [(inline, inline.get_formset(request).form) for inline in model_admin.get_inline_instances(request)]
    for owner, form_class in form_classes:
        for name, form_field in form_class.base_fields.items():
            remote = getattr(getattr(form_field, "queryset", None), "model", None)
            if remote in BIG_TABLES:
                widget = getattr(form_field.widget, "widget", form_field.widget)
                assert isinstance(widget, AutocompleteSelect), f"{type(owner).__name__}.{name} is a plain select"


def test_village_autocomplete_by_code_prefix(admin_client):
    response = admin_client.get("/admin/autocomplete/", {
        "app_label": "migrants", "model_name": "migrantworker", "field_name": "village", "term": "32.09"})
    assert response.status_code == 200
    data = response.json()
    assert len(data["results"]) == 20 and data["pagination"]["more"] is True
    assert all(result["id"].startswith("32.09.") for result in data["results"])
    assert data["results"][0]["id"] == Village.objects.filter(code__startswith="32.09.").order_by("code")[0].code


def test_village_autocomplete_by_name(admin_client):
    response = admin_client.get("/admin/autocomplete/", {
        "app_label": "villages", "model_name": "desmigratifvillage", "field_name": "village", "term": "kenanga"})
    assert response.status_code == 200
    ids = [result["id"] for result in response.json()["results"]]
    assert "32.12.16.2004" in ids


def test_desmigratif_village_autocomplete_names_the_village(admin_client, django_assert_max_num_queries):
    f.DesmigratifVillageFactory.create_batch(25)
    with django_assert_max_num_queries(6):
        response = admin_client.get("/admin/autocomplete/", {
            "app_label": "cooperatives", "model_name": "cooperative", "field_name": "desmigratif_village",
            "term": ""})
    results = response.json()["results"]
    assert len(results) == 20 and all(" " in result["text"] for result in results)


# --- PMI: the NIK rules on the add form, the stage through services ---------------------------


def migrant_form(**overrides) -> dict:
    data = {"nik": nik_for(district_code="32.09.14", birth_date=D(1995, 8, 17), female=True, serial=77),
            "name": "Siti Admin", "gender": "F", "birth_date": "1995-08-17", "village": "32.09.14.2004",
            "address": "", "education": "smp", "marital_status": "single", "phone": "", "registered_on": "2024-02-01"}
    data.update(overrides)
    return data


def test_add_pmi_with_a_short_nik_shows_the_error_on_the_form(admin_client):
    before = MigrantWorker.objects.count()
    response = admin_client.post(admin_url(MigrantWorker, "add"), migrant_form(nik="320914570895007"))
    assert response.status_code == 200
    assert "nik" in response.context["adminform"].form.errors
    assert MigrantWorker.objects.count() == before


def test_add_pmi_registers_through_the_rules(admin_client):
    response = admin_client.post(admin_url(MigrantWorker, "add"), migrant_form(nik="3209.1457.0895.0077"))
    assert response.status_code == 302
    migrant = MigrantWorker.objects.get(name="Siti Admin")
    assert migrant.nik == "3209145708950077"
    assert migrant.stage == Stage.REGISTERED
    assert migrant.registered_on == migrant.stage_changed_on == D(2024, 2, 1)
    assert not migrant.nik_needs_verification
    assert migrant.history.count() == 1


def test_add_pmi_with_a_doubtful_nik_is_kept_and_flagged(admin_client):
    response = admin_client.post(admin_url(MigrantWorker, "add"), migrant_form(gender="M"))
    assert response.status_code == 302
    migrant = MigrantWorker.objects.get(name="Siti Admin")
    assert migrant.nik_needs_verification and migrant.nik_flags == "gender"
    page = admin_client.get(admin_url(MigrantWorker, "change", migrant.pk)).content.decode()
    assert escape(migrant.nik_flag_labels[0]) in page


def test_stage_is_not_a_form_field(admin_client):
    migrant = f.MigrantWorkerFactory()
    response = admin_client.get(admin_url(MigrantWorker, "change", migrant.pk))
    form = response.context["adminform"].form
    assert "stage" not in form.fields and "nik_flags" not in form.fields
    data = migrant_form(nik=migrant.nik, name=migrant.name, gender=migrant.gender, village=migrant.village_id,
                        birth_date=migrant.birth_date.isoformat(), stage=Stage.ABROAD)
    response = admin_client.post(admin_url(MigrantWorker, "change", migrant.pk), {
        **data, "placements-TOTAL_FORMS": 0, "placements-INITIAL_FORMS": 0,
        "reintegration-TOTAL_FORMS": 0, "reintegration-INITIAL_FORMS": 0})
    assert response.status_code == 302
    migrant.refresh_from_db()
    assert migrant.stage == Stage.REGISTERED


def run_action(client, action: str, *migrants):
    return client.post(admin_url(MigrantWorker, "changelist"),
                       {"action": action, "_selected_action": [m.pk for m in migrants]}, follow=True)


def test_mark_verified_moves_a_registered_pmi(admin_client):
    migrant = f.MigrantWorkerFactory()
    response = run_action(admin_client, "mark_verified", migrant)
    assert response.status_code == 200
    migrant.refresh_from_db()
    assert migrant.stage == Stage.VERIFIED
    assert [m.level for m in response.context["messages"]] == [SUCCESS]


def test_mark_verified_refuses_a_pmi_abroad_with_a_message(admin_client):
    registered, abroad = f.MigrantWorkerFactory(), f.MigrantWorkerFactory(abroad=True)
    response = run_action(admin_client, "mark_verified", registered, abroad)
    assert response.status_code == 200
    abroad.refresh_from_db()
    registered.refresh_from_db()
    assert abroad.stage == Stage.ABROAD and registered.stage == Stage.VERIFIED
    levels = sorted(m.level for m in response.context["messages"])
    assert levels == [SUCCESS, ERROR]
    error = next(str(m) for m in response.context["messages"] if m.level == ERROR)
    assert abroad.name in error and abroad.nik not in error


def test_mark_ready_then_departure_and_return_through_the_placement_admin(admin_client):
    migrant = f.MigrantWorkerFactory(verified=True)
    run_action(admin_client, "mark_ready", migrant)
    migrant.refresh_from_db()
    assert migrant.stage == Stage.READY
    placement = {"migrant": migrant.pk, "destination_country": "TW", "sector": "informal", "job": "Caregiver",
                 "scheme": "p2p", "p3mi_name": "PT Contoh", "departure_date": datetime.date.today().isoformat(),
                 "contract_end_date": ""}
    response = admin_client.post(admin_url(Placement, "add"), placement)
    assert response.status_code == 302
    migrant.refresh_from_db()
    assert migrant.stage == Stage.ABROAD
    opened = migrant.placements.get()
    change = {key: value for key, value in placement.items() if key not in ("migrant", "departure_date")}
    response = admin_client.post(admin_url(Placement, "change", opened.pk), {
        **change, "job": "Caregiver (elderly)", "return_date": datetime.date.today().isoformat(),
        "return_reason": "contract_ended"})
    assert response.status_code == 302
    migrant.refresh_from_db()
    opened.refresh_from_db()
    assert migrant.stage == Stage.RETURNED
    assert opened.job == "Caregiver (elderly)" and opened.return_reason == "contract_ended"


def test_a_departure_of_a_pmi_not_ready_is_an_error_on_the_form(admin_client):
    migrant = f.MigrantWorkerFactory()
    response = admin_client.post(admin_url(Placement, "add"), {
        "migrant": migrant.pk, "destination_country": "MY", "sector": "formal", "job": "Operator",
        "scheme": "g2g", "p3mi_name": "", "departure_date": "2024-01-10", "contract_end_date": ""})
    assert response.status_code == 200
    assert "migrant" in response.context["adminform"].form.errors
    assert not Placement.objects.filter(migrant=migrant).exists()


def test_reintegration_only_for_a_returned_pmi(admin_client):
    registered, returned = f.MigrantWorkerFactory(), f.MigrantWorkerFactory(returned=True)
    data = {"training_received": "Menjahit", "has_business": "on", "business_type": "Konveksi",
            "business_started_on": "", "credit_bank": "", "notes": ""}
    response = admin_client.post(admin_url(Reintegration, "add"), {**data, "migrant": registered.pk})
    assert response.status_code == 200 and "migrant" in response.context["adminform"].form.errors
    response = admin_client.post(admin_url(Reintegration, "add"), {**data, "migrant": returned.pk})
    assert response.status_code == 302
    assert returned.reintegration.business_type == "Konveksi"


def test_reintegration_inline_on_a_returned_pmi(admin_client):
    migrant = f.MigrantWorkerFactory(returned=True)
    response = admin_client.get(admin_url(MigrantWorker, "change", migrant.pk))
    assert response.status_code == 200
    data = migrant_form(nik=migrant.nik, name=migrant.name, gender=migrant.gender, village=migrant.village_id,
                        birth_date=migrant.birth_date.isoformat())
    placement = migrant.placements.get()
    response = admin_client.post(admin_url(MigrantWorker, "change", migrant.pk), {
        **data, "placements-TOTAL_FORMS": 1, "placements-INITIAL_FORMS": 1, "placements-0-id": placement.pk,
        "placements-0-migrant": migrant.pk,
        "reintegration-TOTAL_FORMS": 1, "reintegration-INITIAL_FORMS": 0, "reintegration-MAX_NUM_FORMS": 1,
        "reintegration-0-training_received": "Kuliner", "reintegration-0-has_kur_credit": "on",
        "reintegration-0-credit_bank": "BRI", "reintegration-0-business_type": "",
        "reintegration-0-notes": "", "reintegration-0-migrant": migrant.pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Reintegration.objects.get(migrant=migrant).credit_bank == "BRI"


# --- users and regions ------------------------------------------------------------------------


def test_user_admin_shows_role_and_area(admin_client):
    user = f.UserFactory(regency_operator=True)
    page = admin_client.get(admin_url(User, "change", user.pk)).content.decode()
    for name in ("role", "province", "regency", "village", "agency"):
        assert f'name="{name}"' in page
    response = admin_client.post(admin_url(User, "add"), {
        "username": "new-operator", "usable_password": "true", "password1": "long-enough-pass-1",
        "password2": "long-enough-pass-1", "role": Role.REGENCY_OPERATOR, "regency": "", "province": "32"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "regency" in errors and "province" in errors


def admin_with_view_perms(*models) -> User:
    """An administrator who is no superuser: Django's model permissions still decide what they do."""
    user = User.objects.create_user("admin-viewer", password=f.PASSWORD, is_staff=True, role=Role.ADMIN)
    user.user_permissions.set(Permission.objects.filter(
        codename__in=[f"view_{model._meta.model_name}" for model in models]))
    return user


def test_regions_are_view_only_for_administrators_who_are_no_superusers(client):
    client.force_login(admin_with_view_perms(Province, Village))
    assert client.get(admin_url(Village, "changelist")).status_code == 200
    assert client.get(admin_url(Village, "change", "32.09.14.2004")).status_code == 200
    assert client.get(admin_url(Village, "add")).status_code == 403
    assert client.get(admin_url(Province, "add")).status_code == 403


def test_reintegration_of_a_pmi_registered_again_is_read_only(admin_client):
    migrant = f.ReintegrationFactory().migrant
    run_action(admin_client, "register_again", migrant)
    migrant.refresh_from_db()
    assert migrant.stage == Stage.REGISTERED
    reintegration = migrant.reintegration
    data = migrant_form(nik=migrant.nik, name="Renamed", gender=migrant.gender, village=migrant.village_id,
                        birth_date=migrant.birth_date.isoformat())
    response = admin_client.post(admin_url(MigrantWorker, "change", migrant.pk), {
        **data, "placements-TOTAL_FORMS": 1, "placements-INITIAL_FORMS": 1,
        "placements-0-id": migrant.placements.get().pk, "placements-0-migrant": migrant.pk,
        "reintegration-TOTAL_FORMS": 1, "reintegration-INITIAL_FORMS": 1,
        "reintegration-0-id": reintegration.pk, "reintegration-0-migrant": migrant.pk,
        "reintegration-0-training_received": "changed"})
    assert response.status_code == 302
    reintegration.refresh_from_db()
    assert reintegration.training_received != "changed"
    assert reintegration.history.count() == 1 and migrant.placements.get().history.count() == 1  # untouched
    assert admin_client.get(admin_url(Reintegration, "change", reintegration.pk)).status_code == 200
    assert MigrantWorker.objects.get(pk=migrant.pk).name == "Renamed"


# --- the admin is for administrators only (README, /admin/) -----------------------------------

OTHER_ROLES = ["kemnaker", "jabar", "cirebon", "indramayu", "petugas", "bpjs"]


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def staff_of_another_role(username: str) -> User:
    """A demo user of a role that is not administrator, made staff with every model permission (the old
    demo made operators staff with the permissions of an admin group): the site's rule must hold anyway."""
    user = User.objects.get(username=username)
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=user.pk)  # without the permission cache


@pytest.mark.parametrize("username", OTHER_ROLES)
def test_other_roles_are_sent_to_the_admin_login_with_a_refusal(client, username):
    english(client).force_login(staff_of_another_role(username))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    page = client.get(response["Location"]).content.decode()
    assert "The administration site is for administrators only" in page
    assert "not authorized to access this page" in page


def test_the_admin_login_refuses_another_role_with_the_right_password(client):
    staff_of_another_role("cirebon")
    response = english(client).post(reverse("admin:login"), {"username": "cirebon", "password": "demo-Desmigratif-2024",
                                                     "next": "/admin/"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_the_portal_menu_offers_the_admin_to_administrators_only(client):
    client.force_login(staff_of_another_role("cirebon"))
    assert reverse("admin:index") not in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(User.objects.get(username="admin"))
    assert reverse("admin:index") in client.get(reverse("home"), follow=True).content.decode()


# --- history: the portal's page, no revert -------------------------------------------------------


def indramayu_program_village() -> DesmigratifVillage:
    return DesmigratifVillage.objects.filter(village__code__startswith="32.12.").order_by("pk").first()


def test_another_regencys_pmi_is_not_read_through_the_admin_history(client):
    migrant = f.MigrantWorkerFactory(village=Village.objects.get(code="32.12.16.2004"))
    record = migrant.history.get()
    client.force_login(staff_of_another_role("cirebon"))
    for url in (admin_url(MigrantWorker, "history", migrant.pk),
                f"{admin_url(MigrantWorker, 'history', migrant.pk)}{record.history_id}/"):
        response = client.get(url, follow=True)
        assert migrant.nik not in response.content.decode(), url
        assert migrant.phone not in response.content.decode(), url


def test_another_regencys_record_is_not_reverted_through_the_admin(client):
    activity = f.PillarActivityFactory(desmigratif_village=indramayu_program_village(), title="Pelatihan awal")
    first = activity.history.get()
    activity.title = "Pelatihan yang benar"
    activity.save()
    data = {"desmigratif_village": activity.desmigratif_village_id, "pillar": activity.pillar, "kind": activity.kind,
            "date": activity.date.isoformat(), "title": "Pelatihan awal", "partner_agency": "",
            "budget": str(activity.budget), "participants_women": activity.participants_women,
            "participants_men": activity.participants_men, "services_given": activity.services_given,
            "businesses_started": activity.businesses_started, "children_reached": activity.children_reached,
            "notes": ""}
    client.force_login(staff_of_another_role("cirebon"))
    client.post(f"{admin_url(PillarActivity, 'history', activity.pk)}{first.history_id}/", data)
    activity.refresh_from_db()
    assert activity.title == "Pelatihan yang benar" and activity.history.count() == 2


def admin_urls(patterns=None, prefix="") -> list[tuple[str, str]]:
    from django.urls import URLResolver

    found = []
    for entry in admin.site.get_urls() if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            found += admin_urls(entry.url_patterns, prefix + str(entry.pattern))
        else:
            found.append((entry.name or "", prefix + str(entry.pattern)))
    return found


def test_the_admin_has_no_revert_and_its_history_is_the_portals_page(admin_client):
    assert not [name for name, _ in admin_urls() if name.endswith("_simple_history")]
    assert not [type(model_admin).__name__ for model_admin in admin.site._registry.values()
                if isinstance(model_admin, SimpleHistoryAdmin)]
    activity = f.PillarActivityFactory()
    response = admin_client.get(admin_url(PillarActivity, "history", activity.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("record_history", args=["villages.pillaractivity", activity.pk])
    assert admin_client.get(response["Location"]).status_code == 200
    # a model the portal's page does not cover: Django's log of admin actions
    officer = f.FieldOfficerFactory()
    assert admin_client.get(admin_url(FieldOfficer, "history", officer.pk)).status_code == 200


# --- writes through the services ------------------------------------------------------------------


def activity_total(village_code: str) -> int:
    return ActivitySummary.objects.filter(level=SummaryLevel.VILLAGE, area_code=village_code).aggregate(
        n=Sum("activities"))["n"] or 0


def cooperative_members_total(village_code: str) -> int:
    return CooperativeSummary.objects.filter(level=SummaryLevel.VILLAGE, area_code=village_code).aggregate(
        n=Sum("members"))["n"] or 0


def activity_form(program_village: DesmigratifVillage, **overrides) -> dict:
    data = {"desmigratif_village": program_village.pk, "pillar": "1", "kind": "1_guidance",
            "date": "2024-03-05", "title": "Sosialisasi migrasi aman", "partner_agency": "", "budget": "1500000",
            "participants_women": "12", "participants_men": "8", "services_given": "20", "businesses_started": "0",
            "children_reached": "0", "notes": ""}
    data.update(overrides)
    return data


def test_adding_an_activity_in_the_admin_recounts_the_summary(admin_client, superuser):
    program_village = f.DesmigratifVillageFactory()
    before = activity_total(program_village.village_id)
    response = admin_client.post(admin_url(PillarActivity, "add"), activity_form(program_village))
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = PillarActivity.objects.get(desmigratif_village=program_village)
    assert activity_total(program_village.village_id) == before + 1
    assert activity.history.get().history_user == superuser


def test_moving_an_activity_in_the_admin_recounts_both_villages(admin_client):
    activity = f.PillarActivityFactory()
    other = f.DesmigratifVillageFactory()
    old_code = activity.desmigratif_village.village_id
    activity_summaries_refresh(villages=[old_code])  # the factories write past the services
    assert activity_total(old_code) == 1
    data = activity_form(other, pillar=activity.pillar, kind=activity.kind, date=activity.date.isoformat(),
                         title=activity.title)
    response = admin_client.post(admin_url(PillarActivity, "change", activity.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert activity_total(old_code) == 0 and activity_total(other.village_id) == 1
    activity.refresh_from_db()
    assert activity.version == 2


def test_deleting_yearly_figures_with_the_bulk_action_recounts(admin_client):
    figures = [f.CooperativeYearlyFigureFactory() for _ in range(2)]
    codes = [figure.cooperative.desmigratif_village.village_id for figure in figures]
    cooperative_summaries_refresh(villages=codes)  # the factories write past the services
    assert all(cooperative_members_total(code) for code in codes)
    response = admin_client.post(admin_url(CooperativeYearlyFigure, "changelist"), {
        "action": "delete_selected", "_selected_action": [figure.pk for figure in figures], "post": "yes"})
    assert response.status_code == 302
    assert not CooperativeYearlyFigure.objects.filter(pk__in=[figure.pk for figure in figures]).exists()
    assert [cooperative_members_total(code) for code in codes] == [0, 0]


def test_deleting_pmi_with_the_bulk_action_recounts(admin_client):
    village = Village.objects.get(code="32.09.14.2004")
    migrants = f.MigrantWorkerFactory.create_batch(2, village=village)
    migrant_summaries_refresh(villages=[village.code])  # the factories write past the services

    def counted() -> int:
        return MigrantStageSummary.objects.filter(level=SummaryLevel.VILLAGE, area_code=village.code).aggregate(
            n=Sum("count"))["n"] or 0

    before = counted()
    assert before == MigrantWorker.objects.filter(village=village).count()
    admin_client.post(admin_url(MigrantWorker, "changelist"), {
        "action": "delete_selected", "_selected_action": [m.pk for m in migrants], "post": "yes"})
    assert not MigrantWorker.objects.filter(pk__in=[m.pk for m in migrants]).exists()
    assert counted() == before - 2


def cooperative_change_data(admin_client, cooperative) -> dict:
    from tests.faults.test_concurrent_edits import read_form

    return read_form(admin_client.get(admin_url(Cooperative, "change", cooperative.pk))).fields


def test_a_yearly_figure_added_inline_recounts_and_a_refused_one_is_an_error_on_the_form(admin_client):
    cooperative = f.CooperativeFactory()
    code = cooperative.desmigratif_village.village_id
    data = cooperative_change_data(admin_client, cooperative)
    prefix = "yearly_figures"
    figure = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-members": "40", f"{prefix}-0-members_returned_pmi": "9",
              f"{prefix}-0-capital": "10000000", f"{prefix}-0-assets": "12000000", f"{prefix}-0-revenue": "5000000",
              f"{prefix}-0-shu": "700000", f"{prefix}-0-cooperative": str(cooperative.pk)}
    next_year = datetime.date.today().year + 1
    # a book year still to come: refused by the service, shown on the form; the name change is not saved
    response = english(admin_client).post(admin_url(Cooperative, "change", cooperative.pk), {
        **data, **figure, "name": "Koperasi Berganti Nama", f"{prefix}-0-year": str(next_year)})
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert any(f"The book year {next_year} has not begun yet." in error for error in errors), errors
    cooperative.refresh_from_db()
    assert cooperative.name != "Koperasi Berganti Nama" and not cooperative.yearly_figures.exists()
    response = admin_client.post(admin_url(Cooperative, "change", cooperative.pk), {
        **data, **figure, f"{prefix}-0-year": "2023"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert cooperative_members_total(code) == 40


def test_a_services_refusal_lands_on_the_field_of_the_form(admin_client):
    figure = f.CooperativeYearlyFigureFactory(year=2022)
    from tests.faults.test_concurrent_edits import read_form

    data = read_form(admin_client.get(admin_url(CooperativeYearlyFigure, "change", figure.pk))).fields
    next_year = datetime.date.today().year + 1
    response = english(admin_client).post(admin_url(CooperativeYearlyFigure, "change", figure.pk),
                                 {**data, "year": str(next_year)})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["year"] == [f"The book year {next_year} has not begun yet."]
    figure.refresh_from_db()
    assert figure.year == 2022 and figure.version == 1


def test_a_program_village_with_activities_keeps_its_village(admin_client):
    activity = f.PillarActivityFactory()
    program_village = activity.desmigratif_village
    from tests.faults.test_concurrent_edits import read_form

    data = read_form(admin_client.get(admin_url(DesmigratifVillage, "change", program_village.pk))).fields
    elsewhere = Village.objects.filter(code__startswith="32.09.").exclude(desmigratif__isnull=False).first()
    response = admin_client.post(admin_url(DesmigratifVillage, "change", program_village.pk),
                                 {**data, "village": elsewhere.code})
    assert response.status_code == 200
    assert "village" in response.context["adminform"].form.errors
    program_village.refresh_from_db()
    assert program_village.village_id == activity.desmigratif_village.village_id


def test_a_save_that_changes_nothing_writes_nothing(admin_client):
    activity = f.PillarActivityFactory()
    from tests.faults.test_concurrent_edits import read_form

    data = read_form(admin_client.get(admin_url(PillarActivity, "change", activity.pk))).fields
    assert admin_client.post(admin_url(PillarActivity, "change", activity.pk), data).status_code == 302
    activity.refresh_from_db()
    assert activity.version == 1 and activity.history.count() == 1


def test_an_engagement_changed_in_the_admin_moves_its_version(admin_client):
    engagement = f.EngagementFactory()
    from tests.faults.test_concurrent_edits import read_form

    data = read_form(admin_client.get(admin_url(Engagement, "change", engagement.pk))).fields
    response = admin_client.post(admin_url(Engagement, "change", engagement.pk), {**data, "description": "Dikoreksi"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    engagement.refresh_from_db()
    assert (engagement.description, engagement.version) == ("Dikoreksi", 2)


@pytest.mark.parametrize("model", [Agency, Reintegration, Placement])
def test_what_has_no_delete_service_cannot_be_deleted_in_the_admin(admin_client, model):
    record = {Agency: f.AgencyFactory, Reintegration: f.ReintegrationFactory, Placement: f.PlacementFactory}[model]()
    assert admin_client.get(admin_url(model, "delete", record.pk)).status_code == 403
    assert admin_client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    response = admin_client.post(admin_url(model, "changelist"), {
        "action": "delete_selected", "_selected_action": [record.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert model.objects.filter(pk=record.pk).exists()


def test_the_admin_change_page_of_a_person_is_in_the_access_log(admin_client, superuser):
    reintegration = f.ReintegrationFactory()
    migrant = reintegration.migrant
    placement = migrant.placements.get()
    for url in (admin_url(MigrantWorker, "change", migrant.pk), admin_url(Placement, "change", placement.pk),
                admin_url(Reintegration, "change", reintegration.pk)):
        before = PersonalDataAccess.objects.filter(user=superuser, migrant_id=migrant.pk).count()
        assert admin_client.get(url).status_code == 200
        assert PersonalDataAccess.objects.filter(user=superuser, migrant_id=migrant.pk,
                                                 action=AccessAction.VIEW).count() == before + 1, url


def test_every_program_admin_reads_through_a_selector_and_writes_through_services():
    from desmigratif.program_admin import ProgramAdmin, ProgramInline

    for model, model_admin in OUR_REGISTRY:
        if model._meta.app_label in ("accounts", "regions"):
            continue
        assert isinstance(model_admin, ProgramAdmin), type(model_admin).__name__
        assert model_admin.selector is not None, type(model_admin).__name__
        for inline in model_admin.inlines:
            assert issubclass(inline, ProgramInline), inline.__name__


# --- defence in depth: were another role let in, it would see its area only ----------------------


def request_as(username: str):
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username=username)
    return request


def test_admin_rows_and_choices_are_those_of_the_users_area():
    request = request_as("cirebon")
    migrants = admin.site.get_model_admin(MigrantWorker).get_queryset(request)
    assert migrants.exists() and not migrants.exclude(village__code__startswith="32.09.").exists()
    engagements = admin.site.get_model_admin(Engagement).get_queryset(request)
    assert not engagements.filter(regency__code="32.12").exists()
    member_form = admin.site.get_model_admin(CooperativeMember).get_form(request)
    assert not member_form.base_fields["migrant"].queryset.exclude(village__code__startswith="32.09.").exists()
    activity_form_class = admin.site.get_model_admin(PillarActivity).get_form(request)
    choices = activity_form_class.base_fields["desmigratif_village"].queryset
    assert choices.exists() and not choices.exclude(village__code__startswith="32.09.").exists()
    regencies = admin.site.get_model_admin(Engagement).get_form(request).base_fields["regency"].queryset
    assert list(regencies.values_list("code", flat=True)) == ["32.09"]
    # an Indramayu program village is not a choice: the form refuses it before any service is called
    form = activity_form_class(activity_form(indramayu_program_village()))
    assert not form.is_valid() and "desmigratif_village" in form.errors


def test_admin_autocomplete_lists_the_users_area_only():
    request = RequestFactory().get("/admin/autocomplete/", {
        "app_label": "cooperatives", "model_name": "cooperativemember", "field_name": "migrant", "term": ""})
    request.user = staff_of_another_role("cirebon")
    response = admin.site.autocomplete_view(request)  # the view itself, past the site's door
    ids = [int(result["id"]) for result in json.loads(response.content)["results"]]
    assert ids and set(MigrantWorker.objects.filter(pk__in=ids).values_list("village__district__regency_id",
                                                                             flat=True)) == {"32.09"}
