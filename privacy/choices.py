from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed unmasked")
    EXPORT = "export", _("Exported all data")
    ERASE = "erase", _("Erased")
