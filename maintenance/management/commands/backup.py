from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maintenance.databases import MaintenanceError
from maintenance.services import database_backup


class Command(BaseCommand):
    help = ("Back the configured database up to a file: PostgreSQL as a pg_dump custom-format dump, SQLite as a "
            "consistent copy. The file holds personal data: encrypt it and keep it off the web server.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file to write (replaced if it exists).")

    def handle(self, *args, file: Path, **options):
        try:
            result = database_backup(path=file)
        except MaintenanceError as error:
            raise CommandError(f"No backup was written. {error}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Backed up {result.vendor} database {result.database} to {result.path} ({result.size:,} bytes)."))
