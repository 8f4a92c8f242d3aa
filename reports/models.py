from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import RUNNING_STATUSES, ReportScope, ReportStatus


class YearlyReport(models.Model):
    """One version of the growth report of a year for an area (the country, a province, a regency).

    Figures are computed from the records and frozen here: later edits of old records change a new
    version, never an issued one. One version per year and area is current; at most one is being
    computed at a time (the constraints make a second simultaneous request find the first).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    area_code = models.CharField(_("area code"), max_length=5, blank=True, help_text=_("Empty for the country."))
    area_name = models.CharField(_("area"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=ReportScope.choices)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    is_current = models.BooleanField(_("current version"), default=False)
    as_of = models.DateField(_("records up to"), help_text=_("A report of the running year counts up to this day."))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    workbook = models.FileField(_("workbook (.xlsx)"), upload_to="reports/", blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(_("task"), max_length=50, blank=True)

    class Meta:
        ordering = ["-year", "area_code", "-version"]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        constraints = [
            models.UniqueConstraint(fields=["year", "area_code", "version"], name="report_version_once"),
            models.UniqueConstraint(fields=["year", "area_code"], condition=models.Q(is_current=True),
                                    name="report_one_current"),
            models.UniqueConstraint(fields=["year", "area_code"],
                                    condition=models.Q(status__in=RUNNING_STATUSES), name="report_one_run_at_a_time"),
            models.CheckConstraint(condition=models.Q(is_current=False) | models.Q(status=ReportStatus.DONE),
                                   name="report_current_is_done"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_percent"),
        ]
        indexes = [models.Index(fields=["area_code", "year"])]

    def __str__(self) -> str:
        return f"{self.area_name} {self.year} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:yearlyreport_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES
