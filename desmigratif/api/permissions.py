from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import UserRateThrottle

from accounts.models import ApiToken
from accounts.permissions import can_read_person_records, can_write
from accounts.scoping import area_prefix


class PortalAccess(BasePermission):
    """The roles of DESIGN.md §3 on the API, as on the pages.

    Reading needs a signed-in user with an area (records are then scoped by the view's selector);
    person records (PMI) need a role that reads them; writing needs a role that writes — or the
    view's own ``may_write(user)`` rule — and a token that is not read-only. Whether the record's
    village lies in the user's area is checked by the services, as for the pages.
    """

    message = _("Your role may not do this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if area_prefix(user) is None:
            return False
        if getattr(view, "person_records", False) and not can_read_person_records(user):
            return False
        if request.method in SAFE_METHODS:
            return True
        if isinstance(request.auth, ApiToken) and request.auth.read_only:
            self.message = _("This token is read-only.")
            return False
        may_write = getattr(view, "may_write", None)
        return may_write(user) if may_write is not None else can_write(user)


class TokenRateThrottle(UserRateThrottle):
    """Requests per token (each client system's token has its own budget); per user for the browser."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        return super().get_cache_key(request, view)
