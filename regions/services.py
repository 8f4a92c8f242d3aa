"""Loading Kemendagri's region codes from the CSV files kept in ``regions/data``.

The files are read and checked completely before anything is written; one transaction then
creates what is missing and renames what changed, so a run either applies the whole edition or
leaves the database as it was. Running it again on the same files writes nothing.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    DISTRICT_CODE_RE,
    PROVINCE_CODE_RE,
    REGENCY_CODE_RE,
    VILLAGE_CODE_RE,
    District,
    Province,
    Regency,
    Village,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 5000
MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True)
class Level:
    file: str
    header: tuple[str, ...]
    pattern: str
    model: type
    parent_field: str = ""  # the model's FK to the level above; its column is header[1]


LEVELS = (
    Level("provinces.csv", ("code", "name"), PROVINCE_CODE_RE, Province),
    Level("regencies.csv", ("code", "province_code", "name"), REGENCY_CODE_RE, Regency, "province"),
    Level("districts.csv", ("code", "regency_code", "name"), DISTRICT_CODE_RE, District, "regency"),
    Level("villages.csv", ("code", "district_code", "name"), VILLAGE_CODE_RE, Village, "district"),
)


class RegionDataError(Exception):
    """The data files are malformed; ``problems`` lists each as 'file, line N: reason'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LevelResult:
    name: str
    in_file: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: int = 0


@dataclass
class LoadResult:
    levels: list[LevelResult] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(level.created or level.updated for level in self.levels)


def _read_level(level: Level, path: Path, parent_codes: set[str] | None, problems: list[str]) -> dict:
    """Rows of one file as {code: (parent_code, name)}, appending a message per problem found."""
    rows: dict[str, tuple[str, str]] = {}
    pattern = re.compile(level.pattern)

    def problem(line: int | None, reason: str) -> None:
        where = _("%(file)s, line %(line)d") % {"file": level.file, "line": line} if line else level.file
        problems.append(f"{where}: {reason}")

    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        problem(None, _("cannot be read (%(error)s)") % {"error": error.strerror or error})
        return rows
    with handle:
        reader = csv.reader(handle)
        try:
            header = tuple(column.strip() for column in next(reader, ()))
        except (csv.Error, UnicodeDecodeError) as error:
            problem(1, _("unreadable header (%(error)s)") % {"error": error})
            return rows
        if header != level.header:
            problem(1, _("the header is %(found)s, expected %(expected)s")
                    % {"found": ",".join(header) or _("empty"), "expected": ",".join(level.header)})
            return rows
        try:
            for line, record in enumerate(reader, start=2):
                if len(problems) >= MAX_REPORTED_ERRORS:
                    return rows
                if not record or all(not value.strip() for value in record):
                    continue  # a blank line, as editors leave at the end of a file
                if len(record) != len(level.header):
                    problem(line, _("%(found)d columns, expected %(expected)d")
                            % {"found": len(record), "expected": len(level.header)})
                    continue
                code, name = record[0].strip(), record[-1].strip()
                parent = record[1].strip() if level.parent_field else ""
                if not pattern.match(code):
                    problem(line, _("the code “%(code)s” does not have the shape of a %(level)s code")
                            % {"code": code, "level": level.model._meta.verbose_name})
                elif code in rows:
                    problem(line, _("the code %(code)s appears twice") % {"code": code})
                elif not name:
                    problem(line, _("the code %(code)s has no name") % {"code": code})
                elif level.parent_field and parent not in parent_codes:
                    problem(line, _("the code %(code)s names the unknown parent “%(parent)s”")
                            % {"code": code, "parent": parent})
                elif level.parent_field and code.rsplit(".", 1)[0] != parent:
                    problem(line, _("the code %(code)s does not lie within its parent %(parent)s")
                            % {"code": code, "parent": parent})
                else:
                    rows[code] = (parent, name)
        except (csv.Error, UnicodeDecodeError) as error:
            problem(reader.line_num, _("unreadable (%(error)s)") % {"error": error})
    if not rows and not problems:
        problem(None, _("has no rows"))
    return rows


def regions_read(*, data_dir: Path = DATA_DIR) -> list[dict]:
    """Read and check all four files; raise RegionDataError naming every problem found."""
    problems: list[str] = []
    parsed: list[dict] = []
    parent_codes = None
    for level in LEVELS:
        rows = _read_level(level, Path(data_dir) / level.file, parent_codes, problems)
        parsed.append(rows)
        parent_codes = set(rows)
        if problems:
            break  # a level's parents must be sound before its children are judged
    if problems:
        raise RegionDataError(problems)
    return parsed


@transaction.atomic
def regions_load(*, data_dir: Path = DATA_DIR) -> LoadResult:
    """Bring the region tables in line with the files: create the missing, rename the changed.

    Codes in the database but not in the files are kept (program data may point at them) and
    counted in ``not_in_file``.
    """
    parsed = regions_read(data_dir=data_dir)
    result = LoadResult()
    for level, rows in zip(LEVELS, parsed, strict=True):
        model = level.model
        parent_id = f"{level.parent_field}_id" if level.parent_field else None
        fields = ["code", "name"] + ([parent_id] if parent_id else [])
        existing = {row[0]: tuple(row[1:])
                    for row in model.objects.values_list(*fields).iterator(chunk_size=BATCH_SIZE)}
        to_create, to_update = [], []
        for code, (parent, name) in rows.items():
            wanted = (name, parent) if parent_id else (name,)
            values = {"code": code, "name": name, **({parent_id: parent} if parent_id else {})}
            if code not in existing:
                to_create.append(model(**values))
            elif existing[code] != wanted:
                to_update.append(model(**values))
        model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            model.objects.bulk_update(to_update, fields[1:], batch_size=BATCH_SIZE)
        result.levels.append(LevelResult(
            name=str(model._meta.verbose_name_plural), in_file=len(rows), created=len(to_create),
            updated=len(to_update), unchanged=len(rows) - len(to_create) - len(to_update),
            not_in_file=len(set(existing) - set(rows)),
        ))
    if result.changed:
        from migrants.nik import region_codes

        transaction.on_commit(region_codes.cache_clear)
    return result
