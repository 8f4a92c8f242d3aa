"""A deterministic national data set: ~2,000 Desmigratif villages, millions of PMI (issue 7).

``national_generate()`` REPLACES the program data (Desmigratif villages, officers, activities,
PMI, placements, reintegrations, cooperatives, members, yearly figures, engagements, their
history rows and the summaries); regions, agencies and users stay. It is for benchmarks and
development databases: the command refuses without DEBUG or an explicit flag.

Why it does not go through the services or ``bulk_create``: five million PMI through the ORM
would take an hour. The rows are generated as plain tuples in chunks (memory stays bounded) and
written with COPY on PostgreSQL from a writer thread, so that the server ingests one chunk while
the next is made. The PMI, the bulk of the work, are made in slices of 100,000 by worker
processes (one per core), each slice with its own random stream, ids and NIK serials, so the
result does not depend on how many processes made it. The secondary indexes and foreign keys
of the PMI tables are dropped for the COPY and built again after it, and the summary tables are
recounted by their own ``refresh()`` (INSERT ... SELECT inside the database). On other databases
(SQLite, the embedded default) the same tuples go through ``executemany``: fine for the small sizes
of tests.

Rows carry explicit ids (from 1; placements, reintegrations and PMI memberships derive theirs
from the PMI's id), so that children point at parents without reading ids back; the sequences
are moved past them afterwards. No history rows are written (an audit trail of a
generated data set would be noise), and the check constraints of every table hold for every row:
the load fails rather than store an inconsistent record.

Everything happens in one transaction: a failure leaves the old data as it was.

Determinism: ``random.Random(seed)`` (and one stream per PMI slice derived from the seed) drives
every choice, consumed in a fixed order over sorted lists; "today" is a parameter (the command
defaults it to the real date), and the timestamps of the rows are that day's midnight, so the
same seed and today give the same rows.
"""
from __future__ import annotations

import csv
import datetime
import io
import multiprocessing
import os
import queue
import random
import threading
import time
from bisect import bisect
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Protocol, TypeVar

from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from faker.providers.person.id_ID import Provider as IndonesianNames

from agencies.choices import EngagementLevel
from agencies.models import Agency, Engagement
from cooperatives.choices import CooperativeKind
from cooperatives.models import Cooperative, CooperativeMember, CooperativeSummary, CooperativeYearlyFigure
from dashboards.tasks import SUMMARIES
from migrants.choices import Gender, PlacementScheme, ReturnReason, Sector, Stage
from migrants.models import (
    MigrantStageSummary,
    MigrantWorker,
    Placement,
    PlacementSummary,
    Reintegration,
    ReintegrationSummary,
)
from regions.models import Province, Village
from villages.choices import ActivityKind, DesmigratifStatus, FundingSource, OfficerRole, Pillar
from villages.models import ActivitySummary, DesmigratifVillage, FieldOfficer, PillarActivity

from . import data

T = TypeVar("T")

DEFAULT_MIGRANTS = 5_000_000
DEFAULT_PROGRAM_VILLAGES = 2_000
DEFAULT_COOPERATIVES = 10_000
CHUNK = 100_000  # rows per COPY; a chunk of PMI is ~15 MB of CSV
MIN_VILLAGES = 80_000  # the official edition has 83,762; fewer means load_regions has not run
PROGRAM_START = datetime.date(2016, 1, 1)
PUBLISHED_YEARS = data.NEW_VILLAGES_PER_YEAR  # 2016–2022: 2, 120, 130, 150, 0, 51, 50
PUBLISHED_TOTAL = sum(PUBLISHED_YEARS.values())  # 503

# --- where PMI come from ----------------------------------------------------------------------

# Rough shares of placements by province of origin (BP2MI statistics of recent years): Java and
# Nusa Tenggara send most; every other province sends a little.
PROVINCE_WEIGHTS = {
    "35": 26, "33": 22, "32": 20, "52": 12, "18": 7, "51": 3, "53": 2.5, "12": 2.5, "36": 1.5, "73": 1.2,
    "34": 0.8, "61": 0.7, "16": 0.6, "13": 0.4, "14": 0.4, "21": 0.4, "11": 0.3, "64": 0.25, "72": 0.2,
}
OTHER_PROVINCE_WEIGHT = 0.12
SENDING_REGENCY_BOOST = 6  # the sending regencies of the demo (data.REGENCY_WEIGHTS) weigh this much more
CITY_FACTOR = 0.3  # kota send fewer PMI than kabupaten
KELURAHAN_FACTOR = 0.3  # urban kelurahan fewer than desa
PROGRAM_VILLAGE_BOOST = 4  # program villages are chosen where PMI come from
# Registrations per year, relative (the pandemic years 2020–2021 were low).
REGISTRATION_YEAR_WEIGHTS = {2016: 0.9, 2017: 0.95, 2018: 1.0, 2019: 1.0, 2020: 0.3, 2021: 0.4, 2022: 0.95}
LATER_REGISTRATION_WEIGHT = 1.0

# --- the lifecycle: with 5 M PMI over ten years, ~275k–300k departures a year -------------------

DEPART_SHARE = 0.53  # registered PMI who leave at least once; the rest stay prospective
REPEAT_SHARE = 0.08  # returnees who leave again
MAX_PLACEMENTS = 3
DEPARTURE_DELAY = (30, 270)  # days from registration to departure: training, papers
FEMALE_SHARE_PROSPECTIVE = 0.65
ADULT_DAYS = 18 * 365 + 5  # the days of 18 years with five leap days: a birth this long before is of an adult
STALLED_STAGE_WEIGHTS = {Stage.REGISTERED: 40, Stage.VERIFIED: 30, Stage.IN_TRAINING: 18, Stage.READY: 12}
STAGE_DELAY = {Stage.REGISTERED: (0, 0), Stage.VERIFIED: (3, 45), Stage.IN_TRAINING: (20, 120),
               Stage.READY: (45, 200)}
REINTEGRATION_SHARE = 0.25  # of returnees; every linked cooperative member has one
MEMBER_SHARE = 0.15  # returnees of a village with cooperatives who joined one

# --- program villages, activities, cooperatives -------------------------------------------------

LATER_FUNDING = {FundingSource.APBN: 30, FundingSource.APBD: 40, FundingSource.DANA_DESA: 30}
ACTIVITIES_PER_YEAR = (10, 3)  # mean, deviation: "~10 pillar activities per village per year"
DESA_MIGRAN_EMAS_SHARE = 0.1
COOPERATIVES_PER_VILLAGE_MAX = 25
COOPERATIVE_NAMES = (
    "Koperasi Desmigratif {village}", "Koperasi Produktif Migran {village}", "KSP Migran Sejahtera {village}",
    "KSU Purna Migran {village}", "Koperasi Wanita Migran {village}", "Koperasi Tani Migran {village}",
    "Koperasi Keluarga Migran {village}", "Koperasi Usaha Bersama {village}", "Koperasi Pemuda Migran {village}",
    "Koperasi Perikanan Migran {village}", "Koperasi Konsumen Migran {village}", "Koperasi Jasa Migran {village}",
)
BUMDES_NAMES = ("BUMDes {village} Mandiri", "BUMDes {village} Sejahtera")
P3MI_WORDS = (("Karya", "Bina", "Duta", "Mitra", "Sarana", "Cahaya", "Anugerah", "Jasa", "Citra", "Bakti"),
              ("Mandiri", "Sejahtera", "Nusantara", "Utama", "Migran", "Tenaga", "Abadi", "Persada", "Makmur",
               "Sentosa"))


