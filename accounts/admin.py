from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_celery_results.admin import TaskResultAdmin
from django_celery_results.models import TaskResult

from desmigratif.program_admin import ScopedChoicesMixin
from regions.admin import province_filter

from . import services
from .choices import Role
from .models import ApiToken, User
from .permissions import role_of

# The admin's titles, set once for the whole site.
admin.site.site_header = _("Desmigratif Portal")
admin.site.site_title = _("Desmigratif Portal")
admin.site.index_title = _("Administration of the Desmigratif program")


# --- who enters the admin -------------------------------------------------------------------------


def admin_site_admits(request) -> bool:
    """The Django admin is for administrators only: every task of the other roles has its page in the
    portal, under the rules of their role and area, and the admin offers them nothing (README, /admin/).

    Installed as the site's ``has_permission``, which Django checks before every view of the site: its
    index and app pages, each model's list, add, change, delete and history pages and actions,
    autocomplete, jsi18n, the password change. Superusers count as administrators (``role_of``); the
    account must also be active and staff, as Django requires. Anyone else signed in is sent to the
    admin's login page, which says that this account may not use the admin; nothing they POST is read.
    """
    user = request.user
    return bool(user.is_active and user.is_staff and role_of(user) == Role.ADMIN)


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login refuses the accounts the site would not admit (Django's form checks only
    ``is_staff``), with Django's own words: the page tells nothing about the account."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if role_of(user) != Role.ADMIN:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                  params={"username": self.username_field.verbose_name})


admin.site.has_permission = admin_site_admits
admin.site.login_form = AdminLoginForm


# Every task leaves a result row (CELERY_RESULT_EXTENDED), so the table grows without bound: its
# list page does without the second, unfiltered count, like the program's big tables.
class BigTaskResultAdmin(TaskResultAdmin):
    show_full_result_count = False


admin.site.unregister(TaskResult)
admin.site.register(TaskResult, BigTaskResultAdmin)


ROLE_AND_AREA = (_("Role and area"), {
    "fields": ("role", "province", "regency", "village", "agency"),
    "description": _("A province officer needs a province, a regency operator a regency, a village officer "
                     "a village and agency staff an agency; national roles have none."),
})


@admin.register(User)
class UserAdmin(ScopedChoicesMixin, DjangoUserAdmin):
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

    The key is shown once, when the token is issued; only its hash is kept. The list and the change
    page show how each token was obtained, when it expires, when it was last used and why it stopped.
    """

    list_display = ["prefix", "name", "user", "obtained_with", "read_only", "created_at", "expires_at",
                    "last_used_at", "state"]
    list_filter = ["obtained_with", "read_only", ("revoked_at", admin.EmptyFieldListFilter), "revoked_reason"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = ["user", "name", "read_only", "obtained_with", "issued_by", "prefix", "created_at", "expires_at",
              "last_used_at", "state", "revoked_at", "revoked_reason"]
    add_fields = ["user", "name", "read_only"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        # issuing names the user and the purpose; everything else is the token's own record
        return self.fields if obj is not None else self.add_fields

    def get_readonly_fields(self, request, obj=None):
        # a token issued is not edited: it is revoked and another one issued
        return self.fields if obj is not None else []

    @admin.display(description=_("state"))
    def state(self, obj: ApiToken):
        if obj.revoked_at is not None:
            return obj.get_revoked_reason_display() or _("Revoked")
        if obj.has_expired():
            return _("Expired")
        return _("Valid")

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
