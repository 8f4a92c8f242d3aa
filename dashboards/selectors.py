"""What the dashboards (and the statistics API) show for an area and a year.

Every figure comes from the domain apps' summary selectors (or their small program tables), a
fixed number of queries whatever the size of the data. Counts of persons (PMI, and the returned
PMI among cooperative members) are shown by ``accounts.disclosure``'s rule: rounded to the nearest
10, and ``<5`` for 0 to 4, to users who do not serve the area (UU 27/2022: a small count in a small
area can identify someone). The rule is applied here, once per board, so that the pages, the charts,
their CSV and the statistics API show the same figures; everything derived from a count (a growth,
an order) is computed from the count as shown.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.disclosure import Small, count_rounding, count_shown, growth_shown, hides_small_counts
from accounts.permissions import code_in_area
from accounts.scoping import area_prefix
from agencies.selectors import engagement_totals
from cooperatives.selectors import cooperative_figure_totals, cooperative_totals
from desmigratif.summaries import data_version
from migrants.choices import PROSPECTIVE_STAGES, Country, PlacementEvent, ReturnReason, Stage
from migrants.selectors import migrant_stage_totals, placement_totals, reintegration_totals
from regions.models import District, Province, Regency, Village
from villages.choices import FundingSource, Pillar
from villages.models import PROGRAM_START_YEAR
from villages.selectors import activity_totals, program_village_totals

LEVELS = {0: "national", 2: "province", 5: "regency", 8: "district", 13: "village"}
CHILD_LENGTH = {0: 2, 2: 5, 5: 8, 8: 13}
LEVEL_NAMES = {"national": _("National"), "province": _("Province"), "regency": _("Regency / city"),
               "district": _("District"), "village": _("Village")}


# --- the area ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    code: str  # '' for the country
    name: str
    level: str
    trail: tuple[tuple[str, str], ...] = ()  # (code, name) of the areas above it, from the country down

    @property
    def child_length(self) -> int | None:
        return CHILD_LENGTH.get(len(self.code))

    @property
    def child_level(self) -> str | None:
        return LEVELS.get(self.child_length) if self.child_length else None


def area_home(user) -> str:
    """The area a user's dashboard opens on: their own ('' = the country)."""
    prefix = area_prefix(user)
    if prefix is None:
        raise Http404
    return prefix


def area_get(*, user, code: str) -> Area:
    """The area ``code`` if it lies within the user's own; 404 otherwise (an area outside is not named)."""
    prefix = area_prefix(user)
    code = (code or "").strip().rstrip(".")
    if prefix is None or len(code) not in LEVELS or not (code == prefix or code_in_area(code, prefix)):
        raise Http404
    country = ("", str(_("Indonesia")))
    if not code:
        return Area(code="", name=country[1], level="national")
    if len(code) == 2:
        region, above = Province.objects.filter(code=code).first(), []
    elif len(code) == 5:
        region = Regency.objects.select_related("province").filter(code=code).first()
        above = [region.province] if region else []
    elif len(code) == 8:
        region = District.objects.select_related("regency__province").filter(code=code).first()
        above = [region.regency.province, region.regency] if region else []
    else:
        region = Village.objects.select_related("district__regency__province").filter(code=code).first()
        above = [region.district.regency.province, region.district.regency, region.district] if region else []
    if region is None:
        raise Http404
    return Area(code=code, name=region.name, level=LEVELS[len(code)],
                trail=(country, *((r.code, r.name) for r in above)))


def area_children(area: Area) -> dict[str, str]:
    """Code → name of the areas one level down (one query; none below a village)."""
    if area.level == "village":
        return {}
    model, parent = {"national": (Province, None), "province": (Regency, "province_id"),
                     "regency": (District, "regency_id"), "district": (Village, "district_id")}[area.level]
    rows = model.objects.order_by("code")
    if parent:
        rows = rows.filter(**{parent: area.code})
    return dict(rows.values_list("code", "name"))


# --- the figures ------------------------------------------------------------------------------------


def _growth(now, before) -> float | None:
    """Percent change from ``before`` to ``now`` (None when there is nothing to compare with, or either is ``<5``)."""
    return growth_shown(now, before)


