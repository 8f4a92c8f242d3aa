"""``python -m bench.loadtest`` (``make loadtest``): a bounded load test on loopback (issue 8, point 5).

1. The PostgreSQL database ``desmigratif_loadtest`` (made once: migrate, load_regions,
   ``load_demo --allow-without-debug``; reused afterwards), Redis db 13 as cache and broker (emptied
   first). ``bench.loadtest_plan`` makes the clients: ~half regency operators (``loadtest_opNN``) spread over
   the ten demo regencies with the most Desmigratif villages, ~a fifth API-token clients (half with a
   regency operator's token that writes, half with a ministry read-only token), the rest ministry staff and
   province officers; 50 → 25 / 10 / 15.
2. gunicorn as in production (docker-compose.yml's ``web``: ``desmigratif.wsgi:application``, 3 workers),
   but with ``--worker-class gthread --threads 4``: a sync worker holds one request at a time, so on 2 CPUs
   3 sync workers would serve 3 of the 50 clients at once and the others queue behind dashboards that
   wait on PostgreSQL and Redis; 4 threads per worker overlap those waits (12 requests in flight, 12
   database connections) while 3 processes still use both CPUs past the GIL. ``bench.settings``: DEBUG off,
   hashed passwords (PBKDF2), the middlewares and the production API throttle (1200/minute per user).
   No Celery worker: no request of the mix enqueues a task (the check afterwards says so: the broker queue
   is empty).
3. Locust, headless, in a child process, with ``bench/loadtest_locustfile.py``: LOADTEST_CLIENTS users for
   LOADTEST_SECONDS, then up to 30 s for each client to finish the task it is in (none is cut mid-write).
4. Afterwards: errors (failed requests, exceptions, timeouts) must be 0 and every write the clients
   recorded must be in the database; the table is printed and written to bench/results/load-latest.md
   (+ .json). Exit status 1 otherwise. gunicorn and Locust are stopped at the end, also on Ctrl-C.

Environment: LOADTEST_SECONDS (60), LOADTEST_CLIENTS (50), LOADTEST_SPAWN_RATE (clients started a second,
10), LOADTEST_WAIT ("0.5,2": seconds a client waits between tasks), LOADTEST_WORKERS (3), LOADTEST_THREADS
(4), LOADTEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/desmigratif_loadtest), LOADTEST_REDIS_URL
(redis://127.0.0.1:6379/13), LOADTEST_RESULTS (bench/results/load-latest.md), LOADTEST_NOTE (a line added
to the table's notes). Logs (gunicorn's access and error logs, the portal's log with any traceback in
server.log, Locust's output) go to /tmp/desmigratif-loadtest/<run>/.
"""
from __future__ import annotations

import datetime
import json
import os
import platform
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import loadtest_report
from .load import HOST, _stop, free_port, wait_until_answering
from .run import database_create

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "load-latest.md"
LOCUSTFILE = Path(__file__).resolve().parent / "loadtest_locustfile.py"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/desmigratif_loadtest"
REDIS_URL = "redis://127.0.0.1:6379/13"
STATE_GENERATOR = "loadtest-demo"
STOP_TIMEOUT = 30


def say(message: str) -> None:
    print(f"[loadtest {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def settings_from_environment() -> dict:
    get = os.environ.get
    return {"seconds": int(get("LOADTEST_SECONDS", "60")), "clients": int(get("LOADTEST_CLIENTS", "50")),
            "spawn_rate": float(get("LOADTEST_SPAWN_RATE", "10")), "wait": get("LOADTEST_WAIT", "0.5,2"),
            "workers": int(get("LOADTEST_WORKERS", "3")), "threads": int(get("LOADTEST_THREADS", "4")),
            "database_url": get("LOADTEST_DATABASE_URL", DATABASE_URL),
            "redis_url": get("LOADTEST_REDIS_URL", REDIS_URL),
            "results": Path(get("LOADTEST_RESULTS", str(RESULTS)))}


def django_env(settings: dict, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=settings["database_url"],
               REDIS_URL=settings["redis_url"], PYTHONUNBUFFERED="1", BENCH_API_THROTTLE="1200/minute",
               BENCH_MEDIA_ROOT="/tmp/desmigratif-loadtest/media", **extra)
    return env


def manage(settings: dict, *args: str) -> None:
    say("manage.py " + " ".join(args))
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=django_env(settings), check=True)


