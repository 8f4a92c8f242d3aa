"""What a resource declares: the columns of its file, its natural key, how a row becomes a record,
the checks done once per file, how records are written, and what an export contains.

A resource is the only place that knows a model; the engine (``exchange.engine``), the template
and export writers (``exchange.writers``) and the pages work for any resource. To import another
kind of record, subclass Resource, declare its columns and key, add its kind to
``exchange.choices.ImportKind`` and register it in ``exchange.resources``.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.db.models import QuerySet, signals
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.permissions import can_write, code_in_area
from accounts.personal_data import masked_value, policy_for, sees_unmasked
from accounts.scoping import area_prefix
from regions.models import Village
from villages.models import DesmigratifVillage

from ..bulk import insert_with_history, update_with_history
from ..cells import CellType, display

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(frozen=True)
class Column:
    """One column of the file.

    ``header`` is the Indonesian header of the template and exports; ``field`` names the value in a
    parsed row (the model field, unless the resource maps it itself); ``attname`` is the model
    attribute a generic assignment sets ('' = the resource assigns it, e.g. a key to a related
    record). ``reference`` columns are written in exports to help the reader and checked on import
    by the resource (not assigned).
    """

    header: str
    field: str
    type: CellType
    required: bool = False
    attname: str | None = None
    aliases: tuple[str, ...] = ()
    reference: bool = False
    export: Callable[[Any], Any] | None = None
    help: str = ""  # what to enter, beyond what the type says (shown in the template)

    @property
    def target(self) -> str:
        """The model attribute a generic assignment sets ('' = none)."""
        return self.field if self.attname is None else self.attname

    @property
    def source(self) -> str:
        """The model attribute an export reads."""
        return self.attname or self.field

    def names(self) -> tuple[str, ...]:
        """What a header may say to mean this column: the header, the field name, the aliases."""
        return (self.header, self.field, *self.aliases)


@dataclass
class Problem:
    row: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class Row:
    """A data row on its way: raw cells, parsed values, the record it makes, and its problems.

    ``values`` holds a key per column present in the file (None for an empty cell); a column absent
    from the file leaves the record's value alone on update.
    """

    number: int
    raw: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    key: tuple | None = None
    instance: models.Model | None = None
    snapshot: dict[str, Any] | None = None
    action: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # what a resource resolved for the row

    def error(self, column: Column | str, message: str, *, value: Any = None) -> None:
        if isinstance(column, Column):
            self.failed.add(column.field)
            header = column.header
            if value is None:
                value = self.raw.get(column.field)
        else:
            header = column
        self.problems.append(Problem(self.number, header, display(value), str(message)))


@dataclass
class State:
    """What a resource learns once per file (and caches across chunks)."""

    user: Any
    prefix: str | None
    today: datetime.date
    villages: dict[str, str | None] = field(default_factory=dict)  # code → official name (None: no such village)
    touched: set[str] = field(default_factory=set)  # villages whose summaries the written rows change
    moved: bool = False  # an updated record now counts in another village than before
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReferenceSheet:
    """The template's second sheet: valid codes for the user's area."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""
    validates: str = ""  # the field whose column gets a drop-down of the sheet's first column


