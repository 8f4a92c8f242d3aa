"""What each role may do (DESIGN.md §3), decided in one place for pages, API, imports and reports.

Reading is scoped by area (accounts.scoping); these functions answer the other questions: may this
user write here, and may they see the persons behind the records unmasked?
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .choices import Role
from .scoping import PERSON_RECORD_READERS, area_prefix, can_read_person_records, role_of  # noqa: F401

# Roles that enter and edit program data, each within its own area.
WRITER_ROLES = {Role.ADMIN, Role.REGENCY_OPERATOR, Role.VILLAGE_OFFICER}
# Roles whose area is theirs to serve, so they see NIK and phone in full (within that area).
UNMASKED_ROLES = {Role.ADMIN, Role.REGENCY_OPERATOR, Role.VILLAGE_OFFICER}


def code_in_area(code: str, prefix: str | None) -> bool:
    """Whether a region code lies within the area ``prefix`` ('' = the whole country)."""
    if prefix is None or not code:
        return False
    return prefix == "" or code == prefix or code.startswith(f"{prefix}.")


def can_write(user) -> bool:
    """Whether the user enters program data at all (in their area)."""
    return role_of(user) in WRITER_ROLES


def can_write_in(user, village_code: str) -> bool:
    return can_write(user) and code_in_area(village_code, area_prefix(user))


def ensure_can_write_in(user, village_code: str) -> None:
    """Raise PermissionDenied unless the user may write records of this village."""
    if not can_write_in(user, village_code):
        raise PermissionDenied(_("You may not enter or change data of village %(code)s.") % {"code": village_code})


def sees_personal_data(user, village_code: str) -> bool:
    """NIK, phone and address in full: only for the roles that serve the person's area."""
    return role_of(user) in UNMASKED_ROLES and code_in_area(village_code, area_prefix(user))
