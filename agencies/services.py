"""Writes of agencies and their engagements, with the rules of who may make them.

Who writes an engagement (DESIGN.md §3, "agency staff record its agency's engagements") — a role
rule accounts.permissions does not cover, so it lives here, for pages, API and imports alike:

* an admin (role admin or superuser): any engagement, at any level;
* agency staff (role "agency"): only engagements of their own agency, at any level (national,
  regency or village) — the agency is theirs before and after a change;
* regency operators and village officers: engagements whose area lies within their own area — a
  regency operator the regency engagements of their regency and the village engagements of its
  villages, a village officer the village engagements of their village; never national ones;
* everyone else (ministry staff, province officers): none — they read.

The agencies themselves are a reference table edited by admins only.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.permissions import can_write, can_write_in, role_of
from desmigratif.versioning import versioned_save

from .choices import EngagementLevel
from .models import Agency, Engagement


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


# --- Agencies ---------------------------------------------------------------------------------

def ensure_can_edit_agencies(user) -> None:
    if not is_admin(user):
        raise PermissionDenied(_("Only administrators change the list of agencies."))


@transaction.atomic
def agency_create(*, user, **fields: Any) -> Agency:
    ensure_can_edit_agencies(user)
    return versioned_save(Agency(), fields)


@transaction.atomic
def agency_update(*, user, instance: Agency, expected_version: int | None = None, **fields: Any) -> Agency:
    """Change an agency, e.g. when a cabinet renames a ministry: set 'valid until' and its successor."""
    ensure_can_edit_agencies(user)
    return versioned_save(instance, fields, expected_version=expected_version)


# --- Engagements ------------------------------------------------------------------------------

def engagement_can_write_some(user) -> bool:
    """Whether the user may record engagements at all (so the pages offer to)."""
    role = role_of(user)
    if role == Role.AGENCY_STAFF:
        return user.agency_id is not None
    return can_write(user)


def engagement_can_write(user, *, agency_id: int | None, level: str, regency_code: str | None,
                         village_code: str | None) -> bool:
    """Whether the user may write an engagement of this agency at this place (see the module's rules)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role == Role.AGENCY_STAFF:
        return user.agency_id is not None and agency_id == user.agency_id
    if not can_write(user) or level == EngagementLevel.NATIONAL:
        return False
    code = village_code if level == EngagementLevel.VILLAGE else regency_code
    return bool(code) and can_write_in(user, code)


def engagement_ensure_can_write(user, *, agency_id: int | None, level: str, regency_code: str | None,
                                village_code: str | None) -> None:
    if not engagement_can_write(user, agency_id=agency_id, level=level, regency_code=regency_code,
                                village_code=village_code):
        raise PermissionDenied(_("You may not record or change this engagement."))


def engagement_writable_by(engagement: Engagement, user) -> bool:
    return engagement_can_write(user, agency_id=engagement.agency_id, level=engagement.level,
                                regency_code=engagement.regency_id, village_code=engagement.village_id)


def _ensure_for(user, engagement: Engagement) -> None:
    engagement_ensure_can_write(user, agency_id=engagement.agency_id, level=engagement.level,
                                regency_code=engagement.regency_id, village_code=engagement.village_id)


@transaction.atomic
def engagement_create(*, user, agency: Agency, **fields: Any) -> Engagement:
    engagement = Engagement(agency=agency)
    for name, value in fields.items():
        setattr(engagement, name, value)
    # the rule is checked on the values being written, before the model's own checks
    _ensure_for(user, engagement)
    return versioned_save(engagement, {})


@transaction.atomic
def engagement_update(*, user, instance: Engagement, expected_version: int | None = None,
                      **fields: Any) -> Engagement:
    _ensure_for(user, instance)  # may change what it is now …
    for name, value in fields.items():
        setattr(instance, name, value)
    _ensure_for(user, instance)  # … and what it becomes
    return versioned_save(instance, {}, expected_version=expected_version)


@transaction.atomic
def engagement_delete(*, user, instance: Engagement) -> None:
    _ensure_for(user, instance)
    instance.delete()
