"""The PMI FilterSets as the API applies them: the same filters, with years kept within a calendar.

A year such as 10^30 makes Django's year lookup fail (a server error) instead of finding nothing; the
API answers 400 instead. The bound belongs in migrants/filtersets.py, where the pages would gain it
too; until it is there, these subclasses add it for the API alone.
"""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes

from ..filtersets import MigrantWorkerFilterSet, NikSearchForm, PlacementFilterSet

MIN_YEAR, MAX_YEAR = 1, 9999


class YearBoundsForm(NikSearchForm):
    year_filters: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.year_filters:
            value = cleaned.get(name)
            values = (value.start, value.stop) if isinstance(value, slice) else (value,)
            if any(year is not None and not MIN_YEAR <= year <= MAX_YEAR for year in values):
                self.add_error(name, _("Give a year between %(min)d and %(max)d.") % {"min": MIN_YEAR,
                                                                                       "max": MAX_YEAR})
        return cleaned


class MigrantWorkerYearBoundsForm(YearBoundsForm):
    year_filters = ("registered_year",)


class PlacementYearBoundsForm(YearBoundsForm):
    year_filters = ("departure_year", "return_year")


class MigrantWorkerApiFilterSet(MigrantWorkerFilterSet):
    class Meta(MigrantWorkerFilterSet.Meta):
        form = MigrantWorkerYearBoundsForm


class PlacementApiFilterSet(PlacementFilterSet):
    class Meta(PlacementFilterSet.Meta):
        form = PlacementYearBoundsForm


# The year ranges filter on ``departure_date__year`` and ``return_date__year``, which drf-spectacular
# cannot trace to a model field: tell it they are integers (the note changes nothing in the filtering).
for _name in ("departure_year", "return_year"):
    set_override(PlacementApiFilterSet.base_filters[_name], "field", OpenApiTypes.INT)
