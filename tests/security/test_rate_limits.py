"""Guessing is slowed down: the login lockout (django-axes) and the API throttles hold.

Already tested elsewhere: the login page's lockout per username and address (tests/accounts/test_login.py)
and each API token's own request budget (tests/api/test_tokens.py). Here: the lockout also holds on the
API's token endpoint (a second door for the same passwords), the token endpoint's throttle per address,
and a user's budget on the API by session.
"""
import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db
PASSWORD = "demo-Desmigratif-2024"


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rates(monkeypatch):
    """Small budgets, set the way the settings set them (API_THROTTLE_* → DEFAULT_THROTTLE_RATES)."""
    def set_rates(**rates):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **rates})
    return set_rates


def test_the_token_endpoint_locks_out_like_the_login_page(rates):
    rates(token="100/minute")
    client, url = APIClient(), reverse("api:token")
    answers = [client.post(url, {"username": "jabar", "password": "not-it"}, format="json",
                           REMOTE_ADDR="10.20.30.40").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    # wrong, wrong, ...; the failure that reaches the limit is answered with the lockout already
    assert answers == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    tokens = ApiToken.objects.count()
    response = client.post(url, {"username": "jabar", "password": PASSWORD}, format="json", REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 429, "the right password does not open a locked account"
    assert ApiToken.objects.count() == tokens
    # the account itself still works from another address
    response = client.post(url, {"username": "jabar", "password": PASSWORD}, format="json", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 201


def test_the_token_endpoint_is_throttled_per_address(rates):
    rates(token="3/minute")
    client, url = APIClient(), reverse("api:token")
    answers = [client.post(url, {"username": "kemnaker", "password": "wrong"}, format="json",
                           REMOTE_ADDR="10.1.2.3").status_code for _ in range(4)]
    assert answers == [400, 400, 400, 429]
    response = client.post(url, {"username": "kemnaker", "password": PASSWORD}, format="json", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "token" not in response.json()
    # another address has its own budget
    response = client.post(url, {"username": "kemnaker", "password": PASSWORD}, format="json", REMOTE_ADDR="10.3.2.1")
    assert response.status_code == 201


def test_a_users_session_on_the_api_has_a_budget(rates):
    rates(user="3/minute")
    client = APIClient()
    client.force_authenticate(User.objects.get(username="cirebon"))
    url = reverse("api:migrantworker-list")
    answers = [client.get(url).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert int(client.get(url)["Retry-After"]) > 0


def test_the_lockout_is_on():
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT <= 10
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
