from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_celery_results.admin import TaskResultAdmin
from django_celery_results.models import TaskResult

from regions.admin import province_filter

from . import services
from .models import ApiToken, User
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



@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens of the REST API, issued per user or per client system's account and revoked here.

    The key is shown once, when the token is issued; only its hash is kept.
    """

    list_display = ["prefix", "name", "user", "read_only", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["read_only", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = ["user", "name", "read_only", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # a token issued is not edited: it is revoked and another one issued
        return self.fields if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = services.api_token_issue(user=form.cleaned_data["user"], name=form.cleaned_data["name"],
                                              read_only=form.cleaned_data["read_only"], issued_by=request.user)
        obj.pk, obj.key, obj.prefix = token.pk, token.key, token.prefix
        obj._state.adding = False
        self.message_user(request, _("The token's key, shown this once — give it to its user now: %(key)s")
                          % {"key": key}, messages.WARNING)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token, revoked_by=request.user)
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": queryset.count()}, messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: who had access when stays on record
