"""Whether a PMI may have a reintegration record is one rule (migrants.services.
migrant_may_have_reintegration / migrant_check_reintegration): returned PMI only. Every door — the
service, the page, the API, the admin, the import — refuses a PMI abroad with the same message and
writes nothing, and lets a returned PMI's reintegration be recorded."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from migrants import services
from migrants.choices import Stage
from migrants.models import MigrantWorker, Reintegration
from tests.api.base import token_client
from tests.exchange.files import check, problems, xlsx
from tests.exchange.test_reintegrations import HEADER, KIND, row

pytestmark = pytest.mark.django_db

REFUSAL = "Reintegration is recorded for returned PMI only: this PMI is at the stage “Working abroad”."
FIELDS = {"training_received": "Pelatihan menjahit", "has_business": False, "is_cooperative_member": False,
          "has_kur_credit": False, "has_bpjs_ketenagakerjaan": True, "notes": ""}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def abroad() -> MigrantWorker:
    return (MigrantWorker.objects.filter(village__code__startswith="32.09.", stage=Stage.ABROAD,
                                         reintegration__isnull=True).order_by("pk").first())


@pytest.fixture
def returned() -> MigrantWorker:
    return (MigrantWorker.objects.filter(village__code__startswith="32.09.", stage=Stage.RETURNED,
                                         reintegration__isnull=True).order_by("pk").first())


def signed_in(client, username: str):
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_rule_itself(abroad, returned):
    assert services.migrant_may_have_reintegration(returned)
    assert not services.migrant_may_have_reintegration(abroad)
    services.migrant_check_reintegration(migrant=returned)
    with pytest.raises(ValidationError) as refused:
        services.migrant_check_reintegration(migrant=abroad)
    assert refused.value.messages == [REFUSAL]


def test_the_service_refuses_a_pmi_abroad(abroad):
    with pytest.raises(ValidationError) as refused:
        services.reintegration_record(migrant=abroad, user=User.objects.get(username="cirebon"), **FIELDS)
    assert refused.value.messages == [REFUSAL]
    assert not Reintegration.objects.filter(migrant=abroad).exists()


def test_the_page_says_why_and_refuses_a_post(client, abroad, returned):
    signed_in(client, "cirebon")
    url = reverse("migrants:reintegration_edit", args=[abroad.pk])
    assert REFUSAL in client.get(url).content.decode()
    response = client.post(url, FIELDS)
    assert response.status_code == 200 and REFUSAL in str(response.context["form"].errors)
    assert not Reintegration.objects.filter(migrant=abroad).exists()
    detail = client.get(abroad.get_absolute_url())
    assert detail.context["can_record_reintegration"] is False and 'id="reintegration"' not in detail.content.decode()
    assert client.get(returned.get_absolute_url()).context["can_record_reintegration"] is True
    response = client.post(reverse("migrants:reintegration_edit", args=[returned.pk]), FIELDS)
    assert response.status_code == 302 and Reintegration.objects.filter(migrant=returned).exists()


def test_the_api_refuses_a_pmi_abroad(abroad, returned):
    api = token_client("cirebon")
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.post(f"/api/v1/migrant-workers/{abroad.pk}/reintegration/", FIELDS, format="json")
    assert response.status_code == 400 and REFUSAL in str(response.json())
    assert not Reintegration.objects.filter(migrant=abroad).exists()
    response = api.post(f"/api/v1/migrant-workers/{returned.pk}/reintegration/", FIELDS, format="json")
    assert response.status_code == 201 and Reintegration.objects.filter(migrant=returned).exists()


def test_the_admin_refuses_a_pmi_abroad(client, abroad, returned):
    signed_in(client, "admin")
    add = reverse("admin:migrants_reintegration_add")
    response = client.post(add, {"migrant": abroad.pk, **FIELDS})
    assert response.status_code == 200 and REFUSAL in str(response.context["adminform"].form.errors)
    assert not Reintegration.objects.filter(migrant=abroad).exists()
    assert client.post(add, {"migrant": returned.pk, **FIELDS}).status_code == 302
    assert Reintegration.objects.filter(migrant=returned).exists()


def test_the_import_refuses_a_pmi_abroad(abroad, returned):
    job = check("cirebon", xlsx([row(abroad.nik), row(returned.nik)], header=HEADER), kind=KIND)
    assert problems(job) == [(2, "NIK", REFUSAL)]
    assert not Reintegration.objects.filter(migrant__in=[abroad, returned]).exists()
