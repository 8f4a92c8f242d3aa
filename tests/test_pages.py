"""The pages a newcomer meets first: login (in Indonesian), the overview, the health check."""
import pytest
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_login_page_is_in_indonesian_by_default(client):
    # even for a browser that asks for English first: only the language switch changes it
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_language_can_be_switched_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)
    assert response["Content-Language"] == "en"
    assert "Log in to the Desmigratif Portal" in response.content.decode()


def test_overview_needs_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_login_then_overview_scoped_to_the_area(client):
    User.objects.create_user("op-test", password="long-enough-pass-1", role=Role.REGENCY_OPERATOR,
                             regency_id="32.09")
    response = client.post(reverse("login"), {"username": "op-test", "password": "long-enough-pass-1"}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("home")
    board = response.context["board"]
    assert board.area.code == "32.09" and "Kabupaten Cirebon" in response.content.decode()
    assert board.villages["total"] == 40
    assert {row["code"][:5] for row in board.by_child} == {"32.09"}


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_the_database_and_redis_when_configured(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("unavailable")


def test_not_found_and_not_allowed_pages_are_the_portals_own(client, settings):
    settings.DEBUG = False
    client.force_login(User.objects.get(username="indramayu"))
    response = client.get(reverse("dashboards:area", args=["32.09"]))
    assert response.status_code == 404
    assert "outside your area" in response.content.decode() or "di luar wilayah" in response.content.decode()
    response = client.get("/privacy/persons/1/export/")
    assert response.status_code == 403 and "dashboard" in response.content.decode().lower()
