from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When

from accounts.scoping import area_q
from desmigratif.summaries import summary_totals
from migrants.models import MigrantWorker
from migrants.selectors import migrant_list

from .models import Cooperative, CooperativeMember, CooperativeSummary, CooperativeYearlyFigure


def cooperative_list(*, user) -> QuerySet[Cooperative]:
    return (Cooperative.objects.filter(area_q(user, "desmigratif_village__village"))
            .select_related("desmigratif_village__village"))


def cooperative_table_list(*, user) -> QuerySet[Cooperative]:
    """As the list, with the regency and the figures of the latest book year for the list page.

    The latest figures come from subqueries (one row each), so the page stays one query for any size.
    """
    latest = CooperativeYearlyFigure.objects.filter(cooperative=OuterRef("pk")).order_by("-year")
    return (cooperative_list(user=user)
            .select_related("desmigratif_village__village__district__regency")
            .annotate(latest_year=Subquery(latest.values("year")[:1]),
                      latest_members=Subquery(latest.values("members")[:1]),
                      latest_shu=Subquery(latest.values("shu")[:1])))


def cooperative_detail_list(*, user) -> QuerySet[Cooperative]:
    """As the list, with what the detail page shows: the region names, figures and members."""
    return (cooperative_list(user=user)
            .select_related("desmigratif_village__village__district__regency__province")
            .prefetch_related(
                Prefetch("yearly_figures", queryset=CooperativeYearlyFigure.objects.order_by("-year")),
                # the linked PMI is shown by name only: its NIK is never read for this page
                Prefetch("members", queryset=CooperativeMember.objects.select_related("migrant")
                         .only("id", "cooperative_id", "name", "is_returned_pmi", "joined_on",
                               "migrant__id", "migrant__name", "migrant__stage").order_by("name", "id")),
            ))


def cooperative_member_list(*, user) -> QuerySet[CooperativeMember]:
    return (CooperativeMember.objects.filter(area_q(user, "cooperative__desmigratif_village__village",
                                                    person_record=True))
            .select_related("cooperative__desmigratif_village__village", "migrant"))


def cooperative_yearly_figure_list(*, user) -> QuerySet[CooperativeYearlyFigure]:
    return (CooperativeYearlyFigure.objects.filter(area_q(user, "cooperative__desmigratif_village__village"))
            .select_related("cooperative__desmigratif_village__village"))


MIGRANT_SEARCH_LIMIT = 20


def member_migrant_search(*, user, term: str, village_code: str = "",
                          limit: int = MIGRANT_SEARCH_LIMIT) -> list[MigrantWorker]:
    """PMI records a member can be linked to: in the user's area, by NIK prefix or name.

    A NIK prefix needs 4 digits and a name 3 letters; PMI of the cooperative's own village come first.
    """
    term = " ".join((term or "").split())
    queryset = migrant_list(user=user)
    if term.isdigit() and len(term) >= 4:
        queryset = queryset.filter(nik__startswith=term)
    elif len(term) >= 3 and not term.isdigit():
        condition = Q()
        for word in term.split():
            condition &= Q(name__icontains=word)
        queryset = queryset.filter(condition)
    else:
        return []
    own_village_first = Case(When(village_id=village_code, then=Value(0)), default=Value(1),
                             output_field=IntegerField())
    return list(queryset.order_by(own_village_first, "name", "id")[:limit])


# --- figures for dashboards and statistics (an area is a region code prefix, '' = the country) ----------

COOPERATIVE_MEASURES = ("cooperatives", "members", "members_returned_pmi", "capital", "assets", "revenue", "shu")


def cooperative_figure_totals(*, area: str, by: tuple[str, ...], child: bool = False, **filters) -> list[dict]:
    """The yearly figures of the cooperatives of ``area`` added up per ``by`` from the cooperative summary."""
    return summary_totals(CooperativeSummary, area, by=by, child=child, measures=COOPERATIVE_MEASURES, **filters)


def cooperative_totals(*, area: str) -> dict:
    """Cooperatives recorded in ``area``: all, active, and founded per year (a few thousand rows: one query)."""
    rows = Cooperative.objects.order_by()
    if area:
        rows = rows.filter(desmigratif_village__village__code__startswith=f"{area}." if len(area) < 13 else area)
    found = list(rows.values("is_active", "year_founded").annotate(n=Count("pk")))
    founded: dict[int, int] = {}
    for row in found:
        founded[row["year_founded"]] = founded.get(row["year_founded"], 0) + row["n"]
    return {"total": sum(r["n"] for r in found), "active": sum(r["n"] for r in found if r["is_active"]),
            "founded": founded}
