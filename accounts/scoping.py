"""The one place that turns a user into the area they may see.

Every program table reaches a village by a code (the village code is the key), so an area is a
code prefix: '' for the country, '32' for Jawa Barat, '32.09' for Kabupaten Cirebon, a full
village code for one village. Filtering ``<path to a village>__code__startswith`` compares the
foreign-key column itself (Django needs no join to read a related primary key).
"""
from __future__ import annotations

from django.db.models import Q

from .choices import Role

NATIONAL_ROLES = {Role.ADMIN, Role.MINISTRY}


def area_prefix(user) -> str | None:
    """The region code prefix of the user's area; '' = national; None = no area at all."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser or user.role in NATIONAL_ROLES:
        return ""
    if user.role == Role.AGENCY_STAFF:
        return ""  # agency staff read aggregates nationally; their writes are limited to their agency
    return user.area_code or None


def area_q(user, village_path: str) -> Q:
    """A filter keeping the rows whose village (the relation ``village_path``) lies in the user's area."""
    prefix = area_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    return Q(**{f"{village_path}__code__startswith": prefix})

