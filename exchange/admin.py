from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by the import pages; administrators look at them to help users."""

    list_display = ["id", "user", "kind", "file_name", "status", "total_rows", "created_count", "updated_count",
                    "unchanged_count", "problem_count", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["user"]
    search_fields = ["user__username", "file_name"]
    ordering = ["-created_at"]
    # the problems quote the file's cells (NIKs, names): they stay on the uploader's own page
    exclude = ["problems"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
