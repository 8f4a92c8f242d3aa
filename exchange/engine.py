"""The import engine: a table and a resource in, every problem and the counts out — and, when
writing, every record or none.

Rows are taken in chunks (``CHUNK_ROWS``): per chunk the resource makes its look-ups in one query
each (villages, existing records by natural key), then each row is parsed, built and validated
with the model's own ``full_clean()`` — the rules of the forms — minus the checks that would cost a
query per row (foreign keys, uniqueness, constraints), which are done per chunk instead. Writing
runs the same validation inside one transaction and writes each chunk with bulk inserts and
updates; a single problem anywhere rolls everything back.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.expressions import DatabaseDefault
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .cells import CellError, display, is_empty
from .conf import limit
from .readers import FileRejected, Table, _too_many_rows, normalise_header
from .resources.base import CREATE, UNCHANGED, UPDATE, Column, Problem, Resource, Row, State

ProgressCallback = Callable[[int, int], None]
MEMO_SIZE = 50_000  # distinct raw values remembered per column (choices, codes, dates repeat)
_MISSING = object()
_SKIP = object()


@dataclass
class Report:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[dict] = field(default_factory=list)
    written: bool = False

    def add(self, problems: list[Problem]) -> None:
        self.problem_count += len(problems)
        room = limit("MAX_STORED_PROBLEMS") - len(self.problems)
        if room > 0:
            self.problems.extend(p.as_dict() for p in problems[:room])


def file_problems(error: FileRejected) -> list[dict]:
    return [Problem(None, "", "", message).as_dict() for message in error.problems]


class Importer:
    """Checks (``check``) or imports (``write``) one table for one user with one resource."""

    def __init__(self, resource: Resource, *, user, progress: ProgressCallback | None = None):
        self.resource = resource
        self.user = user
        self.progress = progress or (lambda done, total: None)
        self.memo: dict[str, dict] = {c.field: {} for c in resource.columns if c.type.memo}
        self.cleaner = ModelCleaner(resource.model, exclude=resource.clean_exclude)

    # --- entry points --------------------------------------------------------------------------------

    def check(self, table: Table) -> Report:
        """The dry run: every row validated, nothing written."""
        return self._run(table, write=False, reason="")

    def write(self, table: Table, *, reason: str) -> Report:
        """Validate again and write everything, in one transaction — or nothing if any problem is found."""
        with transaction.atomic():
            report = self._run(table, write=True, reason=reason)
            if report.problem_count:
                transaction.set_rollback(True)
                report.written = False
        return report

    # --- the run -------------------------------------------------------------------------------------

    def _run(self, table: Table, *, write: bool, reason: str) -> Report:
        columns = self.map_header(table.header)
        state = self.resource.begin(user=self.user)
        report = Report()
        seen: dict[tuple, int] = {}
        chunk: list[Row] = []
        max_rows, chunk_rows = limit("MAX_ROWS"), limit("CHUNK_ROWS")
        estimate = max(table.estimated_rows, 1)
        for number, cells in table.rows:
            if all(is_empty(cell) for cell in cells):
                continue  # blank rows, among them the trailing ones Excel keeps
            report.total += 1
            if report.total > max_rows:
                raise _too_many_rows(report.total)
            chunk.append(self.parse(number, cells, columns))
            if len(chunk) >= chunk_rows:
                self.process(chunk, state, seen, report, write=write, reason=reason)
                chunk = []
                self.progress(report.total, max(estimate, report.total))
        self.process(chunk, state, seen, report, write=write, reason=reason)
        if report.total == 0:
            raise FileRejected(_("The file has a header but no rows of data."))
        report.written = write and not report.problem_count
        if report.written and state.touched:
            self.resource.written(villages=state.touched, moved=state.moved)
        self.progress(report.total, report.total)
        return report

    def map_header(self, header: list) -> list[Column | None]:
        """The column of each header cell; unknown, duplicate and missing columns refuse the file."""
        by_name: dict[str, Column] = {}
        for column in self.resource.columns:
            for name in column.names():
                by_name.setdefault(normalise_header(name), column)
        mapped: list[Column | None] = []
        unknown, repeated, found = [], [], set()
        for cell in header:
            if is_empty(cell):
                mapped.append(None)
                continue
            column = by_name.get(normalise_header(cell))
            if column is None:
                unknown.append(display(cell))
            elif column.field in found:
                repeated.append(display(cell))
            found.add(column.field if column else "")
            mapped.append(column)
        problems = []
        if unknown:
            problems.append(_("Unknown columns: %(columns)s. The columns of this file are: %(known)s.")
                            % {"columns": ", ".join(f"“{c}”" for c in unknown),
                               "known": ", ".join(c.header for c in self.resource.columns)})
        if repeated:
            problems.append(_("These columns appear more than once: %(columns)s.")
                            % {"columns": ", ".join(f"“{c}”" for c in repeated)})
        missing = [c.header for c in self.resource.columns if c.required and c.field not in found]
        if missing:
            problems.append(_("Required columns are missing: %(columns)s.")
                            % {"columns": ", ".join(f"“{c}”" for c in missing)})
        problems += self.resource.header_problems(found)
        if problems:
            raise FileRejected(*problems)
        return mapped

    def parse(self, number: int, cells: list, columns: list[Column | None]) -> Row:
        row = Row(number)
        max_chars = limit("MAX_CELL_CHARS")
        for index, raw in enumerate(cells):
            column = columns[index] if index < len(columns) else None
            if column is None:
                if not is_empty(raw):
                    row.error(_("column %(letter)s") % {"letter": get_column_letter(index + 1)},
                              _("A value in a column without a header: add the header or clear the column."),
                              value=raw)
                continue
            row.raw[column.field] = raw
            if isinstance(raw, str) and len(raw) > max_chars:
                row.error(column, _("The cell has %(count)d characters; at most %(max)d.")
                          % {"count": len(raw), "max": max_chars})
                continue
            if is_empty(raw):
                row.values[column.field] = None
                if column.required:
                    row.error(column, _("This column is required."), value="")
                continue
            memo = self.memo.get(column.field) if column.type.memo else None
            found = memo.get((raw.__class__, raw), _MISSING) if memo is not None else _MISSING
            if found is _MISSING:
                try:
                    found = column.type.parse(raw)
                except CellError as error:
                    found = error
                if memo is not None and len(memo) < MEMO_SIZE:
                    memo[(raw.__class__, raw)] = found
            if isinstance(found, CellError):
                row.error(column, found.message)
            else:
                row.values[column.field] = found
        for column in columns[len(cells):]:  # a row shorter than the header (CSV)
            if column is not None and column.field not in row.values:
                row.values[column.field] = None
                if column.required:
                    row.error(column, _("This column is required."), value="")
        return row

    def process(self, rows: list[Row], state: State, seen: dict[tuple, int], report: Report, *,
                write: bool, reason: str) -> None:
        if not rows:
            return
        resource = self.resource
        resource.prepare(rows, state)
        keyed = []
        for row in rows:
            row.key = resource.key_of(row, state)
            if row.key is None:
                continue
            if row.key in seen:
                first = resource.column(resource.key_fields[0])
                row.error(first, resource.duplicate_message(seen[row.key]))
                row.key = None
                continue
            seen[row.key] = row.number
            keyed.append(row.key)
        existing = resource.existing(keyed, state) if keyed else {}
        for row in rows:
            obj = resource.build(row, existing.get(row.key) if row.key else None, state)
            row.instance = obj
            resource.check(row, obj, state)
            self.clean(row, obj)
            if row.problems:
                continue
            if row.action == UPDATE and all(getattr(obj, name) == value for name, value in row.snapshot.items()):
                row.action = UNCHANGED
            if row.action == CREATE:
                report.created += 1
            elif row.action == UPDATE:
                report.updated += 1
            else:
                report.unchanged += 1
        for row in rows:
            if row.problems:
                report.add(row.problems)
        if write and not report.problem_count:
            creates = [r.instance for r in rows if r.action == CREATE]
            updates = [r.instance for r in rows if r.action == UPDATE]
            before = resource.villages_by_record(updates)  # where updated records counted before this write
            resource.write(creates=creates, updates=updates, user=self.user, reason=reason)
            after = resource.villages_by_record(updates)
            # the summaries are recounted once, after the last chunk (see _run), not once per chunk
            state.touched |= (set(before.values()) | set(after.values()) | resource.villages_of(creates)) - {None}
            state.moved = state.moved or any(before.get(pk) != village for pk, village in after.items())

    def clean(self, row: Row, obj) -> None:
        """The model's own rules (fields, choices, lengths, clean()); the bulk checks replace the rest."""
        try:
            self.cleaner.full_clean(obj)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = self.resource.column_for_model_field(name)
                if column is not None and column.field in row.failed:
                    continue  # the cell's own problem says it better
                label = column if column is not None else self.resource.field_label(name)
                for message in messages:
                    row.error(label, message, value=row.raw.get(column.field) if column else "")


