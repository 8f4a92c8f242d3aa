import json

from django.core.management.base import BaseCommand, CommandError

from maintenance.databases import MaintenanceError
from maintenance.selectors import data_checksum


class Command(BaseCommand):
    help = ("Row counts and a checksum of every table of the portal's apps (program data, users, history), to "
            "compare a database with its restored backup.")

    def add_arguments(self, parser):
        parser.add_argument("--database-url", help="Read this database instead of the configured one.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON instead of a table.")

    def handle(self, *args, database_url: str | None, as_json: bool, **options):
        try:
            result = data_checksum(database_url=database_url)
        except MaintenanceError as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
            return
        width = max(len(t.table) for t in result.tables)
        for table in result.tables:
            self.stdout.write(f"{table.table:<{width}}  {table.rows:>10}  {table.md5}")
        self.stdout.write(f"{'total':<{width}}  {result.total_rows:>10}  {result.md5}")

