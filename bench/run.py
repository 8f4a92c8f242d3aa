"""``make bench`` (``python -m bench.run``): for each size in BENCH_SIZES, a PostgreSQL database with that
many PMI (made once, reused), gunicorn on loopback driven by wrk, then the timed report, summary rebuild
and imports, each in a child process whose peak memory is read; one table printed and written to
bench/results/latest.md (and the raw figures to latest.json).

Environment: BENCH_SIZES ("50000 5000000"), BENCH_DATABASE_URL (a base; ``_<size>`` is appended, or
``{size}`` replaced), BENCH_DURATION (s per endpoint, 12), BENCH_CONNECTIONS (8), BENCH_THREADS (2),
BENCH_WORKERS (2), BENCH_IMPORT_ROWS (100000), BENCH_IIE_ROWS (the first rows of the same
file imported by django-import-export; default 10000, 0 to skip), BENCH_GENERATOR (national|demo; default national
once ``generate_national`` is in git), BENCH_REDIS_URL (the gunicorn's cache; default db 14 of the local
Redis when it answers, else the in-process cache), BENCH_ONLY (a part of the run: endpoint keys of
bench/config.py and/or ``report rebuild import``; /healthz is always measured; the table then goes to
bench/results/partial.md, never over latest.md).
"""
from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import load, table
from .config import ENDPOINTS, SEED, Settings, database_url, from_environment

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
NATIONAL_COMMAND = "demo/management/commands/generate_national.py"


def say(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def child_env(url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=url, PYTHONUNBUFFERED="1", **extra)
    return env


def manage(url: str, *args: str) -> None:
    say("manage.py " + " ".join(args))
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=child_env(url), check=True)


def step(url: str, command: str, *args: str) -> dict:
    """``python -m bench.steps`` in a child process: its JSON result, and the time it took as seen from here."""
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "bench.steps", command, *args], cwd=ROOT, env=child_env(url),
                               stdout=subprocess.PIPE, text=True, check=True)
    line = next(line for line in reversed(completed.stdout.splitlines()) if line.startswith("BENCH-RESULT "))
    result = json.loads(line.removeprefix("BENCH-RESULT "))
    if isinstance(result, dict):
        result["wall_seconds"] = time.perf_counter() - started
    return result


# --- the data ------------------------------------------------------------------------------------------------

def generator() -> str:
    """``national`` once generate_national is committed (a file still being written is not used)."""
    chosen = os.environ.get("BENCH_GENERATOR")
    if chosen:
        return chosen
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", NATIONAL_COMMAND], cwd=ROOT,
                             capture_output=True).returncode == 0
    return "national" if tracked else "demo"


def data_commands(size: int, chosen: str) -> list[list[str]]:
    """The manage.py commands that load ``size`` PMI into a migrated database."""
    if chosen == "national":
        return [["load_regions"], ["generate_national", "--migrants", str(size), "--seed", str(SEED),
                                   "--replace-program-data"]]
    return [["load_regions"], ["load_demo", "--allow-without-debug"]]


