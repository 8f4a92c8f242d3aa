import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from demo.data import DEFAULT_SEED
from demo.national import (
    DEFAULT_COOPERATIVES,
    DEFAULT_MIGRANTS,
    DEFAULT_PROGRAM_VILLAGES,
    NationalDataError,
    Progress,
    national_generate,
)


class Command(BaseCommand):
    help = ("Replace the program data by a deterministic national data set (~2,000 Desmigratif villages, "
            "5 million PMI with placements, ~10,000 cooperatives, engagements, summaries), for benchmarks. "
            "Needs `load_regions` first. Regions, agencies and users stay.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--migrants", type=int, default=DEFAULT_MIGRANTS,
                            help=f"Number of PMI records (default {DEFAULT_MIGRANTS:,}).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"Seed of the random choices (default {DEFAULT_SEED}); the same seed and "
                                 "--today give the same data.")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="The last day of the data, YYYY-MM-DD (default: the real date).")
        parser.add_argument("--program-villages", type=int, default=DEFAULT_PROGRAM_VILLAGES,
                            help=f"Desmigratif villages (default {DEFAULT_PROGRAM_VILLAGES:,}; at least the 503 "
                                 "published for 2016–2022).")
        parser.add_argument("--cooperatives", type=int, default=DEFAULT_COOPERATIVES,
                            help=f"Cooperatives in the program villages (default {DEFAULT_COOPERATIVES:,}).")
        parser.add_argument("--replace-program-data", action="store_true",
                            help="Replace the program data even though DEBUG is off (a benchmark database). "
                                 "Never on a production database.")

    def handle(self, *args, migrants: int, seed: int, today: datetime.date | None, program_villages: int,
               cooperatives: int, replace_program_data: bool, **options) -> None:
        if not settings.DEBUG and not replace_program_data:
            raise CommandError(_(
                "DEBUG is off: this looks like production, and generate_national deletes every Desmigratif "
                "village, PMI, placement, cooperative and engagement before it writes its own. Nothing was "
                "changed. Pass --replace-program-data to replace the program data anyway."))
        progress = Progress(lambda text: self.stderr.write(text, ending=""), interactive=self.stderr.isatty())
        try:
            result = national_generate(migrants=migrants, seed=seed, today=today or datetime.date.today(),
                                       program_villages=program_villages, cooperatives=cooperatives,
                                       progress=progress)
        except NationalDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("")
        self.stdout.write(f"{_('table'):<40} {_('rows'):>12}")
        for table, rows in result.rows.items():
            self.stdout.write(f"{table:<40} {rows:>12,}")
        self.stdout.write("")
        self.stdout.write(f"{_('step'):<40} {_('seconds'):>12}")
        for step, seconds in result.seconds.items():
            self.stdout.write(f"{step:<40} {seconds:>12.1f}")
        total = sum(result.seconds.values())
        self.stdout.write(f"{_('total'):<40} {total:>12.1f}")
        if result.departures_per_year:
            self.stdout.write("")
            self.stdout.write(_("Departures per year: %(years)s") % {"years": ", ".join(
                f"{year}: {count:,}" for year, count in result.departures_per_year.items())})
        self.stdout.write(self.style.SUCCESS(_("National data set ready in %(seconds).1f s (%(vendor)s).")
                                             % {"seconds": total, "vendor": result.vendor}))