class ModelCleaner:
    """``full_clean(validate_unique=False, validate_constraints=False)`` of one model's records, with
    each field's own ``clean()`` done once per distinct value of the file.

    A field's ``clean()`` (conversion, required, choices, length, its validators) depends on the value
    alone, except for relations (their existence is a query: the resources check those per chunk) and
    fields whose class checks the record too. Values repeat in a file (genders, choices, villages,
    dates): each is checked once and its result, or its error, given to every row that has it. The
    model's own ``clean_fields()`` still runs for the other fields (it may normalise them, e.g. the NIK)
    and its ``clean()`` for every record: a rule across fields needs the record.
    """

    def __init__(self, model: type[models.Model], *, exclude=()):
        fields = [f for f in model._meta.fields if f.name not in exclude and not f.generated]
        self.memoized = [(f, {}) for f in fields if self.pure(f)]
        self.exclude = {*exclude, *(f.name for f, _ in self.memoized)}
        self.seen = 0  # records cleaned: a field whose values rarely repeat (names, NIKs) stops being remembered

    @staticmethod
    def pure(field: models.Field) -> bool:
        """Whether Django's own code cleans this field from its value alone."""
        kind = type(field)
        return (not field.is_relation and not field.primary_key and kind.clean is models.Field.clean
                and kind.validate.__module__.startswith("django."))

    def full_clean(self, obj: models.Model) -> None:
        errors: dict = {}
        self.seen += 1
        try:
            obj.clean_fields(exclude=self.exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for model_field, memo in self.memoized:
            raw = getattr(obj, model_field.attname)
            try:
                key = (raw.__class__, raw)
                found = memo.get(key, _MISSING)
            except TypeError:  # an unhashable value (JSON): checked each time
                key, found = None, _MISSING
            if found is _MISSING:
                found = self.clean_value(model_field, raw, obj)
                if key is not None and len(memo) < MEMO_SIZE and (self.seen < 1000 or len(memo) * 2 < self.seen):
                    memo[key] = found
            if found is _SKIP or found is raw:
                continue
            if isinstance(found, ValidationError):
                errors[model_field.name] = found.error_list
            else:
                setattr(obj, model_field.attname, found)
        try:
            obj.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def clean_value(field: models.Field, raw, obj: models.Model):
        """What ``Model.clean_fields()`` does with one value: the cleaned value, its error, or _SKIP."""
        if field.blank and raw in field.empty_values or isinstance(raw, DatabaseDefault):
            return _SKIP  # an allowed empty value is not checked
        try:
            return field.clean(raw, obj)
        except ValidationError as error:
            return error