class NationalDataError(Exception):
    """The database cannot take the national data set (regions missing, a bad size)."""


# --- progress -------------------------------------------------------------------------------------


class Progress:
    """A line on a terminal that rewrites itself: ``label [#####-----] 50% 2,500,000/5,000,000 41 s``."""

    WIDTH = 30

    def __init__(self, write: Callable[[str], None] | None = None, *, interactive: bool = True):
        self.write = write
        self.interactive = interactive
        self.label = ""
        self.total = 0
        self.started = 0.0
        self.shown = 0.0

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.started, self.shown = label, max(total, 1), time.monotonic(), 0.0
        self.update(0)

    def update(self, done: int) -> None:
        now = time.monotonic()
        # a few redraws a second on a terminal; elsewhere (a pipe, a log) only the final line
        if self.write is None or not self.interactive or now - self.shown < 0.2:
            return
        self._draw(done, now)

    def _draw(self, done: int, now: float) -> None:
        self.shown = now
        share = min(done / self.total, 1.0)
        bar = "#" * round(share * self.WIDTH)
        start = "\r" if self.interactive else ""
        self.write(f"{start}{self.label:<26} [{bar:<{self.WIDTH}}] {share:4.0%} {done:>11,}/{self.total:,} "
                   f"{now - self.started:6.1f} s")

    def finish(self) -> None:
        if self.write is not None:
            self._draw(self.total, time.monotonic())
            self.write("\n")


# --- the tables and how rows reach them -----------------------------------------------------------


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    columns: tuple[str, ...]  # attnames, in the order of the tuples

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def text_columns(self) -> list[str]:
        """Non-null text columns: an empty CSV field is '' there, not NULL."""
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields}
        return [name for name in self.columns
                if isinstance(by_attname[name], models.CharField | models.TextField)
                and not by_attname[name].null and not by_attname[name].is_relation]


STAMPED = ("created_at", "updated_at")
VILLAGES = Table(DesmigratifVillage, ("id", "village_id", "year_designated", "decree_number", "decree_date",
                                      "funding_source", "status", "is_desmigratif", "is_desa_migran_emas", "notes",
                                      *STAMPED))
OFFICERS = Table(FieldOfficer, ("id", "desmigratif_village_id", "name", "role", "phone", "active_since",
                                "active_until"))
ACTIVITIES = Table(PillarActivity, ("id", "desmigratif_village_id", "pillar", "kind", "date", "title",
                                    "participants_women", "participants_men", "services_given",
                                    "businesses_started", "children_reached", "partner_agency_id", "budget",
                                    "notes", *STAMPED))
COOPERATIVES = Table(Cooperative, ("id", "desmigratif_village_id", "name", "kind", "legal_entity_number",
                                   "year_founded", "business_type", "is_active", *STAMPED))
ENGAGEMENTS = Table(Engagement, ("id", "agency_id", "level", "regency_id", "village_id", "pillar", "kind", "year",
                                 "budget", "description", *STAMPED))
MIGRANTS = Table(MigrantWorker, ("id", "nik", "nik_needs_verification", "nik_flags", "name", "gender",
                                 "birth_date", "village_id", "address", "education", "marital_status", "phone",
                                 "stage", "registered_on", "stage_changed_on", *STAMPED))
PLACEMENTS = Table(Placement, ("id", "migrant_id", "destination_country", "sector", "job", "scheme", "p3mi_name",
                               "departure_date", "contract_end_date", "return_date", "return_reason", *STAMPED))
REINTEGRATIONS = Table(Reintegration, ("id", "migrant_id", "training_received", "has_business", "business_type",
                                       "business_started_on", "is_cooperative_member", "has_kur_credit",
                                       "credit_bank", "has_bpjs_ketenagakerjaan", "notes", "updated_at"))
MEMBERS = Table(CooperativeMember, ("id", "cooperative_id", "name", "migrant_id", "is_returned_pmi", "joined_on"))
FIGURES = Table(CooperativeYearlyFigure, ("id", "cooperative_id", "year", "members", "members_returned_pmi",
                                          "capital", "assets", "revenue", "shu"))
TABLES = (VILLAGES, OFFICERS, ACTIVITIES, COOPERATIVES, ENGAGEMENTS, MIGRANTS, PLACEMENTS, REINTEGRATIONS, MEMBERS,
          FIGURES)
# The big tables: on PostgreSQL their secondary indexes and foreign keys are dropped before the
# COPY and built again after it (one sort per index instead of millions of random insertions).
BULK_TABLES = (MIGRANTS, PLACEMENTS, REINTEGRATIONS)
SUMMARY_MODELS = (MigrantStageSummary, PlacementSummary, ReintegrationSummary, ActivitySummary, CooperativeSummary)


class Writer(Protocol):
    def write(self, table: Table, rows: Sequence[tuple]) -> None: ...

    def finish(self) -> None: ...

    def close(self) -> None: ...