class Resource:
    kind: str = ""
    model: type[models.Model]
    columns: tuple[Column, ...] = ()
    key_fields: tuple[str, ...] = ()
    person_records = False  # agency staff may not export it; NIK and phone are masked for readers
    selector: str = ""  # dotted path of the selector giving the records a user may read
    filterset: str = ""  # dotted path of the list page's FilterSet (optional: it may not exist yet)
    update_fields: tuple[str, ...] = ()  # attnames written when a record is updated
    compare_fields: tuple[str, ...] = ()  # attnames compared to tell an update from an unchanged row
    clean_exclude: tuple[str, ...] = ()  # fields full_clean() skips: checked once per file instead
    description: str = ""
    # Summaries the records count in (dotted paths of ``<app>.summaries`` refresh functions) and the
    # path from a record to its village code: the rows a file writes are recounted like a service's.
    summaries: tuple[str, ...] = ()
    village_path: str = ""
    # Summaries that count other facts by these records' village (a PMI's placements, in the PMI's
    # village): recounted only when a written record moved to another village.
    summaries_when_moved: tuple[str, ...] = ()
    # Export columns holding a personal field (accounts.personal_data): column field → the field, with
    # the path to its record ("nik", "migrant.nik"). Masked for readers the policy masks; an unmasked
    # export is logged per person.
    personal: dict[str, str] = {}

    def may_import(self, user) -> bool:
        """Whether the user's role imports this kind at all (rows are still checked one by one)."""
        return can_write(user)

    # --- description -----------------------------------------------------------------------------

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def column(self, name: str) -> Column | None:
        return self._by_field.get(name)

    @cached_property
    def _by_field(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns}

    def column_for_model_field(self, name: str) -> Column | None:
        return next((c for c in self.columns if name in (c.field, c.attname)), None)

    def field_label(self, name: str) -> str:
        if name == NON_FIELD_ERRORS:
            return ""
        column = self.column_for_model_field(name)
        if column:
            return column.header
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except Exception:
            return name

    def filterset_class(self):
        """The list page's FilterSet, or None while the app has none (exports then take no filters)."""
        if not self.filterset:
            return None
        try:
            return import_string(self.filterset)
        except ImportError:
            return None

    # --- once per file -------------------------------------------------------------------------------

    def header_problems(self, fields: set[str]) -> list[str]:
        """Problems of the header beyond unknown, repeated and required columns (``fields``: those present)."""
        return []

    def begin(self, *, user) -> State:
        return State(user=user, prefix=area_prefix(user), today=timezone.localdate())

    def prepare(self, rows: list[Row], state: State) -> None:
        """Bulk look-ups a chunk needs before its rows are built (one query each)."""
        codes = {row.values[f] for row in rows for f in self.village_fields() if row.values.get(f)}
        load_villages(codes, state)

    def village_fields(self) -> tuple[str, ...]:
        return ()

    def key_of(self, row: Row, state: State) -> tuple | None:
        if any(name in row.failed or row.values.get(name) in (None, "") for name in self.key_fields):
            return None
        return tuple(row.values[name] for name in self.key_fields)

    def duplicate_message(self, first_row: int) -> str:
        return _("The same record is on row %(row)d: each record once per file.") % {"row": first_row}

    def existing(self, keys: list[tuple], state: State) -> dict[tuple, models.Model]:
        raise NotImplementedError

    def build(self, row: Row, existing: models.Model | None, state: State) -> models.Model:
        """The record the row makes: a new one, or the existing one with the row's values."""
        if existing is None:
            obj = self.new(row, state)
            row.action = CREATE
        else:
            obj = existing
            row.snapshot = {name: getattr(obj, name) for name in self.compare_fields}
            row.action = UPDATE
        self.assign(obj, row)
        return obj

    def new(self, row: Row, state: State) -> models.Model:
        return self.blank()

    def blank(self) -> models.Model:
        """A new record with the model's defaults, as ``self.model()`` makes it.

        ``Model.__init__`` walks every field (~30–60 µs a record, seconds in a 100,000-row file): when no
        default is computed per record and no one listens to the model's init signals, a copy of one
        record made once per resource is the same record for a fraction of that.
        """
        values = self._defaults
        if values is None:
            return self.model()
        obj = self.model.__new__(self.model)
        obj.__dict__.update(values)
        obj._state = ModelState()
        return obj

    @cached_property
    def _defaults(self) -> dict[str, Any] | None:
        """The attributes of a new record (None: made by ``Model.__init__`` each time)."""
        model = self.model
        if any(callable(f.default) for f in model._meta.concrete_fields if f.has_default()) or \
                signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
            return None
        return {name: value for name, value in vars(model()).items() if name != "_state"}

    def assign(self, obj: models.Model, row: Row) -> None:
        values, failed, snapshot = row.values, row.failed, row.snapshot
        for name, target, keeps_default, empty in self._assignments:
            if name not in values or name in failed:
                continue
            value = values[name]
            if value is None:
                if snapshot is not None and keeps_default:
                    continue  # an empty status or label keeps the record's; it is not reset to the default
                value = empty
            setattr(obj, target, value)

    @cached_property
    def _assignments(self) -> list[tuple[str, str, bool, Any]]:
        """(field, attribute, empty keeps the record's value on update, value of an empty cell) per column."""
        found = []
        for column in self.columns:
            if column.reference or column.attname == "":
                continue
            model_field = self.model._meta.get_field(column.field)
            keeps = model_field.has_default() and not model_field.null
            found.append((column.field, column.target, keeps, self.empty_value(column)))
        return found

    def empty_value(self, column: Column):
        model_field = self.model._meta.get_field(column.field)
        if model_field.null:
            return None
        if model_field.has_default():
            return model_field.get_default()
        if isinstance(model_field, models.CharField | models.TextField):
            return ""
        return None

    def check(self, row: Row, obj: models.Model, state: State) -> None:
        """Rules beyond the model's own, once the record is built (before full_clean)."""

    def check_village(self, row: Row, column: Column, code: str, state: State) -> bool:
        """ensure_can_write_in, row by row: the village exists and lies in the user's area."""
        if state.villages.get(code) is None:
            row.error(column, _("There is no village with the code %(code)s.") % {"code": code})
            return False
        if not code_in_area(code, state.prefix):
            row.error(column, _("You may not enter or change data of village %(code)s.") % {"code": code})
            return False
        return True

    # --- writing -----------------------------------------------------------------------------------

    def write(self, *, creates: list, updates: list, user, reason: str) -> None:
        """Bulk inserts and updates with their history rows (who, when, why); the caller holds the transaction."""
        insert_with_history(self.model, creates, user=user, reason=reason)
        if updates:
            fields = list(self.update_fields)
            if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
                fields.append("updated_at")  # set by its auto_now as the rows are written
            update_with_history(self.model, updates, fields, user=user, reason=reason)

    def villages_by_record(self, objs: list[models.Model]) -> dict[Any, str | None]:
        """The village code each record counts in, as stored (one query per 1,000 records)."""
        if not self.summaries or not objs:
            return {}
        found: dict[Any, str | None] = {}
        for part in chunked([obj.pk for obj in objs if obj.pk is not None], 1000):
            found.update(self.model.objects.filter(pk__in=part).values_list("pk", self.village_path))
        return found

    def villages_of(self, objs: list[models.Model]) -> set[str]:
        """The village codes these records count in: read from the records themselves when the village is
        one of their own fields (records just written), else as stored."""
        if self.summaries and "__" not in self.village_path:
            return {getattr(obj, self.village_path) for obj in objs} - {None}
        return set(self.villages_by_record(objs).values()) - {None}

    def written(self, *, villages: set[str], moved: bool = False) -> None:
        """Recount the summaries of the villages a write touched, in the import's transaction."""
        for path in (*self.summaries, *(self.summaries_when_moved if moved else ())):
            import_string(path)(villages=villages)

    # --- export --------------------------------------------------------------------------------------

    def export_queryset(self, *, user) -> QuerySet:
        return import_string(self.selector)(user=user)

    def export_values(self, obj, *, user) -> list:
        """The row of an export, its personal fields as ``user`` may see them (accounts.personal_data)."""
        values = []
        for column in self.columns:
            value = column.export(obj) if column.export else getattr(obj, column.source)
            if column.field in self.personal:
                record, name = self._personal_record(obj, column.field)
                if not sees_unmasked(user, record):
                    masked = masked_value(record, name, getattr(record, name))
                    # a year for a date, dots for text: as text, never typed like the value it stands for
                    values.append(None if masked in (None, "") else str(masked))
                    continue
            values.append(column.type.export(value))
        return values

    def _personal_record(self, obj, field: str):
        *relations, name = self.personal[field].split(".")
        for relation in relations:
            obj = getattr(obj, relation)
        return obj, name

    def exported(self, *, user, queryset: QuerySet) -> None:
        """Log, per person, that this user received their personal data unmasked in a file (UU 27/2022)."""
        if not self.personal:
            return
        from privacy.choices import AccessDoor
        from privacy.services import personal_data_shown

        # the person and village of the record the first personal column comes from (all are one PMI's)
        relations = next(iter(self.personal.values())).split(".")[:-1]
        model = self.model
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        policy = policy_for(model)
        prefix = "".join(f"{relation}__" for relation in relations)
        person = "id" if policy.person == "pk" else policy.person.replace(".", "__")
        pairs = queryset.order_by().values_list(prefix + person, prefix + policy.village.replace(".", "__"))
        personal_data_shown(user=user, persons=pairs.iterator(chunk_size=5000), door=AccessDoor.FILE,
                            reason="export")

    def reference_sheet(self, *, user) -> ReferenceSheet | None:
        return village_reference(user)


