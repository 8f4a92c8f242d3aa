from django.db.models import Count, Q, QuerySet, Sum

from accounts.scoping import area_prefix

from .choices import EngagementLevel
from .models import Agency, Engagement

REGENCY_CODE_LENGTH = len("32.09")


def agency_list(*, user) -> QuerySet[Agency]:
    """The agencies: a reference table every signed-in user reads."""
    if area_prefix(user) is None:
        return Agency.objects.none()
    return Agency.objects.select_related("successor")


def engagement_area_q(user) -> Q:
    """Engagements a user reads: national ones, those within the user's area, and those of the regency
    the user's area lies in (a village officer reads the engagements of their regency).
    """
    prefix = area_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    condition = (Q(level=EngagementLevel.NATIONAL) | Q(village__code__startswith=prefix)
                 | Q(regency__code__startswith=prefix))
    if len(prefix) > REGENCY_CODE_LENGTH:  # a district or village: its regency's engagements too
        condition |= Q(regency__code=prefix[:REGENCY_CODE_LENGTH])
    return condition


def engagement_list(*, user) -> QuerySet[Engagement]:
    return Engagement.objects.filter(engagement_area_q(user)).select_related("agency", "regency", "village")


def engagement_counts_by_agency(*, user) -> dict[int, int]:
    """How many engagements of each agency the user reads (counts never reach outside the area)."""
    return dict(engagement_list(user=user).order_by().values_list("agency").annotate(n=Count("pk")))


# --- figures for dashboards and statistics ------------------------------------------------------------


def engagement_in_area_q(area: str) -> Q:
    """Engagements counted in an area's figures: every one nationally; within a region, those of its
    regencies and villages (national engagements belong to the national figures only)."""
    if not area:
        return Q()
    if len(area) >= len("32.09.14.2004"):
        return Q(village__code=area)
    within = Q(village__code__startswith=f"{area}.")
    if len(area) <= REGENCY_CODE_LENGTH:
        within |= Q(regency__code=area) | Q(regency__code__startswith=f"{area}.")
    return within


def engagement_totals(*, area: str, years: tuple[int, ...]) -> list[dict]:
    """Engagements of ``area`` in ``years`` per year × agency × pillar: count and budget (one query)."""
    return list(Engagement.objects.filter(engagement_in_area_q(area), year__in=years).order_by()
                .values("year", "agency_id", "agency__acronym", "agency__name", "pillar")
                .annotate(engagements=Count("pk"), budget=Sum("budget")))
