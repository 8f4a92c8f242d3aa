"""Plausible values: the limits of what people may enter, declared once.

The models apply them (field validators, and ``clean()`` for rules across fields), so every door —
pages, API, import, admin, demo loader — refuses the same value with the same message, before the
database sees it: the services ``full_clean()`` every record they write, the import runs the same
``full_clean()`` per row (``exchange.engine.ModelCleaner``), and DRF copies the field validators
(``desmigratif.api.fields.LimitMessagesMixin`` keeps their messages). A message says the limit, and
why where that helps the person correct a typing error.

Stored records outside a limit are not touched; a limit is checked when a record is written, on the
fields written (the registration date only when a PMI is registered: it never changes afterwards).
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# --- dates and years ---------------------------------------------------------------------------------

# The first Desmigratif villages (the two pilots) were designated in 2016 (DESIGN.md): no record of the
# program — a registration, an activity, a decree, an officer, an engagement, a book year — is older.
PROGRAM_START_YEAR = 2016
PROGRAM_START = datetime.date(PROGRAM_START_YEAR, 1, 1)
# The ceiling of the year fields, as their database constraints hold it.
LAST_YEAR = 2100
# Dates of facts that are not the program's own (a business started, a cooperative joined, an agency's
# validity): no earlier than Indonesia's independence, as a cooperative's founding year (1945).
EARLIEST_YEAR = 1945
EARLIEST_DATE = datetime.date(EARLIEST_YEAR, 1, 1)
# A planned activity (or an officer's start) may be entered ahead, by up to a year.
PLANNED_AHEAD = datetime.timedelta(days=366)
# The end of a term (an officer's, an agency's validity) at most ten years ahead, and a work contract
# abroad ends at most ten years after the departure (contracts are of two years, renewed).
TERM_AHEAD_YEARS = 10
CONTRACT_MAX_YEARS = 10

# --- PMI ---------------------------------------------------------------------------------------------

# UU 18/2017, article 5(a): a PMI is at least 18 years old. The register is of people about to work
# abroad (calon PMI), so the age counts on the day of registration.
MIN_AGE = 18
# Nobody registers to work abroad at 80: an older age is a wrong year of birth.
MAX_AGE = 80

# --- counts and amounts ------------------------------------------------------------------------------

# People or services counted in one activity, members of one cooperative. A Desmigratif village has a
# few thousand inhabitants; 100,000 is well beyond any village's activity or cooperative, and keeps the
# summaries' sums (per regency and year) far from the 2,147,483,647 a PostgreSQL integer holds.
MAX_COUNT = 100_000
# Rupiah of one budget (an activity, an engagement) or one cooperative figure: Rp 1 trillion, far beyond
# any line of a village program (the demo's largest, a ministry's national funding, is Rp 25 billion);
# more is a typing error (a few zeros too many). Sums of many stay within the summaries' 18-20 digits.
MAX_RUPIAH = 10**12


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def today() -> datetime.date:
    return timezone.localdate()


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def contract_end_latest(departure_date: datetime.date) -> datetime.date:
    return _years_later(departure_date, CONTRACT_MAX_YEARS)


# --- date validators: functions, named by the migrations (keep the names); "today" is the day of the write


def not_in_future(value: datetime.date) -> None:
    if value > today():
        raise ValidationError(_("The date cannot be in the future."), code="future")


def not_before_program(value: datetime.date) -> None:
    if value < PROGRAM_START:
        raise ValidationError(_("The date cannot be before %(date)s: the program started in %(year)s."),
                              code="before_program", params={"date": _day(PROGRAM_START), "year": PROGRAM_START_YEAR})


def not_before_earliest(value: datetime.date) -> None:
    if value < EARLIEST_DATE:
        raise ValidationError(_("The date cannot be before %(date)s."), code="too_early",
                              params={"date": _day(EARLIEST_DATE)})


def at_most_a_year_ahead(value: datetime.date) -> None:
    latest = today() + PLANNED_AHEAD
    if value > latest:
        raise ValidationError(_("The date cannot be after %(date)s: a planned date is entered at most a year "
                                "ahead."), code="too_far_ahead", params={"date": _day(latest)})


def at_most_a_term_ahead(value: datetime.date) -> None:
    latest = _years_later(today(), TERM_AHEAD_YEARS)
    if value > latest:
        raise ValidationError(_("The date cannot be after %(date)s: an end date is at most %(years)s years "
                                "ahead."), code="too_far_ahead", params={"date": _day(latest),
                                                                        "years": TERM_AHEAD_YEARS})


# What a date field holds, as lists of validators for ``validators=``.
PROGRAM_PAST = [not_before_program, not_in_future]  # a fact of the program: a decree, a registration
PROGRAM_PLANNED = [not_before_program, at_most_a_year_ahead]  # an activity, an officer's first day
PROGRAM_TERM_END = [not_before_program, at_most_a_term_ahead]  # an officer's last day
PAST = [not_before_earliest, not_in_future]  # a business started, a cooperative joined
VALID_FROM = [not_before_earliest, at_most_a_year_ahead]  # an agency's validity
VALID_UNTIL = [not_before_earliest, at_most_a_term_ahead]


# --- number validators: Max/MinValueValidator, so that Django adds no database range of its own (which
# --- would say "2147483647") and DRF shows the limit as the field's maximum in the API schema. The
# --- migrations name the classes (keep the names) with no arguments: the message lives here only.


class Limit:
    """A plausibility limit whose message shows the limit as people write numbers (100.000 / 100,000)."""

    def params(self, value) -> dict:
        return {"limit": number_format(abs(self.limit_value), force_grouping=True), "value": value}

    def __call__(self, value):
        cleaned = self.clean(value)
        if self.compare(cleaned, self.limit_value):
            raise ValidationError(self.message, code=self.code, params=self.params(value))

    def rendered_message(self):
        """The message with the limit filled in, for DRF's max_value/min_value (its own message names the
        number only); lazy: in the language of the request that reads it."""
        return _lazy_render(self.message, self.limit_value)


def _render(message, limit) -> str:
    return str(message) % {"limit": number_format(abs(limit), force_grouping=True)}


_lazy_render = lazy(_render, str)


@deconstructible(path="desmigratif.limits.MaxCount")
class MaxCount(Limit, MaxValueValidator):
    message = _("At most %(limit)s: no activity or cooperative of a village counts more, so a larger number "
                "is taken for a typing error.")

    def __init__(self, limit_value=MAX_COUNT):
        super().__init__(limit_value)


@deconstructible(path="desmigratif.limits.MaxRupiah")
class MaxRupiah(Limit, MaxValueValidator):
    message = _("At most Rp %(limit)s: a larger amount is taken for a typing error (a few zeros too many).")

    def __init__(self, limit_value=MAX_RUPIAH):
        super().__init__(limit_value)


@deconstructible(path="desmigratif.limits.MinRupiah")
class MinRupiah(Limit, MinValueValidator):
    """The floor of an amount that may be negative (a cooperative's loss)."""

    message = _("At least -Rp %(limit)s: a larger loss is taken for a typing error (a few zeros too many).")

    def __init__(self, limit_value=-MAX_RUPIAH):
        super().__init__(limit_value)


COUNT = [MaxCount()]
RUPIAH = [MinValueValidator(0), MaxRupiah()]
RUPIAH_SIGNED = [MinRupiah(), MaxRupiah()]
PROGRAM_YEAR = [MinValueValidator(PROGRAM_START_YEAR), MaxValueValidator(LAST_YEAR)]