@dataclass
class Dashboard:
    area: Area
    year: int
    first_year: int
    hide_small: bool  # counts of persons are shown rounded (accounts.disclosure)
    children: dict[str, str] = field(default_factory=dict)
    villages: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)
    migrants: dict = field(default_factory=dict)
    cooperatives: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    by_child: list[dict] = field(default_factory=list)

    @property
    def count_rounding(self) -> int:
        """What the counts of persons are rounded to: 10, or 1 where they are exact."""
        return count_rounding(protect=self.hide_small)

    @property
    def previous(self) -> int:
        return self.year - 1

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.year + 1))


CACHE_SECONDS = 24 * 60 * 60  # the data version (not the time) decides when a figure is stale


def dashboard_get(*, user, area: Area, year: int, first_year: int = PROGRAM_START_YEAR) -> Dashboard:
    """Everything a dashboard shows for ``area`` in ``year`` (series from ``first_year``).

    Cached under the program data's version: the figures of an area are computed once per change
    of the records, whoever asks next (the cache key holds everything the figures depend on).
    Labels are stored translated, one board per language: a lazy translation costs a fraction of a
    millisecond to unpickle, and a board holds dozens of them.
    """
    hide_small = hides_small_counts(user, area.code)
    first_year = max(PROGRAM_START_YEAR, min(first_year, year))
    key = f"dashboard:{data_version()}:{get_language()}:{area.code}:{year}:{first_year}:{int(hide_small)}"
    board = cache.get(key)
    if board is None:
        board = _dashboard_compute(area=area, year=year, first_year=first_year, hide_small=hide_small)
        for name in ("villages", "activities", "migrants", "cooperatives", "agencies"):
            setattr(board, name, _translated(getattr(board, name)))
        cache.set(key, board, CACHE_SECONDS)
    return board


