from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import ApiToken
from accounts.services import api_token_hash
from accounts.signals import token_cache_key

LAST_USED_PRECISION = timedelta(minutes=5)  # a token's "last used" is not rewritten on every request
CACHE_SECONDS = 60  # a look-up is reused this long at most; saves and deletes forget it at once (accounts.signals)


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, looked up by the key's hash; revoked or expired tokens and disabled
    users fail.

    The token and its user are kept in the cache for a minute (a client polling statistics then costs
    no query); saving or deleting either, or revoking tokens in bulk, forgets them at once; the expiry
    is checked on every request.
    """

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key: str):
        hashed = api_token_hash(key)
        cache_key = token_cache_key(hashed)
        token = cache.get(cache_key)
        cached = token is not None
        if not cached:
            token = ApiToken.objects.select_related("user").filter(key=hashed, revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        # checked on every request, cached or not: a cached look-up must not outlive the token
        if token.has_expired(now):
            raise AuthenticationFailed(
                _("This token expired at %(expired)s: obtain a new one (POST /api/v1/auth/token/).")
                % {"expired": timezone.localtime(token.expires_at).isoformat(timespec="seconds")})
        stale = token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION
        if stale:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        if stale or not cached:
            cache.set(cache_key, token, CACHE_SECONDS)
        return token.user, token
