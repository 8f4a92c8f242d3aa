"""Login, password rules and change, lockout after repeated failures, session expiry."""
import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "demo-Desmigratif-2024"


def test_login_and_logout(client):
    response = client.post(reverse("login"), {"username": "cirebon", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_says_so_without_saying_which_part(client):
    response = client.post(reverse("login"), {"username": "cirebon", "password": "wrong-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_lockout_after_repeated_failures(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "indramayu", "password": "not-it"}, REMOTE_ADDR="10.9.8.7")
    response = client.post(reverse("login"), {"username": "indramayu", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert client.get(reverse("home")).status_code == 302  # not logged in
    # another address is not locked out of the same account
    response = client.post(reverse("login"), {"username": "indramayu", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302


@pytest.mark.parametrize(("new", "error"), [
    ("short1", "too short"),
    ("password123", "too common"),
    ("12345678901234", "entirely numeric"),
])
def test_password_rules(client, new, error):
    client.force_login(User.objects.get(username="cirebon"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new,
                                                        "new_password2": new})
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["new_password2"])


def test_password_change(client):
    user = User.objects.get(username="petugas")
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Kenanga-Sindang-77",
                                                        "new_password2": "Kenanga-Sindang-77"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kenanga-Sindang-77")


def test_session_expires(client):
    client.post(reverse("login"), {"username": "cirebon", "password": PASSWORD})
    assert client.session.get_expiry_age() <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
