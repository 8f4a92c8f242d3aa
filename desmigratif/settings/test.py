"""Tests: the database of the run (SQLite unless DATABASE_URL is set), fast hashing."""
from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="test-only-not-secret")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/desmigratif-test-media")
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Static files straight from the apps and static/ (production serves the collected, hashed set).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Tasks run in the test's own process and transaction, on either run of CI (a test that needs a real
# worker — tests/reports/test_worker.py — turns this off for itself and starts one).
CELERY_TASK_ALWAYS_EAGER = True
