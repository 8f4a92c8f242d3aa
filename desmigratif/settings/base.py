"""Settings shared by every environment; everything that differs comes from the environment.

``DATABASE_URL`` unset: SQLite in the project folder. ``REDIS_URL`` unset: Celery runs tasks
eagerly and the cache is in process memory. That pair is the embedded default that lets
``make run`` work on a bare machine.
"""
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_guid.integrations import CeleryIntegration

from desmigratif.net import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "axes",
    "django_celery_results",
    "django_celery_beat",
    "django_htmx",
    "bootstrap",  # Bootstrap 5's built files from PyPI (django-bootstrap-static): no CDN
    "django_guid",  # a request id on every request and log record, handed on to Celery tasks
    "csp",  # Content-Security-Policy header and nonces (django-csp)
    # ours: regions at the bottom, the program's domain apps above them
    "accounts",
    "regions",
    "agencies",
    "villages",
    "migrants",
    "cooperatives",
    "exchange",
    "privacy",
    "maintenance",
    "demo",
    "dashboards",
    "reports",
]

MIDDLEWARE = [
    # first: the request id is set before anything logs, and the request line is logged with the
    # final status of every answer (desmigratif.logging)
    "django_guid.middleware.guid_middleware",
    "desmigratif.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "desmigratif.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after the user is known: writes the access log of the persons an answer showed unmasked
    "privacy.middleware.PersonalDataAccessMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes last: it needs the request as the middlewares above leave it
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "desmigratif.urls"
WSGI_APPLICATION = "desmigratif.wsgi.application"
ASGI_APPLICATION = "desmigratif.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "desmigratif.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
# Lock a username from the address that failed: officials often share one NAT address, and
# locking a username everywhere would let anyone lock an official out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["desmigratif.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # django-redis, so that Redis being down degrades the cache (progress bars, API throttling, ETag
    # dates) to misses instead of failing the pages and the API; short timeouts keep pages quick then.
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5,
                                      "SOCKET_TIMEOUT": 0.5}}}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as broker when configured; otherwise every task runs eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A message a lost worker never acknowledged goes back to the queue after this long (Redis broker).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# Seconds a report build waits before its final write: only the fault tests set it.
REPORTS_BUILD_PAUSE = env.float("REPORTS_BUILD_PAUSE", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # the token first: an anonymous call is answered 401 with "WWW-Authenticate: Token"
        "desmigratif.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["desmigratif.api.permissions.PortalAccess"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "desmigratif.api.pagination.PortalPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "desmigratif.api.exceptions.portal_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["desmigratif.api.permissions.AnonymousRateThrottle",
                                 "desmigratif.api.permissions.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_THROTTLE_ANON", default="60/minute"),
                               "user": env("API_THROTTLE_USER", default="1200/minute"),
                               "token": env("API_THROTTLE_TOKEN", default="10/minute")},
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}

API_PUBLIC_STATISTICS = env.bool("API_PUBLIC_STATISTICS", default=False)

# Look-ups of a PMI by the whole NIK, per user and 24 hours, for the roles that see NIKs masked
# (privacy.services.nik_lookup): each would confirm a guessed NIK.
NIK_LOOKUP_LIMIT = env.int("NIK_LOOKUP_LIMIT", default=20)

# --- proxies and client addresses; API tokens' life cycle (SECURITY.md) ---------------------------
# TRUSTED_PROXIES: the reverse proxies in front of the portal, as addresses or networks
# ("127.0.0.1,10.0.0.0/24,::1"). Only when a request comes from one of them is its X-Forwarded-For
# read (from the right: desmigratif.net.client_ip) for the client's address; empty, the connecting
# address is the client. The API's throttles, the login lockout and the access log all use it.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
parse_networks(TRUSTED_PROXIES)  # a wrong entry stops the start, naming it
AXES_CLIENT_IP_CALLABLE = "desmigratif.net.client_ip"  # axes then does no proxy parsing of its own
REST_FRAMEWORK["NUM_PROXIES"] = 0  # a DRF throttle that is not ours counts REMOTE_ADDR, never the header
# Tokens obtained with a username and password expire after this many days; each user keeps at most
# this many of them alive (one more revokes the oldest). Tokens an administrator issues do not expire.
API_TOKEN_LIFETIME = timedelta(days=env.int("API_TOKEN_LIFETIME_DAYS", default=30))
API_TOKEN_PASSWORD_LIMIT = env.int("API_TOKEN_PASSWORD_LIMIT", default=10)
if API_TOKEN_LIFETIME.days < 1 or API_TOKEN_PASSWORD_LIMIT < 1:
    raise ImproperlyConfigured("API_TOKEN_LIFETIME_DAYS and API_TOKEN_PASSWORD_LIMIT must be at least 1.")

