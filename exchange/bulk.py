"""Bulk inserts and updates with their django-simple-history rows, fast enough for 100,000-row files.

Django's ``bulk_create`` compiles every value through the ORM (~0.2 ms a row here) and
``bulk_update`` builds a CASE WHEN per field and row (a 5,000-row update took 30 s). The records
are already validated (``full_clean``), so this module hands prepared values to the driver:

* PostgreSQL (psycopg2): ids taken from the table's sequence in one query, rows sent with
  ``COPY … FROM STDIN``, updates as ``UPDATE … FROM (VALUES …)`` pages;
* SQLite: ids continue the table's AUTOINCREMENT sequence (the transaction holds the database's
  write lock, so no one else takes them), then ``executemany``;
* any other database: Django's bulk methods and simple-history's helpers.

Each record gets a history row (who: the importing user, when, why: "Import #id"), as a save
through the services would: copied inside the database from the row just written. The caller holds
the transaction.
"""
from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Sequence
from operator import attrgetter

from django.db import connection, connections, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from desmigratif.versioning import VERSION_FIELD

PAGE = 1000
HISTORY_OWN_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
# Fields whose database value is the validated Python value itself: no conversion per value.
PASS_THROUGH = (models.CharField, models.TextField, models.BooleanField, models.IntegerField)


# --- public -------------------------------------------------------------------------------------------


def insert_with_history(model: type[models.Model], objs: Sequence[models.Model], *, user, reason: str) -> None:
    if not objs:
        return
    driver, history = _driver(), _history_model(model)
    if driver == "django" or history is None:
        bulk_create_with_history(objs, model, batch_size=PAGE, default_user=user, default_change_reason=reason)
        return
    meta = model._meta
    for obj, pk in zip(objs, _allocate_ids(model, len(objs), driver), strict=True):
        obj.pk = pk
    fields = list(meta.concrete_fields)
    for field in fields:  # auto_now(_add): the time of the write, set on the objects as save() would
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                field.pre_save(obj, True)
    convert, values = _row_converter(fields, driver), attrgetter(*(f.attname for f in fields))
    rows = [convert(list(values(obj))) for obj in objs]
    _insert(meta.db_table, [f.column for f in fields], rows, driver)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    _insert_history(history, model, objs, "+", user=user, reason=reason)


def update_with_history(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str], *, user,
                        reason: str) -> None:
    if not objs:
        return
    driver, history = _driver(), _history_model(model)
    meta = model._meta
    # a versioned record's version moves on with every write, so that a form opened before the import
    # is refused (desmigratif.versioning): counted up in the database, not from what the import read
    versioned = VERSION_FIELD in {f.name for f in meta.concrete_fields} and VERSION_FIELD not in fields
    if driver == "django" or history is None:
        if versioned:
            for obj in objs:
                obj.version += 1
        bulk_update_with_history(objs, model, [*fields, *([VERSION_FIELD] if versioned else [])],
                                 batch_size=PAGE, default_user=user, default_change_reason=reason)
        return
    targets, pk = [meta.get_field(name) for name in fields], meta.pk
    convert = _row_converter([*targets, pk], driver)
    rows = [convert([*(f.pre_save(obj, False) for f in targets), obj.pk]) for obj in objs]
    table, quote = quote_name(meta.db_table), quote_name
    with connection.cursor() as cursor:
        bump = f", {quote(VERSION_FIELD)} = {quote(VERSION_FIELD)} + 1" if versioned else ""
        if driver == "sqlite":
            sets = ", ".join(f"{quote(f.column)} = %s" for f in targets)
            cursor.executemany(f"UPDATE {table} SET {sets}{bump} WHERE {quote(pk.column)} = %s", rows)
        else:
            from psycopg2.extras import execute_values

            # VALUES columns take their type from their values: cast each to its column's type (a page
            # of NULLs would otherwise be text)
            sets = ", ".join(f"{quote(f.column)} = v.c{i}::{f.db_type(connection)}" for i, f in enumerate(targets))
            names = ", ".join(f"c{i}" for i in range(len(targets)))
            bump = bump.replace(f"= {quote(VERSION_FIELD)}", f"= t.{quote(VERSION_FIELD)}")
            sql = (f"UPDATE {table} AS t SET {sets}{bump} FROM (VALUES %s) AS v({names}, pk) "
                   f"WHERE t.{quote(pk.column)} = v.pk::{pk.db_type(connection)}")
            execute_values(cursor.cursor, sql, rows, page_size=PAGE)
    if versioned:
        for obj in objs:
            obj.version += 1
    _insert_history(history, model, objs, "~", user=user, reason=reason)


