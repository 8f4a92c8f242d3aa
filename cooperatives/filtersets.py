import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.filters import ChoicesFilter, PortalFilterSet, YearRangeFilter
from villages.filtersets import AreaCodeFilter

from .choices import BusinessType, CooperativeKind
from .models import Cooperative


class CooperativeFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"),
                                  help_text=_("Name or legal entity number"))
    area = AreaCodeFilter(village_path="desmigratif_village__village")
    kind = ChoicesFilter(choices=CooperativeKind.choices, label=_("Kind"))
    business_type = ChoicesFilter(choices=BusinessType.choices, label=_("Business type"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    year_founded = YearRangeFilter(label=_("Year founded"))
    o = django_filters.OrderingFilter(
        fields=(("name", "name"), ("desmigratif_village__village__code", "village"),
                ("year_founded", "year_founded"), ("business_type", "business_type")),
        field_labels={"name": _("Name"), "desmigratif_village__village__code": _("Village code"),
                      "year_founded": _("Year founded"), "business_type": _("Business type")},
        label=_("Sort by"),
    )

    class Meta:
        model = Cooperative
        fields = ["q", "area", "kind", "business_type", "is_active", "year_founded"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(legal_entity_number__icontains=value))
