from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import (
    AnonRateThrottle,
    BaseThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from accounts.models import ApiToken
from accounts.permissions import can_read_person_records, can_write
from accounts.scoping import area_prefix
from desmigratif.net import client_ip


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


class ClientAddressThrottle(BaseThrottle):
    """Counts an anonymous caller by the address ``desmigratif.net.client_ip`` vouches for.

    DRF's own ``get_ident`` believes any ``X-Forwarded-For`` (a caller rotating it had a new budget
    on every request); ours believes it only from the proxies of ``TRUSTED_PROXIES``.
    """

    def get_ident(self, request):
        return client_ip(request)


class FixedWindowThrottle(ClientAddressThrottle, SimpleRateThrottle):
    """Counts requests per rate window with one atomic increment in the cache.

    DRF's own throttles keep every request's time in a list that is read, trimmed and written back on
    each request: at a budget of 1,200 a minute that list is unpickled and pickled again for every call,
    more than the rest of a cached statistics answer costs. A counter per window is one round trip to
    Redis. The price: a client may spend up to twice its budget across the edge of two windows.
    """

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        key = f"{self.key}:{window}"
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first request
            count = 1 if cache.add(key, 1, self.duration + 1) else cache.incr(key)
        self.window_end = (window + 1) * self.duration
        # None: the cache is unreachable (django-redis ignores its errors): throttling degrades, not the API
        return count is None or count <= self.num_requests

    def wait(self) -> float:
        return max(self.window_end - self.now, 0)


class AnonymousRateThrottle(FixedWindowThrottle, AnonRateThrottle):
    """Anonymous requests per address (the anonymous statistics, the token endpoint)."""


class TokenEndpointThrottle(ClientAddressThrottle, ScopedRateThrottle):
    """The views' ``throttle_scope`` budget per client address (the token endpoint: guesses of passwords).

    DRF's sliding window, not the fixed one: at 10 a minute its cost does not matter, and a guesser
    gets no double budget at the edge of two windows.
    """


class TokenRateThrottle(FixedWindowThrottle, UserRateThrottle):
    """Requests per token (each client system's token has its own budget); per user for the browser."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        return super().get_cache_key(request, view)