# --- helpers ------------------------------------------------------------------------------------------


def quote_name(name: str) -> str:
    return connection.ops.quote_name(name)


def _driver() -> str:
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        if type(connection.connection).__module__.startswith("psycopg2"):
            return "psycopg2"
    return "django"


def _history_model(model):
    """The model's history table, if it has only the fields simple-history always adds."""
    history = getattr(getattr(model, "history", None), "model", None)
    if history is None:
        return None
    known = {f.name for f in history.tracked_fields} | HISTORY_OWN_FIELDS
    return history if {f.name for f in history._meta.concrete_fields} <= known else None


def _converter(field, driver: str) -> Callable | None:
    """From a validated Python value to what the driver takes (None: the value as it is)."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, PASS_THROUGH) and not isinstance(target, models.AutoField | models.BigAutoField):
        return None
    if type(target) is models.DateField:
        if driver == "psycopg2":
            return None  # psycopg2 adapts dates itself
        return lambda value: value.isoformat() if isinstance(value, datetime.date) else value
    # the connection of this thread, found once: ``django.db.connection`` looks it up on every use
    database = connections[connection.alias]
    prepare = field.get_db_prep_save
    if type(target) is models.DateTimeField and driver == "psycopg2":
        # PostgreSQL's adapter leaves an aware datetime as it is (a naive one is made aware, with Django's warning)
        return lambda value: value if value is None or value.tzinfo is not None else prepare(value, database)
    return lambda value: prepare(value, database)


def _row_converter(fields, driver: str) -> Callable[[list], list]:
    pairs = [(i, c) for i, c in enumerate(_converter(f, driver) for f in fields) if c is not None]

    def convert(row: list) -> list:
        for index, conv in pairs:
            row[index] = conv(row[index])
        return row
    return convert


def _allocate_ids(model, count: int, driver: str) -> list[int]:
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if driver == "sqlite":
            cursor.execute(f"SELECT MAX({quote_name(column)}) FROM {quote_name(table)}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            start = max(highest, found[0] if found else 0) + 1  # never reuse the id of a deleted record
            return list(range(start, start + count))
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, column, count])
        return [row[0] for row in cursor.fetchall()]


_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = value if type(value) is str else str(value)
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


def _insert(table: str, columns: list[str], rows: list[list], driver: str) -> None:
    names = ", ".join(quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if driver == "sqlite":
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote_name(table)} ({names}) VALUES ({placeholders})", rows)
            return
        for start in range(0, len(rows), 20 * PAGE):
            buffer = io.StringIO()
            buffer.writelines("\t".join(map(_copy_text, row)) + "\n" for row in rows[start:start + 20 * PAGE])
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {quote_name(table)} ({names}) FROM STDIN", buffer)


def _insert_history(history, model, objs, history_type: str, *, user, reason: str) -> None:
    """A history row per record, copied inside the database from the row just written (as it is now
    stored, which is what simple-history records after a save), with who, when and why.

    Sending the same values back through Python as a second COPY cost twice as much.
    """
    own = {"history_date": timezone.now(), "history_change_reason": reason, "history_type": history_type,
           "history_user": user.pk if user is not None else None}
    fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    tracked = [f for f in fields if f.name not in own]
    constant = [f for f in fields if f.name in own]
    source = {f.attname: f.column for f in model._meta.concrete_fields}
    columns = ", ".join(quote_name(f.column) for f in tracked + constant)
    selected = ", ".join([*(quote_name(source[f.attname]) for f in tracked), *(["%s"] * len(constant))])
    same = [f.get_db_prep_save(own[f.name], connection) for f in constant]
    pk = quote_name(model._meta.pk.column)
    ids = [obj.pk for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), PAGE):
            part = ids[start:start + PAGE]
            cursor.execute(f"INSERT INTO {quote_name(history._meta.db_table)} ({columns}) SELECT {selected} "
                           f"FROM {quote_name(model._meta.db_table)} WHERE {pk} IN ({', '.join(['%s'] * len(part))}) "
                           f"ORDER BY {pk}", [*same, *part])
