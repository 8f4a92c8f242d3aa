from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    """The kinds of records a file can carry; each has a resource in ``exchange.resources``."""

    MIGRANTS = "migrants", _("Migrant workers (PMI)")
    DESMIGRATIF_VILLAGES = "villages", _("Desmigratif villages")
    COOPERATIVE_FIGURES = "cooperative_figures", _("Cooperative yearly figures")
    PILLAR_ACTIVITIES = "activities", _("Pillar activities")
    ENGAGEMENTS = "engagements", _("Agency engagements")
    COOPERATIVES = "cooperatives", _("Cooperatives")
    COOPERATIVE_MEMBERS = "cooperative_members", _("Cooperative members")
    PLACEMENTS = "placements", _("Placements (departures and returns)")
    REINTEGRATIONS = "reintegrations", _("Reintegration of returned PMI")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    READY = "ready", _("Checked: ready to import")
    INVALID = "invalid", _("Problems found: nothing imported")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")
    CANCELLED = "cancelled", _("Cancelled")


RUNNING_STATUSES = (JobStatus.QUEUED, JobStatus.CHECKING, JobStatus.IMPORTING)
FINAL_STATUSES = (JobStatus.INVALID, JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)
