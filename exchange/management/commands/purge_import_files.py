from django.core.management.base import BaseCommand

from exchange.conf import limit
from exchange.services import import_files_purge


class Command(BaseCommand):
    help = ("Delete uploaded import files kept longer than EXCHANGE_UPLOAD_RETENTION_DAYS (their jobs are "
            "cancelled) and files no import refers to. Celery beat runs the same every night.")

    def handle(self, *args, **options):
        purged = import_files_purge()
        self.stdout.write(f"{purged['jobs']} import(s) older than {limit('UPLOAD_RETENTION_DAYS')} days and "
                          f"{purged['orphans']} orphan file(s) deleted.")
