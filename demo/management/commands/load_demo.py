import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.builders import DemoDataError
from demo.data import DEFAULT_SEED, DEMO_PASSWORD
from demo.services import demo_load, demo_users_table


class Command(BaseCommand):
    help = ("Load the deterministic demo data (503 Desmigratif villages, ~3,000 PMI, cooperatives, "
            "engagements) and the demo users. Needs `load_regions` first; a second run only refreshes "
            "the users.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"Seed of the random choices (default {DEFAULT_SEED}); the same seed "
                                 "gives the same data.")
        parser.add_argument("--allow-without-debug", action="store_true",
                            help="Load even though DEBUG is off (e.g. a staging copy). The demo users "
                                 "have a published password: never on a production database.")

    def handle(self, *args, seed: int, allow_without_debug: bool, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError("DEBUG is off: this looks like production, and the demo users have a "
                               "published password. Nothing was loaded (see --allow-without-debug).")
        started = time.monotonic()
        try:
            result = demo_load(seed=seed)
        except DemoDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        if result.pop("already_loaded"):
            self.stdout.write("The demo data is already loaded; nothing was added.")
        users_created, users_updated = result.pop("users_created"), result.pop("users_updated")
        for key, count in result.items():
            self.stdout.write(f"{key.replace('_', ' '):>28}: {count:>6} created")
        self.stdout.write(f"{'demo users':>28}: {users_created:>6} created, {users_updated} refreshed")
        # The password of the demo users is shown only where the portal runs for development.
        if settings.DEBUG:
            rows = demo_users_table()
            self.stdout.write("")
            self.stdout.write(f"{'username':<10} {'role':<40} {'area':<40} password")
            for row in rows:
                self.stdout.write(f"{row['username']:<10} {row['role']:<40} {row['area']:<40} {DEMO_PASSWORD}")
        else:
            self.stdout.write("DEBUG is off: the demo users' password is not shown.")
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.monotonic() - started:.1f} s."))