def database_create(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                                  password=parts.password, dbname="postgres")
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                say(f"creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def prepare(size: int, url: str) -> dict:
    """The database of ``size`` PMI: reused when its last data step was the same size and generator."""
    chosen = generator()
    database_create(url)
    manage(url, "migrate", "--no-input", "--verbosity", "0")
    found = step(url, "state")
    if found["state"] == {"size": size, "generator": chosen}:
        say(f"reusing {urlsplit(url).path.lstrip('/')}: {found['pmi']:,} PMI by {chosen}")
        return {"generator": chosen, "pmi": found["pmi"], "data_seconds": 0.0}
    started = time.perf_counter()
    step(url, "state-clear")
    for command in data_commands(size, chosen):
        manage(url, *command)
    made = step(url, "state-set", "--size", str(size), "--generator", chosen)
    seconds = time.perf_counter() - started
    say(f"data ready in {seconds:.0f} s: {made['pmi']:,} PMI by {chosen}")
    return {"generator": chosen, "pmi": made["pmi"], "data_seconds": seconds}


# --- one size --------------------------------------------------------------------------------------------------

def redis_url() -> str:
    wanted = os.environ.get("BENCH_REDIS_URL")
    if wanted is not None:
        return wanted
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except Exception:  # no local Redis: the gunicorn workers use their in-process cache
        return ""
    return "redis://127.0.0.1:6379/14"


def load_test(url: str, settings: Settings, result: dict, folder: Path) -> None:
    credentials = step(url, "credentials")
    cache = redis_url()
    extra = {"REDIS_URL": cache} if cache else {}
    result["notes"].append(f"gunicorn: {settings.workers} workers, cache {'Redis' if cache else 'in-process'}")
    with load.gunicorn(env=child_env(url, **extra), workers=settings.workers, log=folder / "gunicorn.log") as base:
        say(f"gunicorn answers at {base}")
        for endpoint in ENDPOINTS:
            if not selected(endpoint.key):
                continue
            try:
                size = load.preflight(base, endpoint, credentials)
            except load.EndpointFailed as error:
                result["notes"].append(f"{endpoint.label}: not measured ({error})")
                say(f"{endpoint.label}: NOT MEASURED ({error})")
                continue
            figures = load.run_wrk(base, endpoint, credentials, duration=settings.duration,
                                   connections=settings.connections, threads=settings.threads)
            figures["bytes"] = size
            result["http"][endpoint.key] = figures
            if figures["errors"]:
                result["notes"].append(f"{endpoint.label}: {figures['errors']} errors of {figures['requests']}")
            say(f"{endpoint.label}: p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
                f"{figures['rps']:.0f} req/s, {figures['errors']} errors ({size:,} bytes)")


def selected(key: str) -> bool:
    """Whether this run measures ``key`` (an endpoint's key, ``report``, ``rebuild`` or ``import``)."""
    only = os.environ.get("BENCH_ONLY", "").replace(",", " ").split()
    return not only or key in only or (key == "healthz")  # the baseline always: the ratios need it


def timed_steps(url: str, settings: Settings, result: dict, folder: Path) -> None:
    if selected("report"):
        say("national yearly report")
        result["report"] = step(url, "report")
    if selected("rebuild"):
        say("summary rebuild")
        result["rebuild"] = step(url, "rebuild")
    if settings.import_rows and selected("import"):
        path = folder / "pmi.xlsx"
        made = step(url, "import-file", "--file", str(path), "--rows", str(settings.import_rows))
        say(f"import file: {made['rows']:,} rows, {made['bytes'] / 1e6:.1f} MB in {made['seconds']:.0f} s")
        say("import: portal (dry run + confirm)")
        result["import"] = step(url, "import", "--file", str(path))
        if settings.iie_rows:
            iie_path = path
            if settings.iie_rows < settings.import_rows:  # the same generator and seed: the file's first rows
                iie_path = folder / "pmi-iie.xlsx"
                step(url, "import-file", "--file", str(iie_path), "--rows", str(settings.iie_rows))
            say("import: django-import-export (dry run + import)")
            result["iie"] = step(url, "import-export", "--file", str(iie_path))


def run_size(size: int, settings: Settings) -> dict:
    url = database_url(settings.database_url, size)
    result: dict = {"size": size, "database": urlsplit(url).path.lstrip("/"), "http": {}, "notes": []}
    result.update(prepare(size, url))
    with tempfile.TemporaryDirectory(prefix="desmigratif-bench-") as folder:
        load_test(url, settings, result, Path(folder))
        timed_steps(url, settings, result, Path(folder))
    return result


def main() -> int:
    settings = from_environment()
    load.wrk_binary()  # fail before any data step when wrk is missing
    results = {
        "started": f"{datetime.datetime.now():%Y-%m-%d %H:%M}",
        "machine": f"{platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()})",
        "load": (f"wrk {settings.threads} threads × {settings.connections} connections × {settings.duration} s "
                 f"per endpoint on loopback"),
        "settings": settings.__dict__,
        "sizes": [],
    }
    for size in settings.sizes:
        say(f"=== {size:,} PMI ===")
        results["sizes"].append(run_size(size, settings))
    name = "partial" if os.environ.get("BENCH_ONLY") else "latest"  # a part of the figures never replaces them all
    text = table.write(results, RESULTS / f"{name}.md")
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print()
    print(text)
    say(f"written to {RESULTS / f'{name}.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
