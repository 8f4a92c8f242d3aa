from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import LIST_DOOR


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed unmasked")
    LOOKUP = "lookup", _("Looked up by NIK")
    EXPORT = "export", _("Exported all data")
    ERASE = "erase", _("Erased")


class AccessDoor(models.TextChoices):
    """Where the data was shown: every door that shows a person's data unmasked logs it."""

    PAGE = "page", _("Record page")
    LIST = LIST_DOOR, _("List or search")
    API = "api", _("API")
    HISTORY = "history", _("History tab")
    ADMIN = "admin", _("Admin")
    FILE = "file", _("Exported file")
    PRIVACY = "privacy", _("Data subject request")
