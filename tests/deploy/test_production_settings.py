"""desmigratif.settings.production: `check --deploy` is clean with .env.example's variables, and the
portal refuses to start, naming the variable, without its secrets and endpoints.

Each case runs manage.py in a process of its own with a minimal environment (no variable of this
machine leaks in), SQLite as the database.
"""
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def example_env() -> dict[str, str]:
    """The variables of .env.example, as an operator copies them (one KEY=value a line)."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def production_env(tmp_path, **changes) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8",
           **example_env()}
    # as .env.example's comment says: a secret of one's own (its placeholder is refused, see below)
    env.update(SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
               MEDIA_ROOT=str(tmp_path / "media"))
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    assert env["DJANGO_SETTINGS_MODULE"] == "desmigratif.settings.production"
    return env


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_check_deploy_reports_nothing_with_the_example_environment(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_refuses_to_start_without_a_required_variable(tmp_path, variable):
    result = manage(production_env(tmp_path, **{variable: None}), "check")
    assert result.returncode != 0
    assert f"Set the {variable} environment variable" in result.stderr


def test_refuses_an_empty_required_variable(tmp_path):
    result = manage(production_env(tmp_path, ALLOWED_HOSTS=""), "check")
    assert result.returncode != 0
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr


@pytest.mark.parametrize("secret_key", [
    "short-but-random-Xq3v",                                      # too short
    example_env()["SECRET_KEY"],                                  # .env.example's placeholder, copied as is
    "django-insecure-" + secrets.token_urlsafe(50),               # a development key
    "a" * 60,                                                     # long, but 1 distinct character
])
def test_refuses_a_short_or_guessable_secret_key(tmp_path, secret_key):
    result = manage(production_env(tmp_path, SECRET_KEY=secret_key), "check")
    assert result.returncode != 0
    assert "SECRET_KEY is too short or guessable" in result.stderr


def test_refuses_a_wildcard_host(tmp_path):
    result = manage(production_env(tmp_path, ALLOWED_HOSTS="*"), "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the portal's hosts" in result.stderr


PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client()
answers = {path: client.get(path) for path in ("/healthz", "/readyz", "/accounts/login/")}
secure = Client().get("/accounts/login/", secure=True)
print(json.dumps({
    "status": {path: response.status_code for path, response in answers.items()},
    "location": answers["/accounts/login/"].get("Location"),
    "secure_headers": {name: secure.get(name) for name in ("Strict-Transport-Security", "X-Frame-Options",
                       "X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy", "X-Request-ID")},
    "cookies": {name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}
                for name, morsel in secure.cookies.items()},
    "settings": {"SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
                 "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE, "DEBUG": settings.DEBUG,
                 "log_formatter": settings.LOGGING["handlers"]["console"]["formatter"]},
}))
"""


def test_https_everywhere_but_the_load_balancer_probes(tmp_path):
    env = production_env(tmp_path, ALLOWED_HOSTS="portal.example.go.id,testserver",
                         STATIC_ROOT=str(tmp_path / "static"))
    # production serves the collected, hashed files (pages need their manifest), as deployment step 4 makes them
    collected = manage(env, "collectstatic", "--no-input")
    assert collected.returncode == 0, collected.stderr
    result = manage(env, "shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    # plain-HTTP probes of /healthz and /readyz are answered; any page is redirected to HTTPS
    assert found["status"]["/healthz"] == 200
    assert found["status"]["/readyz"] in (200, 503)  # answered (503 when Redis is not running here)
    assert found["status"]["/accounts/login/"] == 301
    assert found["location"] == "https://testserver/accounts/login/"
    headers = found["secure_headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert len(headers["X-Request-ID"]) == 32
    assert found["cookies"]["csrftoken"]["secure"] is True
    assert found["settings"] == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "DEBUG": False,
                                 "log_formatter": "json"}