# --- helpers shared by resources ----------------------------------------------------------------------


def same_name(given: str, official: str) -> bool:
    """Names compared as people type them: case, spacing and a leading 'Desa'/'Kelurahan' aside."""
    def normal(name: str) -> str:
        words = name.casefold().replace(".", " ").split()
        while words and words[0] in ("desa", "kelurahan", "kel", "ds", "koperasi", "kop"):
            words = words[1:]
        return " ".join(words)
    return normal(given) == normal(official)


def chunked(items: list, size: int = 1000) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_villages(codes: Iterable[str], state: State) -> None:
    """Record which codes are villages, with their names (a query per thousand new codes, cached per file)."""
    new = sorted(set(codes) - state.villages.keys())
    for part in chunked(new):
        found = dict(Village.objects.filter(code__in=part).values_list("code", "name"))
        state.villages.update({code: found.get(code) for code in part})


VILLAGE_SHEET_LIMIT = 10_000  # a province has up to ~8,600 villages; the country 83,762


def village_reference(user) -> ReferenceSheet:
    """Villages of the user's area (regency, province, village); nationally, the districts."""
    from regions.models import District

    prefix = area_prefix(user) or ""
    villages = Village.objects.filter(code__startswith=prefix) if prefix else Village.objects.none()
    if prefix and villages.count() <= VILLAGE_SHEET_LIMIT:
        rows = [list(r) for r in villages.order_by("code").values_list("code", "name", "district__name",
                                                                          "district__regency__name")]
        return ReferenceSheet(title="Kode Desa", headers=["Kode Desa", "Nama Desa", "Kecamatan", "Kabupaten/Kota"],
                              rows=rows, validates="village")
    districts = District.objects.order_by("code").values_list("code", "name", "regency__name",
                                                              "regency__province__name")
    return ReferenceSheet(
        title="Kode Kecamatan", headers=["Kode Kecamatan", "Nama Kecamatan", "Kabupaten/Kota", "Provinsi"],
        rows=[list(r) for r in districts],
        note=_("A village code is the district code followed by four digits, e.g. 32.09.14.2004. Find the "
               "village codes with the village search of the portal's forms."))


