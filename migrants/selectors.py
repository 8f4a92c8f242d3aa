import re

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, Sum

from accounts.permissions import code_in_area
from accounts.scoping import area_prefix, area_q
from desmigratif.summaries import summary_rows, summary_totals
from regions.selectors import CODE_PREFIX_RE

from .choices import Stage
from .models import MigrantStageSummary, MigrantWorker, Placement, PlacementSummary, Reintegration, ReintegrationSummary
from .nik import nik_taken_message

# A run of digits is the start of a NIK (at most 16 of them).
DIGITS_RE = re.compile(r"^\d{1,16}$")


def migrant_list(*, user) -> QuerySet[MigrantWorker]:
    """The PMI the user may open: in their area, and none for a role that reads no person records
    (every door that reads PMI — pages, API, history, exports, imports, search — comes here)."""
    return MigrantWorker.objects.filter(area_q(user, "village", person_record=True)).select_related("village")


def migrant_page_list(*, user) -> QuerySet[MigrantWorker]:
    """As the list, with the district and regency the list page names beside the village."""
    return migrant_list(user=user).select_related("village__district__regency")


def migrant_detail_list(*, user) -> QuerySet[MigrantWorker]:
    """What the detail page shows: the origin up to the province, placements newest first, reintegration."""
    return (migrant_list(user=user)
            .select_related("village__district__regency__province", "reintegration")
            .prefetch_related(Prefetch("placements", queryset=Placement.objects.order_by("-departure_date", "-id"))))


def placement_list(*, user) -> QuerySet[Placement]:
    return (Placement.objects.filter(area_q(user, "migrant__village", person_record=True))
            .select_related("migrant__village"))


def reintegration_list(*, user) -> QuerySet[Reintegration]:
    return (Reintegration.objects.filter(area_q(user, "migrant__village", person_record=True))
            .select_related("migrant__village"))


def migrant_nik_taken(*, user, nik: str, exclude_pk: int | None = None, link: bool = False) -> str | None:
    """The message for a NIK another PMI already holds (None when it is free), saying of that record only
    what ``user`` may read (migrants.nik.nik_taken_message); ``exclude_pk``: the record being edited.
    ``user=None`` is a trusted system caller, as in the services."""
    taken = MigrantWorker.objects.filter(nik=nik).exclude(pk=exclude_pk)
    holder = (taken if user is None else taken.filter(area_q(user, "village"))).only("pk", "name").first()
    if holder is None and (user is None or not taken.exists()):
        return None
    return nik_taken_message(holder=holder, link=link)


def migrant_nik_taken_said(error: ValidationError, *, user, migrant: MigrantWorker,
                           link: bool = False) -> ValidationError:
    """``error`` (a full_clean() or validate_unique() of ``migrant``) with the model's word on a taken NIK,
    which names nothing since the model does not know who asks, replaced by ``migrant_nik_taken``'s for
    ``user``. Services, page forms and admin forms pass their errors through it."""
    nik_errors = getattr(error, "error_dict", {}).get("nik", [])
    if not any(item.code == "unique" for item in nik_errors):
        return error
    message = migrant_nik_taken(user=user, nik=migrant.nik, exclude_pk=migrant.pk, link=link)
    if message is not None:
        error.error_dict["nik"] = [ValidationError(message, code="nik_taken") if item.code == "unique" else item
                                   for item in nik_errors]
    return error


def search_migrants(queryset, term: str, *, prefix: str = ""):
    """PMI by NIK (a run of digits: the NIK's start), village code prefix, or words of the name.

    NIK and village code use their indexes; an ``icontains`` on the NIK would scan millions of rows.
    ``prefix`` is the path to the PMI from the queryset's model (``"migrant__"`` for placements).
    """
    term = term.strip()
    if not term:
        return queryset
    compact = term.replace(" ", "").replace("-", "")
    if DIGITS_RE.match(compact):
        return queryset.filter(**{f"{prefix}nik__startswith": compact})
    if "." in term and CODE_PREFIX_RE.match(term):
        return queryset.filter(**{f"{prefix}village__code__startswith": term})
    for word in term.split():
        queryset = queryset.filter(**{f"{prefix}name__icontains": word})
    return queryset


# --- figures for dashboards and statistics (an area is a region code prefix, '' = the country) ----------


def migrant_stage_totals(*, area: str, by: tuple[str, ...], child: bool = False, **filters) -> list[dict]:
    """PMI of ``area`` per ``by`` (registered_year, stage, gender) from the stage summary."""
    return summary_totals(MigrantStageSummary, area, by=by, measures=("count",), child=child, **filters)


def placement_totals(*, area: str, by: tuple[str, ...], child: bool = False, **filters) -> list[dict]:
    """Departures and returns of ``area`` per ``by`` (year, event, destination_country, sector, return_reason)."""
    return summary_totals(PlacementSummary, area, by=by, measures=("count",), child=child, **filters)


def reintegration_totals(*, area: str, by: tuple[str, ...], child: bool = False, **filters) -> list[dict]:
    """Returned PMI with a reintegration record, per what they have built (has_business, …)."""
    return summary_totals(ReintegrationSummary, area, by=by, measures=("count",), child=child, **filters)


# Filters of the PMI list the stage summary can count: a page's total comes from the summary instead
# of counting millions of rows (COUNT over a province's PMI takes half a second at national scale).
SUMMARY_COUNTABLE = {"area", "stage", "gender", "registered_year"}
NOT_FILTERS = {"page", "page_size", "per_page", "o", "format"}
REGION_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def migrant_count_from_summary(*, user, query) -> int | None:
    """How many PMI the list shows for these query parameters, from the stage summary — or None when a
    filter is one the summary does not hold (the list then counts its rows)."""
    names = {name for name in query if query.get(name) not in (None, "")} - NOT_FILTERS
    if not names <= SUMMARY_COUNTABLE:
        return None
    prefix = area_prefix(user, person_record=True)
    if prefix is None:
        return 0
    area = (query.get("area") or "").strip().rstrip(".")
    if area and not REGION_CODE_RE.match(area):
        return None
    if not area or (prefix and code_in_area(prefix, area)):
        area = prefix  # no area asked, or a wider one than the user's: the user's own
    elif prefix and not (area == prefix or code_in_area(area, prefix)):
        return 0  # outside the user's area: the list is empty
    filters = {}
    stages = query.getlist("stage") if hasattr(query, "getlist") else [query.get("stage")]
    stages = [stage for stage in stages if stage]
    if stages:
        if not set(stages) <= set(Stage.values):
            return None  # the FilterSet answers the wrong value
        filters["stage__in"] = stages
    if query.get("gender"):
        filters["gender"] = query["gender"]
    if query.get("registered_year"):
        if not str(query["registered_year"]).isdigit():
            return None
        filters["registered_year"] = int(query["registered_year"])
    total = summary_rows(MigrantStageSummary, area).filter(**filters).aggregate(total=Sum("count"))["total"]
    return total or 0
