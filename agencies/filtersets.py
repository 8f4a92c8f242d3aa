import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.filters import ChoicesFilter, PortalFilterSet, YearRangeFilter
from villages.choices import Pillar

from .choices import AgencyKind, EngagementKind, EngagementLevel
from .models import Agency, Engagement


class AgencyFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Acronym or name"))
    kind = ChoicesFilter(choices=AgencyKind.choices, label=_("Kind"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("Valid today"))
    o = django_filters.OrderingFilter(
        fields=(("acronym", "acronym"), ("name", "name"), ("kind", "kind"), ("valid_from", "valid_from")),
        field_labels={"acronym": _("Acronym"), "name": _("Name"), "kind": _("Kind"), "valid_from": _("Valid from")},
        label=_("Sort by"),
    )

    class Meta:
        model = Agency
        fields = ["q", "kind", "current"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(acronym__icontains=value) | Q(name__icontains=value))

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        current = ((Q(valid_until__isnull=True) | Q(valid_until__gte=today))
                   & (Q(valid_from__isnull=True) | Q(valid_from__lte=today)))
        return queryset.filter(current) if value else queryset.exclude(current)


class EngagementAreaFilter(django_filters.CharFilter):
    """Engagements in a region: regency or village engagements whose code starts with the given code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Region code"))
        kwargs.setdefault("help_text", _("A province, regency, district or village code, e.g. 32.09"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        value = (value or "").strip().rstrip(".")
        if not value:
            return qs
        return qs.filter(Q(regency__code=value) | Q(regency__code__startswith=f"{value}.")
                         | Q(village__code=value) | Q(village__code__startswith=f"{value}."))


class EngagementFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="description", lookup_expr="icontains", label=_("Search"),
                                  help_text=_("Words of the description"))
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.order_by("acronym"), label=_("Agency"))
    level = ChoicesFilter(choices=EngagementLevel.choices, label=_("Level"))
    pillar = ChoicesFilter(choices=Pillar.choices, label=_("Pillar"))
    kind = ChoicesFilter(choices=EngagementKind.choices, label=_("Kind"))
    year = YearRangeFilter(label=_("Year"))
    area = EngagementAreaFilter()
    o = django_filters.OrderingFilter(
        fields=(("year", "year"), ("agency__acronym", "agency"), ("pillar", "pillar"), ("budget", "budget")),
        field_labels={"year": _("Year"), "agency__acronym": _("Agency"), "pillar": _("Pillar"),
                      "budget": _("Budget")},
        label=_("Sort by"),
    )

    class Meta:
        model = Engagement
        fields = ["q", "agency", "level", "pillar", "kind", "year", "area"]
