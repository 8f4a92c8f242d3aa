from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Substr

from accounts.scoping import area_q
from desmigratif.summaries import summary_totals

from .models import ActivitySummary, DesmigratifVillage, FieldOfficer, PillarActivity


def desmigratif_village_list(*, user) -> QuerySet[DesmigratifVillage]:
    return (DesmigratifVillage.objects.filter(area_q(user, "village"))
            .select_related("village__district__regency__province"))


def desmigratif_village_detail_list(*, user) -> QuerySet[DesmigratifVillage]:
    """As the list, with what the detail page shows: officers and counts of what hangs on it."""
    return (desmigratif_village_list(user=user)
            .prefetch_related(Prefetch("officers", queryset=FieldOfficer.objects.order_by("name")))
            .annotate(activity_count=Count("activities", distinct=True),
                      cooperative_count=Count("cooperatives", distinct=True)))


def pillar_activity_list(*, user) -> QuerySet[PillarActivity]:
    return (PillarActivity.objects.filter(area_q(user, "desmigratif_village__village"))
            .select_related("desmigratif_village__village", "partner_agency"))


def field_officer_list(*, user) -> QuerySet[FieldOfficer]:
    return (FieldOfficer.objects.filter(area_q(user, "desmigratif_village__village"))
            .select_related("desmigratif_village__village"))


# --- figures for dashboards and statistics (an area is a region code prefix, '' = the country) ----------


def program_village_totals(*, area: str, by: tuple[str, ...], child_length: int | None = None) -> list[dict]:
    """Desmigratif villages of ``area`` counted per ``by`` (and per ``child`` code of that length);
    ``by`` may name ``regency``, the code of the village's regency.

    The program table holds a few thousand rows nationally: counted directly, one query.
    """
    rows = DesmigratifVillage.objects.order_by()
    if area:
        rows = rows.filter(village__code__startswith=f"{area}." if len(area) < 13 else area)
    if "regency" in by:
        rows = rows.annotate(regency=Substr("village_id", 1, len("32.09")))
    if child_length:
        rows = rows.annotate(child=Substr("village_id", 1, child_length))
        by = ("child", *by)
    return list(rows.values(*by).annotate(villages=Count("pk")))


def activity_totals(*, area: str, by: tuple[str, ...], child: bool = False, **filters) -> list[dict]:
    """Pillar activities of ``area`` added up per ``by`` from the activity summary."""
    return summary_totals(ActivitySummary, area, by=by, child=child, measures=ACTIVITY_MEASURES, **filters)


ACTIVITY_MEASURES = ("activities", "participants_women", "participants_men", "services_given",
                     "businesses_started", "children_reached", "budget")