class CopyWriter:
    """COPY ... FROM STDIN (CSV) on PostgreSQL, from a thread: the caller moves on to the next chunk
    while the server ingests this one (psycopg2 lets go of the GIL while it waits for the server)."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.raw = connection.connection  # the same connection, so the same transaction
        self.queue: queue.Queue[tuple[str, io.StringIO] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="national-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with self.raw.cursor() as cursor:
            while (item := self.queue.get()) is not None:
                try:
                    if self.error is None:
                        cursor.copy_expert(*item, size=1 << 20)
                except BaseException as error:  # handed to the caller's thread
                    self.error = error
                finally:
                    self.queue.task_done()
        self.queue.task_done()

    def write(self, table: Table, rows: Sequence[tuple]) -> None:
        if self.error is not None:
            raise self.error
        if rows:
            self.write_csv(table, _csv(list(rows)))

    def write_csv(self, table: Table, text: str) -> None:
        if self.error is not None:
            raise self.error
        if not text:
            return
        buffer = io.StringIO(text)
        columns = ", ".join(connection.ops.quote_name(name) for name in table.columns)
        options = "FORMAT csv"
        if table.text_columns:
            options += f", FORCE_NOT_NULL ({', '.join(connection.ops.quote_name(n) for n in table.text_columns)})"
        self.queue.put((f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN WITH ({options})",
                        buffer))

    def finish(self) -> None:
        """Wait until every chunk is in; raise what went wrong in the thread."""
        self.queue.join()
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()


class InsertWriter:
    """executemany() with the same tuples: the path of SQLite, for the small sizes of tests."""

    def write(self, table: Table, rows: Sequence[tuple]) -> None:
        if not rows:
            return
        columns = ", ".join(connection.ops.quote_name(name) for name in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table.name)} ({columns}) VALUES ({marks})",
                               rows)

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass


class Batch:
    """Rows of one table, written a chunk at a time; counts them and hands out their ids."""

    def __init__(self, table: Table, writer: Writer, counts: dict[str, int]):
        self.table, self.writer, self.counts = table, writer, counts
        self.rows: list[tuple] = []
        self.next_id = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        self.writer.write(self.table, self.rows)
        self.counts[self.table.name] = self.counts.get(self.table.name, 0) + len(self.rows)
        self.rows = []


# --- the result -------------------------------------------------------------------------------------


@dataclass
class NationalResult:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows written
    seconds: dict[str, float] = field(default_factory=dict)  # step -> seconds
    departures_per_year: dict[int, int] = field(default_factory=dict)
    vendor: str = ""


# --- checks --------------------------------------------------------------------------------------


def national_regions_check() -> None:
    """Raise NationalDataError unless the official regions are loaded."""
    provinces, villages = Province.objects.count(), Village.objects.count()
    pilots = Village.objects.filter(code__in=data.PILOT_VILLAGES).count()
    if provinces < 38 or villages < MIN_VILLAGES or pilots < len(data.PILOT_VILLAGES):
        raise NationalDataError(_(
            "The official regions are not loaded (%(provinces)d provinces, %(villages)d villages found): run "
            "`manage.py load_regions` first. Nothing was changed.") % {"provinces": provinces, "villages": villages})


def _sizes_check(*, migrants: int, program_villages: int, cooperatives: int, today: datetime.date) -> None:
    if migrants < 0 or cooperatives < 0:
        raise NationalDataError(_("The numbers of PMI and cooperatives cannot be negative."))
    if program_villages < PUBLISHED_TOTAL:
        raise NationalDataError(_("At least %(count)d Desmigratif villages: the program had that many by 2022.")
                                % {"count": PUBLISHED_TOTAL})
    if today < datetime.date(2022, 12, 31):
        raise NationalDataError(_("'Today' must be 31 December 2022 or later: the published figures run to 2022."))


# --- the service -----------------------------------------------------------------------------------


def national_generate(*, migrants: int = DEFAULT_MIGRANTS, seed: int = data.DEFAULT_SEED,
                      today: datetime.date, program_villages: int = DEFAULT_PROGRAM_VILLAGES,
                      cooperatives: int = DEFAULT_COOPERATIVES, progress: Progress | None = None) -> NationalResult:
    """Replace the program data by a generated national data set; rows per table and seconds per step.

    Raises NationalDataError (nothing changed) when the regions are not loaded or a size is off.
    """
    _sizes_check(migrants=migrants, program_villages=program_villages, cooperatives=cooperatives, today=today)
    national_regions_check()
    progress = progress or Progress()
    result = NationalResult(vendor=connection.vendor)
    postgres = connection.vendor == "postgresql"

    def step(name: str) -> _Step:
        return _Step(name, result.seconds)

    with transaction.atomic():
        with step("clear the program data"):
            if postgres:
                _deferred_checks_now()
            _clear(postgres=postgres)
            dropped = _drop_bulk_indexes() if postgres else []
        writer: CopyWriter | InsertWriter = CopyWriter() if postgres else InsertWriter()
        try:
            generator = _Generator(seed=seed, today=today, migrants=migrants, program_villages=program_villages,
                                   cooperatives=cooperatives, writer=writer, counts=result.rows, progress=progress,
                                   step=step)
            generator.run()
            with step("wait for the last COPY"):
                writer.finish()
        finally:
            writer.close()
        result.departures_per_year = dict(sorted(generator.departures_per_year.items()))
        if postgres:
            with step("indexes and foreign keys"):
                _restore_bulk_indexes(dropped, progress)
            with step("sequences"):
                _sequences_past_ids()
        for summary in SUMMARIES:
            with step(f"summary {summary.model.__name__}"):
                progress.start(f"summary {summary.model._meta.model_name}", 1)
                summary.refresh()  # a full recount, inside the database (desmigratif.summaries)
                progress.finish()
        for model in SUMMARY_MODELS:
            result.rows[model._meta.db_table] = model.objects.count()
        if postgres:
            with step("deferred foreign key checks"):
                _deferred_checks_now()
            # fresh statistics, or the planner would take 5 M rows for the empty tables they were
            with step("analyze"), connection.cursor() as cursor:
                for table in (*TABLES, *(Table(model, ()) for model in SUMMARY_MODELS)):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table.name)}")
    return result


class _Step:
    """Times a step into ``seconds``."""

    def __init__(self, name: str, seconds: dict[str, float]):
        self.name, self.seconds = name, seconds

    def __enter__(self) -> _Step:
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds[self.name] = self.seconds.get(self.name, 0.0) + time.monotonic() - self.started


def _deferred_checks_now() -> None:
    """Run the foreign key checks still deferred in this transaction, then defer again.

    PostgreSQL refuses to TRUNCATE or ALTER a table with pending trigger events (a caller's
    earlier writes, or an earlier run in the same transaction), and a check that fails should
    fail here, in the step that caused it, rather than at the caller's commit.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _program_models() -> list[type[models.Model]]:
    """Children before parents, with the history tables of each (their ids would name new rows)."""
    found: list[type[models.Model]] = []
    for model in (CooperativeMember, CooperativeYearlyFigure, Cooperative, Reintegration, Placement, MigrantWorker,
                  PillarActivity, FieldOfficer, DesmigratifVillage, Engagement):
        found.append(model)
        history = getattr(model, "history", None)
        if history is not None:
            found.append(history.model)
    return [*found, *SUMMARY_MODELS]


def _clear(*, postgres: bool) -> None:
    tables = [model._meta.db_table for model in _program_models()]
    with connection.cursor() as cursor:
        if postgres:
            # One TRUNCATE of all of them: no row-by-row delete, no foreign key checks. Without
            # RESTART IDENTITY: sequences never go back (see _sequences_past_ids).
            cursor.execute(f"TRUNCATE {', '.join(connection.ops.quote_name(name) for name in tables)}")
        else:
            for name in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(name)}")


@dataclass(frozen=True)
class _Dropped:
    table: str
    indexes: list[str]  # CREATE INDEX statements
    constraints: list[tuple[str, str]]  # (name, definition) of unique constraints and foreign keys


def _drop_bulk_indexes() -> list[_Dropped]:
    """Drop the secondary indexes, unique constraints and foreign keys of the big tables.

    Read from the catalogue rather than from the models, so that whatever migrations add is put
    back exactly as it was. Primary keys and check constraints stay: ids arrive in order, and the
    checks are what keeps every row consistent.
    """
    dropped = []
    with connection.cursor() as cursor:
        for table in BULK_TABLES:
            quoted = connection.ops.quote_name(table.name)
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname", [table.name])
            constraints = cursor.fetchall()
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                           "AND tablename = %s AND indexname NOT IN (SELECT conname FROM pg_constraint "
                           "WHERE conrelid = %s::regclass) ORDER BY indexname", [table.name, table.name])
            indexes = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            dropped.append(_Dropped(table.name, [definition for _name, definition in indexes], constraints))
    return dropped


def _restore_bulk_indexes(dropped: list[_Dropped], progress: Progress) -> None:
    total = sum(len(item.indexes) + len(item.constraints) for item in dropped)
    progress.start("indexes and foreign keys", total)
    done = 0
    with connection.cursor() as cursor:
        # more memory for the sorts of the index builds, for this transaction only
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for item in dropped:
            for definition in item.indexes:
                cursor.execute(definition)
                done += 1
                progress.update(done)
            for name, definition in item.constraints:
                # a foreign key added to a full table is checked in one join, not row by row
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(item.table)} "
                               f"ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
                done += 1
                progress.update(done)
    progress.finish()


def _sequences_past_ids() -> None:
    """Move each sequence past the explicit ids, never back: an earlier value may be in use by
    rows of an enclosing transaction that rolls back (sequences are not transactional)."""
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table.name])
            sequence = cursor.fetchone()[0]
            if not sequence:
                continue
            cursor.execute(f"SELECT last_value FROM {sequence}")
            last = cursor.fetchone()[0]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table.name)}")
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, %s)", [sequence, max(last, highest, 1)])


