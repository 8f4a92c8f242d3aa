"""DATABASE_REPLICA_URL: summary reads from the replica, writes (and everything else) on the primary.

The replica alias only exists when the variable is set at start-up, so the check runs in a pytest of
its own (tests/deploy/replica_check.py) on SQLite, with the replica declared as a TEST MIRROR of
default — as it is in settings/base.py — and reports back here.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desmigratif.routers import ReplicaRouter
from migrants.models import MigrantStageSummary

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_router_with_a_mirrored_replica_alias(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="desmigratif.settings.test",
               DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'replica.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/deploy/replica_check.py", "--noconftest", "-p", "no:cacheprovider",
         "-q", "-x", "-o", "addopts="],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


def test_without_a_replica_the_router_leaves_reads_alone(settings):
    # this run has no DATABASE_REPLICA_URL: one database, and the router (were it installed) stays out
    assert "replica" not in settings.DATABASES
    assert ReplicaRouter().db_for_read(MigrantStageSummary) is None
