"""Backups restore to the same data: counts and checksums equal, and a changed row shows.

On PostgreSQL the test database (holding the regions and demo data the session loaded, committed)
is dumped with pg_dump and restored with pg_restore into a fresh database of the test's own; on
SQLite the in-memory test database is copied with sqlite3's backup API into a file and restored into
another file. Either way the checksum is read from the restored database through its own URL.
"""
from __future__ import annotations

import json
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from maintenance.databases import database
from maintenance.selectors import data_checksum, program_models
from migrants.models import MigrantWorker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The commands speak the portal's language (Indonesian by default); these tests read their English."""
    with translation.override("en"):
        yield



def _pg_admin(settings_dict: dict):
    import psycopg2

    parameters = {"host": settings_dict["HOST"] or None, "port": settings_dict["PORT"] or None,
                  "user": settings_dict["USER"] or None, "password": settings_dict["PASSWORD"] or None}
    admin = psycopg2.connect(dbname="postgres", **{k: v for k, v in parameters.items() if v})
    admin.autocommit = True
    return admin


def _pg_url(settings_dict: dict, name: str) -> str:
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return f"postgres://{user}{password}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_target(tmp_path):
    """The URL of an empty database to restore into, removed afterwards."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    assert connection.vendor == "postgresql"
    base = settings_dict["NAME"].removeprefix("test_")
    name = f"{base}_restore_{uuid.uuid4().hex[:8]}"
    admin = _pg_admin(settings_dict)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield _pg_url(settings_dict, name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _checksum_json(database_url: str | None = None) -> dict:
    out = StringIO()
    call_command("data_checksum", *(["--database-url", database_url] if database_url else []), "--json", stdout=out)
    return json.loads(out.getvalue())


def _counts(result: dict) -> dict[str, int]:
    return {table["model"]: table["rows"] for table in result["tables"]}


def _change_a_name(database_url: str) -> None:
    """An edit behind the portal's back, in the restored database."""
    with database(database_url) as target:
        with target.cursor() as cursor:
            table = target.ops.quote_name(MigrantWorker._meta.db_table)
            cursor.execute(f"UPDATE {table} SET name = name || 'x' WHERE id = (SELECT min(id) FROM {table})")  # noqa: S608
        if not target.get_autocommit():
            target.commit()


def test_backup_restores_to_the_same_data_and_a_changed_row_shows(tmp_path, empty_target):
    backup = tmp_path / "portal.backup"
    out = StringIO()
    call_command("backup", str(backup), stdout=out)
    assert backup.stat().st_size > 0 and "Backed up" in out.getvalue()
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert list(tmp_path.glob("*.partial")) == []

    call_command("restore", str(backup), "--database-url", empty_target, stdout=StringIO())
    original, restored = _checksum_json(), _checksum_json(empty_target)
    counts = _counts(original)
    # the data is really there: regions, demo PMI, users (the demo is loaded in bulk, without history rows)
    assert counts["regions.village"] > 80_000 and counts["migrants.migrantworker"] > 100
    assert counts["accounts.user"] >= 7
    assert _counts(restored) == counts
    assert restored["md5"] == original["md5"]
    assert restored["tables"] == original["tables"]

    _change_a_name(empty_target)
    changed = _checksum_json(empty_target)
    assert changed["md5"] != original["md5"]
    assert _counts(changed) == counts  # same counts: only the checksum sees the edit
    differing = [t["model"] for t, o in zip(changed["tables"], original["tables"], strict=True) if t != o]
    assert differing == ["migrants.migrantworker"]

    # a target that holds data is refused, and left as it was ...
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(backup), "--database-url", empty_target, stdout=StringIO())
    assert _checksum_json(empty_target)["md5"] == changed["md5"]
    # ... unless --force, which replaces it with the backup's contents
    out = StringIO()
    call_command("restore", str(backup), "--database-url", empty_target, "--force", stdout=out)
    assert "Replaced the contents" in out.getvalue()
    assert _checksum_json(empty_target)["md5"] == original["md5"]


def test_checksum_covers_every_table_of_the_portal_apps():
    result = data_checksum()
    models = {table.model for table in result.tables}
    assert {"accounts.user", "regions.village", "villages.desmigratifvillage", "villages.fieldofficer",
            "villages.pillaractivity", "migrants.migrantworker", "migrants.placement", "migrants.reintegration",
            "migrants.historicalmigrantworker", "cooperatives.cooperative", "cooperatives.cooperativemember",
            "cooperatives.cooperativeyearlyfigure", "agencies.agency", "privacy.personaldataaccess"} <= models
    # derived from the installed models: Django's and packages' tables are not program data
    assert not {m for m in models if m.split(".")[0] in {"auth", "admin", "sessions", "axes", "django_celery_beat"}}
    assert len(result.tables) == len(program_models())
    assert all(t.md5 != "missing" for t in result.tables)


def test_a_missing_or_foreign_file_is_refused_clearly(tmp_path, empty_target):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nothing.backup"), "--database-url", empty_target)
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup")
    with pytest.raises(CommandError, match="is not a backup made by"):
        call_command("restore", str(stray), "--database-url", empty_target)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "no-such-folder" / "portal.backup"))
    with pytest.raises(CommandError, match="is not a database URL"):
        call_command("data_checksum", "--database-url", "nonsense")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("data_checksum", "--database-url", f"sqlite:///{tmp_path / 'nothing.sqlite3'}")
    assert not (tmp_path / "nothing.sqlite3").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")
def test_pg_dump_missing_or_failing_says_so_and_writes_nothing(tmp_path, monkeypatch):
    backup = tmp_path / "portal.backup"
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump on the path
    with pytest.raises(CommandError, match="pg_dump was not found"):
        call_command("backup", str(backup))
    monkeypatch.undo()
    # a database that does not exist: pg_dump fails, its message is passed on, no file is left
    monkeypatch.setitem(connection.settings_dict, "NAME", f"missing_{uuid.uuid4().hex[:8]}")
    with pytest.raises(CommandError, match=r"pg_dump failed \(exit status 1\)[\s\S]*does not exist"):
        call_command("backup", str(backup))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL target")
def test_restore_failures_say_why_and_leave_the_target_as_it_was(tmp_path, empty_target):
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(b"PGDMP" + b"\x00\x01garbage" * 50)
    url = _pg_url(connection.settings_dict, f"missing_{uuid.uuid4().hex[:8]}")
    with pytest.raises(CommandError, match="Cannot connect to the target database"):
        call_command("restore", str(damaged), "--database-url", url)
    with pytest.raises(CommandError, match=r"pg_restore failed"):
        call_command("restore", str(damaged), "--database-url", empty_target)
    assert _counts(_checksum_json(empty_target)) == {m._meta.label_lower: 0 for m in program_models()}
