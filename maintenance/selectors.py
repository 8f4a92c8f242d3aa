"""Reads of the maintenance commands: the program's tables, their row counts and a checksum.

The list of tables comes from the installed models of the portal's own apps (the apps whose code
lives in this project), history tables and many-to-many tables included, so a new model is counted
without anyone editing a list here. The checksum is computed in the database on PostgreSQL
(``md5(string_agg(t::text, '|' ORDER BY pk))``) and over the rows in primary-key order in Python on
SQLite: equal checksums mean the same rows, value for value.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext as _

from .databases import POSTGRESQL, MaintenanceError, config_from_url, database, redact, vendor_of


@dataclass(frozen=True)
class TableChecksum:
    table: str
    model: str
    rows: int
    md5: str


@dataclass(frozen=True)
class DataChecksum:
    vendor: str
    tables: list[TableChecksum]
    md5: str  # over every table's name, count and checksum

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def as_dict(self) -> dict:
        return {"vendor": self.vendor, "md5": self.md5, "total_rows": self.total_rows,
                "tables": [asdict(t) for t in self.tables]}


def project_app_labels() -> list[str]:
    """The labels of the apps whose code is part of this project (not Django's, not a package's)."""
    base = Path(settings.BASE_DIR).resolve()
    labels = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and not any(part in {".venv", "site-packages"} for part in path.parts):
            labels.append(config.label)
    return labels


def program_models() -> list:
    """Every concrete table of the project's apps, auto-created (many-to-many) ones included."""
    labels = set(project_app_labels())
    models = [model for model in apps.get_models(include_auto_created=True)
              if model._meta.app_label in labels and model._meta.managed and not model._meta.proxy]
    return sorted(models, key=lambda model: model._meta.db_table)


def _postgresql_table(cursor, model) -> tuple[int, str]:
    qn = cursor.db.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.{pk}), '')) "  # noqa: S608
                   f"FROM {table} AS t")
    rows, digest = cursor.fetchone()
    return rows, digest


def _sqlite_table(cursor, model) -> tuple[int, str]:
    qn = cursor.db.ops.quote_name
    cursor.execute(f"SELECT * FROM {qn(model._meta.db_table)} ORDER BY {qn(model._meta.pk.column)}")  # noqa: S608
    digest, rows = hashlib.md5(usedforsecurity=False), 0
    for rows, row in enumerate(cursor, start=1):  # noqa: B007 (the last number is the count)
        digest.update(repr(row).encode())
        digest.update(b"|")
    return rows, digest.hexdigest()


def data_checksum(*, database_url: str | None = None) -> DataChecksum:
    """Row counts and checksums of every program table of the configured database (or ``database_url``'s)."""
    try:
        tables, vendor = _checksums(database_url)
    except DatabaseError as error:
        message = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise MaintenanceError(_("Cannot read the database %(name)s: %(error)s")
                               % {"name": redact(database_url) if database_url else "default", "error": message}
                               ) from None
    overall = hashlib.md5(usedforsecurity=False)
    for table in tables:
        overall.update(f"{table.table}:{table.rows}:{table.md5}\n".encode())
    return DataChecksum(vendor=vendor, tables=tables, md5=overall.hexdigest())


def _checksums(database_url: str | None) -> tuple[list[TableChecksum], str]:
    if database_url:
        config = config_from_url(database_url)
        if vendor_of(config) != POSTGRESQL and not Path(config["NAME"]).is_file():
            # sqlite3 would create an empty file and report no rows
            raise MaintenanceError(_("The SQLite database %(path)s does not exist.") % {"path": config["NAME"]})
    with database(database_url) as connection:
        vendor = vendor_of(connection.settings_dict)
        per_table = _postgresql_table if vendor == POSTGRESQL else _sqlite_table
        existing = set(connection.introspection.table_names())
        tables = []
        with connection.cursor() as cursor:
            for model in program_models():
                label = model._meta.label_lower
                if model._meta.db_table not in existing:
                    tables.append(TableChecksum(model._meta.db_table, label, 0, "missing"))
                    continue
                rows, digest = per_table(cursor, model)
                tables.append(TableChecksum(model._meta.db_table, label, rows, digest))
    return tables, vendor
