import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import FINAL_STATUSES, RUNNING_STATUSES, ImportKind, JobStatus

UPLOAD_FOLDER = "exchange/imports"


def import_upload_path(instance: "ImportJob", filename: str) -> str:
    # A random name: the official's file name (often a person's or a village's) stays out of paths.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{UPLOAD_FOLDER}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ImportJob(models.Model):
    """One uploaded file on its way through dry run → confirm, with what was found and written.

    The file is kept only while the job waits to be confirmed, and at most ``UPLOAD_RETENTION_DAYS``
    (exchange.services.import_files_purge); it is deleted once the job is done, refused or cancelled (it
    holds personal data). Problems are kept as a list of
    ``{"row", "column", "value", "message"}`` (``row`` is None for a problem of the whole file).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="import_jobs",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind of records"), max_length=30, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=import_upload_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.PositiveIntegerField(_("file size (bytes)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    in_background = models.BooleanField(_("runs in the background"), default=False,
                                        help_text=_("Large files are checked and imported by a Celery task."))
    estimated_rows = models.PositiveIntegerField(_("estimated rows"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    task_id = models.CharField(_("task id"), max_length=50, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True,
                                help_text=_("The uploader's language, in which the problems are written."))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=JobStatus.values), name="exchange_job_status_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=ImportKind.values), name="exchange_job_kind_valid"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="exchange_job_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def hidden_problem_count(self) -> int:
        """Problems found but not stored (beyond the limit of stored problems)."""
        return max(self.problem_count - len(self.problems), 0)
