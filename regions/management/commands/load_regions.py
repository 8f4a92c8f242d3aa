import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.services import DATA_DIR, RegionDataError, regions_load


class Command(BaseCommand):
    help = "Load Kemendagri's provinces, regencies, districts and villages (idempotent, all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR,
                            help="Folder with provinces.csv, regencies.csv, districts.csv, villages.csv.")

    def handle(self, *args, data_dir: Path, **options):
        started = time.monotonic()
        try:
            result = regions_load(data_dir=data_dir)
        except RegionDataError as error:
            raise CommandError("Nothing was loaded; the region data has problems:\n"
                               + "\n".join(f"  {p}" for p in error.problems)) from None
        for level in result.levels:
            self.stdout.write(f"{level.name:>20}: {level.in_file:>6} in file, {level.created:>6} created, "
                              f"{level.updated:>5} updated, {level.unchanged:>6} unchanged"
                              + (f", {level.not_in_file} not in the file (kept)" if level.not_in_file else ""))
        self.stdout.write(self.style.SUCCESS(f"Regions loaded in {time.monotonic() - started:.1f} s."))
