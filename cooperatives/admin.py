from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from desmigratif.program_admin import AdminServices, ProgramAdmin, ProgramInline
from regions.admin import province_filter, year_filter

from . import services
from .models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from .selectors import cooperative_list, cooperative_member_list, cooperative_yearly_figure_list

YEARLY_FIGURE_SERVICES = AdminServices(create=services.cooperative_yearly_figure_create,
                                       update=services.cooperative_yearly_figure_update,
                                       delete=services.cooperative_yearly_figure_delete)
# a member linked to a PMI record: the service checks that the record lies in the user's area
MEMBER_SERVICES = AdminServices(create=services.cooperative_member_add, update=services.cooperative_member_update,
                                delete=services.cooperative_member_remove)


class CooperativeYearlyFigureInline(ProgramInline, admin.TabularInline):
    model = CooperativeYearlyFigure
    services = YEARLY_FIGURE_SERVICES
    extra = 0
    fields = ["year", "members", "members_returned_pmi", "capital", "assets", "revenue", "shu"]
    ordering = ["-year"]


class CooperativeMemberInline(ProgramInline, admin.TabularInline):
    model = CooperativeMember
    services = MEMBER_SERVICES
    extra = 0
    fields = ["name", "migrant", "is_returned_pmi", "joined_on"]
    autocomplete_fields = ["migrant"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("migrant")


@admin.register(Cooperative)
class CooperativeAdmin(ProgramAdmin):
    selector = staticmethod(cooperative_list)
    services = AdminServices(create=services.cooperative_create, update=services.cooperative_update,
                             delete=services.cooperative_delete)
    list_display = ["name", "kind", "desmigratif_village", "business_type", "year_founded", "legal_entity_number",
                    "is_active"]
    list_select_related = ["desmigratif_village__village"]
    list_filter = ["kind", "business_type", "is_active", year_filter("year_founded", _("year founded")),
                   province_filter("desmigratif_village__village__code")]
    search_fields = ["name", "legal_entity_number", "desmigratif_village__village__name"]
    ordering = ["name", "id"]
    autocomplete_fields = ["desmigratif_village"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False
    inlines = [CooperativeYearlyFigureInline, CooperativeMemberInline]
    fieldsets = [
        (None, {"fields": ["desmigratif_village", "name", "kind", "business_type", "year_founded",
                           "legal_entity_number", "is_active"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(CooperativeMember)
class CooperativeMemberAdmin(ProgramAdmin):
    selector = staticmethod(cooperative_member_list)
    services = MEMBER_SERVICES
    list_display = ["name", "cooperative", "migrant", "is_returned_pmi", "joined_on"]
    list_select_related = ["cooperative", "migrant"]
    list_filter = ["is_returned_pmi", province_filter("cooperative__desmigratif_village__village__code")]
    search_fields = ["name", "cooperative__name"]
    ordering = ["cooperative__name", "name", "id"]
    autocomplete_fields = ["cooperative", "migrant"]
    show_full_result_count = False


@admin.register(CooperativeYearlyFigure)
class CooperativeYearlyFigureAdmin(ProgramAdmin):
    selector = staticmethod(cooperative_yearly_figure_list)
    services = YEARLY_FIGURE_SERVICES
    list_display = ["cooperative", "year", "members", "members_returned_pmi", "capital", "assets", "revenue",
                    "shu"]
    list_display_links = ["cooperative", "year"]
    list_select_related = ["cooperative"]
    list_filter = [year_filter("year", _("year")), province_filter("cooperative__desmigratif_village__village__code")]
    search_fields = ["cooperative__name"]
    ordering = ["cooperative__name", "-year", "id"]
    autocomplete_fields = ["cooperative"]
    show_full_result_count = False
