"""Summary tables: the counts dashboards and statistics read instead of scanning the record tables.

Each domain app owns the summaries of its facts (the PMI summaries live in ``migrants``) and
declares them as ``Summary`` objects; this module only knows how to recount them.

A summary row belongs to an area at one of two levels: a village (``area_code`` = the village
code) or a regency (the sum of its villages' rows). PMI come from any of the 83,762 villages, so
national and province figures read the 514 regency rows per cell instead of village rows.

Upkeep is a recount, not a running delta: every service that writes records calls
``Summary.refresh(villages=...)`` with the villages it touched (old and new), in its own
transaction, and the village's rows are counted again from the records through an index on the
village. A recount cannot drift the way increments can, and the same code rebuilds everything
(``villages=None``), which the Celery task ``rebuild_summaries`` does.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

REGENCY_CODE_LENGTH = 5  # "32.09"
CHUNK = 500
REGENCY_CHUNK = 100  # an OR of prefixes per query; SQLite limits the depth of an expression


# --- the program data's version: what cached figures are keyed on --------------------------------------

DATA_VERSION_KEY = "program-data:version"


def data_version() -> str:
    """A token that changes whenever the program's records change (see ``data_changed``).

    Dashboards and statistics cache their figures under it, so a cached figure is never older than
    the last committed write. Without a shared cache (no Redis, or Redis down) every call may give a
    new token: nothing is reused, nothing is stale.
    """
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(DATA_VERSION_KEY) or uuid.uuid4().hex
    return version


def data_changed() -> None:
    """The program's records changed: a new version once the transaction commits."""
    transaction.on_commit(lambda: cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, None))


class SummaryLevel(models.TextChoices):
    VILLAGE = "village", _("Village")
    REGENCY = "regency", _("Regency")


class SummaryRow(models.Model):
    """The columns every summary table has; a concrete table adds its dimensions and measures."""

    level = models.CharField(_("level"), max_length=7, choices=SummaryLevel.choices)
    area_code = models.CharField(_("area code"), max_length=13, db_index=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Source:
    """One grouped count feeding a summary table.

    ``queryset`` gives the facts; ``village`` is the path from a fact to its village code;
    ``dimensions`` and ``measures`` map summary fields to expressions over the facts; ``constants``
    are written as they are (e.g. which event a row counts).
    """

    queryset: Callable[[], QuerySet]
    village: str
    dimensions: dict[str, object]
    measures: dict[str, object]
    constants: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    model: type[SummaryRow]
    sources: tuple[Source, ...]

    @property
    def dimensions(self) -> list[str]:
        return [*self.sources[0].constants, *self.sources[0].dimensions]

    @property
    def measures(self) -> list[str]:
        return list(self.sources[0].measures)

    def refresh(self, *, villages: Iterable[str] | None = None) -> None:
        """Recount the village rows of ``villages`` (None: all) and the rows of their regencies.

        All of it in the database, as INSERT … SELECT over the sources' grouped queries: no summary row
        passes through Python (an import touching 400 villages recounts some 100,000 rows).
        """
        data_changed()
        with transaction.atomic(), connection.cursor() as cursor:
            if villages is None:
                self._rebuild(cursor)
                return
            codes = sorted({code for code in villages if code})
            if not codes:
                return
            regencies = sorted({code[:REGENCY_CODE_LENGTH] for code in codes})
            self._lock(cursor, regencies)
            table = self._quote(self.model._meta.db_table)
            for part in _chunks(codes):
                self.model.objects.filter(level=SummaryLevel.VILLAGE, area_code__in=part).delete()
                self._insert_counts(cursor, table, villages=part)
            for part in _chunks(regencies, REGENCY_CHUNK):
                self.model.objects.filter(level=SummaryLevel.REGENCY, area_code__in=part).delete()
                self._insert_roll_up(cursor, table, source=table, regencies=part)

    def _lock(self, cursor, regencies: list[str]) -> None:
        """Recounts of the same regency in this table take turns until their transactions end.

        Each recount deletes rows and inserts them again: two at once would both insert the same keys
        (the second failing on the unique constraint — a 500 for an official saving a PMI while a
        colleague saves another in the same regency). PostgreSQL: a transaction-level advisory lock per
        table and regency, taken in code order so that two recounts never wait for each other in a
        circle. SQLite lets one writer at a time anyway.
        """
        if connection.vendor != "postgresql":
            return
        for regency in regencies:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))",
                           [self.model._meta.db_table, regency])

    # --- SQL -----------------------------------------------------------------------------------------

    @staticmethod
    def _quote(name: str) -> str:
        return connection.ops.quote_name(name)

    def _column(self, name: str) -> str:
        return self._quote(self.model._meta.get_field(name).column)

    @property
    def _keys(self) -> list[str]:
        return [self._column("level"), self._column("area_code"), *(self._column(name) for name in self.dimensions)]

    @property
    def _measures(self) -> list[str]:
        return [self._column(name) for name in self.measures]

    def _insert_counts(self, cursor, target: str, *, villages: list[str] | None = None) -> None:
        """The village rows of ``villages`` (None: all) counted from the facts into ``target``."""
        quote, column = self._quote, self._column
        for source in self.sources:
            facts = source.queryset()
            if villages is not None:
                facts = facts.filter(**{f"{source.village}__in": villages})
            grouped = (facts.order_by().annotate(_area=models.F(source.village), **_aliases(source.dimensions))
                       .values("_area", *[f"_{name}" for name in source.dimensions])
                       .annotate(**{f"_{name}": expr for name, expr in source.measures.items()}))
            sql, params = grouped.query.sql_with_params()
            names = [*source.constants, *source.dimensions, *source.measures]
            selected = [*(["%s"] * len(source.constants)),
                        *(f"grouped.{quote(f'_{name}')}" for name in (*source.dimensions, *source.measures))]
            cursor.execute(
                f"INSERT INTO {target} ({column('level')}, {column('area_code')}, "
                f"{', '.join(column(name) for name in names)}) "
                f"SELECT %s, grouped.{quote('_area')}, {', '.join(selected)} FROM ({sql}) grouped",
                [SummaryLevel.VILLAGE.value, *source.constants.values(), *params])

    def _insert_roll_up(self, cursor, target: str, *, source: str, regencies: list[str] | None = None) -> None:
        """The regency rows of ``regencies`` (None: all), added up from the village rows in ``source``."""
        keys, measures, area = self._keys, self._measures, self._column("area_code")
        regency = f"SUBSTR({area}, 1, {REGENCY_CODE_LENGTH})"
        within, params = "", [SummaryLevel.REGENCY.value, SummaryLevel.VILLAGE.value]
        if regencies is not None:
            within = f" AND {regency} IN ({', '.join(['%s'] * len(regencies))})"
            params += regencies
        dimensions = keys[2:]
        cursor.execute(
            f"INSERT INTO {target} ({', '.join(keys + measures)}) "
            f"SELECT %s, {regency}, {', '.join(dimensions)}, {', '.join(f'SUM({name})' for name in measures)} "
            f"FROM {source} WHERE {self._column('level')} = %s{within} GROUP BY {regency}, {', '.join(dimensions)}",
            params)

    def _rebuild(self, cursor) -> None:
        """Everything counted again, and only the difference written.

        The counts fill a temporary table (village rows, then the regency rows from them); the summary
        table is then brought to it with three statements: rows no longer counted deleted, changed
        measures updated, new rows inserted. A rebuild that repairs little writes little — deleting
        every row and inserting it again made PostgreSQL check each new key against the dead row of the
        same key (two minutes at 5 M PMI, more each time) — and readers see the old figures until the
        transaction commits.
        """
        table = self._quote(self.model._meta.db_table)
        fresh = self._quote(f"{self.model._meta.db_table}_fresh")
        keys, measures = self._keys, self._measures
        same_key = " AND ".join(f"t.{name} = f.{name}" for name in keys)
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            # grouping and comparing in memory, by hashing: with its estimates for a fresh temporary table
            # the planner sorts a million text keys (seconds, by collation) or probes an index per row
            cursor.execute("SET LOCAL work_mem = '256MB'; SET LOCAL enable_mergejoin = off; "
                           "SET LOCAL enable_nestloop = off")
        cursor.execute(f"DROP TABLE IF EXISTS {fresh}")
        cursor.execute(f"CREATE TEMPORARY TABLE {fresh} AS SELECT {', '.join(keys + measures)} FROM {table} "
                       f"WHERE 1 = 0")
        self._insert_counts(cursor, fresh)
        self._insert_roll_up(cursor, fresh, source=fresh)
        if postgresql:
            cursor.execute(f"ANALYZE {fresh}")  # a temporary table has no statistics until asked
        own = same_key.replace("t.", f"{table}.")
        cursor.execute(f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM {fresh} f WHERE {own})")
        cursor.execute(f"UPDATE {table} SET {', '.join(f'{name} = f.{name}' for name in measures)} "
                       f"FROM {fresh} f WHERE {own} AND "
                       f"({' OR '.join(f'{table}.{name} <> f.{name}' for name in measures)})")
        cursor.execute(f"INSERT INTO {table} ({', '.join(keys + measures)}) "
                       f"SELECT {', '.join(f'f.{name}' for name in keys + measures)} FROM {fresh} f "
                       f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {same_key})")
        cursor.execute(f"DROP TABLE {fresh}")
        if postgresql:  # the rest of the caller's transaction plans as usual
            cursor.execute("SET LOCAL work_mem TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT; "
                           "SET LOCAL enable_nestloop TO DEFAULT")


