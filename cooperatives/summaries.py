"""The cooperative summary (see ``desmigratif.summaries``)."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Sum

from desmigratif.summaries import Source, Summary

from .models import CooperativeSummary, CooperativeYearlyFigure

COOPERATIVES = Summary(CooperativeSummary, (
    Source(queryset=CooperativeYearlyFigure.objects.all, village="cooperative__desmigratif_village__village_id",
           dimensions={"year": "year"},
           measures={"cooperatives": Count("pk"), **{name: Sum(name) for name in (
               "members", "members_returned_pmi", "capital", "assets", "revenue", "shu")}}),
))


def cooperative_summaries_refresh(*, villages: Iterable[str] | None = None) -> None:
    """Recount the cooperative summary of these villages (None: all), in the caller's transaction."""
    COOPERATIVES.refresh(villages=None if villages is None else set(villages))
