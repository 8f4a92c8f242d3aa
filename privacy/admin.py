from django.contrib import admin

from .models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The access log is evidence: read only, for everyone."""

    list_display = ["at", "user", "action", "migrant_id", "village_code", "reason"]
    list_filter = ["action"]
    list_select_related = ["user"]
    search_fields = ["=migrant_id", "village_code", "user__username"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
