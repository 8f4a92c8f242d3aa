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
from django.db.models import Q, QuerySet
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
        """Recount the village rows of ``villages`` (None: all) and the rows of their regencies."""
        data_changed()
        with transaction.atomic():
            if villages is None:
                self._rebuild_in_database()
                return
            codes = sorted({code for code in villages if code})
            if not codes:
                return
            for part in _chunks(codes):
                self.model.objects.filter(level=SummaryLevel.VILLAGE, area_code__in=part).delete()
                self._count_villages(part)
            self._roll_up(sorted({code[:REGENCY_CODE_LENGTH] for code in codes}))

    def _rebuild_in_database(self) -> None:
        """Everything counted again in the database, and only the difference written.

        The same grouped queries as ``_count_villages`` (compiled from the same sources) fill a
        temporary table with the village rows, which then gives the regency rows; the millions of
        rows of a national data set never pass through Python. The summary table is then brought to
        it with three statements: rows no longer counted deleted, changed counts updated, new rows
        inserted. A rebuild that repairs little writes little — deleting every row and inserting it
        again made PostgreSQL check each new key against the dead row of the same key (two minutes
        at 5 M PMI, more each time) — and readers see the old figures until the transaction commits.
        """
        model = self.model
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        fresh = quote(f"{model._meta.db_table}_fresh")

        def column(name: str) -> str:
            return quote(model._meta.get_field(name).column)

        keys = [column("level"), column("area_code"), *(column(name) for name in self.dimensions)]
        measures = [column(name) for name in self.measures]
        same_key = " AND ".join(f"t.{name} = f.{name}" for name in keys)
        with connection.cursor() as cursor:
            postgresql = connection.vendor == "postgresql"
            if postgresql:
                # grouping and comparing in memory, by hashing: with its estimates for a fresh temporary table
                # the planner sorts a million text keys (seconds, by collation) or probes an index per row
                cursor.execute("SET LOCAL work_mem = '256MB'; SET LOCAL enable_mergejoin = off; "
                               "SET LOCAL enable_nestloop = off")
            cursor.execute(f"DROP TABLE IF EXISTS {fresh}")
            cursor.execute(f"CREATE TEMPORARY TABLE {fresh} AS SELECT {', '.join(keys + measures)} FROM {table} "
                           f"WHERE 1 = 0")
            for source in self.sources:
                grouped = (source.queryset().order_by()
                           .annotate(_area=models.F(source.village), **_aliases(source.dimensions))
                           .values("_area", *[f"_{name}" for name in source.dimensions])
                           .annotate(**{f"_{name}": expr for name, expr in source.measures.items()}))
                sql, params = grouped.query.sql_with_params()
                names = [*source.constants, *source.dimensions, *source.measures]
                selected = [*(["%s"] * len(source.constants)),
                            *(f"grouped.{quote(f'_{name}')}" for name in (*source.dimensions, *source.measures))]
                cursor.execute(
                    f"INSERT INTO {fresh} ({column('level')}, {column('area_code')}, "
                    f"{', '.join(column(name) for name in names)}) "
                    f"SELECT %s, grouped.{quote('_area')}, {', '.join(selected)} FROM ({sql}) grouped",
                    [SummaryLevel.VILLAGE.value, *source.constants.values(), *params])
            dimensions = keys[2:]
            cursor.execute(
                f"INSERT INTO {fresh} ({', '.join(keys + measures)}) "
                f"SELECT %s, SUBSTR({column('area_code')}, 1, {REGENCY_CODE_LENGTH}), {', '.join(dimensions)}, "
                f"{', '.join(f'SUM({name})' for name in measures)} FROM {fresh} WHERE {column('level')} = %s "
                f"GROUP BY SUBSTR({column('area_code')}, 1, {REGENCY_CODE_LENGTH}), {', '.join(dimensions)}",
                [SummaryLevel.REGENCY.value, SummaryLevel.VILLAGE.value])
            if postgresql:
                cursor.execute(f"ANALYZE {fresh}")  # a temporary table has no statistics until asked
            cursor.execute(f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM {fresh} f WHERE "
                           f"{same_key.replace('t.', f'{table}.')})")
            cursor.execute(f"UPDATE {table} SET {', '.join(f'{name} = f.{name}' for name in measures)} "
                           f"FROM {fresh} f WHERE {same_key.replace('t.', f'{table}.')} AND "
                           f"({' OR '.join(f'{table}.{name} <> f.{name}' for name in measures)})")
            cursor.execute(f"INSERT INTO {table} ({', '.join(keys + measures)}) "
                           f"SELECT {', '.join(f'f.{name}' for name in keys + measures)} FROM {fresh} f "
                           f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {same_key})")
            cursor.execute(f"DROP TABLE {fresh}")
            if postgresql:  # the rest of the caller's transaction plans as usual
                cursor.execute("SET LOCAL work_mem TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT; "
                               "SET LOCAL enable_nestloop TO DEFAULT")

    def _count_villages(self, codes: list[str]) -> None:
        rows = []
        for source in self.sources:
            facts = source.queryset().filter(**{f"{source.village}__in": codes})
            grouped = (facts.order_by().annotate(_area=models.F(source.village), **_aliases(source.dimensions))
                       .values("_area", *[f"_{name}" for name in source.dimensions])
                       .annotate(**{f"_{name}": expr for name, expr in source.measures.items()}))
            for found in grouped.iterator(chunk_size=5000):
                values = {name: found[f"_{name}"] for name in (*source.dimensions, *source.measures)}
                rows.append(self.model(level=SummaryLevel.VILLAGE, area_code=found["_area"],
                                       **source.constants, **values))
                if len(rows) >= 5000:
                    self.model.objects.bulk_create(rows)
                    rows = []
        self.model.objects.bulk_create(rows)

    def _roll_up(self, regencies: list[str]) -> None:
        for part in _chunks(regencies, REGENCY_CHUNK):
            within = Q()
            for regency in part:
                within |= Q(area_code__startswith=f"{regency}.")
            villages = self.model.objects.filter(level=SummaryLevel.VILLAGE).filter(within)
            self.model.objects.filter(level=SummaryLevel.REGENCY, area_code__in=part).delete()
            grouped = (villages.order_by().annotate(_regency=Substr("area_code", 1, REGENCY_CODE_LENGTH))
                       .values("_regency", *self.dimensions)
                       .annotate(**{f"_{name}": models.Sum(name) for name in self.measures}))
            self.model.objects.bulk_create(
                [self.model(level=SummaryLevel.REGENCY, area_code=found["_regency"],
                            **{name: found[name] for name in self.dimensions},
                            **{name: found[f"_{name}"] for name in self.measures})
                 for found in grouped.iterator(chunk_size=5000)],
                batch_size=5000)


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
