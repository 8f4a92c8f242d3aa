"""Production: every secret and endpoint from the environment; nothing defaults to unsafe.

Refuses to start, naming the variable, without ``SECRET_KEY`` (and with a short or guessable one),
``ALLOWED_HOSTS``, ``DATABASE_URL`` or ``REDIS_URL``. ``.env.example`` lists every variable.
``manage.py check --deploy --fail-level WARNING`` reports nothing with it (tests/deploy).
"""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, env


def _required(name: str, hint: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable: {hint} (see .env.example).")
    return value


DEBUG = False

SECRET_KEY = _required("SECRET_KEY", "a long random string, the same on every web and worker host")
# Django's own rule (check security.W009): at least 50 characters, 5 different ones, not a generated
# development key. Placeholders of .env.example and common stand-ins are refused as well.
if (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
        or any(word in SECRET_KEY.lower() for word in ("change-me", "changeme", "secret-key", "not-secret"))):
    raise ImproperlyConfigured(
        "SECRET_KEY is too short or guessable: use at least 50 random characters, e.g. the output of "
        "python -c \"import secrets; print(secrets.token_urlsafe(50))\".")

ALLOWED_HOSTS = [host for host in env.list("ALLOWED_HOSTS", default=[]) if host.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set the ALLOWED_HOSTS environment variable: the portal's host name(s), comma-separated "
        "(see .env.example).")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's hosts, not '*'.")

# base.py built DATABASES (and the replica, when DATABASE_REPLICA_URL is set) from the same variables;
# here the primary must be given: no SQLite file by default.
_required("DATABASE_URL", "the database, e.g. postgres://desmigratif:PASSWORD@127.0.0.1:5432/desmigratif")
_required("REDIS_URL", "the Redis server of the Celery queue and the cache, e.g. redis://127.0.0.1:6379/0")
# Behind pgbouncer in transaction pooling mode: CONN_MAX_AGE=0 and PGBOUNCER_TRANSACTION_POOLING=true
# (a server-side cursor, which .iterator() uses on PostgreSQL, cannot outlive pgbouncer's transaction).
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    _database["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("PGBOUNCER_TRANSACTION_POOLING", default=False)

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS
                                                                  if not host.startswith(".")])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS: the proxy in front terminates TLS and says so in X-Forwarded-Proto. Plain-HTTP requests are
# redirected, except the load balancer's probes of /healthz and /readyz.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Logs: JSON on stdout unless LOG_FORMAT says otherwise.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"