# --- generating ------------------------------------------------------------------------------------


@dataclass
class _ProgramVillage:
    id: int
    code: str
    name: str
    year: int
    decree_date: datetime.date
    last_active_year: int
    cooperatives: list[_Cooperative] = field(default_factory=list)


@dataclass
class _Cooperative:
    id: int
    founded: int
    last_year: int
    # years in which named members joined: (year, is returned PMI)
    joined: list[tuple[int, bool]] = field(default_factory=list)


def _cumulative(weights: Iterable[float]) -> list[float]:
    return list(accumulate(weights))


class _Generator:
    def __init__(self, *, seed: int, today: datetime.date, migrants: int, program_villages: int, cooperatives: int,
                 writer: Writer, counts: dict[str, int], progress: Progress,
                 step: Callable[[str], _Step]):
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        self.migrants = migrants
        self.program_target = program_villages
        self.cooperative_target = cooperatives
        self.writer, self.counts, self.progress, self.step = writer, counts, progress, step
        global _STAMP
        self.stamp = _STAMP = str(connection.ops.adapt_datetimefield_value(
            datetime.datetime.combine(today, datetime.time(0), tzinfo=datetime.UTC)))
        self.program: list[_ProgramVillage] = []
        self.departures_per_year: dict[int, int] = defaultdict(int)
        names = IndonesianNames
        self.first_names = {True: sorted(names.first_names_female), False: sorted(names.first_names_male)}
        self.last_names = {True: sorted(names.last_names_female), False: sorted(names.last_names_male)}
        self.p3mi = [f"PT Contoh {a} {b}" for a in P3MI_WORDS[0] for b in P3MI_WORDS[1]]
        self.agencies = {agency.acronym: agency for agency in Agency.objects.order_by("acronym")}

    # --- helpers -----------------------------------------------------------------------------------

    def weighted(self, weights: dict[T, float]) -> T:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def money(self, low: int, high: int, step: int = 50_000) -> int:
        return low if high <= low else self.rng.randrange(low, high + 1, step)

    def person_name(self, female: bool) -> str:
        r = self.rng.random
        first = self.first_names[female]
        name = first[int(r() * len(first))]
        if r() < 0.8:  # many Indonesians carry a single name
            last = self.last_names[female]
            name = f"{name} {last[int(r() * len(last))]}"
        return name

    def phone(self) -> str:
        return f"{data.PHONE_PREFIX}{int(self.rng.random() * 90_000_000) + 10_000_000}"

    def batch(self, table: Table) -> Batch:
        return Batch(table, self.writer, self.counts)

    def last_book_year(self) -> int:
        # a book year is closed at its end: this year's figures exist only on 31 December
        return self.today.year if (self.today.month, self.today.day) == (12, 31) else self.today.year - 1

    # --- the run ---------------------------------------------------------------------------------

    def run(self) -> None:
        with self.step("read the regions"):
            self.load_regions()
        with self.step("Desmigratif villages"):
            self.build_program_villages()
        with self.step("pillar activities"):
            self.build_activities()
        with self.step("cooperatives"):
            self.build_cooperatives()
        with self.step("engagements"):
            self.build_engagements()
        with self.step("PMI and placements"):
            self.build_migrants()
        with self.step("members and yearly figures"):
            self.build_members_and_figures()

    def load_regions(self) -> None:
        self.progress.start("read the regions", 1)
        rows = list(Village.objects.order_by("code").values_list("code", "name"))
        self.village_codes = [code for code, _name in rows]
        self.village_names = dict(rows)
        # Weights: province share, spread over its regencies and villages with heavy tails, so that
        # PMI concentrate in some regencies and villages as they do.
        by_regency: dict[str, list[str]] = defaultdict(list)
        for code in self.village_codes:
            by_regency[code[:5]].append(code)
        by_province: dict[str, list[str]] = defaultdict(list)
        for regency in sorted(by_regency):
            by_province[regency[:2]].append(regency)
        self.provinces = sorted(by_province)
        self.regency_villages = dict(by_regency)
        self.regency_weight: dict[str, float] = {}
        for province in self.provinces:
            raw = {}
            for regency in by_province[province]:
                weight = self.rng.paretovariate(1.6)
                if int(regency[3:5]) >= 71:
                    weight *= CITY_FACTOR
                if regency in data.REGENCY_WEIGHTS:
                    weight = weight * SENDING_REGENCY_BOOST + data.REGENCY_WEIGHTS[regency]
                raw[regency] = weight
            total = sum(raw.values())
            share = PROVINCE_WEIGHTS.get(province, OTHER_PROVINCE_WEIGHT)
            for regency, weight in raw.items():
                self.regency_weight[regency] = share * weight / total
        self.village_weight: dict[str, float] = {}
        for regency, codes in sorted(by_regency.items()):
            raw = {code: self.rng.paretovariate(2.0) * (KELURAHAN_FACTOR if code[9] == "1" else 1.0)
                   for code in codes}
            total = sum(raw.values())
            for code, weight in raw.items():
                self.village_weight[code] = self.regency_weight[regency] * weight / total
        self.regencies = sorted(self.regency_weight)
        self.regency_cum = _cumulative(self.regency_weight[r] for r in self.regencies)
        self.progress.finish()

    # --- Desmigratif villages and officers ---------------------------------------------------------

    def yearly_targets(self) -> dict[int, int]:
        targets = dict(PUBLISHED_YEARS)
        later = list(range(2023, self.today.year + 1))
        remaining = self.program_target - PUBLISHED_TOTAL
        if later and remaining > 0:
            # growing batches; the current year counts for the part of it that has passed
            weights = [1 + 0.25 * index for index in range(len(later))]
            weights[-1] *= self.today.timetuple().tm_yday / 365
            total = sum(weights)
            shares = [int(remaining * weight / total) for weight in weights]
            shares[-1] += remaining - sum(shares)
            targets.update(zip(later, shares, strict=True))
        return targets

    def decree_waves(self, year: int) -> list[tuple[datetime.date, str]]:
        if year in data.DECREE_WAVES:
            return list(data.DECREE_WAVES[year])
        dates = [datetime.date(year, 3, 10), datetime.date(year, 8, 18)]
        dates = [day for day in dates if day <= self.today] or [datetime.date(year, 1, 2)]
        return [(day, f"DEMO/{index:02d}/KEP/MEN/{year}") for index, day in enumerate(dates, 1)]

    def build_program_villages(self) -> None:
        targets = self.yearly_targets()
        total = sum(targets.values())
        self.progress.start("Desmigratif villages", total)
        pools: dict[str, list[str]] = {}
        taken: set[str] = set(data.PILOT_VILLAGES)

        def pool(regency: str) -> list[str]:
            if regency not in pools:
                codes = self.regency_villages[regency]
                # desa first; kelurahan only where a regency has no desa (e.g. Jakarta's cities)
                desa = [code for code in codes if code[9] != "1"] or list(codes)
                self.rng.shuffle(desa)
                pools[regency] = [code for code in desa if code not in taken]
            return pools[regency]

        def draw(regencies: list[str], cum: list[float]) -> str | None:
            for _attempt in range(200):
                regency = regencies[bisect(cum, self.rng.random() * cum[-1])]
                if pool(regency):
                    code = pool(regency).pop()
                    taken.add(code)
                    return code
            return None

        villages = self.batch(VILLAGES)
        officers = self.batch(OFFICERS)
        cirebon = [r for r in self.regencies if r == data.CIREBON]
        for year, count in sorted(targets.items()):
            drawn: list[tuple[str, str]] = []
            if year == data.PILOT_YEAR:
                drawn = [(code, FundingSource.APBN) for code in data.PILOT_VILLAGES]
            else:
                specials = data.CIREBON_DANA_DESA_PER_YEAR.get(year, 0) if cirebon else 0
                for _special in range(specials):
                    if pool(data.CIREBON):
                        code = pool(data.CIREBON).pop()
                        taken.add(code)
                        drawn.append((code, FundingSource.DANA_DESA))
                if year > 2022:
                    # every province in the program: those still without a village come first
                    present = {code[:2] for code in taken}
                    for province in self.provinces:
                        if province in present or len(drawn) >= count:
                            continue
                        regencies = [r for r in self.regencies if r.startswith(f"{province}.")]
                        code = draw(regencies, _cumulative(self.regency_weight[r] for r in regencies))
                        if code:
                            drawn.append((code, self.weighted(LATER_FUNDING)))
                while len(drawn) < count:
                    code = draw(self.regencies, self.regency_cum)
                    if code is None:
                        raise NationalDataError(_("Too few villages left to draw the Desmigratif villages from."))
                    funding = (FundingSource.APBN if year in data.APBN_YEARS
                               else self.weighted(dict(data.REGIONAL_FUNDING)) if year <= 2022
                               else self.weighted(LATER_FUNDING))
                    drawn.append((code, funding))
            waves = self.decree_waves(year) if drawn else []
            for index, (code, funding) in enumerate(drawn):
                decree_date, decree_number = waves[index * len(waves) // len(drawn)]
                self.add_program_village(villages, officers, code=code, year=year, funding=funding,
                                         decree_date=decree_date, decree_number=decree_number)
                self.progress.update(len(self.program))
        villages.flush()
        officers.flush()
        self.program_by_code = {pv.code: pv for pv in self.program}
        self.progress.finish()

    def add_program_village(self, villages: Batch, officers: Batch, *, code: str, year: int, funding: str,
                            decree_date: datetime.date, decree_number: str) -> None:
        status, last_active = DesmigratifStatus.ACTIVE, self.today.year
        notes = []
        if code in data.PILOT_VILLAGES:
            notes.append(data.PILOT_NOTE)
        else:
            draw = self.rng.random()
            if year <= 2018 and draw < 0.06:
                status = DesmigratifStatus.GRADUATED
            elif draw > 0.97 and year < self.today.year - 1:
                status = DesmigratifStatus.INACTIVE
                last_active = self.rng.randint(year + 1, self.today.year - 1)
            if code.startswith(f"{data.CIREBON}.") and funding == FundingSource.DANA_DESA and year <= 2022:
                notes.append(data.CIREBON_NOTE)
        # KP2MI's label exists since 2025: the first pilot and some active villages carry it
        emas = self.today.year >= 2025 and year <= 2025 and status == DesmigratifStatus.ACTIVE and (
            code == data.MARKER_VILLAGE or self.rng.random() < DESA_MIGRAN_EMAS_SHARE)
        if emas:
            notes.append(data.DESA_MIGRAN_EMAS_NOTE)
        pv = _ProgramVillage(id=villages.new_id(), code=code, name=self.village_names[code], year=year,
                             decree_date=decree_date, last_active_year=last_active)
        self.program.append(pv)
        villages.add((pv.id, code, year, decree_number, decree_date.isoformat(), funding, status, True, emas,
                      " ".join(notes), self.stamp, self.stamp))
        # two Petugas Desmigratif, chosen by village deliberation after the decree
        for _officer in range(2):
            since = min(decree_date + datetime.timedelta(days=self.rng.randint(7, 90)), self.today)
            until = None
            if status == DesmigratifStatus.INACTIVE:
                until = max(datetime.date(last_active, 12, 31), since).isoformat()
            officers.add((officers.new_id(), pv.id, self.person_name(self.rng.random() < 0.5),
                          OfficerRole.FIELD_OFFICER, self.phone(), since.isoformat(), until))

    # --- activities -----------------------------------------------------------------------------------

    def build_activities(self) -> None:
        self.progress.start("pillar activities", len(self.program))
        activities = self.batch(ACTIVITIES)
        pillars = list(data.PILLAR_WEIGHTS)
        pillar_cum = _cumulative(data.PILLAR_WEIGHTS.values())
        kinds = {pillar: ActivityKind.for_pillar(pillar) for pillar in pillars}
        partners = {pillar: [self.agencies[a] for a in data.PILLAR_PARTNERS[pillar] if a in self.agencies]
                    for pillar in pillars}
        r = self.rng.random
        for done, pv in enumerate(self.program, 1):
            for year in range(pv.year, min(pv.last_active_year, self.today.year) + 1):
                n = max(0, round(self.rng.gauss(*ACTIVITIES_PER_YEAR)))
                if year == 2020:
                    n //= 2  # the pandemic year: fewer gatherings
                start = max(pv.decree_date, datetime.date(year, 1, 1))
                end = min(datetime.date(year, 12, 31), self.today)
                if start > end:
                    continue
                span = (end - start).days + 1
                for _activity in range(n):
                    day = start + datetime.timedelta(days=int(r() * span))
                    pillar = pillars[bisect(pillar_cum, r() * pillar_cum[-1])]
                    kind = kinds[pillar][int(r() * len(kinds[pillar]))]
                    valid = [a for a in partners[pillar] if _valid_on(a, day)]
                    partner = valid[int(r() * len(valid))].id if valid and r() < data.ACTIVITY_PARTNER_SHARE else None
                    titles = data.ACTIVITY_TITLES[kind]
                    activities.add((
                        activities.new_id(), pv.id, pillar, kind, day.isoformat(), titles[int(r() * len(titles))],
                        5 + int(r() * 36), 1 + int(r() * 25),
                        5 + int(r() * 56) if pillar == Pillar.MIGRATION_SERVICE else 0,
                        int(r() * 9) if pillar == Pillar.PRODUCTIVE_BUSINESS else 0,
                        10 + int(r() * 51) if pillar == Pillar.COMMUNITY_PARENTING else 0,
                        partner, self.money(0, 30_000_000) if r() < 0.8 else 0, "", self.stamp, self.stamp))
            if done % 100 == 0:
                self.progress.update(done)
        activities.flush()
        self.progress.finish()

    # --- cooperatives ---------------------------------------------------------------------------------

    def build_cooperatives(self) -> None:
        self.progress.start("cooperatives", self.cooperative_target)
        cooperatives = self.batch(COOPERATIVES)
        # some villages build many, most a few, some none
        cum = _cumulative(self.rng.paretovariate(2.0) for _pv in self.program)
        counts = [0] * len(self.program)
        placed = 0
        while placed < self.cooperative_target:
            index = bisect(cum, self.rng.random() * cum[-1])
            if counts[index] < COOPERATIVES_PER_VILLAGE_MAX:
                counts[index] += 1
                placed += 1
            elif all(count >= COOPERATIVES_PER_VILLAGE_MAX for count in counts):
                raise NationalDataError(_("Too many cooperatives for the Desmigratif villages."))
        registered = 0
        for pv, count in zip(self.program, counts, strict=True):
            bumdes_first = self.rng.random() < data.BUMDES_SHARE
            for number in range(count):
                bumdes = bumdes_first and number == 0  # a village has one BUMDes
                if bumdes:
                    name = self.rng.choice(BUMDES_NAMES).format(village=pv.name)
                    business = self.weighted(data.BUMDES_BUSINESS_WEIGHTS)
                else:
                    template = COOPERATIVE_NAMES[number % len(COOPERATIVE_NAMES)]
                    name = template.format(village=pv.name)
                    if number >= len(COOPERATIVE_NAMES):
                        name = f"{name} {number // len(COOPERATIVE_NAMES) + 1}"
                    business = self.weighted(data.COOPERATIVE_BUSINESS_WEIGHTS)
                founded = min(pv.year + self.rng.choice((0, 1, 1, 2, 3, 4, 5)), self.today.year)
                legal = ""
                if self.rng.random() < (0.6 if bumdes else 0.8):
                    registered += 1
                    legal = (f"DEMO-BUMDES/{registered:06d}/{founded}" if bumdes
                             else f"DEMO-AHU-{registered:07d}.AH.01.26.TAHUN {founded}")
                active = self.rng.random() < 0.92 or founded >= self.today.year - 1
                last_year = self.today.year if active else self.rng.randint(founded, self.today.year - 1)
                info = _Cooperative(id=cooperatives.new_id(), founded=founded, last_year=last_year)
                pv.cooperatives.append(info)
                cooperatives.add((info.id, pv.id, name,
                                  CooperativeKind.BUMDES if bumdes else CooperativeKind.COOPERATIVE,
                                  legal, founded, business, active, self.stamp, self.stamp))
                self.progress.update(info.id)
        cooperatives.flush()
        self.progress.finish()

    # --- engagements ----------------------------------------------------------------------------------

    def build_engagements(self) -> None:
        engagements = self.batch(ENGAGEMENTS)
        templates = [t for t in data.ENGAGEMENT_TEMPLATES if t.acronym in self.agencies]
        years = range(2017, self.today.year + 1)
        self.progress.start("engagements", len(years))

        def valid(level: str, year: int) -> list[data.EngagementTemplate]:
            return [t for t in templates if level in t.levels and _valid_in_year(self.agencies[t.acronym], year)]

        def add(template: data.EngagementTemplate, year: int, level: str, regency: str | None = None,
                village: str | None = None) -> None:
            engagements.add((engagements.new_id(), self.agencies[template.acronym].id, level, regency, village,
                             template.pillar, template.kind, year, self.money(*template.budget, step=1_000_000),
                             template.description, self.stamp, self.stamp))

        first_year: dict[str, int] = {}
        for pv in self.program:
            first_year[pv.code[:5]] = min(first_year.get(pv.code[:5], pv.year), pv.year)
        for done, year in enumerate(years, 1):
            for template in valid(EngagementLevel.NATIONAL, year):
                if template.acronym == "Kemnaker" or self.rng.random() < data.NATIONAL_ENGAGEMENT_SHARE:
                    add(template, year, EngagementLevel.NATIONAL)
            options = valid(EngagementLevel.REGENCY, year)
            for regency, since in sorted(first_year.items()):
                if year >= since:
                    for template in self.rng.sample(options, min(len(options), self.rng.randint(1, 3))):
                        add(template, year, EngagementLevel.REGENCY, regency=regency)
            self.progress.update(done)
        for pv in self.program:
            if self.rng.random() < data.VILLAGE_ENGAGEMENT_SHARE:
                for _engagement in range(self.rng.randint(1, 2)):
                    year = self.rng.randint(max(pv.year, years.start), self.today.year)
                    options = valid(EngagementLevel.VILLAGE, year)
                    if options:
                        add(self.rng.choice(options), year, EngagementLevel.VILLAGE, village=pv.code)
        engagements.flush()
        self.progress.finish()

    # --- PMI ------------------------------------------------------------------------------------------

    def build_migrants(self) -> None:
        """The PMI, in slices of SLICE: each slice has its own random stream and id ranges, so that
        slices can be generated by parallel processes (PostgreSQL) or one after the other (SQLite)
        and give the same rows either way."""
        total = self.migrants
        self.progress.start("PMI and placements", total)
        global _TABLES
        _TABLES = self.pmi_tables()
        slices = _TABLES.slices
        done = 0
        copy = isinstance(self.writer, CopyWriter)
        workers = min(os.cpu_count() or 1, slices) if copy else 1
        try:
            if workers > 1:
                # fork: the workers inherit the tables and never touch the database connection
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    pending: deque = deque()
                    submitted = 0
                    while done < total:
                        # a window of slices in flight keeps memory bounded and the order fixed
                        while submitted < slices and len(pending) < workers + 1:
                            pending.append(pool.apply_async(_pmi_slice, (submitted, True)))
                            submitted += 1
                        done += self.take_slice(pending.popleft().get())
                        self.progress.update(done)
            else:
                for number in range(slices):
                    done += self.take_slice(_pmi_slice(number, copy))
                    self.progress.update(done)
        finally:
            _TABLES = None
        self.progress.finish()

    def take_slice(self, result: _Slice) -> int:
        for table, rows in ((MIGRANTS, result.migrants), (PLACEMENTS, result.placements),
                            (REINTEGRATIONS, result.reintegrations), (MEMBERS, result.members)):
            self.counts[table.name] = self.counts.get(table.name, 0) + result.counts[table.name]
            if isinstance(rows, str):
                self.writer.write_csv(table, rows)
            else:
                self.writer.write(table, rows)
        for year, count in result.departures.items():
            self.departures_per_year[year] += count
        cooperatives = {info.id: info for pv in self.program for info in pv.cooperatives} \
            if result.joined else {}
        for cooperative_id, year in result.joined:
            cooperatives[cooperative_id].joined.append((year, True))
        return result.counts[MIGRANTS.name]

    def pmi_tables(self) -> _PmiTables:
        today = self.today.toordinal()
        base = datetime.date(1940, 1, 1).toordinal()
        # up to ten years ahead: contracts of those abroad end after today
        days = [datetime.date.fromordinal(o) for o in range(base, today + 3660)]
        first = PROGRAM_START.toordinal()
        codes = self.village_codes
        district_numbers: dict[str, int] = {}
        for code in codes:
            district_numbers.setdefault(code[:8], len(district_numbers))
        return _PmiTables(
            total=self.migrants, seed=self.seed, today=today, base=base, first=first,
            iso=[day.isoformat() for day in days],
            nik_date=([f"{day.day:02d}{day.month:02d}{day.year % 100:02d}" for day in days],
                      [f"{day.day + 40:02d}{day.month:02d}{day.year % 100:02d}" for day in days]),
            year_of=[day.year for day in days],
            # registration: the inverse of the cumulative weights of the days since the program began
            registration_cum=_cumulative(REGISTRATION_YEAR_WEIGHTS.get(days[o - base].year, LATER_REGISTRATION_WEIGHT)
                                         for o in range(first, today + 1)),
            codes=codes,
            # origins: every village, program villages boosted
            village_cum=_cumulative(self.village_weight[code] * (PROGRAM_VILLAGE_BOOST if code in self.program_by_code
                                                                 else 1.0) for code in codes),
            districts=[code[:8].replace(".", "") for code in codes],
            district_numbers=[district_numbers[code[:8]] for code in codes],
            places=[self.village_names[code] for code in codes],
            cooperatives={pv.code: [(info.id, info.founded, info.last_year) for info in pv.cooperatives]
                          for pv in self.program if pv.cooperatives},
            first_names=(self.first_names[False], self.first_names[True]),
            last_names=(self.last_names[False], self.last_names[True]),
            p3mi=self.p3mi,
        )

    # --- members who are not in the PMI records, and the yearly figures ---------------------------------

    def build_members_and_figures(self) -> None:
        total = sum(len(pv.cooperatives) for pv in self.program)
        self.progress.start("members and yearly figures", total)
        members, figures = self.batch(MEMBERS), self.batch(FIGURES)
        members.next_id = self.migrants + 1  # ids up to the PMI count are the memberships of PMI
        book_year = self.last_book_year()
        done = 0
        for pv in self.program:
            for info in pv.cooperatives:
                founded = datetime.date(info.founded, 1, 1)
                for _member in range(self.rng.randint(2, 6)):
                    joined = self.between(founded, min(datetime.date(info.last_year, 12, 31), self.today))
                    is_returned = self.rng.random() < 0.15  # returnees not (yet) in the PMI records
                    info.joined.append((joined.year, is_returned))
                    members.add((members.new_id(), info.id, self.person_name(self.rng.random() < 0.6), None,
                                 is_returned, joined.isoformat()))
                self.figures(figures, info, book_year)
                done += 1
                if done % 500 == 0:
                    self.progress.update(done)
        members.flush()
        figures.flush()
        self.progress.finish()

    def figures(self, figures: Batch, info: _Cooperative, book_year: int) -> None:
        rng = self.rng
        members = rng.randint(20, 60)
        returned_share = rng.uniform(0.2, 0.5)
        deposit = rng.randrange(150_000, 500_001, 25_000)  # simpanan pokok + wajib per member
        retained = 0.0
        # assets to capital and revenue to assets drift from year to year rather than jump
        leverage, turnover = rng.uniform(1.3, 2.0), rng.uniform(0.2, 0.5)
        for year in range(max(info.founded, 2016), min(info.last_year, book_year) + 1):
            if year > info.founded:
                members = round(members * rng.uniform(1.02, 1.2))
            # the members known by name must fit in the counts
            named = [returned for joined, returned in info.joined if joined <= year]
            members = max(members, len(named))
            returned = min(members, max(round(members * returned_share), sum(named)))
            capital = max(members * deposit + retained, 0)
            leverage = min(max(leverage * rng.uniform(0.93, 1.08), 1.1), 3.0)
            turnover = min(max(turnover * rng.uniform(0.85, 1.15), 0.1), 0.8)
            assets = capital * leverage
            revenue = assets * turnover
            shu = revenue * rng.gauss(0.07, 0.06)  # a bad year makes a loss
            retained += shu * 0.4 if shu > 0 else shu
            figures.add((figures.new_id(), info.id, year, members, returned, _rupiah(capital), _rupiah(assets),
                         _rupiah(revenue), _rupiah(shu)))


# --- PMI slices (module level: forked worker processes run them) -------------------------------------

SLICE = 100_000  # PMI per slice: a unit of work, a random stream and a residue of NIK serials


@dataclass
class _PmiTables:
    """What a slice needs, precomputed once: plain lists indexed by day ordinal or village."""

    total: int
    seed: int
    today: int  # ordinal
    base: int  # ordinal of index 0 of the day lists
    first: int  # ordinal of the first registration day
    iso: list[str]
    nik_date: tuple[list[str], list[str]]  # DDMMYY by day, (men, women: day + 40)
    year_of: list[int]
    registration_cum: list[float]
    codes: list[str]
    village_cum: list[float]
    districts: list[str]  # by village: the six digits of its district
    district_numbers: list[int]
    places: list[str]  # by village: its name, for the address
    cooperatives: dict[str, list[tuple[int, int, int]]]  # village -> (id, founded, last year)
    first_names: tuple[list[str], list[str]]  # (men, women)
    last_names: tuple[list[str], list[str]]
    p3mi: list[str]

    @property
    def slices(self) -> int:
        return max(1, -(-self.total // SLICE))


@dataclass
class _Slice:
    migrants: list[tuple] | str  # rows, or their CSV when made by a worker process
    placements: list[tuple] | str
    reintegrations: list[tuple] | str
    members: list[tuple] | str
    counts: dict[str, int]
    departures: dict[int, int]
    joined: list[tuple[int, int]]  # (cooperative id, year) of the returnees who joined one


_TABLES: _PmiTables | None = None
_STAMP = ""


def _csv(rows: list[tuple]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _pmi_slice(number: int, as_csv: bool) -> _Slice:  # noqa: C901 - one loop, kept flat for speed
    """PMI ``number * SLICE + 1`` … with their placements, reintegrations and memberships.

    The ids are derived from the PMI's id (placements ``3 * (id - 1) + 1 …``, the reintegration and
    a membership ``id``), so that slices need not know each other's row counts. NIK serials: a
    counter per (district, birth date, gender) within the slice, interleaved with the other slices
    (``counter * slices + number + 1``): unique as a NIK needs, with memory bounded by the slice
    rather than by all the PMI.
    """
    t = _TABLES
    assert t is not None
    rng = random.Random(f"{t.seed}:pmi:{number}")
    r = rng.random
    start, stop = number * SLICE, min((number + 1) * SLICE, t.total)
    today, base, first = t.today, t.base, t.first
    iso, year_of, nik_date = t.iso, t.year_of, t.nik_date
    registration_cum, registration_total = t.registration_cum, t.registration_cum[-1]
    codes, village_cum, village_total = t.codes, t.village_cum, t.village_cum[-1]
    districts, district_numbers, places = t.districts, t.district_numbers, t.places
    first_names, last_names, p3mi = t.first_names, t.last_names, t.p3mi
    coops = t.cooperatives
    destinations = [str(code) for code in data.DESTINATIONS]
    destination_cum = _cumulative(d.weight for d in data.DESTINATIONS.values())
    destination_total = destination_cum[-1]
    specs = {str(code): (spec.female_share, spec.informal_share_women, spec.informal_share_men,
                         round(spec.contract_months * 30.44), [str(s) for s in spec.schemes],
                         _cumulative(spec.schemes.values()), spec.formal_jobs)
             for code, spec in data.DESTINATIONS.items()}
    reasons = [str(reason) for reason in data.RETURN_REASON_WEIGHTS]
    reason_cum = _cumulative(data.RETURN_REASON_WEIGHTS.values())
    educations = [str(value) for value in data.EDUCATION_WEIGHTS]
    education_cum = _cumulative(data.EDUCATION_WEIGHTS.values())
    maritals = [str(value) for value in data.MARITAL_WEIGHTS]
    marital_cum = _cumulative(data.MARITAL_WEIGHTS.values())
    stalled = [str(stage) for stage in STALLED_STAGE_WEIGHTS]
    stalled_cum = _cumulative(STALLED_STAGE_WEIGHTS.values())
    delays = {str(stage): span for stage, span in STAGE_DELAY.items()}
    jobs_by_gender = (data.INFORMAL_JOBS_MEN, data.INFORMAL_JOBS_WOMEN)
    contract_ended, death = ReturnReason.CONTRACT_ENDED.value, ReturnReason.DEATH.value
    p2p = PlacementScheme.P_TO_P.value
    formal, informal = Sector.FORMAL.value, Sector.INFORMAL.value
    abroad, returned_stage = Stage.ABROAD.value, Stage.RETURNED.value
    registered_stage, verified, in_training, ready = (Stage.REGISTERED.value, Stage.VERIFIED.value,
                                                      Stage.IN_TRAINING.value, Stage.READY.value)
    genders = (Gender.MALE.value, Gender.FEMALE.value)
    trainings, businesses = data.TRAININGS, data.BUSINESS_TYPES
    delay_low, delay_span = DEPARTURE_DELAY[0], DEPARTURE_DELAY[1] - DEPARTURE_DELAY[0]
    slices = t.slices
    serials: dict[int, int] = defaultdict(int)
    stamp = _STAMP
    migrants: list[tuple] = []
    placements: list[tuple] = []
    reintegrations: list[tuple] = []
    members: list[tuple] = []
    departures: dict[int, int] = defaultdict(int)
    joined_coops: list[tuple[int, int]] = []
    total = t.total
    for index in range(start, stop):
        migrant_id = index + 1
        # registration order follows the ids
        registered = min(first + bisect(registration_cum, (index + r()) / total * registration_total), today)
        village_index = bisect(village_cum, r() * village_total)
        village = codes[village_index]
        last_return, last_reason = 0, ""
        departs = r() < DEPART_SHARE
        departure = registered + delay_low + int(r() * delay_span)
        stays = 0
        if departs and departure <= today:
            destination = destinations[bisect(destination_cum, r() * destination_total)]
            female = r() < specs[destination][0]
            stage, changed = abroad, departure
            for number_abroad in range(MAX_PLACEMENTS):
                if number_abroad:
                    destination = destinations[bisect(destination_cum, r() * destination_total)]
                (_share, informal_women, informal_men, contract, schemes, scheme_cum,
                 formal_jobs) = specs[destination]
                is_informal = r() < (informal_women if female else informal_men)
                jobs = jobs_by_gender[female] if is_informal else formal_jobs
                scheme = schemes[bisect(scheme_cum, r() * scheme_cum[-1])]
                reason = reasons[bisect(reason_cum, r() * reason_cum[-1])]
                if reason == contract_ended:
                    back = departure + contract - 20 + int(r() * 51)
                else:  # a problem cut the stay short
                    back = departure + 30 + int(r() * (contract - 31))
                departures[year_of[departure - base]] += 1
                stays += 1
                head = (3 * index + number_abroad + 1, migrant_id, destination, informal if is_informal else formal,
                        jobs[int(r() * len(jobs))], scheme, p3mi[int(r() * len(p3mi))] if scheme == p2p else "",
                        iso[departure - base], iso[departure + contract - base])
                if back > today:  # still abroad
                    placements.append((*head, None, "", stamp, stamp))
                    stage, changed = abroad, departure
                    break
                placements.append((*head, iso[back - base], reason, stamp, stamp))
                stage, changed, last_return, last_reason = returned_stage, back, back, reason
                if reason == death or r() >= REPEAT_SHARE:
                    break
                departure = back + 60 + int(r() * 340)
                if departure > today:
                    break
        else:
            female = r() < FEMALE_SHARE_PROSPECTIVE
            if departs:  # leaving soon: as far along as the time since registration allows
                elapsed = (today - registered) / (departure - registered)
                stage = (registered_stage if elapsed < 0.15 else verified if elapsed < 0.4
                         else in_training if elapsed < 0.75 else ready)
            else:  # stalled, as many registrations are
                stage = stalled[bisect(stalled_cum, r() * stalled_cum[-1])]
            low, high = delays[stage]
            changed = min(registered + low + int(r() * (high - low + 1)), today)

        # age at registration: triangular(18, 45, mode 25), inlined
        u = r()
        age = 18 + (27 * 7 * u) ** 0.5 if u < 7 / 27 else 45 - (27 * 20 * (1 - u)) ** 0.5
        # at least 18 full years (6,575 days hold 18 years with their leap days), as the rules want a PMI
        birth = min(registered - int(age * 365.25) - int(r() * 364), registered - ADULT_DAYS)
        key = (district_numbers[village_index] * 65536 + birth - base) * 2 + female
        counter = serials[key]
        serials[key] = counter + 1
        serial = counter * slices + number + 1
        if serial > 9999:
            raise NationalDataError(_("Too many PMI born on one day in one district: NIK serials run out."))
        names = first_names[female]
        name = names[int(r() * len(names))]
        if r() < 0.8:  # many Indonesians carry a single name
            names = last_names[female]
            name = f"{name} {names[int(r() * len(names))]}"
        migrants.append((
            migrant_id, f"{districts[village_index]}{nik_date[female][birth - base]}{serial:04d}", False, "", name,
            genders[female], iso[birth - base], village,
            f"RT {1 + int(r() * 12):03d} RW {1 + int(r() * 8):03d}, {places[village_index]}",
            educations[bisect(education_cum, r() * education_cum[-1])],
            maritals[bisect(marital_cum, r() * marital_cum[-1])],
            f"0800{int(r() * 90_000_000) + 10_000_000}" if r() < data.PHONE_SHARE else "",
            stage, iso[registered - base], iso[changed - base], stamp, stamp))

        if stage != returned_stage or last_reason == death:
            continue
        # a returnee: maybe a member of a cooperative of the village, maybe a reintegration record
        member = False
        in_village = coops.get(village)
        if in_village and r() < MEMBER_SHARE:
            cooperative_id, founded, last_year = in_village[int(r() * len(in_village))]
            joined = max(last_return + int(r() * 180),
                         datetime.date(founded, 1, 1).toordinal() + int(r() * 200))
            if joined <= today and year_of[joined - base] <= last_year:
                member = True
                joined_coops.append((cooperative_id, year_of[joined - base]))
                members.append((migrant_id, cooperative_id, name, migrant_id, True, iso[joined - base]))
        if not member and r() >= REINTEGRATION_SHARE:
            continue
        started = last_return + 30 + int(r() * 510)
        has_business = r() < 0.45 and started <= today
        has_credit = r() < (0.35 if has_business else 0.1)
        reintegrations.append((
            migrant_id, migrant_id, trainings[int(r() * len(trainings))] if r() < 0.6 else "",
            has_business, businesses[int(r() * len(businesses))] if has_business else "",
            iso[started - base] if has_business else None, member, has_credit,
            ("BRI" if r() < 0.65 else "BNI") if has_credit else "", r() < 0.6, "", stamp))

    counts = {MIGRANTS.name: len(migrants), PLACEMENTS.name: len(placements),
              REINTEGRATIONS.name: len(reintegrations), MEMBERS.name: len(members)}
    if as_csv:  # formatted here, in the worker, in parallel
        return _Slice(_csv(migrants), _csv(placements), _csv(reintegrations), _csv(members), counts,
                      dict(departures), joined_coops)
    return _Slice(migrants, placements, reintegrations, members, counts, dict(departures), joined_coops)


def _rupiah(amount: float) -> int:
    return round(amount / 1000) * 1000


def _valid_in_year(agency: Agency, year: int) -> bool:
    return ((agency.valid_from is None or agency.valid_from.year <= year)
            and (agency.valid_until is None or agency.valid_until.year >= year))


def _valid_on(agency: Agency, day: datetime.date) -> bool:
    return ((agency.valid_from is None or agency.valid_from <= day)
            and (agency.valid_until is None or agency.valid_until >= day))