SPECTACULAR_SETTINGS = {
    "TITLE": "Desmigratif API",
    "DESCRIPTION": (
        "Program figures and records of Desmigratif (Desa Migran Produktif), scoped to the area of the "
        "token's user. Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/).\n\n"
        "Angka dan data program Desmigratif, dibatasi pada wilayah pengguna token. Gunakan "
        "`Authorization: Token <key>` (POST /api/v1/auth/token/)."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # choice sets sharing a field name ("kind", "status") get a name of their own in the schema
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "agencies.choices.AgencyKind",
        "EngagementKindEnum": "agencies.choices.EngagementKind",
        "CooperativeKindEnum": "cooperatives.choices.CooperativeKind",
        "RegencyKindEnum": "regions.choices.RegencyKind",
        "VillageKindEnum": "regions.choices.VillageKind",
        "ActivityKindEnum": "villages.choices.ActivityKind",
        "DesmigratifStatusEnum": "villages.choices.DesmigratifStatus",
        "ReportStatusEnum": "reports.choices.ReportStatus",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "desmigratif.api.schema.add_error_responses"],
}

# --- security headers (production.py adds HTTPS: redirect, HSTS, secure cookies) -------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp), the same in development, tests and production. Everything is
# served by the portal itself (Bootstrap, htmx, Swagger UI from drf-spectacular-sidecar): no other
# origin. Inline <script>/<style> elements need the request's nonce (`nonce="{{ request.csp_nonce }}"`,
# as in templates/drf_spectacular/swagger_ui.html); style="" attributes are allowed (progress bars and
# Swagger UI set widths inline: style cannot run code). Inline event handlers are refused, except the
# ones whose exact code is hashed below ('unsafe-hashes'): keep that list short, prefer portal.js.
CSP_SCRIPT_HASHES = [
    "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",  # onclick="window.print()" (reports)
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, UNSAFE_HASHES, *CSP_SCRIPT_HASHES],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- request ids (django-guid) -----------------------------------------------------------------------
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",  # taken from a request only when it is a valid UUID
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
    "UUID_FORMAT": "hex",
    # hands the request id to the tasks a request queues; the worker logs through LOGGING below
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}

# --- logs ------------------------------------------------------------------------------------------
# LOG_FORMAT=json: one JSON object a line (production's default); text: readable lines (development).
# Both carry the request id (and a Celery task's id and name) and mask NIKs and phone numbers; paths
# are logged without their query string (desmigratif.logging, desmigratif.middleware).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "desmigratif.logging.RequestContextFilter"},
        "redact": {"()": "desmigratif.logging.RedactPersonalDataFilter"},
    },
    "formatters": {
        "json": {"()": "desmigratif.logging.JsonFormatter"},
        "text": {"()": "desmigratif.logging.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                    "filters": ["request_context", "redact"],
                    "formatter": "json" if LOG_FORMAT == "json" else "text"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # SQL with its parameters (NIKs, names) is never logged, whatever LOG_LEVEL says
        "django.db.backends": {"level": "INFO"},
        # its per-request lines ("header not found, generated …") say nothing the request line does not
        "django_guid": {"level": "WARNING"},
        "celery.app.trace": {"level": LOG_LEVEL},
    },
}

# --- read replica (optional) ------------------------------------------------------------------------
# DATABASE_REPLICA_URL: a PostgreSQL streaming replica of DATABASE_URL. The dashboards' summary tables
# (and so the statistics API) are read from it; every write, and every read inside a transaction,
# stays on the primary (desmigratif.routers). Unset: one database, as before.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the replica is the test database
    DATABASE_ROUTERS = ["desmigratif.routers.ReplicaRouter"]

# --- robustness under load and hostile input ------------------------------------------------------------
# Embedded SQLite (DATABASE_URL unset or sqlite://): a handful of officials saving at the same moment must
# queue for the file, not fail with "database is locked". WAL lets pages read while one writer writes
# (synchronous=NORMAL is WAL's safe setting: a power cut may lose the last commits, never corrupt the file);
# BEGIN IMMEDIATE takes the write lock when a transaction starts, so two transactions that read and then
# write never deadlock on upgrading their locks (SQLite answers that deadlock at once, without waiting);
# the timeout is how long a writer waits for the one before it. What still times out is answered 503
# "busy, try again" (desmigratif.busy), never 500. PostgreSQL needs none of this.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": env.int("SQLITE_TIMEOUT", default=20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
# the busy answer for pages (the API's is in its exception handler), right after the request log so that
# the log line carries the 503
MIDDLEWARE.insert(MIDDLEWARE.index("desmigratif.middleware.RequestLogMiddleware") + 1,
                  "desmigratif.middleware.DatabaseBusyMiddleware")
# API bodies: DRF's parsers, JSON with a nesting limit (desmigratif.api.parsers)
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "desmigratif.api.parsers.PortalJSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
# days an uploaded import file waits for confirmation before the nightly purge deletes it (exchange.conf)
EXCHANGE_UPLOAD_RETENTION_DAYS = env.int("EXCHANGE_UPLOAD_RETENTION_DAYS", default=7)
