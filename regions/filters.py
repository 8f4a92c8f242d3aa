"""Filters the apps' FilterSets share."""
import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_filters.fields import RangeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# Years a filter accepts: a wider span than the program's, but a real calendar year — year 0 or
# 10000 would make the database's date functions fail instead of answering "nothing found".
FIRST_YEAR, LAST_YEAR = 1900, 2100

# "from – to" years: two short inputs with a placeholder each, instead of a bare "-" between them
YEAR_RANGE = django_filters.widgets.RangeWidget(attrs={"placeholder": _("year"), "inputmode": "numeric"})


# Text a filter takes, at most: a search or code box needs a few dozen characters, and a value of tens of
# thousands would only burden the database (SQLite refuses a LIKE pattern over 50,000 bytes outright).
MAX_TEXT_CHARS = 200


class PortalFilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the portal (pages, API, exports): a text filter without a length of
    its own takes at most ``MAX_TEXT_CHARS`` characters, so that a longer value is the form's error (400 on
    the API) and never reaches the database."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for name, filter_ in filters.items():
            if issubclass(filter_.field_class, forms.CharField):
                filter_.extra.setdefault("max_length", MAX_TEXT_CHARS)
            _check_range_names(cls, name, filter_)
        return filters


def _check_range_names(filterset, name: str, filter_) -> None:
    """A range read under other names than the API schema documents is refused when the FilterSet is defined.

    The schema (drf-spectacular) names a range's parameters after its field's widget (``_min``/``_max``,
    ``_after``/``_before`` for dates), the filter reads them from the widget it was given: a widget of
    other suffixes made the API ignore a documented filter.
    """
    given = filter_.extra.get("widget")
    if not isinstance(filter_, django_filters.RangeFilter) or given is None:
        return
    documented = getattr(filter_.field_class.widget, "suffixes", None)
    if list(getattr(given, "suffixes", [])) != list(documented or []):
        raise ImproperlyConfigured(
            f"{filterset.__name__}.{name}: its widget reads {given.suffixes}, the schema documents {documented}; "
            "give the widget of its field class (or a subclass of it).")


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
