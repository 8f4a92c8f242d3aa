import time

from django.core.management.base import BaseCommand

from dashboards.tasks import rebuild_summaries_task, summaries_rebuild


class Command(BaseCommand):
    help = "Count the dashboards' summary tables again from the records."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Hand the work to a Celery worker instead.")

    def handle(self, *args, queue: bool = False, **options):
        if queue:
            result = rebuild_summaries_task.delay()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        started = time.monotonic()
        for label, count in summaries_rebuild().items():
            self.stdout.write(f"{label}: {count:,} rows")
        self.stdout.write(self.style.SUCCESS(f"Summaries rebuilt in {time.monotonic() - started:.1f} s."))
