from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villages.models import PROGRAM_START_YEAR


def _year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in range(timezone.localdate().year, PROGRAM_START_YEAR - 1, -1)]


class DashboardPeriodForm(forms.Form):
    """The year shown (against the one before) and the first year of the series."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices, required=False)
    start = forms.TypedChoiceField(label=_("Series from"), coerce=int, choices=_year_choices, required=False)

    def clean(self):
        data = super().clean()
        if data.get("year") and data.get("start") and data["start"] > data["year"]:
            self.add_error("start", _("The series cannot start after the year shown."))
        return data

    def period(self) -> tuple[int, int]:
        """(year, first year of the series): the defaults where a value is missing or wrong.

        By default the last complete year: the current one is still being recorded.
        """
        year, start = timezone.localdate().year - 1, PROGRAM_START_YEAR
        if self.is_bound and self.is_valid():
            year = self.cleaned_data.get("year") or year
            start = self.cleaned_data.get("start") or start
        return year, start
