from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maintenance.databases import MaintenanceError
from maintenance.services import database_restore


class Command(BaseCommand):
    help = ("Restore a file made by `manage.py backup` into the configured database (or --database-url's). "
            "A target that already holds tables is refused unless --force, which replaces its contents. "
            "All or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument("--database-url", help="Restore into this database instead of the configured one, "
                                                   "e.g. postgres://user@host:5432/name (it must exist).")
        parser.add_argument("--force", action="store_true",
                            help="Replace the contents of a target that is not empty.")

    def handle(self, *args, file: Path, database_url: str | None, force: bool, **options):
        try:
            result = database_restore(path=file, database_url=database_url, force=force)
        except MaintenanceError as error:
            raise CommandError(str(error)) from None
        verb = "Replaced the contents of" if result.replaced else "Restored into"
        self.stdout.write(self.style.SUCCESS(f"{verb} {result.vendor} database {result.database} from "
                                             f"{result.path}. Compare `manage.py data_checksum` on both sides."))