def _translated(value):
    """``value`` with every lazy translation in it turned into the text of the active language."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _translated(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_translated(item) for item in value]
    return value


def _dashboard_compute(*, area: Area, year: int, first_year: int, hide_small: bool) -> Dashboard:
    board = Dashboard(area=area, year=year, first_year=first_year, hide_small=hide_small,
                      children=area_children(area))
    children: dict[str, dict] = {code: {"code": code, "name": name} for code, name in board.children.items()}
    board.villages = _villages(board, children)
    board.activities = _activities(board, children)
    board.migrants = _migrants(board, children)
    board.cooperatives = _cooperatives(board, children)
    board.agencies = _agencies(board)
    board.by_child = list(children.values())
    return board


def _child_row(children: dict[str, dict], code: str | None) -> dict | None:
    # a summary row of a code the region table does not know (a newer edition) is left out of the table
    return children.get(code) if code else None


def _villages(board: Dashboard, children: dict[str, dict]) -> dict:
    rows = program_village_totals(area=board.area.code, by=("year_designated", "funding_source", "regency"),
                                  child_length=board.area.child_length)
    new = defaultdict(int)
    funding = defaultdict(int)
    provinces, regencies = set(), set()
    for row in rows:
        new[row["year_designated"]] += row["villages"]
        if row["year_designated"] <= board.year:
            funding[row["funding_source"]] += row["villages"]
            regencies.add(row["regency"])
            provinces.add(row["regency"][:2])
            child = _child_row(children, row.get("child"))
            if child is not None:
                child["villages"] = child.get("villages", 0) + row["villages"]
                if row["year_designated"] == board.year:
                    child["new_villages"] = child.get("new_villages", 0) + row["villages"]
    cumulative, per_year = 0, []
    for year in range(PROGRAM_START_YEAR, board.year + 1):
        cumulative += new[year]
        if year >= board.first_year:
            per_year.append({"year": year, "new": new[year], "cumulative": cumulative})
    total = sum(n for year, n in new.items() if year <= board.year)
    before = total - new[board.year]
    return {
        "total": total, "new": new[board.year], "previous_total": before, "previous_new": new[board.previous],
        "growth": _growth(total, before), "since_start": total - new[PROGRAM_START_YEAR],
        "provinces": len(provinces), "regencies": len(regencies), "per_year": per_year,
        "funding": [{"code": source.value, "label": source.label, "villages": funding[source.value]}
                    for source in FundingSource],
    }


def _activities(board: Dashboard, children: dict[str, dict]) -> dict:
    rows = activity_totals(area=board.area.code, by=("year", "pillar"), child=board.area.child_length is not None,
                           year__gte=min(board.first_year, board.previous), year__lte=board.year)
    per_pillar = {(year, pillar): defaultdict(int) for year in (board.year, board.previous) for pillar in Pillar.values}
    per_year = {year: defaultdict(int) for year in board.years}
    for row in rows:
        if (row["year"], row["pillar"]) in per_pillar:
            figures = per_pillar[row["year"], row["pillar"]]
            for name in ("activities", "participants_women", "participants_men", "services_given",
                         "businesses_started", "children_reached", "budget"):
                figures[name] += row[name]
        if row["year"] in per_year:
            per_year[row["year"]][row["pillar"]] += row["activities"]
        child = _child_row(children, row.get("child"))
        if child is not None and row["year"] == board.year:
            child["activities"] = child.get("activities", 0) + row["activities"]
            child["participants"] = child.get("participants", 0) + row["participants_women"] + row["participants_men"]

    def total(year: int, name: str) -> int | Decimal:
        return sum(per_pillar[year, pillar][name] for pillar in Pillar.values)

    def summary(year: int) -> dict:
        women, men = total(year, "participants_women"), total(year, "participants_men")
        return {"activities": total(year, "activities"), "participants": women + men, "women": women, "men": men,
                **{name: total(year, name) for name in ("services_given", "businesses_started", "children_reached",
                                                        "budget")}}

    pillars = []
    for pillar in Pillar:
        now, before = per_pillar[board.year, pillar.value], per_pillar[board.previous, pillar.value]
        pillars.append({"pillar": pillar.value, "label": pillar.label, "activities": now["activities"],
                        "participants": now["participants_women"] + now["participants_men"],
                        "previous_activities": before["activities"],
                        "previous_participants": before["participants_women"] + before["participants_men"],
                        "budget": now["budget"]})
    return {"year": summary(board.year), "previous": summary(board.previous), "pillars": pillars,
            "per_year": [{"year": year, **{f"pillar_{p}": per_year[year][p] for p in Pillar.values}}
                         for year in board.years]}


def _migrants(board: Dashboard, children: dict[str, dict]) -> dict:
    hide, code, with_children = board.hide_small, board.area.code, board.area.child_length is not None
    stages, genders, registered = defaultdict(int), defaultdict(int), defaultdict(int)
    for row in migrant_stage_totals(area=code, by=("registered_year", "stage", "gender"), child=with_children):
        stages[row["stage"]] += row["count"]
        genders[row["gender"]] += row["count"]
        registered[row["registered_year"]] += row["count"]
        child = _child_row(children, row.get("child"))
        if child is not None:
            child["pmi"] = child.get("pmi", 0) + row["count"]
            if row["stage"] == Stage.ABROAD:
                child["abroad"] = child.get("abroad", 0) + row["count"]
    flows = {(year, event): 0 for year in board.years for event in PlacementEvent.values}
    for row in placement_totals(area=code, by=("year", "event"), child=with_children,
                                year__gte=board.first_year, year__lte=board.year):
        flows[row["year"], row["event"]] = flows.get((row["year"], row["event"]), 0) + row["count"]
        child = _child_row(children, row.get("child"))
        if child is not None and row["year"] == board.year:
            child[row["event"]] = child.get(row["event"], 0) + row["count"]
    destinations, reasons = defaultdict(int), defaultdict(int)
    for row in placement_totals(area=code, by=("year", "event", "destination_country", "return_reason"),
                                year__in=(board.previous, board.year)):
        if row["event"] == PlacementEvent.DEPARTED:
            destinations[row["year"], row["destination_country"]] += row["count"]
        else:
            reasons[row["year"], row["return_reason"]] += row["count"]
    reintegration = defaultdict(int)
    for row in reintegration_totals(area=code, by=("has_business", "is_cooperative_member", "has_kur_credit",
                                                   "has_bpjs_ketenagakerjaan")):
        reintegration["recorded"] += row["count"]
        for name in ("has_business", "is_cooperative_member", "has_kur_credit", "has_bpjs_ketenagakerjaan"):
            if row[name]:
                reintegration[name] += row["count"]
    def shown(count: int) -> int | Small:
        return count_shown(count, protect=hide)

    for child in children.values():
        for name in ("pmi", "abroad", "departed", "returned"):
            child[name] = shown(child.get(name, 0))

    def order(country: str) -> tuple:
        # by the count as shown, then the code: an order by the exact count would rank the cells it rounds
        count = shown(destinations[board.year, country])
        return (-(count if isinstance(count, int) else 0), country)

    countries = sorted({c for (_year, c) in destinations}, key=order)
    departed = flows.get((board.year, PlacementEvent.DEPARTED), 0)
    returned = flows.get((board.year, PlacementEvent.RETURNED), 0)
    previous_departed = sum(destinations[board.previous, c] for c in countries)
    previous_returned = sum(n for (year, _reason), n in reasons.items() if year == board.previous)

    return {
        "total": shown(sum(stages.values())),
        "stages": [{"stage": s.value, "label": s.label, "count": shown(stages[s.value])} for s in Stage],
        "prospective": shown(sum(stages[s] for s in PROSPECTIVE_STAGES)),
        "abroad": shown(stages[Stage.ABROAD]), "returned": shown(stages[Stage.RETURNED]),
        "women": shown(genders["F"]), "men": shown(genders["M"]),
        "departed": shown(departed), "returned_in_year": shown(returned),
        "previous_departed": shown(previous_departed), "previous_returned": shown(previous_returned),
        # from the counts as shown: a growth of the exact ones would give them away
        "departed_growth": _growth(shown(departed), shown(previous_departed)),
        "registered_per_year": [{"year": year, "count": shown(registered[year])} for year in board.years],
        "flows_per_year": [{"year": year, "departed": shown(flows[year, PlacementEvent.DEPARTED]),
                            "returned": shown(flows[year, PlacementEvent.RETURNED])} for year in board.years],
        "destinations": [{"code": c, "label": Country(c).label if c in Country.values else c,
                          "count": shown(destinations[board.year, c]),
                          "previous": shown(destinations[board.previous, c])} for c in countries],
        "return_reasons": [{"code": r.value, "label": r.label, "count": shown(reasons[board.year, r.value]),
                            "previous": shown(reasons[board.previous, r.value])} for r in ReturnReason],
        "reintegration": {name: shown(reintegration[name]) for name in (
            "recorded", "has_business", "is_cooperative_member", "has_kur_credit", "has_bpjs_ketenagakerjaan")},
    }


def _cooperatives(board: Dashboard, children: dict[str, dict]) -> dict:
    hide = board.hide_small
    per_year: dict[int, dict] = {}
    for row in cooperative_figure_totals(area=board.area.code, by=("year",),
                                         child=board.area.child_length is not None, year__lte=board.year):
        figures = per_year.setdefault(row["year"], defaultdict(int))
        for name in ("cooperatives", "members", "members_returned_pmi", "capital", "assets", "revenue", "shu"):
            figures[name] += row[name]
        child = _child_row(children, row.get("child"))
        if child is not None and row["year"] == board.year:
            child["members"] = child.get("members", 0) + row["members"]
    counts = cooperative_totals(area=board.area.code)

    def of(year: int) -> dict:
        figures = dict(per_year.get(year) or {})
        figures.setdefault("members", 0)
        figures["members_returned_pmi"] = count_shown(figures.get("members_returned_pmi", 0), protect=hide)
        return {name: figures.get(name, 0) for name in (
            "cooperatives", "members", "members_returned_pmi", "capital", "assets", "revenue", "shu")}

    founded_by = sum(n for year, n in counts["founded"].items() if year <= board.year)
    return {"total": counts["total"], "active": counts["active"], "founded_by_year": founded_by,
            "year": of(board.year), "previous": of(board.previous),
            "per_year": [{"year": year, **of(year)} for year in board.years]}


def _agencies(board: Dashboard) -> dict:
    rows = engagement_totals(area=board.area.code, years=(board.previous, board.year))
    agencies: dict[int, dict] = {}
    engaged = {board.year: set(), board.previous: set()}
    for row in rows:
        engaged[row["year"]].add(row["agency_id"])
        if row["year"] != board.year:
            continue
        agency = agencies.setdefault(row["agency_id"], {
            "id": row["agency_id"], "acronym": row["agency__acronym"], "name": row["agency__name"],
            "pillars": dict.fromkeys(Pillar.values, 0), "engagements": 0, "budget": Decimal(0)})
        agency["pillars"][row["pillar"]] += row["engagements"]
        agency["engagements"] += row["engagements"]
        agency["budget"] += row["budget"] or 0
    matrix = sorted(agencies.values(), key=lambda a: (-a["engagements"], a["acronym"]))
    return {"engaged": len(engaged[board.year]), "previous_engaged": len(engaged[board.previous]),
            "engagements": sum(a["engagements"] for a in matrix),
            "budget": sum((a["budget"] for a in matrix), Decimal(0)),
            "pillars": [{"pillar": p.value, "label": p.label} for p in Pillar],
            "matrix": matrix}
