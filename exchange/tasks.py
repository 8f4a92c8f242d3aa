"""Background steps of large imports. They take the job id and call the same services as the request."""
from celery import shared_task

from . import services
from .models import ImportJob


@shared_task(name="exchange.import_job_check")
def import_job_check_task(job_id: int) -> str:
    """The dry run of a large file."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return services.import_job_check(job=job, task=True).status


@shared_task(name="exchange.import_job_write")
def import_job_write_task(job_id: int) -> str:
    """The confirmed write of a large file (all or nothing)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return services.import_job_write(job=job, task=True).status


@shared_task(name="exchange.import_files_purge")
def import_files_purge_task() -> dict:
    """Daily (Celery beat, schedule in exchange/migrations/0008): delete uploads kept past their retention."""
    return services.import_files_purge()
