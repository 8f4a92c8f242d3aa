"""Writes of accounts: API tokens issued and revoked."""
from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Role
from .models import ApiToken, User
from .permissions import role_of


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str, read_only: bool = False, issued_by: User | None = None
                    ) -> tuple[ApiToken, str]:
    """A new token for ``user``: (the stored token, the key, shown this once).

    A user gets a token for themselves (by signing in to the API); an admin issues them to anyone.
    """
    if issued_by is not None and issued_by != user and role_of(issued_by) != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator issues tokens to other users."))
    if not user.is_active:
        raise PermissionDenied(_("This account is disabled."))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(key=api_token_hash(key), prefix=key[:8], user=user, name=name.strip()[:100],
                                    read_only=read_only)
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by: User) -> ApiToken:
    if revoked_by != token.user and role_of(revoked_by) != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator revokes the tokens of other users."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
