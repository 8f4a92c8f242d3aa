"""Health checks of the containers (docker-compose.yml): `python deploy/healthcheck.py web|beat`.

web:  GET /healthz on this host's gunicorn (GUNICORN_BIND's port) with the portal's own host name
      (the first of ALLOWED_HOSTS: Django refuses any other Host header), expecting 200.
beat: the beat process of --pidfile (BEAT_PIDFILE, /tmp/celerybeat.pid) is alive and the broker it
      sends to (REDIS_URL) answers a ping. Cheap: no Django start-up, no task sent.
Exit status 0 = healthy; otherwise 1 with the reason on stderr. Only the standard library and redis.
"""
from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def web() -> str | None:
    port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    hosts = [host.strip().lstrip(".") for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz",
                                     headers={"Host": hosts[0] if hosts else "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - a fixed local URL
            return None if response.status == 200 else f"/healthz answered {response.status}"
    except (urllib.error.URLError, OSError) as error:
        return f"/healthz unreachable: {error}"


def beat() -> str | None:
    pidfile = os.environ.get("BEAT_PIDFILE", "/tmp/celerybeat.pid")
    try:
        with open(pidfile) as handle:
            pid = int(handle.read().strip())
        os.kill(pid, 0)
    except (OSError, ValueError) as error:
        return f"no beat process ({pidfile}): {error}"
    import redis

    try:
        redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3, socket_timeout=3).ping()
    except (KeyError, redis.RedisError) as error:
        return f"broker unreachable: {error!r}"
    return None


CHECKS = {"web": web, "beat": beat}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CHECKS:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(CHECKS)}")
    problem = CHECKS[sys.argv[1]]()
    if problem:
        sys.exit(f"unhealthy: {problem}")
    print("healthy")
