"""The PMI summaries (see ``desmigratif.summaries``): what dashboards, statistics and the API read."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count
from django.db.models.functions import ExtractYear

from desmigratif.summaries import Source, Summary

from .choices import PlacementEvent
from .models import MigrantStageSummary, MigrantWorker, Placement, PlacementSummary, Reintegration, ReintegrationSummary

STAGES = Summary(MigrantStageSummary, (
    Source(queryset=MigrantWorker.objects.all, village="village_id",
           dimensions={"registered_year": ExtractYear("registered_on"), "stage": "stage", "gender": "gender"},
           measures={"count": Count("pk")}),
))

PLACEMENTS = Summary(PlacementSummary, (
    Source(queryset=Placement.objects.all, village="migrant__village_id",
           constants={"event": PlacementEvent.DEPARTED, "return_reason": ""},
           dimensions={"year": ExtractYear("departure_date"), "destination_country": "destination_country",
                       "sector": "sector"},
           measures={"count": Count("pk")}),
    Source(queryset=lambda: Placement.objects.filter(return_date__isnull=False), village="migrant__village_id",
           constants={"event": PlacementEvent.RETURNED},
           dimensions={"return_reason": "return_reason", "year": ExtractYear("return_date"),
                       "destination_country": "destination_country", "sector": "sector"},
           measures={"count": Count("pk")}),
))

REINTEGRATIONS = Summary(ReintegrationSummary, (
    Source(queryset=Reintegration.objects.all, village="migrant__village_id",
           dimensions={name: name for name in ("has_business", "is_cooperative_member", "has_kur_credit",
                                               "has_bpjs_ketenagakerjaan")},
           measures={"count": Count("pk")}),
))

SUMMARIES = (STAGES, PLACEMENTS, REINTEGRATIONS)


def migrant_stage_summary_refresh(*, villages: Iterable[str] | None = None) -> None:
    """Recount the stage summary alone: what a new PMI, or a PMI's new name, stage or gender, changes."""
    STAGES.refresh(villages=villages)


def migrant_event_summaries_refresh(*, villages: Iterable[str] | None = None) -> None:
    """Recount the placement and reintegration summaries, which count by the PMI's village: what a PMI
    moving to another village changes besides the stage summary."""
    for summary in (PLACEMENTS, REINTEGRATIONS):
        summary.refresh(villages=villages)


def migrant_summaries_refresh(*, villages: Iterable[str] | None = None) -> None:
    """Recount the PMI summaries of these villages (None: all of them), in the caller's transaction."""
    villages = None if villages is None else set(villages)
    for summary in SUMMARIES:
        summary.refresh(villages=villages)