def step(settings: dict, module: str, *args: str) -> dict:
    """``python -m <module> …`` against the load-test database; its ``LOADTEST-RESULT``/``BENCH-RESULT`` JSON."""
    completed = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=django_env(settings),
                               stdout=subprocess.PIPE, text=True, check=True)
    line = next(line for line in reversed(completed.stdout.splitlines())
                if line.startswith(("LOADTEST-RESULT ", "BENCH-RESULT ")))
    return json.loads(line.split(" ", 1)[1])


# --- 1. the database and the clients ------------------------------------------------------------------------

def prepare(settings: dict) -> None:
    """The load-test database: made once (regions + demo data), reused when its record says it is complete."""
    url = settings["database_url"]
    database_create(url)
    manage(settings, "migrate", "--no-input", "--verbosity", "0")
    found = step(settings, "bench.steps", "state")
    if (found["state"] or {}).get("generator") == STATE_GENERATOR:
        say(f"reusing {urlsplit(url).path.lstrip('/')}: {found['pmi']:,} PMI")
        return
    step(settings, "bench.steps", "state-clear")
    manage(settings, "load_regions")
    manage(settings, "load_demo", "--allow-without-debug")
    made = step(settings, "bench.steps", "state-set", "--size", "0", "--generator", STATE_GENERATOR)
    say(f"data ready: {made['pmi']:,} PMI")


def redis_flush(url: str) -> None:
    """Redis db 13 is the load test's own: cached figures, throttle counts and queued tasks of an earlier run go."""
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def broker_queue_length(url: str) -> int:
    import redis

    return int(redis.Redis.from_url(url, socket_connect_timeout=2).llen("celery"))


# --- 2. gunicorn ----------------------------------------------------------------------------------------------

def gunicorn_command(settings: dict, port: int, folder: Path) -> list[str]:
    binary = Path(sys.executable).parent / "gunicorn"
    return [str(binary), "desmigratif.wsgi:application", "--bind", f"{HOST}:{port}",
            "--workers", str(settings["workers"]), "--worker-class", "gthread", "--threads", str(settings["threads"]),
            "--timeout", "30", "--access-logfile", str(folder / "access.log"),
            "--error-logfile", str(folder / "gunicorn.log"), "--log-level", "warning"]


