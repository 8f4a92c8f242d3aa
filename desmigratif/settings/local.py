"""Development: `make run`. Debug on, a development-only secret when none is given."""
from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-desmigratif-local")

# Static files straight from the apps and static/ (production serves the collected, hashed set).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
