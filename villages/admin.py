from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from desmigratif.program_admin import AdminServices, ProgramAdmin, ProgramInline
from regions.admin import province_filter, search_by_code_or_name, year_filter

from . import services
from .models import DesmigratifVillage, FieldOfficer, PillarActivity
from .selectors import desmigratif_village_list, field_officer_list, pillar_activity_list

FIELD_OFFICER_SERVICES = AdminServices(create=services.field_officer_create, update=services.field_officer_update,
                                       delete=services.field_officer_delete)


class FieldOfficerInline(ProgramInline, admin.TabularInline):
    model = FieldOfficer
    services = FIELD_OFFICER_SERVICES
    extra = 0
    fields = ["name", "role", "phone", "active_since", "active_until"]


@admin.register(DesmigratifVillage)
class DesmigratifVillageAdmin(ProgramAdmin):
    selector = staticmethod(desmigratif_village_list)
    services = AdminServices(create=services.desmigratif_village_create, update=services.desmigratif_village_update,
                             delete=services.desmigratif_village_delete)
    list_display = ["village", "regency", "year_designated", "funding_source", "status", "is_desmigratif",
                    "is_desa_migran_emas", "decree_number"]
    list_select_related = ["village__district__regency"]
    list_filter = [year_filter("year_designated", _("year designated")), "funding_source", "status",
                   "is_desmigratif", "is_desa_migran_emas", province_filter("village__code")]
    search_fields = ["village__code", "village__name", "decree_number"]
    ordering = ["village_id"]
    autocomplete_fields = ["village"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False
    inlines = [FieldOfficerInline]
    fieldsets = [
        (None, {"fields": ["village", "year_designated", "funding_source", "status"]}),
        (_("Decree (SK)"), {"fields": ["decree_number", "decree_date"]}),
        (_("Labels"), {"fields": ["is_desmigratif", "is_desa_migran_emas"]}),
        (None, {"fields": ["notes"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search_by_code_or_name(queryset, search_term, code_path="village__code",
                                      name_paths=("village__name", "decree_number")), False

    @admin.display(description=_("regency/city"), ordering="village_id")
    def regency(self, obj: DesmigratifVillage):
        return obj.village.district.regency


@admin.register(FieldOfficer)
class FieldOfficerAdmin(ProgramAdmin):
    selector = staticmethod(field_officer_list)
    services = FIELD_OFFICER_SERVICES
    list_display = ["name", "role", "desmigratif_village", "phone", "active_since", "active_until"]
    list_select_related = ["desmigratif_village__village"]
    list_filter = ["role", province_filter("desmigratif_village__village__code")]
    search_fields = ["name", "phone", "desmigratif_village__village__name"]
    ordering = ["desmigratif_village_id", "name"]
    autocomplete_fields = ["desmigratif_village"]


@admin.register(PillarActivity)
class PillarActivityAdmin(ProgramAdmin):
    selector = staticmethod(pillar_activity_list)
    services = AdminServices(create=services.pillar_activity_create, update=services.pillar_activity_update,
                             delete=services.pillar_activity_delete)
    list_display = ["title", "desmigratif_village", "pillar", "kind", "date", "participants", "partner_agency",
                    "budget"]
    list_select_related = ["desmigratif_village__village", "partner_agency"]
    list_filter = ["pillar", "kind", province_filter("desmigratif_village__village__code"), "partner_agency"]
    search_fields = ["title", "desmigratif_village__village__name", "notes"]
    date_hierarchy = "date"
    ordering = ["-date", "id"]
    autocomplete_fields = ["desmigratif_village", "partner_agency"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["desmigratif_village", "pillar", "kind", "date", "title", "partner_agency", "budget"]}),
        (_("Reach"), {"fields": ["participants_women", "participants_men", "services_given",
                                 "businesses_started", "children_reached"],
                      "description": _("Children are recorded only as a count (UU 27/2022).")}),
        (None, {"fields": ["notes"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("participants"))
    def participants(self, obj: PillarActivity) -> int:
        return obj.participants
