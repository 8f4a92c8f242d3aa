from django.db.models import QuerySet

from .models import ImportJob


def import_job_list(*, user) -> QuerySet[ImportJob]:
    """A user's own imports: an import holds the uploader's file and problems, which no one else needs."""
    if not user or not user.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user=user).defer("problems")


def import_job_detail_list(*, user) -> QuerySet[ImportJob]:
    return import_job_list(user=user).defer(None)
