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
