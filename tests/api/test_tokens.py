import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import api_token_issue, api_token_revoke

from .base import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_token_is_obtained_with_username_and_password_and_works():
    client = APIClient()
    response = client.post(reverse("api:token"), {"username": "kemnaker", "password": PASSWORD}, format="json")
    assert response.status_code == 201
    key = response.json()["token"]
    token = ApiToken.objects.get(prefix=key[:8])
    assert token.key != key  # only the hash is kept
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:migrantworker-list")).status_code == 200


@pytest.mark.parametrize("payload", [{"username": "kemnaker", "password": "wrong"}, {"username": "kemnaker"}, {},
                                     {"username": "x" * 500, "password": "y"}])
def test_a_wrong_login_answers_400_with_a_message(payload):
    response = APIClient().post(reverse("api:token"), payload, format="json")
    assert response.status_code == 400 and response.json()


def test_a_revoked_token_no_longer_works():
    user = User.objects.get(username="jabar")
    token, key = api_token_issue(user=user, name="uji")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:migrantworker-list")).status_code == 200
    api_token_revoke(token=token, revoked_by=User.objects.get(username="admin"))
    assert client.get(reverse("api:migrantworker-list")).status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(reverse("api:migrantworker-list")).status_code == 401


def test_a_token_look_up_kept_in_the_cache_follows_every_change_at_once():
    user = User.objects.get(username="jabar")
    token, key = api_token_issue(user=user, name="uji")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = reverse("api:migrantworker-list")
    assert client.get(url, {"area": "32.09"}).json()["count"] > 0  # the look-up is now cached
    user.province_id = "33"  # moved to Jawa Tengah: Jawa Barat's records are out of reach at once
    user.save()
    assert client.get(url, {"area": "32.09"}).json()["count"] == 0
    user.refresh_from_db()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(url).status_code == 401
    user.is_active = True
    user.save(update_fields=["is_active"])
    token.read_only = True
    token.save()  # as the admin's change form does
    created = client.post(reverse("api:desmigratifvillage-list"), {}, format="json")
    assert created.status_code == 403 and "hanya untuk membaca" in created.json()["detail"]  # "read-only"


def test_an_admin_issues_a_read_only_token_in_the_admin_and_sees_the_key_once(client):
    client.force_login(User.objects.get(username="admin"))
    user = User.objects.get(username="cirebon")
    response = client.post(reverse("admin:accounts_apitoken_add"),
                           {"user": user.pk, "name": "Sistem Disnaker Cirebon", "read_only": "on"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Sistem Disnaker Cirebon")
    assert token.read_only and token.user == user
    shown = [str(m) for m in response.context["messages"]]
    assert any(token.prefix in m for m in shown)


def test_only_an_admin_issues_tokens_to_others():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        api_token_issue(user=User.objects.get(username="cirebon"), name="x",
                        issued_by=User.objects.get(username="jabar"))


def test_the_root_schema_and_docs_are_open_to_anyone():
    client = APIClient()
    assert client.get(reverse("api:root")).status_code == 200
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"openapi" in schema.content
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200 and b"swagger-ui" in docs.content.lower()


def test_an_unknown_api_address_answers_json_404(settings):
    settings.DEBUG = False
    response = APIClient().get("/api/v1/migrant-workers/1.5/")
    assert response.status_code == 404 and response.json()["detail"]


def test_every_operation_documents_its_error_responses():
    schema = APIClient().get(reverse("api:schema"), {"format": "json"}).json()
    assert "Error" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404"} <= set(operation["responses"]), f"{method} {path}"


def test_each_token_has_its_own_request_budget(settings):
    from rest_framework.settings import api_settings  # noqa: F401 - rates are read per request below
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**SimpleRateThrottle.THROTTLE_RATES, "user": "3/minute"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        user = User.objects.get(username="jabar")
        first, second = (api_token_issue(user=user, name=name)[1] for name in ("sistem A", "sistem B"))
        a, b = APIClient(), APIClient()
        a.credentials(HTTP_AUTHORIZATION=f"Token {first}")
        b.credentials(HTTP_AUTHORIZATION=f"Token {second}")
        url = reverse("api:migrantworker-list")
        assert [a.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
        assert b.get(url).status_code == 200  # the other system's token is not held back
        refused = a.get(url)
        assert 0 < int(refused["Retry-After"]) <= 60  # the rest of the minute the budget is counted in
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
