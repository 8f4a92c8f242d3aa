from django.contrib import admin

from .models import YearlyReport


@admin.register(YearlyReport)
class YearlyReportAdmin(admin.ModelAdmin):
    """Reports are made by the services (the pages, the API, the schedules); the admin reads them."""

    list_display = ["year", "area_name", "area_code", "version", "status", "is_current", "progress", "as_of",
                    "requested_by", "requested_at", "finished_at"]
    list_filter = ["status", "scope", "is_current", "year"]
    search_fields = ["area_code", "area_name"]
    list_select_related = ["requested_by"]
    readonly_fields = [field.name for field in YearlyReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
