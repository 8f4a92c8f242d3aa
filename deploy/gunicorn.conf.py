"""gunicorn's settings for the portal: `gunicorn -c deploy/gunicorn.conf.py desmigratif.wsgi`.

Logs go to stdout as one JSON object a line, with the portal's formatter (desmigratif.logging). The
access log keeps method, path, status, bytes, duration, client address and the request id (the
response's X-Request-ID) — never the query string, the referrer or cookies: a search puts names and
NIKs in the query string. Values come from the environment (see .env.example).
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter): a slow leak cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# gunicorn reads X-Forwarded-Proto (its wsgi.url_scheme) only from these addresses: by default the
# portal's own TRUSTED_PROXIES, which the portal uses for X-Forwarded-For (desmigratif.net); "*" behind
# a private load balancer that the public cannot reach directly.
forwarded_allow_ips = (os.environ.get("FORWARDED_ALLOW_IPS") or os.environ.get("TRUSTED_PROXIES", "").strip()
                       or "127.0.0.1")

accesslog = "-"
# Only the message of the access record, rebuilt from chosen atoms by the JSON formatter; no %(r)s
# (the request line has the query string), %(q)s, %(f)s or %(a)s here.
access_log_format = "%(m)s %(U)s %(s)s"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "desmigratif.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
    "root": {"level": "INFO", "handlers": []},
}
