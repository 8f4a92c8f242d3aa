import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from regions.filters import PortalFilterSet
from villages.filtersets import AreaCodeFilter

from ..models import CooperativeYearlyFigure


class IntegerFilter(django_filters.NumberFilter):
    """A whole number within the database's integers (a bigger one would fail the query, not find nothing)."""

    field_class = forms.IntegerField

    def __init__(self, *, max_value: int, **kwargs):
        super().__init__(min_value=0, max_value=max_value, **kwargs)


class CooperativeYearlyFigureFilterSet(PortalFilterSet):
    """The figures endpoint's filters (the pages show figures on the cooperative's page, unfiltered)."""

    cooperative = IntegerFilter(field_name="cooperative_id", max_value=2**63 - 1, label=_("Cooperative id"))
    year = IntegerFilter(max_value=9999, label=_("Book year"))
    area = AreaCodeFilter(village_path="cooperative__desmigratif_village__village")

    class Meta:
        model = CooperativeYearlyFigure
        fields = ["cooperative", "year", "area"]
