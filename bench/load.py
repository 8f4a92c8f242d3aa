"""The load test: gunicorn on loopback, wrk against one endpoint at a time; and the same figures from
Django's test client for the smoke test (no server, no wrk)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .config import Endpoint

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def headers_for(endpoint: Endpoint, credentials: dict) -> dict[str, str]:
    if endpoint.auth == "session":
        return {"Cookie": credentials["cookie"]}
    if endpoint.auth == "token":
        return {"Authorization": f"Token {credentials['token']}"}
    return {}


@contextmanager
def gunicorn(*, env: dict, workers: int = 2, log: Path, startup_timeout: float = 60) -> Iterator[str]:
    """gunicorn serving desmigratif.wsgi on a free loopback port; yields its base URL, always stops it."""
    port = free_port()
    binary = Path(sys.executable).parent / "gunicorn"
    command = [str(binary), "desmigratif.wsgi", "--workers", str(workers), "--bind", f"{HOST}:{port}",
               "--timeout", "120", "--error-logfile", str(log), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_answering(process, f"{base}/healthz", timeout=startup_timeout, log=log)
        yield base
    finally:
        _stop(process)


def wait_until_answering(process: subprocess.Popen, url: str, *, timeout: float, log: Path) -> None:
    """Until the server started as ``process`` answers 200 at ``url``; an error if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s; see {log}")
        time.sleep(0.3)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's process group (master and workers), SIGKILL if it lingers."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class EndpointFailed(Exception):
    pass


def preflight(base: str, endpoint: Endpoint, credentials: dict, *, warmup: int = 5) -> int:
    """One request must answer 200 without a redirect (else the load test would time the login page);
    a few more warm the workers' caches and connections. Returns the response size in bytes."""
    size = 0
    for _ in range(warmup):
        request = urllib.request.Request(base + endpoint.path, headers=headers_for(endpoint, credentials))
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                body = response.read()
                if response.status != 200 or response.url != base + endpoint.path:
                    raise EndpointFailed(f"{endpoint.path}: {response.status} at {response.url}")
                size = len(body)
        except urllib.error.HTTPError as error:
            raise EndpointFailed(f"{endpoint.path}: HTTP {error.code}") from None
    return size


def wrk_binary() -> str:
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed: `apt-get install -y wrk` (make bench does it when it may)")
    return binary


def run_wrk(base: str, endpoint: Endpoint, credentials: dict, *, duration: int, connections: int,
            threads: int) -> dict:
    """wrk at a fixed number of connections for ``duration`` seconds: p50, p95 (ms), requests/s, errors."""
    command = [wrk_binary(), "--threads", str(threads), "--connections", str(connections),
               "--duration", f"{duration}s", "--timeout", "30s", "--script", str(HERE / "wrk.lua")]
    for name, value in headers_for(endpoint, credentials).items():
        command += ["--header", f"{name}: {value}"]
    command.append(base + endpoint.path)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True)
    return parse_wrk(completed.stdout)


def parse_wrk(output: str) -> dict:
    line = next((line for line in output.splitlines() if line.startswith("BENCH-WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{output[-2000:]}")
    raw = json.loads(line.removeprefix("BENCH-WRK "))
    errors = sum(value for key, value in raw.items() if key.startswith("errors_"))
    seconds = raw["duration_us"] / 1e6
    return {"p50_ms": raw["p50_us"] / 1000, "p95_ms": raw["p95_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "rps": raw["requests"] / seconds if seconds else 0.0, "requests": raw["requests"], "errors": errors}


def probe_in_process(client, endpoint: Endpoint, credentials: dict, *, requests: int = 3) -> dict:
    """The smoke test's stand-in for wrk: a few sequential requests through Django's test client."""
    extra = {}
    if endpoint.auth == "token":
        extra["HTTP_AUTHORIZATION"] = f"Token {credentials['token']}"
    if endpoint.auth == "session":
        name, _, value = credentials["cookie"].partition("=")
        client.cookies[name] = value
    samples, errors = [], 0
    start = time.perf_counter()
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(endpoint.path, **extra)
        samples.append((time.perf_counter() - began) * 1000)
        errors += response.status_code != 200
    total = time.perf_counter() - start
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": statistics.median(samples), "p95_ms": p95, "p99_ms": ordered[-1],
            "rps": requests / total if total else 0.0, "requests": requests, "errors": errors}
