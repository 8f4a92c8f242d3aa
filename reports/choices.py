from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportScope(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency / city")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being computed")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


RUNNING_STATUSES = (ReportStatus.QUEUED, ReportStatus.RUNNING)
SCOPE_BY_LENGTH = {0: ReportScope.NATIONAL, 2: ReportScope.PROVINCE, 5: ReportScope.REGENCY}
