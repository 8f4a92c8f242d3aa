"""The one place that turns a user into the area they may see.

Every program table reaches a village by a code (the village code is the key), so an area is a
code prefix: '' for the country, '32' for Jawa Barat, '32.09' for Kabupaten Cirebon, a full
village code for one village. Filtering ``<path to a village>__code__startswith`` compares the
foreign-key column itself (Django needs no join to read a related primary key).

Person records (PMI, their placements and reintegration, cooperative members) have one more rule:
only the roles that read person records see any of them (agency staff read aggregates only). The
selectors of those records pass ``person_record=True``, so every door that reads through them —
pages, API, history, exports, imports, search — applies the same rule.
"""
from __future__ import annotations

from django.db.models import Q

from .choices import Role

NATIONAL_ROLES = {Role.ADMIN, Role.MINISTRY}
# Agency staff read aggregates and engagements, never person-level records.
PERSON_RECORD_READERS = {Role.ADMIN, Role.MINISTRY, Role.PROVINCE_OFFICER, Role.REGENCY_OPERATOR,
                         Role.VILLAGE_OFFICER}


def role_of(user) -> str | None:
    if not user or not user.is_authenticated:
        return None
    return Role.ADMIN if user.is_superuser else user.role


def can_read_person_records(user) -> bool:
    return role_of(user) in PERSON_RECORD_READERS


def area_prefix(user, *, person_record: bool = False) -> str | None:
    """The region code prefix of the user's area; '' = national; None = no area at all.

    ``person_record``: the area for person records, None for a role that reads none of them.
    """
    if not user or not user.is_authenticated:
        return None
    if person_record and not can_read_person_records(user):
        return None
    if user.is_superuser or user.role in NATIONAL_ROLES:
        return ""
    if user.role == Role.AGENCY_STAFF:
        return ""  # agency staff read aggregates nationally; their writes are limited to their agency
    return user.area_code or None


def area_q(user, village_path: str, *, person_record: bool = False) -> Q:
    """A filter keeping the rows whose village (the relation ``village_path``) lies in the user's area."""
    prefix = area_prefix(user, person_record=person_record)
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    return Q(**{f"{village_path}__code__startswith": prefix})
