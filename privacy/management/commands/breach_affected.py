import csv
import datetime
import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from privacy.selectors import AffectedPerson, breach_affected, breach_query, breach_sql


def _date(value: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


class Command(BaseCommand):
    help = ("UU 27/2022 breach notification (within 3×24 hours): list the people whose personal data the portal "
            "holds in an area — PMI (NIK, name, phone, village, regency), cooperative members, field officers and "
            "the area's users — or, with --since/--until, those whose records changed in that window (from the "
            "history tables). CSV; the file holds personal data.")

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="Region code: 32, 32.09, 32.09.14 or 32.09.14.2004.")
        parser.add_argument("--since", help="First day of the window (YYYY-MM-DD or DD/MM/YYYY), included.")
        parser.add_argument("--until", help="Last day of the window (YYYY-MM-DD or DD/MM/YYYY), included.")
        parser.add_argument("--output", type=Path, help="Write the CSV to this file (mode 600) instead of stdout.")
        parser.add_argument("--show-sql", action="store_true", help="Print the SQL of each query instead of the list.")

    def handle(self, *args, area: str, since: str | None, until: str | None, output: Path | None,
               show_sql: bool, **options):
        dates = {}
        for name, value in (("since", since), ("until", until)):
            if value:
                try:
                    dates[name] = _date(value)
                except ValueError:
                    raise CommandError(f"--{name} {value!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY.") from None
        try:
            query = breach_query(area=area, **dates)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except DatabaseError as error:
            raise CommandError(f"The database could not be read ({error}): is it migrated?") from None
        if show_sql:
            for kind, sql in breach_sql(query).items():
                self.stdout.write(f"-- {kind}\n{sql};\n")
            return
        if output and not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        counts = self._write(query, output)
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "nobody"
        window = f" changed {query.since or '…'} – {query.until or '…'}" if query.windowed else ""
        self.stderr.write(f"Area {query.area}{window}: {summary}" + (f" → {output}" if output else "") + ".")

    def _write(self, query, output: Path | None) -> dict[str, int]:
        counts: dict[str, int] = {}
        partial = output.with_name(f".{output.name}.partial") if output else None
        handle = open(partial, "w", newline="", encoding="utf-8") if partial else self.stdout  # noqa: SIM115
        try:
            if partial:
                os.chmod(partial, 0o600)
            writer = csv.writer(handle)
            writer.writerow(AffectedPerson.columns())
            for person in breach_affected(query=query):
                counts[person.kind] = counts.get(person.kind, 0) + 1
                writer.writerow([person.last_changed.isoformat() if isinstance(value, datetime.datetime) else value
                                 for value in (getattr(person, column) for column in AffectedPerson.columns())])
        except BaseException:
            if partial:
                handle.close()
                partial.unlink(missing_ok=True)
            raise
        if partial:
            handle.close()
            partial.replace(output)
        return counts
