"""Rebuilding the summary tables from the records (after a bulk load, or to repair them)."""
from __future__ import annotations

from celery import shared_task
from django.db import transaction

from cooperatives.summaries import COOPERATIVES
from migrants.summaries import SUMMARIES as MIGRANT_SUMMARIES
from villages.summaries import ACTIVITIES

SUMMARIES = (*MIGRANT_SUMMARIES, ACTIVITIES, COOPERATIVES)


def summaries_rebuild() -> dict[str, int]:
    """Count every summary again from scratch, each in one transaction; rows per table."""
    rows = {}
    for summary in SUMMARIES:
        with transaction.atomic():
            summary.refresh()
        rows[summary.model._meta.label] = summary.model.objects.count()
    return rows


@shared_task(name="dashboards.rebuild_summaries", acks_late=True, soft_time_limit=1800, time_limit=2000)
def rebuild_summaries_task() -> dict[str, int]:
    return summaries_rebuild()
