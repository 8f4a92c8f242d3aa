"""docker-compose.yml (validated by docker-compose itself, no engine needed) and the Dockerfile."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("docker-compose") and os.geteuid() != 0,
                                 reason="needs Debian's docker-compose (deploy/compose-check installs it as root)")]
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    """The file as docker-compose resolves it, with .env.example's values (deploy/compose-check first)."""
    checked = subprocess.run(["bash", "deploy/compose-check"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    env = {**os.environ, "DESMIGRATIF_ENV_FILE": str(ROOT / ".env.example")}
    resolved = subprocess.run(["docker-compose", "--env-file", ".env.example", "-f", "docker-compose.yml", "config"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert resolved.returncode == 0, resolved.stderr
    return yaml.safe_load(resolved.stdout)


def test_every_long_running_service_has_a_health_check(compose):
    services = compose["services"]
    for name in ("db", "redis", "web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"], name
    # "$$" is compose's escape: the container's shell expands $HOSTNAME (the worker's node name)
    assert "inspect ping -d celery@$$HOSTNAME" in " ".join(services["worker"]["healthcheck"]["test"])
    assert services["web"]["healthcheck"]["test"][-2:] == ["deploy/healthcheck.py", "web"]
    assert services["beat"]["healthcheck"]["test"][-2:] == ["deploy/healthcheck.py", "beat"]


def test_one_image_differing_by_command(compose):
    services = compose["services"]
    assert {services[name]["image"] for name in APP_SERVICES} == {"desmigratif:latest"}
    commands = {name: " ".join(services[name]["command"]) for name in APP_SERVICES}
    assert len(set(commands.values())) == len(APP_SERVICES)
    assert commands["web"].startswith("gunicorn -c deploy/gunicorn.conf.py")
    assert "beat" in commands["beat"] and "worker" in commands["worker"]


def test_migrations_run_once_before_the_code_serves(compose):
    services = compose["services"]
    assert "manage.py migrate" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "migrate" not in " ".join(services[name]["command"])


def test_named_volumes(compose):
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media"}
    assert "pgdata:/var/lib/postgresql/data" in " ".join(
        f"{volume['source']}:{volume['target']}" if isinstance(volume, dict) else volume
        for volume in compose["services"]["db"]["volumes"])


def test_a_broken_file_is_caught(tmp_path):
    broken = (ROOT / "docker-compose.yml").read_text().replace("condition: service_completed_successfully",
                                                              "condition: service_finished", 1)
    (tmp_path / "docker-compose.yml").write_text(broken)
    env = {**os.environ, "DESMIGRATIF_ENV_FILE": str(ROOT / ".env.example")}
    result = subprocess.run(["docker-compose", "--env-file", str(ROOT / ".env.example"), "-f",
                             str(tmp_path / "docker-compose.yml"), "config", "-q"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


def test_the_image_runs_as_a_user_without_build_tools():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "\nUSER desmigratif\n" in dockerfile
    for tool in ("build-essential", "gcc", "libpq-dev"):
        assert tool not in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".env", ".git", ".venv", "db.sqlite3", "media"} <= set(ignored)


def healthcheck(mode: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "deploy/healthcheck.py", mode], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"], **env}, timeout=60)


def test_beat_health_check_needs_the_process_and_the_broker(tmp_path):
    pidfile = tmp_path / "celerybeat.pid"
    missing = healthcheck("beat", BEAT_PIDFILE=str(pidfile), REDIS_URL="redis://127.0.0.1:6379/11")
    assert missing.returncode == 1 and "no beat process" in missing.stderr
    pidfile.write_text(str(os.getpid()))  # a process that is alive
    no_broker = healthcheck("beat", BEAT_PIDFILE=str(pidfile), REDIS_URL="redis://127.0.0.1:1/0")
    assert no_broker.returncode == 1 and "broker unreachable" in no_broker.stderr


def test_web_health_check_fails_when_nothing_serves():
    result = healthcheck("web", GUNICORN_BIND="127.0.0.1:1", ALLOWED_HOSTS="portal.example.go.id")
    assert result.returncode == 1 and "/healthz unreachable" in result.stderr
