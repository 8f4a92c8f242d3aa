"""Settings of the benchmark's gunicorn and of its timed steps: production-like (DEBUG off, hashed
passwords, the throttles and middlewares on) but runnable on a developer's machine over plain HTTP on
loopback — which production.py refuses (HTTPS redirect, secure cookies, a required secret).

The API's per-user throttle is kept but raised (``BENCH_API_THROTTLE``) so that a load test of one
token measures the endpoint, not the 429 answer.
"""
from desmigratif.settings.base import *  # noqa: F403
from desmigratif.settings.base import REST_FRAMEWORK, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="bench-only-not-secret-desmigratif")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Static files straight from the apps and static/ (no collectstatic step before a bench).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": env("BENCH_API_THROTTLE", default="10000000/minute")}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
# Import uploads made by the timed steps land here, not in the project's media/.
MEDIA_ROOT = env.path("BENCH_MEDIA_ROOT", default="/tmp/desmigratif-bench-media")
