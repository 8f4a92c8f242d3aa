"""UU 27/2022 duties: unmasked views are logged; an admin exports and erases one person's data."""
import datetime
import json

import pytest
from django.urls import reverse

from accounts.models import User
from cooperatives.models import Cooperative, CooperativeMember
from migrants.choices import PlacementScheme, ReturnReason, Sector, Stage
from migrants.models import MigrantWorker, Placement
from migrants.nik import nik_for
from migrants.services import (
    migrant_change_stage,
    migrant_depart,
    migrant_register,
    migrant_return,
    reintegration_record,
)
from privacy.choices import AccessAction
from privacy.models import PersonalDataAccess
from privacy.services import person_erase, personal_data_viewed

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def person() -> MigrantWorker:
    migrant = migrant_register(nik=nik_for(district_code="32.09.14", birth_date=D(1992, 2, 3), female=True,
                                           serial=8123),
                               name="Hapus Contoh", gender="F", birth_date=D(1992, 2, 3), village_id="32.09.14.2004",
                               phone="081234500000", registered_on=D(2022, 1, 3))
    for stage, on in ((Stage.VERIFIED, D(2022, 1, 10)), (Stage.READY, D(2022, 2, 1))):
        migrant = migrant_change_stage(migrant=migrant, to_stage=stage, on=on)
    migrant_depart(migrant=migrant, departure_date=D(2022, 3, 1), destination_country="HK",
                   sector=Sector.INFORMAL, job="Domestic worker", scheme=PlacementScheme.P_TO_P, p3mi_name="PT Contoh")
    migrant_return(migrant=migrant, return_date=D(2024, 3, 1), return_reason=ReturnReason.CONTRACT_ENDED)
    migrant = MigrantWorker.objects.get(pk=migrant.pk)
    reintegration_record(migrant=migrant, has_business=True, business_type="Katering")
    cooperative = Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.").first()
    CooperativeMember.objects.create(cooperative=cooperative, name=migrant.name, migrant=migrant,
                                     is_returned_pmi=True)
    return MigrantWorker.objects.get(pk=migrant.pk)


def test_unmasked_view_is_logged_masked_is_not(person):
    personal_data_viewed(user=User.objects.get(username="cirebon"), migrant=person)
    personal_data_viewed(user=User.objects.get(username="kemnaker"), migrant=person)  # sees it masked
    log = PersonalDataAccess.objects.filter(migrant_id=person.pk)
    assert [(entry.user.username, entry.action) for entry in log] == [("cirebon", AccessAction.VIEW)]


def test_admin_exports_everything_held_on_a_person(client, person):
    client.force_login(User.objects.get(username="admin"))
    response = client.get(reverse("privacy:person_export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="person-{person.pk}.json"'
    data = json.loads(response.content)
    assert data["person"]["nik"] == person.nik
    assert len(data["placements"]) == 1 and data["reintegration"]["business_type"] == "Katering"
    assert data["cooperative_memberships"][0]["cooperative_name"]
    assert len(data["history"]["person"]) >= 4
    assert PersonalDataAccess.objects.filter(migrant_id=person.pk, action=AccessAction.EXPORT).exists()


def test_admin_erases_a_person_and_the_erasure_is_logged(client, person):
    client.force_login(User.objects.get(username="admin"))
    url = reverse("privacy:person_erase", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and MigrantWorker.objects.filter(pk=person.pk).exists()
    response = client.post(url, {"reason": "Written request of 01/11/2026", "confirm": "on"})
    assert response.status_code == 302
    assert not MigrantWorker.objects.filter(pk=person.pk).exists()
    assert not Placement.objects.filter(migrant_id=person.pk).exists()
    assert not MigrantWorker.history.filter(id=person.pk).exists()
    assert not Placement.history.filter(migrant_id=person.pk).exists()
    assert not CooperativeMember.objects.filter(name="Hapus Contoh").exists()
    entry = PersonalDataAccess.objects.get(migrant_id=person.pk, action=AccessAction.ERASE)
    assert entry.user.username == "admin" and "request" in entry.reason


@pytest.mark.parametrize("username", ["cirebon", "kemnaker", "bpjs"])
def test_only_admins_export_or_erase(client, person, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("privacy:person_export", args=[person.pk])).status_code == 403
    assert client.post(reverse("privacy:person_erase", args=[person.pk]),
                       {"reason": "x", "confirm": "on"}).status_code == 403
    assert MigrantWorker.objects.filter(pk=person.pk).exists()


def test_opening_the_page_logs_unmasked_views_only(client, person):
    client.force_login(User.objects.get(username="cirebon"))
    assert client.get(person.get_absolute_url()).status_code == 200
    client.force_login(User.objects.get(username="kemnaker"))
    assert client.get(person.get_absolute_url()).status_code == 200
    log = PersonalDataAccess.objects.filter(migrant_id=person.pk, action=AccessAction.VIEW)
    assert [entry.user.username for entry in log] == ["cirebon"]


def test_an_erasure_goes_through_the_services_so_a_form_opened_before_cannot_write_the_name_back(person):
    """person_erase unlinks the memberships with cooperatives.services (their version moves on) and
    deletes the PMI with migrants.services: an edit form of the membership opened before the erasure,
    sent afterwards with the person's name, is refused as stale and writes nothing."""
    from tests.faults.test_concurrent_edits import browser, read_form

    member = CooperativeMember.objects.get(migrant=person)
    cirebon = browser(User.objects.get(username="cirebon"))
    url = reverse("cooperatives:cooperativemember_edit", args=[member.pk])
    form = read_form(cirebon.get(url))
    person_erase(user=User.objects.get(username="admin"), migrant=person, reason="Request of 01/12/2026")
    member.refresh_from_db()
    assert (member.name, member.migrant_id, member.version) == ("(erased)", None, form_version(form) + 1)
    response = cirebon.post(url, {**form.fields, "name": "Hapus Contoh"})
    assert response.status_code == 200  # the form again, saying someone changed the record meanwhile
    member.refresh_from_db()
    assert member.name == "(erased)"
    assert not CooperativeMember.objects.filter(name="Hapus Contoh").exists()
    assert not CooperativeMember.history.filter(name="Hapus Contoh").exists()


def form_version(form) -> int:
    return int(form.hidden["version"])
