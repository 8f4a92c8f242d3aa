"""A new password ends the API tokens obtained with the old one, whatever door changed it.

The doors: the user's own password page, the admin's password form (a new password, or password
sign-in disabled), set_password() from code, the `changepassword` command. Tokens an administrator
issued are not tied to the password and keep working. A hash upgrade (check_password rehashing the
same password with the current hasher) is not a change of password. Each door is tried with the
token's look-up already in the cache (desmigratif.api.authentication keeps it for a minute).
"""
import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.choices import TokenOrigin, TokenRevocation
from accounts.models import ApiToken, User
from accounts.services import api_token_issue
from accounts.signals import token_cache_key

pytestmark = pytest.mark.django_db
PASSWORD = "demo-Desmigratif-2024"
NEW_PASSWORD = "Kenanga-Sindang-77"
LIST = "api:migrantworker-list"


def obtained_token(username: str, password: str = PASSWORD) -> tuple[APIClient, str]:
    """A token from the token endpoint, used once so that its look-up is cached."""
    response = APIClient().post(reverse("api:token"), {"username": username, "password": password}, format="json")
    assert response.status_code == 201
    client = token_client(response.json()["token"])
    assert client.get(reverse(LIST)).status_code == 200
    return client, response.json()["token"]


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def issued_token(username: str) -> APIClient:
    user = User.objects.get(username=username)
    _token, key = api_token_issue(user=user, name="Sistem Disnaker", issued_by=User.objects.get(username="admin"))
    client = token_client(key)
    assert client.get(reverse(LIST)).status_code == 200
    return client


def assert_revoked_by_password_change(client: APIClient, key: str) -> None:
    token = ApiToken.objects.get(prefix=key[:8])
    assert token.revoked_at is not None and token.revoked_reason == TokenRevocation.PASSWORD_CHANGED
    assert cache.get(token_cache_key(token.key)) is None, "the cached look-up is forgotten"
    response = client.get(reverse(LIST))
    assert response.status_code == 401


def test_the_password_page_revokes_the_tokens_obtained_with_the_password(client):
    password_token, key = obtained_token("petugas")
    system = issued_token("petugas")
    client.force_login(User.objects.get(username="petugas"))
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                        "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert_revoked_by_password_change(password_token, key)
    # a client system's token was never obtained with the password: it keeps working
    assert system.get(reverse(LIST)).status_code == 200
    # the new password obtains a working token
    fresh, _key = obtained_token("petugas", NEW_PASSWORD)
    assert fresh.get(reverse(LIST)).status_code == 200


def test_the_admins_password_form_revokes_them(client):
    password_token, key = obtained_token("cirebon")
    system = issued_token("cirebon")
    client.force_login(User.objects.get(username="admin"))
    user = User.objects.get(username="cirebon")
    response = client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert_revoked_by_password_change(password_token, key)
    assert system.get(reverse(LIST)).status_code == 200


def test_disabling_password_sign_in_in_the_admin_revokes_them(client):
    password_token, key = obtained_token("indramayu")
    client.force_login(User.objects.get(username="admin"))
    user = User.objects.get(username="indramayu")
    response = client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                           {"usable_password": "false", "unset-password": "1"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert_revoked_by_password_change(password_token, key)


def test_set_password_and_save_from_anywhere_revokes_them():
    password_token, key = obtained_token("jabar")
    other_user_token, _other = obtained_token("kemnaker")
    user = User.objects.get(username="jabar")
    user.set_password(NEW_PASSWORD)
    user.save()
    assert_revoked_by_password_change(password_token, key)
    assert other_user_token.get(reverse(LIST)).status_code == 200, "only this user's tokens"


def test_set_password_saved_with_update_fields_revokes_them():
    password_token, key = obtained_token("jabar")
    user = User.objects.get(username="jabar")
    user.set_password(NEW_PASSWORD)
    user.save(update_fields=["password"])
    assert_revoked_by_password_change(password_token, key)


def test_the_changepassword_command_revokes_them(monkeypatch):
    password_token, key = obtained_token("kemnaker")
    monkeypatch.setattr("django.contrib.auth.management.commands.changepassword.getpass.getpass",
                        lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "kemnaker", verbosity=0)
    assert_revoked_by_password_change(password_token, key)


def test_saving_the_user_without_a_new_password_keeps_them():
    password_token, _key = obtained_token("jabar")
    user = User.objects.get(username="jabar")
    user.first_name = "Asep"
    user.save()
    user.save(update_fields=["last_login"])
    assert password_token.get(reverse(LIST)).status_code == 200


def test_a_hash_upgrade_is_not_a_change_of_password():
    """check_password() rehashes an old-format hash of the same password: the tokens stay."""
    password_token, key = obtained_token("jabar")
    weak = make_password(PASSWORD, salt="a", hasher="md5")  # too short a salt: check_password() upgrades it
    User.objects.filter(username="jabar").update(password=weak)
    obtained_token("jabar")  # signing in rehashes the same password (and saves the user)
    assert User.objects.get(username="jabar").password != weak, "the hash was upgraded"
    token = ApiToken.objects.get(prefix=key[:8])
    assert token.revoked_at is None and token.obtained_with == TokenOrigin.PASSWORD
    assert password_token.get(reverse(LIST)).status_code == 200
