"""A NIK already registered: the writer learns what they may read of the record holding it, and no more.

Of a record of their own area they are told its name (linked on pages), so they open it instead of
registering the person twice; of another area's record, only that the NIK is registered and whom to
ask — no name, village or area. The same rule at every door: page form (add and edit), API (create
and edit), admin form, import, and the service itself.
"""
from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import escape

from accounts.models import User
from migrants import services
from migrants.models import MigrantWorker
from tests.exchange.files import check, pmi_row, problems, xlsx

from ..api.base import token_client
from .test_pages import VILLAGE, d, free_nik, login, person, url

pytestmark = pytest.mark.django_db

ELSEWHERE = "This NIK is already registered in the portal, in a record you cannot open."
ASK = "ask an administrator of the portal"
IN_AREA = "A PMI with this NIK is already recorded in your area"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def theirs() -> MigrantWorker:
    """A PMI of Kabupaten Indramayu (32.12), outside the Cirebon operator's area."""
    return (MigrantWorker.objects.filter(village__code__startswith="32.12.").select_related("village__district")
            .order_by("pk").first())


@pytest.fixture
def ours() -> MigrantWorker:
    return MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()


def says_nothing_of(text: str, record: MigrantWorker) -> None:
    """Nothing that names or places the record (the NIK typed is the writer's own input)."""
    for known in (record.name, record.village_id, record.get_absolute_url(), f"ID {record.pk}", "Indramayu",
                  record.village.district.name):
        assert known not in text, known


def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- pages ------------------------------------------------------------------------------------------


def test_the_add_page_says_nothing_of_another_areas_record(client, theirs):
    login(en(client), "cirebon")
    response = client.post(url("migrantworker_add"), person(nik=theirs.nik, birth_date=d(theirs.birth_date),
                                                            gender=theirs.gender))
    assert response.status_code == 200
    errors = response.context["form"].errors["nik"]
    assert len(errors) == 1 and errors[0].startswith(ELSEWHERE) and ASK in errors[0]
    says_nothing_of(response.content.decode(), theirs)


def test_the_add_page_names_and_links_a_record_of_the_area(client, ours):
    login(en(client), "cirebon")
    before = MigrantWorker.objects.count()
    response = client.post(url("migrantworker_add"), person(nik=ours.nik, birth_date=d(ours.birth_date),
                                                            gender=ours.gender))
    assert response.status_code == 200
    page = response.content.decode()
    assert IN_AREA in page
    assert f'<a href="{url("migrantworker_detail", ours.pk)}">{escape(ours.name)}</a>' in page
    assert MigrantWorker.objects.count() == before


def test_the_edit_page_follows_the_same_rule(client, theirs):
    login(en(client), "cirebon")
    mine = services.migrant_register(nik=free_nik(), name="Dewi Contoh", gender="F",
                                     birth_date=datetime.date(1995, 8, 17), village_id=VILLAGE)
    data = {**person(nik=theirs.nik, birth_date=d(theirs.birth_date), gender=theirs.gender), "version": mine.version}
    data.pop("registered_on")
    response = client.post(url("migrantworker_edit", mine.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors["nik"][0].startswith(ELSEWHERE)
    says_nothing_of(response.content.decode(), theirs)
    assert MigrantWorker.objects.get(pk=mine.pk).nik == mine.nik


# --- API (through the services) -----------------------------------------------------------------------


def api_payload(record: MigrantWorker) -> dict:
    return {"nik": record.nik, "name": "Nama Lain", "gender": record.gender,
            "birth_date": record.birth_date.isoformat(), "village": VILLAGE}


def test_the_api_says_nothing_of_another_areas_record(theirs, ours):
    client = en(token_client("cirebon"))
    created = client.post("/api/v1/migrant-workers/", api_payload(theirs), format="json")
    edited = client.patch(f"/api/v1/migrant-workers/{ours.pk}/", {"nik": theirs.nik}, format="json")
    for response in (created, edited):
        assert response.status_code == 400
        message = response.json()["nik"][0]
        assert message.startswith(ELSEWHERE) and ASK in message
        says_nothing_of(response.content.decode(), theirs)
    assert MigrantWorker.objects.get(pk=ours.pk).nik == ours.nik


def test_the_api_names_a_record_of_the_area_with_its_id(ours):
    response = en(token_client("cirebon")).post("/api/v1/migrant-workers/", api_payload(ours), format="json")
    assert response.status_code == 400
    message = response.json()["nik"][0]
    assert message.startswith(IN_AREA) and ours.name in message and f"ID {ours.pk}" in message


def test_a_village_officer_is_told_nothing_of_a_record_of_another_village_of_the_regency(theirs):
    petugas = User.objects.get(username="petugas")
    outside_their_village = (MigrantWorker.objects.filter(village__code__startswith="32.09.")
                             .exclude(village_id=petugas.area_code).order_by("pk").first())
    with pytest.raises(ValidationError) as refused:
        services.migrant_register(user=petugas, nik=outside_their_village.nik, name="X", gender="F",
                                  birth_date=datetime.date(1995, 8, 17), village_id=petugas.area_code)
    message = refused.value.message_dict["nik"][0]
    assert message.startswith(ELSEWHERE) and outside_their_village.name not in message


def test_a_system_caller_is_told_which_record(ours):
    with pytest.raises(ValidationError) as refused:
        services.migrant_register(nik=ours.nik, name="X", gender=ours.gender, birth_date=ours.birth_date,
                                  village_id=VILLAGE)
    assert ours.name in refused.value.message_dict["nik"][0]


# --- admin form -----------------------------------------------------------------------------------


def admin_form_errors(username: str, record: MigrantWorker) -> list[str]:
    model_admin = admin.site._registry[MigrantWorker]
    request = RequestFactory().get("/admin/migrants/migrantworker/add/")
    request.user = User.objects.get(username=username)
    form_class = model_admin.get_form(request, None, change=False)
    form = form_class({"nik": record.nik, "name": "Nama Lain", "gender": record.gender,
                       "birth_date": record.birth_date.isoformat(), "village": VILLAGE, "registered_on": "2024-02-01"})
    assert not form.is_valid()
    return form.errors["nik"]


def test_the_admin_form_follows_the_same_rule(theirs, ours):
    errors = admin_form_errors("cirebon", theirs)
    assert len(errors) == 1 and errors[0].startswith(ELSEWHERE)
    says_nothing_of(str(errors), theirs)
    assert IN_AREA in admin_form_errors("cirebon", ours)[0]
    assert theirs.name in admin_form_errors("admin", theirs)[0]  # the whole country is the admin's area


# --- import ---------------------------------------------------------------------------------------


def test_the_import_says_nothing_of_another_areas_record(settings, tmp_path, theirs):
    settings.MEDIA_ROOT = tmp_path
    job = check("cirebon", xlsx([pmi_row(VILLAGE, nik=theirs.nik)]))
    [(number, column, message)] = problems(job)
    assert (number, column) == (2, "NIK") and message.startswith(ELSEWHERE)
    says_nothing_of(str(job.problems), theirs)
