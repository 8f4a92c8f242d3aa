from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Government agency")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    BANK = "bank", _("Bank")
    SOCIAL_SECURITY = "social_security", _("Social security")
    OTHER = "other", _("Other")


class EngagementLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGENCY = "regency", _("Regency/city")
    VILLAGE = "village", _("Village")


class EngagementKind(models.TextChoices):
    TRAINING = "training", _("Training")
    FUNDING = "funding", _("Funding")
    SERVICE = "service", _("Service")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    CREDIT = "credit", _("Credit")
