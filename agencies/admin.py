from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desmigratif.program_admin import AdminServices, ProgramAdmin
from regions.admin import province_filter, year_filter

from . import services
from .models import Agency, Engagement
from .selectors import agency_list, engagement_list


class AgencyCurrentFilter(admin.SimpleListFilter):
    """Agencies valid today, or those renamed or dissolved (ministries change with cabinets)."""

    title = _("validity")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("No longer current"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        current = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        if self.value() == "yes":
            return queryset.filter(current)
        if self.value() == "no":
            return queryset.exclude(current)
        return queryset


@admin.register(Agency)
class AgencyAdmin(ProgramAdmin):
    """Agencies are renamed or dissolved, not deleted: their 'valid until' and successor say so (there is no
    delete service), and engagements and activities keep naming them."""

    selector = staticmethod(agency_list)
    services = AdminServices(create=services.agency_create, update=services.agency_update)
    list_display = ["acronym", "name", "kind", "valid_from", "valid_until", "successor"]
    list_select_related = ["successor"]
    list_filter = ["kind", AgencyCurrentFilter]
    search_fields = ["acronym", "name"]
    ordering = ["acronym"]
    autocomplete_fields = ["successor"]
    fieldsets = [
        (None, {"fields": ["acronym", "name", "kind", "source"]}),
        (_("Validity"), {"fields": ["valid_from", "valid_until", "successor"]}),
    ]


@admin.register(Engagement)
class EngagementAdmin(ProgramAdmin):
    selector = staticmethod(engagement_list)
    services = AdminServices(create=services.engagement_create, update=services.engagement_update,
                             delete=services.engagement_delete)
    list_display = ["agency", "year", "pillar", "kind", "level", "area", "budget"]
    list_display_links = ["agency", "year"]
    list_select_related = ["agency", "regency", "village"]
    # Agencies are a short reference table, so a related filter on them is cheap; regions are not.
    list_filter = [year_filter("year", _("year")), "level", "pillar", "kind", "agency",
                   province_filter("regency__code", "village__code")]
    search_fields = ["agency__acronym", "agency__name", "description"]
    ordering = ["-year", "agency__acronym", "id"]
    autocomplete_fields = ["agency", "regency", "village"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["agency", "year", "pillar", "kind", "budget", "description"]}),
        (_("Where"), {"fields": ["level", "regency", "village"],
                      "description": _("A national engagement has no area, a regency engagement a regency "
                                       "only, a village engagement a village only.")}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("area"))
    def area(self, obj: Engagement):
        return obj.village or obj.regency or _("National")
