"""Filters of the region endpoints: ``?parent=`` (the parent's code) and ``?q=`` (name or code prefix).

They live with the API because no page lists regions; the pages' type-ahead uses
``regions.selectors.village_search``, whose code-or-name rule ``q`` follows.
"""
import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..filters import PortalFilterSet
from ..models import DISTRICT_CODE_RE, PROVINCE_CODE_RE, REGENCY_CODE_RE, District, Province, Regency, Village
from ..selectors import CODE_PREFIX_RE

SEARCH_MAX_LENGTH = 100


class RegionFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Search"), max_length=SEARCH_MAX_LENGTH,
        help_text=_("A code prefix (32.09) or words of the name (all of them must appear)"))

    def search(self, queryset, name, value):
        term = " ".join(value.split())
        if not term:
            return queryset
        # names hold no digits: a code-shaped term is a code prefix, which uses the primary key's index
        if CODE_PREFIX_RE.match(term):
            return queryset.filter(code__startswith=term)
        condition = Q()
        for word in term.split():
            condition &= Q(name__icontains=word)
        return queryset.filter(condition)


def parent_filter(field_name: str, pattern: str, message) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        field_name=field_name, label=_("Parent code"), help_text=message,
        validators=[RegexValidator(pattern, message)])


class ProvinceFilterSet(RegionFilterSet):
    class Meta:
        model = Province
        fields = ["q"]


class RegencyFilterSet(RegionFilterSet):
    parent = parent_filter("province", PROVINCE_CODE_RE, _("Give the code of a province, e.g. 32."))

    class Meta:
        model = Regency
        fields = ["parent", "q"]


class DistrictFilterSet(RegionFilterSet):
    parent = parent_filter("regency", REGENCY_CODE_RE, _("Give the code of a regency or city, e.g. 32.09."))

    class Meta:
        model = District
        fields = ["parent", "q"]


class VillageFilterSet(RegionFilterSet):
    parent = parent_filter("district", DISTRICT_CODE_RE, _("Give the code of a district, e.g. 32.09.07."))

    class Meta:
        model = Village
        fields = ["parent", "q"]
