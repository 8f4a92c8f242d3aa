"""The pillar-activity summary (see ``desmigratif.summaries``)."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from desmigratif.summaries import Source, Summary

from .models import ActivitySummary, PillarActivity

ACTIVITIES = Summary(ActivitySummary, (
    Source(queryset=PillarActivity.objects.all, village="desmigratif_village__village_id",
           dimensions={"year": ExtractYear("date"), "pillar": "pillar", "kind": "kind"},
           measures={"activities": Count("pk"), **{name: Sum(name) for name in (
               "participants_women", "participants_men", "services_given", "businesses_started",
               "children_reached", "budget")}}),
))


def activity_summaries_refresh(*, villages: Iterable[str] | None = None) -> None:
    """Recount the activity summary of these villages (None: all), in the caller's transaction."""
    ACTIVITIES.refresh(villages=None if villages is None else set(villages))
