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

# The run's SQLite database is in memory and used by the test's one connection, inside each test's
# transaction: the embedded database's BEGIN IMMEDIATE (base.py) brings nothing there, and would make
# sqlite3's backup API (the backup tests copy that database) wait forever, as it cannot read a database
# its own connection holds a write transaction on. tests/faults/test_sqlite_busy.py opens a file with
# base.py's options.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES = {**DATABASES, "default": {  # noqa: F405
        **DATABASES["default"],  # noqa: F405
        "OPTIONS": {k: v for k, v in DATABASES["default"].get("OPTIONS", {}).items() if k != "transaction_mode"}}}  # noqa: F405