@contextmanager
def gunicorn(settings: dict, folder: Path, *, startup_timeout: float = 60) -> Iterator[str]:
    """gunicorn (gthread) on a free loopback port; yields its base URL and always stops it (SIGTERM to its
    process group, SIGKILL if it lingers: ``bench.load._stop``)."""
    port = free_port()
    output = open(folder / "server.log", "w", encoding="utf-8")  # noqa: SIM115 - open for gunicorn's whole life
    process = subprocess.Popen(gunicorn_command(settings, port, folder), cwd=ROOT, env=django_env(settings),
                               stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_answering(process, f"{base}/readyz", timeout=startup_timeout, log=folder / "server.log")
        yield base
    finally:
        _stop(process)
        output.close()


# --- 3. Locust ------------------------------------------------------------------------------------------------

def locust_command(*, host: str, clients: int, spawn_rate: float, seconds: int, csv_prefix: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", host,
            "--users", str(clients), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s",
            "--stop-timeout", str(STOP_TIMEOUT), "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
            "--exit-code-on-error", "1"]


def locust_env(*, plan: Path, writes: Path, wait: str, tour: bool = False) -> dict[str, str]:
    return {**os.environ, "LOADTEST_PLAN": str(plan), "LOADTEST_WRITES": str(writes), "LOADTEST_WAIT": wait,
            "LOADTEST_TOUR": "1" if tour else "0", "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def locust_run(command: list[str], env: dict[str, str], *, log: Path, timeout: float) -> int:
    """Locust in a process group of its own (stopped with the run, also on Ctrl-C); its exit status."""
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return process.wait(timeout=timeout)
        finally:
            _stop(process)


# --- 4. the run -----------------------------------------------------------------------------------------------

def machine() -> str:
    model = ""
    with suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} CPUs{f' ({model})' if model else ''}, {memory:.0f} GiB, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def mix_text(mix: dict) -> str:
    return (f"{mix['operator']} regency operators (pages: read and write in their regency), {mix['reader']} "
            f"ministry/province readers (pages), {mix['api']} API-token clients "
            f"({(mix['api'] + 1) // 2} writing with a regency operator's token)")


def run(settings: dict) -> int:
    started = datetime.datetime.now(datetime.UTC)
    run_id = f"{started:%Y%m%d-%H%M%S}"
    folder = Path("/tmp/desmigratif-loadtest") / run_id
    (folder / "writes").mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()

    prepare(settings)
    redis_flush(settings["redis_url"])
    plan_path = folder / "plan.json"
    made = step(settings, "bench.loadtest_plan", "clients", "--count", str(settings["clients"]), "--run", run_id,
                "--out", str(plan_path))
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    say(f"{made['clients']} clients: {mix_text(made['mix'])}")

    with gunicorn(settings, folder) as base:
        say(f"gunicorn ({settings['workers']} gthread workers × {settings['threads']} threads) answers at {base}; "
            f"Locust: {settings['clients']} clients for {settings['seconds']} s")
        command = locust_command(host=base, clients=settings["clients"], spawn_rate=settings["spawn_rate"],
                                 seconds=settings["seconds"], csv_prefix=folder / "locust")
        exit_code = locust_run(command, locust_env(plan=plan_path, writes=folder / "writes", wait=settings["wait"]),
                               log=folder / "locust.log", timeout=settings["seconds"] + STOP_TIMEOUT + 120)
    load_after = os.getloadavg()
    say(f"Locust exited with {exit_code}; checking the writes")

    stats = loadtest_report.locust_read(folder / "locust")
    writes = step(settings, "bench.loadtest_plan", "verify", "--writes", str(folder / "writes"),
                  "--marker", plan["marker"])
    queued = broker_queue_length(settings["redis_url"])
    errors = loadtest_report.errors_of(stats, exit_code)
    notes = [f"Load average (1 min) before the run {load_before[0]:.2f}, after {load_after[0]:.2f}."]
    if load_before[0] >= 0.5:
        notes.append("The machine was not idle when the run started (load average ≥ 0.5): the latencies may "
                     "include other work's share of the CPUs.")
    notes.append(f"Celery broker queue after the run: {queued} message(s) (no worker was started: no request of "
                 "the mix enqueues a task).")
    if os.environ.get("LOADTEST_NOTE"):
        notes.append(os.environ["LOADTEST_NOTE"])
    if queued:
        errors += queued  # a task nobody ran is work lost
    database = urlsplit(settings["database_url"]).path.lstrip("/")
    result = {
        "run": run_id, "started": f"{started:%Y-%m-%d %H:%M:%S} UTC",
        "started_local": f"{started.astimezone(ZoneInfo('Asia/Jakarta')):%d/%m/%Y %H:%M}",
        "passed": errors == 0 and writes["missing"] == 0 and writes["made"] > 0, "errors": errors,
        "locust_exit_code": exit_code,
        "setup": {"clients": settings["clients"], "seconds": settings["seconds"], "mix": made["mix"],
                  "mix_text": mix_text(made["mix"]), "wait": settings["wait"].replace(",", "–"),
                  "spawn_rate": settings["spawn_rate"], "locust": package_version("locust"),
                  "gunicorn": {"workers": settings["workers"], "threads": settings["threads"],
                               "worker_class": "gthread", "timeout": 30},
                  "server": (f"gunicorn {package_version('gunicorn')}, `desmigratif.wsgi:application`, "
                             f"{settings['workers']} gthread workers × {settings['threads']} threads, timeout 30 s, "
                             "`bench.settings` (DEBUG off, PBKDF2 passwords, API throttle 1200/minute per user), "
                             f"PostgreSQL `{database}`, Redis db {urlsplit(settings['redis_url']).path.lstrip('/')} "
                             "as cache and broker, no Celery worker"),
                  "data": (f"regions + demo data (`load_demo`): {writes['pmi_total']:,} PMI, "
                           f"{writes['activity_total']:,} pillar activities after the run"),
                  "machine": machine()},
        "stats": stats, "writes": writes, "notes": notes, "logs": str(folder),
    }
    text = loadtest_report.write(result, settings["results"])
    print(text)
    say(f"{'PASS' if result['passed'] else 'FAIL'}: table in {settings['results']}; logs in {folder}")
    return 0 if result["passed"] else 1


def main() -> None:
    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        sys.exit(run(settings_from_environment()))
    except KeyboardInterrupt:
        say("interrupted: gunicorn and Locust stopped")
        sys.exit(130)


if __name__ == "__main__":
    main()
