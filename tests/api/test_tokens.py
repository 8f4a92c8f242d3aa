import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import api_token_issue, api_token_revoke
from accounts.signals import token_cache_key

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


# --- the life cycle of tokens obtained with a password (SECURITY.md, "API tokens") --------------------

def obtain(username: str = "kemnaker") -> dict:
    response = APIClient().post(reverse("api:token"), {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 201
    return response.json()


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages read below in English
    return client


def test_the_token_endpoint_says_when_the_token_expires(settings):
    settings.API_TOKEN_LIFETIME = timedelta(days=7)
    answer = obtain()
    expires_at = parse_datetime(answer["expires_at"])
    assert abs(expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    token = ApiToken.objects.get(prefix=answer["token"][:8])
    assert token.expires_at == expires_at and token.obtained_with == "password"


def test_the_schema_documents_the_expiry():
    schema = APIClient().get(reverse("api:schema"), {"format": "json"}).json()
    response = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]["201"]
    reference = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    field = schema["components"]["schemas"][reference]["properties"]["expires_at"]
    assert field["format"] == "date-time" and "expires_at" in schema["components"]["schemas"][reference]["required"]
    assert "API_TOKEN_LIFETIME_DAYS" in field["description"]


def test_an_expired_token_is_refused_with_a_clear_message():
    key = obtain()["token"]
    client = with_key(key)
    assert client.get(reverse("api:migrantworker-list")).status_code == 200
    ApiToken.objects.filter(prefix=key[:8]).update(created_at=timezone.now() - timedelta(days=31),
                                                   expires_at=timezone.now() - timedelta(days=1))
    cache.clear()  # the minute of the cached look-up is over
    response = client.get(reverse("api:migrantworker-list"))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"] and response["WWW-Authenticate"] == "Token"


def test_expiry_is_checked_even_on_a_cached_look_up():
    key = obtain()["token"]
    ApiToken.objects.filter(prefix=key[:8]).update(expires_at=timezone.now() + timedelta(seconds=1))
    client = with_key(key)
    assert client.get(reverse("api:migrantworker-list")).status_code == 200  # read now, kept for a minute
    token = ApiToken.objects.get(prefix=key[:8])
    time.sleep(max((token.expires_at - timezone.now()).total_seconds(), 0) + 0.1)
    assert cache.get(token_cache_key(token.key)) is not None, "the look-up is still cached"
    response = client.get(reverse("api:migrantworker-list"))
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_the_number_of_live_password_tokens_is_bounded_the_oldest_goes(settings):
    settings.API_TOKEN_PASSWORD_LIMIT = 3
    user = User.objects.get(username="kemnaker")
    system = api_token_issue(user=user, name="Sistem BPS", issued_by=User.objects.get(username="admin"))[1]
    expired = obtain()["token"]
    ApiToken.objects.filter(prefix=expired[:8]).update(expires_at=timezone.now() - timedelta(seconds=1))
    keys = [obtain()["token"] for _ in range(3)]
    live = ApiToken.objects.filter(user=user, obtained_with="password", revoked_at__isnull=True,
                                   expires_at__gt=timezone.now())
    assert live.count() == 3, "an expired token does not count against the bound"
    fourth = obtain()["token"]
    assert live.count() == 3
    oldest = ApiToken.objects.get(prefix=keys[0][:8])
    assert oldest.revoked_at is not None and oldest.revoked_reason == "limit"
    assert with_key(keys[0]).get(reverse("api:migrantworker-list")).status_code == 401
    for key in (*keys[1:], fourth, system):  # the newer ones, and the administrator's, still work
        assert with_key(key).get(reverse("api:migrantworker-list")).status_code == 200
    # a thousand sign-ins leave the bound where it is
    for _ in range(5):
        obtain()
    assert live.count() == 3
    assert ApiToken.objects.filter(user=user, obtained_with="issued", revoked_at__isnull=True).count() == 1


def test_an_administrators_token_does_not_expire_and_is_not_tied_to_the_password():
    cirebon = User.objects.get(username="cirebon")
    token, key = api_token_issue(user=cirebon, name="Sistem Disnaker Cirebon",
                                 issued_by=User.objects.get(username="admin"))
    assert token.expires_at is None and token.obtained_with == "issued"
    assert token.issued_by.username == "admin"
    cirebon.set_password("Kenanga-Sindang-77")
    cirebon.save()
    assert with_key(key).get(reverse("api:migrantworker-list")).status_code == 200


def test_the_admin_shows_how_a_token_was_obtained_its_expiry_and_last_use(client):
    key = obtain("jabar")["token"]
    with_key(key).get(reverse("api:migrantworker-list"))
    token = ApiToken.objects.get(prefix=key[:8])
    client.force_login(User.objects.get(username="admin"))
    listing = client.get(reverse("admin:accounts_apitoken_changelist"), {"q": token.prefix}).content.decode()
    for column in ("obtained_with", "expires_at", "last_used_at", "state"):
        assert f"column-{column}" in listing, column
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    for field in ("obtained_with", "issued_by", "expires_at", "last_used_at", "revoked_reason"):
        assert f"field-{field}" in page, field
    assert formats.date_format(timezone.localtime(token.expires_at), "DATETIME_FORMAT") in page
