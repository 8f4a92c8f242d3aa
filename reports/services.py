"""Requesting and building yearly reports: idempotent, one run at a time per year and area, and a
new version replacing the current one in a single transaction.

The build writes nothing until the end: the figures and the workbook are made in memory, then the
report, its file and the change of current version are saved together. A worker killed before
then leaves the report "being computed" with nothing written; the task's message, acknowledged
only at the end (acks_late), goes to another worker, which computes it again.
"""
from __future__ import annotations

import datetime
import logging
import time
import traceback

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.permissions import code_in_area, role_of
from accounts.scoping import area_prefix
from regions.models import Province, Regency
from villages.models import PROGRAM_START_YEAR

from .choices import RUNNING_STATUSES, SCOPE_BY_LENGTH, ReportStatus
from .figures import report_figures
from .models import YearlyReport
from .workbook import report_workbook, workbook_filename

logger = logging.getLogger(__name__)

REQUESTER_ROLES = {Role.ADMIN, Role.MINISTRY, Role.PROVINCE_OFFICER, Role.REGENCY_OPERATOR}


class ReportsUnavailable(Exception):
    """Background work cannot be handed over now (the broker does not answer)."""


def unavailable_message() -> str:
    return _("Background work is unavailable at the moment, so the report cannot be made now. The rest of the "
             "portal works; try again later.")


def report_may_request(user, area_code: str | None = None) -> bool:
    """Staff of the ministry, provinces and regencies request reports of areas within their own."""
    if role_of(user) not in REQUESTER_ROLES:
        return False
    return area_code is None or report_may_read(user, area_code)


def report_may_read(user, area_code: str) -> bool:
    prefix = area_prefix(user)
    return prefix is not None and (prefix == "" or code_in_area(area_code, prefix) or area_code == prefix)


def report_area_name(area_code: str) -> str:
    if not area_code:
        return "Indonesia"
    model = Province if len(area_code) == 2 else Regency
    region = model.objects.filter(code=area_code).first()
    if region is None or len(area_code) not in SCOPE_BY_LENGTH:
        raise ValidationError({"area": _("A report is made for the country, a province or a regency: there is no "
                                         "such area %(code)s.") % {"code": area_code}})
    return region.name


def report_check_year(year: int) -> None:
    if not PROGRAM_START_YEAR <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Reports cover the years from %(first)s to %(last)s.") % {
            "first": PROGRAM_START_YEAR, "last": timezone.localdate().year}})


def report_request(*, user, year: int, area_code: str) -> YearlyReport:
    """A new version of the report of ``year`` for ``area_code``, queued for a worker — or the run
    already under way for the same year and area (two requests make one run).

    ``user=None`` is the scheduler. Raises ReportsUnavailable when no worker can be reached.
    """
    area_code = (area_code or "").strip().rstrip(".")
    if user is not None and not report_may_request(user, area_code):
        raise PermissionDenied(_("You may not request a report for this area."))
    report_check_year(year)
    name = report_area_name(area_code)
    try:
        with transaction.atomic():
            running = YearlyReport.objects.select_for_update().filter(year=year, area_code=area_code,
                                                                      status__in=RUNNING_STATUSES).first()
            if running is not None:
                return running
            version = (YearlyReport.objects.filter(year=year, area_code=area_code).aggregate(v=Max("version"))["v"]
                       or 0) + 1
            today = timezone.localdate()
            report = YearlyReport.objects.create(
                year=year, area_code=area_code, area_name=name, scope=SCOPE_BY_LENGTH[len(area_code)],
                version=version, requested_by=user,
                as_of=min(today, datetime.date(year, 12, 31)))
    except IntegrityError:  # another request created the run between our look and our insert
        return YearlyReport.objects.get(year=year, area_code=area_code, status__in=RUNNING_STATUSES)
    report_enqueue(report)
    return report


def report_enqueue(report: YearlyReport) -> None:
    """Hand the report to a worker; with the broker down, mark it failed with the reason and say so."""
    from kombu.exceptions import OperationalError

    from . import tasks

    try:
        result = tasks.report_build_task.delay(report.pk)
    except OperationalError as error:
        logger.warning("Report %s could not be queued: %s", report.pk, type(error).__name__)
        YearlyReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, finished_at=timezone.now(),
            error=_("Background work is unavailable at the moment; the report was not started. Try again later."))
        raise ReportsUnavailable from error
    YearlyReport.objects.filter(pk=report.pk, task_id="").update(task_id=(result.id or "")[:50])


def report_retry(*, user, report: YearlyReport) -> YearlyReport:
    """A failed report is requested again (a new version, as any request)."""
    if report.status != ReportStatus.FAILED:
        raise ValidationError(_("Only a failed report is tried again."))
    return report_request(user=user, year=report.year, area_code=report.area_code)


def _progress(report_pk: int, percent: int) -> None:
    YearlyReport.objects.filter(pk=report_pk).update(progress=min(percent, 99))


def report_build(*, report_pk: int) -> YearlyReport | None:
    """Compute the report's figures and workbook and make it the current version (idempotent)."""
    with transaction.atomic():
        report = YearlyReport.objects.select_for_update().filter(pk=report_pk).first()
        if report is None or report.status not in RUNNING_STATUSES:
            return report  # gone, or done by an earlier delivery of the same message
        report.status, report.started_at, report.progress = ReportStatus.RUNNING, timezone.now(), 5
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "progress", "attempts"])
    figures = report_figures(year=report.year, area=report.area_code, as_of=report.as_of,
                             progress=lambda percent: _progress(report_pk, percent))
    if settings.REPORTS_BUILD_PAUSE:  # a fault test's window to kill the worker mid-report
        time.sleep(settings.REPORTS_BUILD_PAUSE)
    content = report_workbook(report, figures)  # the file at rest: counts of persons rounded (the default)
    with transaction.atomic():
        report = YearlyReport.objects.select_for_update().get(pk=report_pk)
        if report.status != ReportStatus.RUNNING:
            return report
        YearlyReport.objects.filter(year=report.year, area_code=report.area_code, is_current=True).update(
            is_current=False)
        report.workbook.save(workbook_filename(report), ContentFile(content), save=False)
        report.figures, report.status, report.is_current = figures, ReportStatus.DONE, True
        report.progress, report.finished_at, report.error = 100, timezone.now(), ""
        report.save()
    return report


def report_fail(*, report_pk: int, error: BaseException) -> None:
    """The last attempt failed: say why on the report (the details go to the log, not to the page)."""
    logger.error("Report %s failed with %s:\n%s", report_pk, type(error).__name__,
                 "".join(traceback.format_tb(error.__traceback__)))
    YearlyReport.objects.filter(pk=report_pk, status__in=RUNNING_STATUSES).update(
        status=ReportStatus.FAILED, finished_at=timezone.now(),
        error=_("The report could not be computed (%(error)s). Try again; if it fails again, tell the portal's "
                "administrators (report #%(id)s).") % {"error": type(error).__name__, "id": report_pk})


def reports_request_scheduled(*, scope: str, year_offset: int = -1) -> list[int]:
    """What beat runs: the national report, or every province's, for the previous (or current) year."""
    year = timezone.localdate().year + year_offset
    codes = [""] if scope == "national" else list(Province.objects.order_by("code").values_list("code", flat=True))
    made = []
    for code in codes:
        try:
            made.append(report_request(user=None, year=year, area_code=code).pk)
        except ReportsUnavailable:
            logger.warning("Scheduled report %s %s not queued: broker unavailable", code or "national", year)
    return made
