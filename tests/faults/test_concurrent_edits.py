"""Two officials editing the same record: the second save is refused with a clear message, the first
one's data stays, and the second one's input is still on the page (optimistic versioning, see
desmigratif.versioning).

Every edit page is covered by one parametrised case (the same steps for a PMI, a village, a
cooperative …), and a generated check makes sure a new model with an ``*_update`` service cannot
come without a version and an edit form carrying it.
"""
from __future__ import annotations

import importlib
import inspect
import typing
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from agencies.choices import EngagementLevel
from cooperatives.models import Cooperative
from desmigratif.versioning import VersionedModel
from migrants import services as migrant_services
from migrants.choices import Stage
from migrants.models import MigrantWorker, Reintegration
from regions.models import Regency, Village
from villages.models import DesmigratifVillage

from ..api.base import token_client
from ..factories import (
    AgencyFactory,
    CooperativeFactory,
    CooperativeMemberFactory,
    CooperativeYearlyFigureFactory,
    EngagementFactory,
    FieldOfficerFactory,
    MigrantWorkerFactory,
    PillarActivityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STALE_EN = "since you opened it. Reload the page to see the latest changes; your input has not been saved."


# --- reading a page's form as a browser would send it --------------------------------------------


class FormReader(HTMLParser):
    """The fields of a page's ``<form method="post">`` with the values a browser would send: the form
    with the most fields (the page's own form, not the menu's sign-out or language buttons)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[dict[str, str], dict[str, str]]] = []
        self._form: tuple[dict[str, str], dict[str, str]] | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    @property
    def fields(self) -> dict[str, str]:
        return max(self.forms, key=lambda form: len(form[0]))[0]

    @property
    def hidden(self) -> dict[str, str]:
        return max(self.forms, key=lambda form: len(form[0]))[1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = ({}, {})
            self.forms.append(self._form)
        if self._form is None:
            return
        fields, hidden = self._form
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields[name] = attrs.get("value") or "on"
            elif kind not in ("submit", "button"):
                fields[name] = attrs.get("value") or ""
                if kind == "hidden":
                    hidden[name] = fields[name]
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select:
            self._form[0].setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[0][self._textarea] += data


def read_form(response) -> FormReader:
    assert response.status_code == 200, response.status_code
    reader = FormReader()
    reader.feed(response.content.decode())
    assert reader.forms, "no form on the page"
    return reader


def browser(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# --- the records and their edit pages -------------------------------------------------------------


def cirebon_village() -> DesmigratifVillage:
    return DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()


def home_village() -> Village:
    return Village.objects.filter(code__startswith="32.09.", code__contains=".2").order_by("code").first()


def second_operator() -> User:
    """A second Disnaker operator of Kabupaten Cirebon, besides the demo's ``cirebon``."""
    return UserFactory(username="cirebon2", regency_operator=True, first_name="Operator", last_name="Kedua")


def second_admin() -> User:
    return UserFactory(username="admin2", admin=True, first_name="Admin", last_name="Kedua")


@dataclass(frozen=True)
class EditCase:
    url_name: str
    make: typing.Callable  # → (the record, the pk in the edit page's URL)
    field: str  # a field both officials change
    first: str
    second: str
    users: typing.Callable[[], tuple[User, User]] = lambda: (User.objects.get(username="cirebon"), second_operator())


def _yearly_figure():
    figure = CooperativeYearlyFigureFactory(cooperative=CooperativeFactory(desmigratif_village=cirebon_village()),
                                            members=50, members_returned_pmi=5)
    return figure, figure.pk


def _reintegration():
    migrant = MigrantWorkerFactory(returned=True, village=home_village())
    return migrant, migrant.pk  # the page of the PMI's reintegration, none recorded yet


def _placement():
    migrant = MigrantWorkerFactory(abroad=True, village=home_village())
    placement = migrant.placements.get()
    return placement, placement.pk


def _with_pk(record):
    return record, record.pk


CASES = [
    EditCase("migrants:migrantworker_edit", lambda: _with_pk(MigrantWorkerFactory(village=home_village())),
             "name", "Siti Pertama", "Siti Kedua"),
    EditCase("villages:desmigratifvillage_edit", lambda: _with_pk(cirebon_village()),
             "decree_number", "KEP.1/PERTAMA", "KEP.2/KEDUA"),
    EditCase("cooperatives:cooperative_edit",
             lambda: _with_pk(CooperativeFactory(desmigratif_village=cirebon_village())),
             "name", "Koperasi Pertama", "Koperasi Kedua"),
    EditCase("villages:pillaractivity_edit",
             lambda: _with_pk(PillarActivityFactory(desmigratif_village=cirebon_village())),
             "title", "Pelatihan pertama", "Pelatihan kedua"),
    EditCase("villages:fieldofficer_edit",
             lambda: _with_pk(FieldOfficerFactory(desmigratif_village=cirebon_village())),
             "name", "Petugas Pertama", "Petugas Kedua"),
    EditCase("migrants:placement_edit", _placement, "job", "Perawat lansia", "Operator pabrik"),
    EditCase("migrants:reintegration_edit", _reintegration, "business_type", "Warung", "Katering"),
    EditCase("cooperatives:cooperativemember_edit",
             lambda: _with_pk(CooperativeMemberFactory(
                 cooperative=CooperativeFactory(desmigratif_village=cirebon_village()))),
             "name", "Anggota Pertama", "Anggota Kedua"),
    EditCase("cooperatives:cooperativeyearlyfigure_edit", _yearly_figure, "members", "60", "70"),
    EditCase("agencies:engagement_edit",
             lambda: _with_pk(EngagementFactory(level=EngagementLevel.REGENCY,
                                                regency=Regency.objects.get(code="32.09"))),
             "description", "Pelatihan pertama", "Pelatihan kedua"),
    EditCase("agencies:agency_edit", lambda: _with_pk(AgencyFactory()), "name", "Mitra Pertama", "Mitra Kedua",
             users=lambda: (User.objects.get(username="admin"), second_admin())),
]


def stored(record, field: str):
    if isinstance(record, MigrantWorker) and field in {f.name for f in Reintegration._meta.fields}:
        return Reintegration.objects.get(migrant=record).business_type
    record.refresh_from_db()
    return str(getattr(record, field))


def form_payload(reader: FormReader, case: EditCase, value: str) -> dict:
    data = {**reader.fields, case.field: value}
    if case.url_name == "migrants:reintegration_edit":
        data["has_business"] = "on"  # a type of business needs a business
    return data


@pytest.mark.parametrize("case", CASES, ids=[case.url_name.split(":")[1] for case in CASES])
def test_the_second_save_is_refused_keeping_the_first_and_the_second_ones_input(case):
    record, pk = case.make()
    first_user, second_user = case.users()
    url = reverse(case.url_name, args=[pk])
    first, second = browser(first_user), browser(second_user)
    # both open the edit page of the same record …
    first_form, second_form = read_form(first.get(url)), read_form(second.get(url))
    assert first_form.hidden["version"] == second_form.hidden["version"]

    # … the first saves,
    response = first.post(url, form_payload(first_form, case, case.first))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert stored(record, case.field) == case.first

    # the second's save is refused on the same page, with who and when, and their input still there
    response = second.post(url, form_payload(second_form, case, case.second))
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE_EN in page
    assert f"changed by {first_user.get_full_name()} on " in page
    assert f'value="{case.second}"' in page or f"{case.second}</textarea>" in page
    assert stored(record, case.field) == case.first  # nothing of the second's was written

    # saving the same form again is refused again: only a reload (with the new version) saves
    assert STALE_EN in second.post(url, form_payload(second_form, case, case.second)).content.decode()
    reloaded = read_form(second.get(url))
    assert int(reloaded.hidden["version"]) > int(second_form.hidden["version"] or 0)
    assert second.post(url, form_payload(reloaded, case, case.second)).status_code == 302
    assert stored(record, case.field) == case.second


def test_the_refusal_speaks_indonesian_by_default_naming_who_and_when():
    migrant = MigrantWorkerFactory(village=home_village())
    url = reverse("migrants:migrantworker_edit", args=[migrant.pk])
    cirebon, other = User.objects.get(username="cirebon"), second_operator()
    first, second = browser(cirebon, "id"), browser(other, "id")
    first_form, second_form = read_form(first.get(url)), read_form(second.get(url))
    first.post(url, {**first_form.fields, "name": "Siti Pertama"})
    changed = timezone.localtime(migrant.history.latest().history_date)
    response = second.post(url, {**second_form.fields, "name": "Siti Kedua"})
    page = response.content.decode()
    assert cirebon.get_full_name() in page and changed.strftime("%d/%m/%Y %H:%M") in page
    assert 'value="Siti Kedua"' in page
    migrant.refresh_from_db()
    assert migrant.name == "Siti Pertama"


def test_a_stage_action_since_the_form_was_opened_refuses_the_edit():
    migrant = MigrantWorkerFactory(village=home_village())
    url = reverse("migrants:migrantworker_edit", args=[migrant.pk])
    editor = browser(second_operator())
    form = read_form(editor.get(url))
    # meanwhile cirebon marks the PMI verified (a stage action, not an edit)
    today = timezone.localdate().strftime("%d/%m/%Y")
    verify = browser(User.objects.get(username="cirebon")).post(
        reverse("migrants:migrantworker_verify", args=[migrant.pk]), {"date": today})
    assert verify.status_code == 302
    migrant.refresh_from_db()
    assert migrant.stage == Stage.VERIFIED and migrant.version == int(form.hidden["version"]) + 1
    response = editor.post(url, {**form.fields, "phone": "081200000000"})
    assert STALE_EN in response.content.decode()
    migrant.refresh_from_db()
    assert migrant.stage == Stage.VERIFIED and migrant.phone != "081200000000"


def test_a_return_refuses_a_correction_of_the_placement_opened_before_it():
    migrant = MigrantWorkerFactory(abroad=True, village=home_village())
    placement = migrant.placements.get()
    url = reverse("migrants:placement_edit", args=[placement.pk])
    editor = browser(second_operator())
    form = read_form(editor.get(url))
    migrant_services.migrant_return(migrant=migrant, user=User.objects.get(username="cirebon"),
                                    return_date=timezone.localdate(), return_reason="contract_ended")
    assert STALE_EN in editor.post(url, {**form.fields, "job": "Lain"}).content.decode()
    placement.refresh_from_db()
    assert placement.job != "Lain" and placement.return_date == timezone.localdate()


def test_a_save_racing_a_deletion_is_refused_and_brings_nothing_back():
    """The service's side of a deletion between the page's lookup and the save (the selector found it)."""
    from cooperatives.services import cooperative_update
    from desmigratif.versioning import StaleRecordError

    cooperative = CooperativeFactory(desmigratif_village=cirebon_village())
    loaded = Cooperative.objects.get(pk=cooperative.pk)
    Cooperative.objects.filter(pk=cooperative.pk).delete()
    for expected in (loaded.version, None):
        with pytest.raises(StaleRecordError) as refused:
            cooperative_update(user=User.objects.get(username="cirebon"), instance=loaded, expected_version=expected,
                               name="Hidup lagi")
        assert refused.value.current_version is None
    assert not Cooperative.objects.filter(pk=cooperative.pk).exists()


def test_a_record_deleted_since_the_form_was_opened_is_not_brought_back():
    cooperative = CooperativeFactory(desmigratif_village=cirebon_village())
    url = reverse("cooperatives:cooperative_edit", args=[cooperative.pk])
    editor = browser(second_operator())
    form = read_form(editor.get(url))
    browser(User.objects.get(username="cirebon")).post(reverse("cooperatives:cooperative_delete",
                                                               args=[cooperative.pk]))
    assert not Cooperative.objects.filter(pk=cooperative.pk).exists()
    response = editor.post(url, {**form.fields, "name": "Hidup lagi"})
    assert response.status_code == 404  # the page itself is gone: nothing re-created
    assert not Cooperative.objects.filter(name="Hidup lagi").exists()


def test_the_inline_yearly_figures_form_shows_the_refusal_in_the_swapped_section():
    figure, pk = _yearly_figure()
    url = reverse("cooperatives:cooperativeyearlyfigure_edit", args=[pk])
    first, second = browser(User.objects.get(username="cirebon")), browser(second_operator())
    htmx = {"HTTP_HX_REQUEST": "true"}
    first_form, second_form = read_form(first.get(url, **htmx)), read_form(second.get(url, **htmx))
    assert first.post(url, {**first_form.fields, "members": "61"}, **htmx).status_code == 200
    response = second.post(url, {**second_form.fields, "members": "71"}, **htmx)
    assert response.status_code == 200  # htmx swaps 2xx answers only: the error must come as one
    assert STALE_EN in response.content.decode() and 'value="71"' in response.content.decode()
    figure.refresh_from_db()
    assert figure.members == 61


# --- the API -----------------------------------------------------------------------------------------


API_CASES = [
    ("migrantworker", lambda: MigrantWorkerFactory(village=home_village()), "name", "Siti Pertama", "Siti Kedua"),
    ("desmigratifvillage", cirebon_village, "decree_number", "KEP.1/PERTAMA", "KEP.2/KEDUA"),
    ("cooperative", lambda: CooperativeFactory(desmigratif_village=cirebon_village()), "name", "Koperasi Pertama",
     "Koperasi Kedua"),
    ("pillaractivity", lambda: PillarActivityFactory(desmigratif_village=cirebon_village()), "title", "Satu", "Dua"),
    ("placement", lambda: MigrantWorkerFactory(abroad=True, village=home_village()).placements.get(), "job",
     "Perawat lansia", "Operator pabrik"),
    ("cooperativeyearlyfigure", lambda: _yearly_figure()[0], "members", 60, 70),
    ("engagement", lambda: EngagementFactory(level=EngagementLevel.REGENCY, regency=Regency.objects.get(code="32.09")),
     "description", "Satu", "Dua"),
]


@pytest.mark.parametrize("basename, make, field, first_value, second_value", API_CASES,
                         ids=[case[0] for case in API_CASES])
def test_api_a_stale_version_is_a_409_and_writes_nothing(basename, make, field, first_value, second_value):
    record = make()
    second_operator()
    first, second = token_client("cirebon"), token_client("cirebon2")
    for client in (first, second):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse(f"api:{basename}-detail", args=[record.pk])
    read_first, read_second = first.get(url).json(), second.get(url).json()
    assert read_first["version"] == read_second["version"] == record.version

    response = first.patch(url, {field: first_value, "version": read_first["version"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == record.version + 1

    response = second.patch(url, {field: second_value, "version": read_second["version"]}, format="json")
    assert response.status_code == 409
    message = response.json()["version"][0]
    assert f"changed by {User.objects.get(username='cirebon').get_full_name()} on " in message
    assert f"(version {record.version}, now {record.version + 1})" in message
    assert first.get(url).json()[field] == first_value

    # a PUT of the whole record with the old version is refused the same way
    # (amounts left out: the API writes whole rupiah as 1500000.0, which it does not take back)
    whole = {name: value for name, value in {**read_second, field: second_value}.items()
             if not isinstance(value, float)}
    put = second.put(url, whole, format="json")
    assert put.status_code == 409, put.json()
    # with the version read again it goes through
    current = second.get(url).json()
    response = second.patch(url, {field: second_value, "version": current["version"]}, format="json")
    assert response.status_code == 200 and response.json()[field] == second_value


def test_api_without_a_version_the_last_write_wins_and_still_moves_the_version_on():
    migrant = MigrantWorkerFactory(village=home_village())
    api = token_client("cirebon")
    url = reverse("api:migrantworker-detail", args=[migrant.pk])
    response = api.patch(url, {"name": "Tanpa Versi"}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == migrant.version + 1
    # a client that read before that write and sends its version is refused
    assert api.patch(url, {"name": "Lama", "version": migrant.version}, format="json").status_code == 409


def test_api_stage_actions_move_the_version_on():
    migrant = MigrantWorkerFactory(village=home_village())
    api = token_client("cirebon")
    url = reverse("api:migrantworker-detail", args=[migrant.pk])
    read = api.get(url).json()
    response = api.post(reverse("api:migrantworker-stage", args=[migrant.pk]), {"to_stage": "verified"},
                        format="json")
    assert response.status_code == 200 and response.json()["version"] == read["version"] + 1
    assert api.patch(url, {"phone": "081211112222", "version": read["version"]}, format="json").status_code == 409


def test_api_reintegration_takes_the_version_it_read():
    migrant = MigrantWorkerFactory(returned=True, village=home_village())
    api = token_client("cirebon")
    url = reverse("api:migrantworker-reintegration", args=[migrant.pk])
    created = api.post(url, {"training_received": "Menjahit"}, format="json")
    assert created.status_code == 201
    version = created.json()["reintegration"]["version"]
    assert api.put(url, {"training_received": "Memasak", "version": version}, format="json").status_code == 200
    stale = api.put(url, {"training_received": "Lama", "version": version}, format="json")
    assert stale.status_code == 409 and list(stale.json()) == ["version"]
    assert Reintegration.objects.get(migrant=migrant).training_received == "Memasak"


# --- generated: no model with an *_update service escapes versioning ---------------------------------


def update_services() -> list[tuple[str, typing.Callable, type]]:
    """Every ``<entity>_update`` service of the project's apps, with the model it returns."""
    found = []
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(settings.BASE_DIR) or ".venv" in Path(config.path).parts:
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_update") and function.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", function, typing.get_type_hints(function)["return"]))
    return found


def edit_pages() -> dict[type, str]:
    """The portal's edit pages (URL names ``…_edit``) by the model their form edits."""
    pages = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("_edit"):
                view = getattr(pattern.callback, "view_class", None)
                form_class = getattr(view, "form_class", None)
                model = getattr(getattr(form_class, "_meta", None), "model", None)
                if model is not None:
                    pages[model] = f"{namespace}:{pattern.name}"

    walk(get_resolver().url_patterns, None)
    return pages


def test_every_model_with_an_update_service_is_versioned_and_its_edit_page_carries_the_version():
    services = update_services()
    assert len(services) >= 10  # the discovery works (villages, migrants, cooperatives, agencies)
    pages = edit_pages()
    edited_by_pages = {case.url_name for case in CASES}
    for name, function, model in services:
        assert issubclass(model, VersionedModel), f"{model.__name__} (edited by {name}) has no version"
        assert "expected_version" in inspect.signature(function).parameters, f"{name} takes no expected_version"
        assert model in pages, f"{model.__name__} has no edit page"
        assert pages[model] in edited_by_pages, f"{pages[model]} is not among the concurrent-edit cases"
    # and every edit page's form renders the version it was opened at, hidden
    admin = browser(User.objects.get(username="admin"))
    for case in CASES:
        record, pk = case.make()
        form = read_form(admin.get(reverse(case.url_name, args=[pk])))
        expected = record.version if not isinstance(record, MigrantWorker) or "reintegration" not in case.url_name \
            else 0
        assert form.hidden.get("version") == str(expected), case.url_name


def test_an_administrators_correction_in_the_admin_refuses_forms_opened_before_it():
    figure, _pk = _yearly_figure()
    cooperative = figure.cooperative
    operator = browser(second_operator())
    cooperative_form = read_form(operator.get(reverse("cooperatives:cooperative_edit", args=[cooperative.pk])))
    figure_form = read_form(operator.get(reverse("cooperatives:cooperativeyearlyfigure_edit", args=[figure.pk])))

    admin = browser(User.objects.get(username="admin"))
    change = reverse("admin:cooperatives_cooperative_change", args=[cooperative.pk])
    data = read_form(admin.get(change)).fields
    figure_prefix = next(name[:-len("-id")] for name, value in data.items()
                         if name.endswith("-id") and value == str(figure.pk))
    data.update({"name": "Koperasi Dikoreksi Admin", f"{figure_prefix}-members": "99"})
    response = admin.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    for url, form, field, value in (
            (reverse("cooperatives:cooperative_edit", args=[cooperative.pk]), cooperative_form, "name", "Lain"),
            (reverse("cooperatives:cooperativeyearlyfigure_edit", args=[figure.pk]), figure_form, "members", "55")):
        assert STALE_EN in operator.post(url, {**form.fields, field: value}).content.decode(), url
    cooperative.refresh_from_db()
    figure.refresh_from_db()
    assert (cooperative.name, figure.members) == ("Koperasi Dikoreksi Admin", 99)
