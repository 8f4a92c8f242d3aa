"""The report's background work: take the id, call the service, own the retries."""
from celery import shared_task

from . import services

MAX_RETRIES = 3


@shared_task(bind=True, name="reports.build", acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES,
             soft_time_limit=15 * 60, time_limit=16 * 60)
def report_build_task(self, report_pk: int) -> str:
    """Build one report. A worker lost mid-way gives the message back to the queue (acks_late,
    reject_on_worker_lost): the next worker computes the report again from the start."""
    try:
        report = services.report_build(report_pk=report_pk)
    except Exception as error:  # the database, a timeout, a bug: try again later, then say it failed
        if self.request.retries < MAX_RETRIES and not self.request.is_eager:
            raise self.retry(exc=error, countdown=10 * 2 ** self.request.retries) from error
        services.report_fail(report_pk=report_pk, error=error)
        return "failed"
    return report.status if report else "missing"


@shared_task(name="reports.request_scheduled")
def reports_request_scheduled_task(scope: str = "national", year_offset: int = -1) -> list[int]:
    """Run by beat (see the schedules in the admin): the national or every province's report."""
    return services.reports_request_scheduled(scope=scope, year_offset=year_offset)