def _aliases(dimensions: dict[str, object]) -> dict[str, object]:
    return {f"_{name}": expr if not isinstance(expr, str) else models.F(expr) for name, expr in dimensions.items()}


def _chunks(items: list[str], size: int = CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def summary_rows(model: type[SummaryRow], area: str) -> QuerySet:
    """The rows to add up for an area ('' = the country, '32', '32.09', '32.09.14', a village).

    The country and a province add up their regencies' rows; a regency, a district and a village
    add up village rows.
    """
    if len(area) < REGENCY_CODE_LENGTH:
        rows = model.objects.filter(level=SummaryLevel.REGENCY)
        return rows.filter(area_code__startswith=f"{area}.") if area else rows
    rows = model.objects.filter(level=SummaryLevel.VILLAGE)
    if len(area) > len("32.09.14"):
        return rows.filter(area_code=area)
    return rows.filter(area_code__startswith=f"{area}.")


def child_code(area: str) -> Substr:
    """An expression giving, for a summary row within ``area``, the code of the next level down."""
    lengths = {0: 2, 2: 5, 5: 8, 8: 13}
    return Substr("area_code", 1, lengths.get(len(area), 13))


def summary_totals(model: type[SummaryRow], area: str, *, by: tuple[str, ...] = (), measures: tuple[str, ...] = (),
                   child: bool = False, **filters) -> list[dict]:
    """The measures of ``area`` added up per ``by`` (and per area of the next level down with ``child``).

    One query, whatever the size of the data: national and province figures add up regency rows.
    """
    rows = summary_rows(model, area).filter(**filters).order_by()
    if child:
        rows = rows.annotate(child=child_code(area))
        by = ("child", *by)
    found = rows.values(*by).annotate(**{f"total_{name}": models.Sum(name) for name in measures})
    return [{**{name: row[name] for name in by}, **{name: row[f"total_{name}"] or 0 for name in measures}}
            for row in found]
