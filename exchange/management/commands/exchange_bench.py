from django.core.management.base import BaseCommand

from exchange.bench import run_bench


class Command(BaseCommand):
    help = ("Time the import of an N-row PMI .xlsx (read, dry run, confirm, re-check, updates) through the "
            "import services, and print rows per second. Rolled back unless --keep.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--user", default="cirebon", help="a regency operator; the PMI are put in their regency")
        parser.add_argument("--keep", action="store_true", help="keep the imported rows")

    def handle(self, *args, rows, user, keep, **options):
        run_bench(rows=rows, username=user, keep=keep, out=self.stdout.write)
