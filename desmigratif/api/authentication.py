from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import ApiToken
from accounts.services import api_token_hash

LAST_USED_PRECISION = timedelta(minutes=5)  # a token's "last used" is not rewritten on every request


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, looked up by the key's hash; revoked tokens and disabled users fail."""

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key: str):
        token = (ApiToken.objects.select_related("user").filter(key=api_token_hash(key), revoked_at__isnull=True)
                 .first())
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
