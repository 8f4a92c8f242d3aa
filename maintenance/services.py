"""Writes of the maintenance commands: a backup of the database to a file, and its restore.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``, with the connection given in the
environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) so that no password is ever on a
command line (where ``ps`` would show it). A restore runs in one transaction: it is whole or not at
all. SQLite: sqlite3's online backup API, which copies a consistent snapshot even while the portal
writes (a plain file copy could catch a write half done).

Nothing partial is left behind: a backup is written to a temporary file beside the target and
renamed only when complete.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

from .databases import POSTGRESQL, SQLITE, MaintenanceError, config_from_url, redact, vendor_of

PG_DUMP_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
ERROR_LINES = 12  # lines of pg_dump's / pg_restore's error output quoted in a message


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    database: str
    size: int


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    vendor: str
    database: str
    replaced: bool  # the target held tables, replaced with --force


def _target_settings(database_url: str | None) -> dict:
    return config_from_url(database_url) if database_url else connections["default"].settings_dict


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables for the database of ``settings_dict``: the password never on a command line."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {"PGHOST": settings_dict.get("HOST"), "PGPORT": settings_dict.get("PORT"),
              "PGUSER": settings_dict.get("USER"), "PGPASSWORD": settings_dict.get("PASSWORD"),
              "PGDATABASE": settings_dict.get("NAME")}
    options = settings_dict.get("OPTIONS") or {}
    values |= {"PGSSLMODE": options.get("sslmode"), "PGSSLROOTCERT": options.get("sslrootcert")}
    environment |= {key: str(value) for key, value in values.items() if value not in (None, "")}
    return environment


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise MaintenanceError(_("The program %(program)s was not found: install the PostgreSQL client tools "
                                 "(Debian: apt-get install postgresql-client) of the server's version or newer.")
                               % {"program": name})
    return found


def _run(command: list[str], *, environment: dict[str, str], what: str) -> None:
    try:
        completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as error:
        raise MaintenanceError(_("%(what)s could not start: %(error)s") % {"what": what, "error": error}) from None
    if completed.returncode != 0:
        output = "\n".join((completed.stderr or completed.stdout).strip().splitlines()[-ERROR_LINES:])
        raise MaintenanceError(_("%(what)s failed (exit status %(status)d):\n%(output)s")
                               % {"what": what, "status": completed.returncode, "output": output})


def _sqlite_source(settings_dict: dict, alias: str = "default") -> sqlite3.Connection:
    """A sqlite3 connection to read the database from: Django's own (which also serves an in-memory
    test database) for the configured database."""
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection


def database_backup(*, path: Path | str) -> BackupResult:
    """Back the configured database up to ``path`` (PostgreSQL: custom-format dump; SQLite: a copy)."""
    path = Path(path)
    settings_dict = connections["default"].settings_dict
    vendor = vendor_of(settings_dict)
    if path.is_dir():
        raise MaintenanceError(_("%(path)s is a folder: give the name of the backup file.") % {"path": path})
    if not path.parent.is_dir():
        raise MaintenanceError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
    handle, partial_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        if vendor == POSTGRESQL:
            _run([_program("pg_dump"), "--format=custom", "--no-password", f"--file={partial}"],
                 environment=_pg_environment(settings_dict), what="pg_dump")
        else:
            target = sqlite3.connect(partial)
            try:
                _sqlite_source(settings_dict).backup(target)
            except sqlite3.Error as error:
                raise MaintenanceError(_("The SQLite backup failed: %(error)s") % {"error": error}) from None
            finally:
                target.close()
        os.chmod(partial, 0o600)  # personal data: readable by the portal's operator only
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=path, vendor=vendor, database=str(settings_dict["NAME"]), size=path.stat().st_size)


def _backup_vendor(path: Path) -> str:
    if not path.is_file():
        raise MaintenanceError(_("The backup file %(path)s does not exist.") % {"path": path})
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(PG_DUMP_MAGIC):
        return POSTGRESQL
    if head == SQLITE_MAGIC:
        return SQLITE
    raise MaintenanceError(_("%(path)s is not a backup made by “manage.py backup” (neither a PostgreSQL custom-"
                             "format dump nor an SQLite database).") % {"path": path})


def _postgresql_tables(environment: dict[str, str]) -> int:
    """How many tables the target database holds outside the system schemas."""
    import psycopg2

    keys = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE",
            "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT"}
    parameters = {key: environment[variable] for key, variable in keys.items() if environment.get(variable)}
    try:
        connection = psycopg2.connect(connect_timeout=10, **parameters)
    except psycopg2.Error as error:
        message = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise MaintenanceError(_("Cannot connect to the target database %(name)s: %(error)s. Create it first "
                                 "(createdb) and check the address.")
                               % {"name": environment.get("PGDATABASE"), "error": message}) from None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_catalog.pg_tables "
                           "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def _refuse_non_empty(tables: int, name: str, force: bool) -> None:
    if tables and not force:
        raise MaintenanceError(_("The target database %(name)s is not empty (%(tables)d tables): nothing was "
                                 "restored. Restore into an empty database, or add --force to replace its "
                                 "contents.") % {"name": name, "tables": tables})


def database_restore(*, path: Path | str, database_url: str | None = None, force: bool = False) -> RestoreResult:
    """Restore a backup into the configured database or ``database_url``'s; a target that holds tables is
    replaced only with ``force``. All or nothing."""
    path = Path(path)
    source_vendor = _backup_vendor(path)
    settings_dict = _target_settings(database_url)
    vendor = vendor_of(settings_dict)
    name = redact(database_url) if database_url else str(settings_dict["NAME"])
    if source_vendor != vendor:
        raise MaintenanceError(_("%(path)s is a %(source)s backup; the target database is %(target)s.")
                               % {"path": path, "source": source_vendor, "target": vendor})
    if vendor == POSTGRESQL:
        environment = _pg_environment(settings_dict)
        tables = _postgresql_tables(environment)
        _refuse_non_empty(tables, name, force)
        command = [_program("pg_restore"), "--no-password", "--single-transaction", "--exit-on-error",
                   "--no-owner", f"--dbname={settings_dict['NAME']}"]
        if tables:
            command += ["--clean", "--if-exists"]
        _run([*command, str(path)], environment=environment, what="pg_restore")
        if not database_url:
            connections["default"].close()  # the next query sees the restored database afresh
        return RestoreResult(path=path, vendor=vendor, database=name, replaced=bool(tables))
    return _sqlite_restore(path, settings_dict, database_url=database_url, name=name, force=force)


def _sqlite_restore(path: Path, settings_dict: dict, *, database_url: str | None, name: str,
                    force: bool) -> RestoreResult:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if database_url:
            target_path = Path(settings_dict["NAME"])
            if not target_path.parent.is_dir():
                raise MaintenanceError(_("The folder %(folder)s does not exist.") % {"folder": target_path.parent})
            target = sqlite3.connect(target_path)
        else:
            target = _sqlite_source(settings_dict)
        try:
            tables = target.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%'").fetchone()[0]
            _refuse_non_empty(tables, name, force)
            if target.in_transaction:
                raise MaintenanceError(_("The target database is in the middle of a transaction: restore from a "
                                         "command, not from inside a request."))
            source.backup(target)  # page by page, in one write transaction of the target
        except sqlite3.Error as error:
            raise MaintenanceError(_("The SQLite restore failed: %(error)s") % {"error": error}) from None
        finally:
            if database_url:
                target.close()
    finally:
        source.close()
    return RestoreResult(path=path, vendor=SQLITE, database=name, replaced=bool(tables))
