"""Writes of accounts: API tokens issued, obtained with a password, and revoked."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Role, TokenOrigin, TokenRevocation
from .models import ApiToken, User
from .permissions import role_of
from .signals import forget_tokens


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _token_create(*, user: User, name: str, read_only: bool, obtained_with: str, issued_by: User | None,
                  expires_at: datetime | None) -> tuple[ApiToken, str]:
    if not user.is_active:
        raise PermissionDenied(_("This account is disabled."))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(key=api_token_hash(key), prefix=key[:8], user=user, name=name.strip()[:100],
                                    read_only=read_only, obtained_with=obtained_with, issued_by=issued_by,
                                    expires_at=expires_at)
    return token, key


@transaction.atomic
def api_token_issue(*, user: User, name: str, read_only: bool = False, issued_by: User | None = None
                    ) -> tuple[ApiToken, str]:
    """A token for a client system or a user, issued by an administrator: (the stored token, the key,
    shown this once).

    It is tied to no password (a client system keeps working when its account's password changes)
    and lasts until it is revoked.
    """
    if issued_by is not None and issued_by != user and role_of(issued_by) != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator issues tokens to other users."))
    return _token_create(user=user, name=name, read_only=read_only, obtained_with=TokenOrigin.ISSUED,
                         issued_by=issued_by, expires_at=None)


@transaction.atomic
def api_token_obtain(*, user: User) -> tuple[ApiToken, str]:
    """A token for a user who has just given their username and password (POST /api/v1/auth/token/).

    It expires after ``API_TOKEN_LIFETIME`` and is revoked when the password changes. A user keeps at
    most ``API_TOKEN_PASSWORD_LIMIT`` of them alive: one more revokes the oldest, rather than refusing,
    so that a script that lost its keys is never locked out until they expire (the user cannot revoke
    tokens themselves); the oldest is the one most likely forgotten.
    """
    # one token at a time per user, so that two requests at once cannot both stay under the bound
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    live = (ApiToken.objects.filter(user=user, obtained_with=TokenOrigin.PASSWORD, revoked_at__isnull=True,
                                    expires_at__gt=now)
            .order_by("-created_at", "-pk"))
    keep = max(settings.API_TOKEN_PASSWORD_LIMIT, 1) - 1
    _revoke(ApiToken.objects.filter(pk__in=list(live.values_list("pk", flat=True)[keep:])),
            reason=TokenRevocation.LIMIT, at=now)
    return _token_create(user=user, name=_("Obtained with username and password"), read_only=False,
                         obtained_with=TokenOrigin.PASSWORD, issued_by=None,
                         expires_at=now + settings.API_TOKEN_LIFETIME)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by: User) -> ApiToken:
    if revoked_by != token.user and role_of(revoked_by) != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator revokes the tokens of other users."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = TokenRevocation.REVOKED
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


@transaction.atomic
def api_token_revoke_for_password_change(*, user: User) -> int:
    """Revoke the user's tokens obtained with a password, which has just changed (``User.save``).

    Tokens an administrator issued are kept: they were never obtained with the password. Returns how
    many were revoked.
    """
    return _revoke(ApiToken.objects.filter(user=user, obtained_with=TokenOrigin.PASSWORD),
                   reason=TokenRevocation.PASSWORD_CHANGED, at=timezone.now())


def _revoke(tokens: QuerySet[ApiToken], *, reason: str, at: datetime) -> int:
    tokens = tokens.filter(revoked_at__isnull=True)
    keys = list(tokens.values_list("key", flat=True))
    if not keys:
        return 0
    count = ApiToken.objects.filter(key__in=keys, revoked_at__isnull=True).update(revoked_at=at,
                                                                                   revoked_reason=reason)
    # an update sends no signal: the cached look-ups (desmigratif.api.authentication) go here
    forget_tokens(keys)
    return count
