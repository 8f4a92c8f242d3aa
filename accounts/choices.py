from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of DESIGN.md §3; each carries an area of the matching level."""

    ADMIN = "admin", _("Administrator")
    MINISTRY = "ministry", _("Ministry staff")
    PROVINCE_OFFICER = "province", _("Province officer")
    REGENCY_OPERATOR = "regency", _("Regency operator (Disnaker)")
    VILLAGE_OFFICER = "village", _("Village officer (Petugas Desmigratif)")
    AGENCY_STAFF = "agency", _("Agency staff")


class TokenOrigin(models.TextChoices):
    """How an API token came to be: what it is tied to, and whether it expires (SECURITY.md)."""

    PASSWORD = "password", _("Obtained with username and password")
    ISSUED = "issued", _("Issued by an administrator")


class TokenRevocation(models.TextChoices):
    """Why a token stopped working before its time."""

    REVOKED = "revoked", _("Revoked")
    PASSWORD_CHANGED = "password", _("The password it was obtained with changed")
    LIMIT = "limit", _("Replaced by a newer token (too many obtained with the password)")
