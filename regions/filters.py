"""Filters the apps' FilterSets share."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import RangeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# Years a filter accepts: a wider span than the program's, but a real calendar year — year 0 or
# 10000 would make the database's date functions fail instead of answering "nothing found".
FIRST_YEAR, LAST_YEAR = 1900, 2100

# "from – to" years: two short inputs with a placeholder each, instead of a bare "-" between them
YEAR_RANGE = django_filters.widgets.RangeWidget(attrs={"placeholder": _("year"), "inputmode": "numeric"})


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


@extend_schema_field(OpenApiTypes.INT)  # the API schema's type; lookups like date__year name no model field
class YearFilter(django_filters.NumberFilter):
    """One year (e.g. ``?year=2024``), checked to be a calendar year."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class YearRangeField(RangeField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YEAR_RANGE)
        super().__init__((_year_field(), _year_field()), *args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class YearRangeFilter(django_filters.RangeFilter):
    """A span of years (``?<name>_min=2019&<name>_max=2022``), each end a calendar year."""

    field_class = YearRangeField


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """One or more values of a column of the record itself (``?stage=abroad&stage=returned``).

    No DISTINCT: a filter on the record's own column cannot repeat a row, and DISTINCT over every
    column of millions of PMI would cost more than the whole query.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)
