"""Forget the API's cached token look-ups when a token or its user changes.

``desmigratif.api.authentication`` keeps, per token, the token and its user in the cache for a
minute, so that a statistics call needs no query. Any save or delete of either drops those entries
at once (a revoked token, a disabled user, a new role or area). A bulk ``update()`` sends no signal:
the services that revoke in bulk call ``forget_tokens`` themselves (accounts.services).
"""
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ApiToken, User

TOKEN_CACHE_PREFIX = "api-token:"


def token_cache_key(hashed_key: str) -> str:
    return TOKEN_CACHE_PREFIX + hashed_key


def forget_tokens(hashed_keys: list[str]) -> None:
    """Drop the cached look-ups of these tokens (by their stored hashes)."""
    _forget([token_cache_key(key) for key in hashed_keys])


def _forget(keys: list[str]) -> None:
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))  # and again once it is committed


@receiver([post_save, post_delete], sender=ApiToken, dispatch_uid="accounts.forget_token")
def forget_token(sender, instance: ApiToken, **kwargs) -> None:
    _forget([token_cache_key(instance.key)])


@receiver([post_save, post_delete], sender=User, dispatch_uid="accounts.forget_user_tokens")
def forget_user_tokens(sender, instance: User, **kwargs) -> None:
    if kwargs.get("created") or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in changes nothing a token's user is judged by
    _forget([token_cache_key(key) for key in ApiToken.objects.filter(user_id=instance.pk)
             .values_list("key", flat=True)])
