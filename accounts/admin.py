from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_celery_results.admin import TaskResultAdmin
from django_celery_results.models import TaskResult

from regions.admin import province_filter

from .models import User
from .scoping import area_q

# The admin's titles, set once for the whole site.
admin.site.site_header = _("Desmigratif Portal")
admin.site.site_title = _("Desmigratif Portal")
admin.site.index_title = _("Administration of the Desmigratif program")


# Every task leaves a result row (CELERY_RESULT_EXTENDED), so the table grows without bound: its
# list page does without the second, unfiltered count, like the program's big tables.
class BigTaskResultAdmin(TaskResultAdmin):
    show_full_result_count = False


admin.site.unregister(TaskResult)
admin.site.register(TaskResult, BigTaskResultAdmin)


class AreaScopedAdminMixin:
    """Keep a staff member's admin lists (and autocompletes) to the rows of their own area.

    ``area_path`` is the relation from the model to its village; accounts.scoping decides what
    the user's area is, as it does for pages, API and exports. Superusers and national roles see
    every row.
    """

    area_path = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.area_path:
            queryset = queryset.filter(area_q(request.user, self.area_path))
        return queryset


ROLE_AND_AREA = (_("Role and area"), {
    "fields": ("role", "province", "regency", "village", "agency"),
    "description": _("A province officer needs a province, a regency operator a regency, a village officer "
                     "a village and agency staff an agency; national roles have none."),
})


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        DjangoUserAdmin.fieldsets[0],
        DjangoUserAdmin.fieldsets[1],
        ROLE_AND_AREA,
        *DjangoUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ROLE_AND_AREA)
    list_display = ["username", "first_name", "last_name", "email", "role", "area", "is_staff", "is_active",
                    "last_login"]
    list_select_related = ["province", "regency", "village", "agency"]
    list_filter = ["role", "is_staff", "is_superuser", "is_active",
                   province_filter("province__code", "regency__code", "village__code", title=_("province of the area"))]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["province", "regency", "village", "agency"]

    @admin.display(description=_("area or agency"))
    def area(self, obj: User):
        return obj.village or obj.regency or obj.province or obj.agency or "—"
