"""The PMI's stage actions (``stage``, ``depart``, ``return``, ``reintegration``) on /api/v1/migrant-workers/:
each goes through its service, so the transitions, dates, area and summaries are the program's own."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from migrants.choices import Stage
from migrants.models import MigrantStageSummary, MigrantWorker, Placement, Reintegration

from .base import token_client

pytestmark = pytest.mark.django_db


ACTIONS = ("stage", "depart", "return", "reintegration")


def url(migrant, name: str) -> str:
    return reverse(f"api:migrantworker-{name}", args=[migrant.pk])


def cirebon_pmi(stage: str) -> MigrantWorker:
    migrant = (MigrantWorker.objects.filter(village__code__startswith="32.09.", stage=stage)
               .order_by("pk").first())
    assert migrant is not None, f"the demo data has a PMI of Cirebon in stage {stage}"
    return migrant


def today() -> datetime.date:
    return timezone.localdate()


def departure(on: datetime.date) -> dict:
    return {"destination_country": "TW", "sector": "informal", "job": "Perawat lansia", "scheme": "p2p",
            "p3mi_name": "PT Uji Penempatan", "departure_date": on.isoformat(),
            "contract_end_date": (on + datetime.timedelta(days=730)).isoformat()}


def test_a_full_lifecycle_by_the_regency_operator():
    client = token_client("cirebon")
    migrant = cirebon_pmi(Stage.REGISTERED)
    on = today().isoformat()
    registered_here = MigrantStageSummary.objects.filter(area_code=migrant.village_id, stage=Stage.REGISTERED)
    count_before = sum(registered_here.values_list("count", flat=True))

    response = client.post(url(migrant, "stage"), {"to_stage": "verified", "on": on}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "verified" and response.json()["stage_changed_on"] == on
    # the service keeps the summaries current in the same transaction
    assert sum(registered_here.values_list("count", flat=True)) == count_before - 1

    response = client.post(url(migrant, "stage"), {"to_stage": "ready"}, format="json")  # today by default
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "ready"

    response = client.post(url(migrant, "depart"), departure(today()), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "abroad"
    assert body["placements"][0]["destination_country"] == "TW" and body["placements"][0]["return_date"] is None

    response = client.post(url(migrant, "return"), {"return_date": on, "return_reason": "contract_ended"},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "returned"
    assert response.json()["placements"][0]["return_date"] == on

    reintegration = {"training_received": "Pelatihan kewirausahaan", "has_business": True,
                     "business_type": "Warung makan", "has_bpjs_ketenagakerjaan": True}
    response = client.post(url(migrant, "reintegration"), reintegration, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["reintegration"]["business_type"] == "Warung makan"
    response = client.put(url(migrant, "reintegration"), {"has_kur_credit": True, "credit_bank": "BRI"},
                          format="json")
    assert response.status_code == 200, response.json()
    record = Reintegration.objects.get(migrant=migrant)
    assert record.credit_bank == "BRI" and record.business_type == "Warung makan"  # left out: kept

    migrant.refresh_from_db()
    assert migrant.stage == Stage.RETURNED
    placement = Placement.objects.get(migrant=migrant, departure_date=today())
    assert placement.return_reason == "contract_ended"
    # the audit trail names the token's user
    assert migrant.history.first().history_user == User.objects.get(username="cirebon")


@pytest.mark.parametrize(("stage", "name", "payload", "field"), [
    (Stage.REGISTERED, "depart", departure(datetime.date(2024, 1, 2)), "stage"),
    (Stage.REGISTERED, "stage", {"to_stage": "ready"}, "stage"),
    (Stage.REGISTERED, "return", {"return_date": "2024-01-02", "return_reason": "contract_ended"}, "stage"),
    (Stage.ABROAD, "stage", {"to_stage": "registered"}, "stage"),
    (Stage.REGISTERED, "stage", {"to_stage": "abroad"}, "to_stage"),  # abroad is the depart action's
    (Stage.REGISTERED, "stage", {"to_stage": "verified", "on": "1999-01-01"}, "on"),  # before the last change
    (Stage.REGISTERED, "stage", {"to_stage": "verified", "on": "02/01/2024"}, "on"),
    (Stage.REGISTERED, "stage", {}, "to_stage"),
    (Stage.REGISTERED, "reintegration", {"has_business": True}, "non_field_errors"),  # not returned
    (Stage.RETURNED, "reintegration", {"has_business": False, "business_type": "Warung"}, "business_type"),
    (Stage.ABROAD, "return", {"return_date": "2024-01-02"}, "return_reason"),
    (Stage.ABROAD, "return", {"return_date": "2024-01-02", "return_reason": "holiday"}, "return_reason"),
])
def test_a_refused_change_answers_400_naming_the_field_and_changes_nothing(stage, name, payload, field):
    migrant = cirebon_pmi(stage)
    placements = list(Placement.objects.filter(migrant=migrant).values())
    reintegration = list(Reintegration.objects.filter(migrant=migrant).values())
    response = token_client("cirebon").post(url(migrant, name), payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json() and response.json()[field][0]
    before = migrant.stage, migrant.stage_changed_on
    migrant.refresh_from_db()
    assert (migrant.stage, migrant.stage_changed_on) == before
    assert list(Placement.objects.filter(migrant=migrant).values()) == placements
    assert list(Reintegration.objects.filter(migrant=migrant).values()) == reintegration


def test_a_departure_breaking_the_placement_rules_is_refused_with_its_fields():
    migrant = cirebon_pmi(Stage.READY)
    payload = departure(today()) | {"p3mi_name": "", "contract_end_date": today().isoformat()}
    response = token_client("cirebon").post(url(migrant, "depart"), payload, format="json")
    assert response.status_code == 400
    assert {"p3mi_name", "contract_end_date"} <= set(response.json())
    assert not Placement.objects.filter(migrant=migrant, departure_date=today()).exists()


def test_dates_in_the_future_are_refused():
    client = token_client("cirebon")
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    checks = [
        (cirebon_pmi(Stage.REGISTERED), "stage", {"to_stage": "verified", "on": tomorrow}, "on"),
        (cirebon_pmi(Stage.READY), "depart", departure(today() + datetime.timedelta(days=1)), "departure_date"),
        (cirebon_pmi(Stage.ABROAD), "return", {"return_date": tomorrow, "return_reason": "contract_ended"},
         "return_date"),
    ]
    for migrant, name, payload, field in checks:
        response = client.post(url(migrant, name), payload, format="json")
        assert response.status_code == 400, name
        assert field in response.json(), response.json()
        stage = migrant.stage
        migrant.refresh_from_db()
        assert migrant.stage == stage


def test_another_regencys_operator_does_not_find_the_pmi():
    client = token_client("indramayu")
    for stage, name in ((Stage.REGISTERED, "stage"), (Stage.READY, "depart"), (Stage.ABROAD, "return"),
                        (Stage.RETURNED, "reintegration")):
        migrant = cirebon_pmi(stage)
        assert client.post(url(migrant, name), {}, format="json").status_code == 404, name
        migrant.refresh_from_db()
        assert migrant.stage == stage


@pytest.mark.parametrize("client_of", [lambda: token_client("cirebon", read_only=True),
                                       lambda: token_client("kemnaker"), lambda: token_client("jabar"),
                                       lambda: token_client("bpjs")],
                         ids=["read-only token", "kemnaker", "jabar", "bpjs"])
def test_readers_and_read_only_tokens_get_403(client_of):
    client = client_of()
    migrant = cirebon_pmi(Stage.REGISTERED)
    for name in ACTIONS:
        assert client.post(url(migrant, name), {"to_stage": "verified"}, format="json").status_code == 403, name
    assert client.put(url(migrant, "reintegration"), {}, format="json").status_code == 403
    migrant.refresh_from_db()
    assert migrant.stage == Stage.REGISTERED


def test_a_read_action_method_is_not_offered():
    migrant = cirebon_pmi(Stage.REGISTERED)
    assert token_client("cirebon").get(url(migrant, "stage")).status_code == 405