def load_program_villages(rows: list[Row], state: State) -> None:
    """``state.extra["program"]``: village code → its Desmigratif village id (None: not in the program)."""
    program = state.extra.setdefault("program", {})
    codes = {r.values["village"] for r in rows if r.values.get("village")} - program.keys()
    for part in chunked(sorted(codes), 1000):
        found = dict(DesmigratifVillage.objects.filter(village_id__in=part).values_list("village_id", "pk"))
        program.update({code: found.get(code) for code in part})


class IdKeyedResource(Resource):
    """Records with no natural key, named by their portal ID: an empty ID makes a new record, an ID
    updates that record if the user may change it."""

    key_fields = ("id",)
    record_related: tuple[str, ...] = ()  # select_related of the records the IDs name
    unknown_id_message = ""  # with %(id)s
    outside_area_message = ""  # with %(id)s

    def record_village_code(self, record) -> str | None:
        """The village code deciding whether the user may change ``record`` (None: not by area)."""
        return None

    def record_found(self, row: Row, record, state: State) -> None:
        """A hook for a rule beyond the area, once the ID names a record the user may reach."""

    def load_records(self, rows: list[Row], state: State) -> None:
        """``state.extra["records"]``: ID → record (None: no such record), one query per 1,000 IDs."""
        records = state.extra.setdefault("records", {})
        ids = {r.values["id"] for r in rows if isinstance(r.values.get("id"), int)} - records.keys()
        for part in chunked(sorted(ids), 1000):
            found = {o.pk: o for o in self.model.objects.filter(pk__in=part).select_related(*self.record_related)}
            records.update({pk: found.get(pk) for pk in part})

    def prepare(self, rows: list[Row], state: State) -> None:
        super().prepare(rows, state)
        self.load_records(rows, state)

    def key_of(self, row: Row, state: State) -> tuple | None:
        pk = row.values.get("id")
        if pk is None or "id" in row.failed:
            return None
        record = state.extra["records"].get(pk)
        if record is None:
            row.error(self.column("id"), self.unknown_id_message % {"id": pk})
            return None
        code = self.record_village_code(record)
        if code is not None and not code_in_area(code, state.prefix):
            row.error(self.column("id"), self.outside_area_message % {"id": pk})
            return None
        self.record_found(row, record, state)
        return (pk,)

    def existing(self, keys: list[tuple], state: State) -> dict:
        return {key: state.extra["records"][key[0]] for key in keys}
