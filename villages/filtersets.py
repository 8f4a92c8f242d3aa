import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.filters import ChoicesFilter, PortalFilterSet, YearFilter, YearRangeFilter

from .choices import ActivityKind, DesmigratifStatus, FundingSource, Pillar
from .models import DesmigratifVillage, PillarActivity


class AreaCodeFilter(django_filters.CharFilter):
    """Records whose village code starts with the given region code (32, 32.09, 32.09.14 …)."""

    def __init__(self, *, village_path: str, **kwargs):
        self.village_path = village_path
        kwargs.setdefault("label", _("Region code"))
        kwargs.setdefault("help_text", _("A province, regency, district or village code, e.g. 32.09"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        value = (value or "").strip().rstrip(".")
        if not value:
            return qs
        return qs.filter(Q(**{f"{self.village_path}__code": value})
                         | Q(**{f"{self.village_path}__code__startswith": f"{value}."}))


class DesmigratifVillageFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"),
                                  help_text=_("Village name or code, decree number"))
    area = AreaCodeFilter(village_path="village")
    year_designated = YearRangeFilter(label=_("Year designated"))
    funding_source = ChoicesFilter(choices=FundingSource.choices, label=_("Funding source"))
    status = ChoicesFilter(choices=DesmigratifStatus.choices, label=_("Status"))
    is_desa_migran_emas = django_filters.BooleanFilter(label=_("Desa Migran Emas label"))
    o = django_filters.OrderingFilter(
        fields=(("village__code", "code"), ("village__name", "name"), ("year_designated", "year"),
                ("funding_source", "funding_source"), ("status", "status")),
        field_labels={"village__code": _("Code"), "village__name": _("Name"), "year_designated": _("Year"),
                      "funding_source": _("Funding source"), "status": _("Status")},
        label=_("Sort by"),
    )

    class Meta:
        model = DesmigratifVillage
        fields = ["q", "area", "year_designated", "funding_source", "status", "is_desa_migran_emas"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value[:1].isdigit():
            return queryset.filter(Q(village__code__startswith=value) | Q(decree_number__icontains=value))
        return queryset.filter(Q(village__name__icontains=value) | Q(decree_number__icontains=value))


class PillarActivityFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    area = AreaCodeFilter(village_path="desmigratif_village__village")
    pillar = ChoicesFilter(choices=Pillar.choices, label=_("Pillar"))
    kind = ChoicesFilter(choices=ActivityKind.choices, label=_("Kind of activity"))
    date = django_filters.DateFromToRangeFilter(label=_("Date"))
    year = YearFilter(field_name="date", lookup_expr="year", label=_("Year"))
    partner_agency = django_filters.CharFilter(field_name="partner_agency__acronym", label=_("Partner agency"))
    o = django_filters.OrderingFilter(
        fields=(("date", "date"), ("title", "title"), ("pillar", "pillar")),
        field_labels={"date": _("Date"), "title": _("Title"), "pillar": _("Pillar")},
        label=_("Sort by"),
    )

    class Meta:
        model = PillarActivity
        fields = ["q", "area", "pillar", "kind", "date", "year", "partner_agency"]
