"""The figures of a yearly growth report, counted from the records themselves (not the summaries).

One grouped query per kind of record and year pair, each filtered by the area's code prefix and by
dates, so a national report over millions of PMI reads each table once. The figures are plain
JSON (codes, not labels): the page and the workbook put labels on them in the reader's language.
The figures are exact; ``figures_shown`` gives them as one reader may see them (counts of persons
rounded, accounts.disclosure), for the page, the workbook and the API alike.
"""
from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear, Substr

from accounts.disclosure import count_shown
from agencies.models import Engagement
from cooperatives.models import Cooperative, CooperativeYearlyFigure
from migrants.models import MigrantWorker, Placement, Reintegration
from regions.models import District, Province, Regency
from villages.models import PROGRAM_START_YEAR, DesmigratifVillage, PillarActivity

CHILD_LENGTH = {0: 2, 2: 5, 5: 8}
SECTIONS = ("villages", "activities", "migrants", "cooperatives", "engagements")


def _within(path: str, area: str) -> Q:
    """Rows whose village (``path`` ends at a village or regency code) lies in the area."""
    return Q() if not area else Q(**{f"{path}__startswith": f"{area}."})


def _number(value) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value or 0


def _growth(now: int, before: int) -> float | None:
    return round((now - before) * 100 / before, 1) if before else None


def report_figures(*, year: int, area: str, as_of: datetime.date,
                   progress: Callable[[int], None] = lambda percent: None) -> dict:
    """Every figure of the report of ``year`` for ``area`` ('' = the country, '32', '32.09')."""
    child_length = CHILD_LENGTH[len(area)]
    figures: dict = {"year": year, "previous": year - 1, "as_of": as_of.isoformat(), "area": area,
                     "areas": {code: {"code": code, "name": name} for code, name in _children(area).items()}}
    steps = (_villages, _activities, _migrants, _cooperatives, _engagements)
    for done, step in enumerate(steps, start=1):
        step(figures, year=year, area=area, as_of=as_of, child_length=child_length)
        progress(10 + 80 * done // len(steps))
    figures["areas"] = list(figures["areas"].values())
    return figures


def _children(area: str) -> dict[str, str]:
    if not area:
        return dict(Province.objects.order_by("code").values_list("code", "name"))
    if len(area) == 2:
        return dict(Regency.objects.filter(province_id=area).order_by("code").values_list("code", "name"))
    return dict(District.objects.filter(regency_id=area).order_by("code").values_list("code", "name"))


def _add(figures: dict, child: str | None, name: str, value) -> None:
    row = figures["areas"].get(child) if child else None
    if row is not None:  # a code the region table does not hold (another edition) stays out of the table
        row[name] = row.get(name, 0) + _number(value)


def _villages(figures: dict, *, year: int, area: str, as_of: datetime.date, child_length: int) -> None:
    rows = (DesmigratifVillage.objects.filter(_within("village__code", area), year_designated__lte=year)
            .annotate(child=Substr("village_id", 1, child_length)).order_by()
            .values("year_designated", "funding_source", "child").annotate(n=Count("pk")))
    new, funding = defaultdict(int), defaultdict(int)
    for row in rows:
        new[row["year_designated"]] += row["n"]
        funding[row["funding_source"]] += row["n"]
        _add(figures, row["child"], "villages_cumulative", row["n"])
        if row["year_designated"] == year:
            _add(figures, row["child"], "villages_new", row["n"])
            funding_new = figures.setdefault("_funding_new", defaultdict(int))
            funding_new[row["funding_source"]] += row["n"]
    cumulative, per_year = 0, []
    for each in range(PROGRAM_START_YEAR, year + 1):
        cumulative += new[each]
        per_year.append({"year": each, "new": new[each], "cumulative": cumulative})
    total, before = cumulative, cumulative - new[year]
    first = new[PROGRAM_START_YEAR]
    figures["villages"] = {
        "new": new[year], "previous_new": new[year - 1], "cumulative": total, "previous_cumulative": before,
        "growth_percent": _growth(total, before), "growth_since_start": total - first, "per_year": per_year,
        "funding": dict(funding), "funding_new": dict(figures.pop("_funding_new", {})),
    }


def _activities(figures: dict, *, year: int, area: str, as_of: datetime.date, child_length: int) -> None:
    rows = (PillarActivity.objects
            .filter(_within("desmigratif_village__village__code", area),
                    date__gte=datetime.date(year - 1, 1, 1), date__lte=min(as_of, datetime.date(year, 12, 31)))
            .annotate(each=ExtractYear("date"), child=Substr("desmigratif_village__village_id", 1, child_length))
            .order_by().values("each", "pillar", "child")
            .annotate(n=Count("pk"), women=Sum("participants_women"), men=Sum("participants_men"),
                      budget=Sum("budget"), children=Sum("children_reached"), businesses=Sum("businesses_started"),
                      services=Sum("services_given")))
    pillars: dict[int, dict] = {p: defaultdict(int) for p in (1, 2, 3, 4)}
    for row in rows:
        prefix = "" if row["each"] == year else "previous_"
        figures_of = pillars[row["pillar"]]
        figures_of[f"{prefix}activities"] += row["n"]
        figures_of[f"{prefix}participants"] += row["women"] + row["men"]
        figures_of[f"{prefix}women"] += row["women"]
        figures_of[f"{prefix}men"] += row["men"]
        figures_of[f"{prefix}budget"] += _number(row["budget"])
        figures_of[f"{prefix}children_reached"] += row["children"]
        figures_of[f"{prefix}businesses_started"] += row["businesses"]
        figures_of[f"{prefix}services_given"] += row["services"]
        if row["each"] == year:
            _add(figures, row["child"], "activities", row["n"])
            _add(figures, row["child"], "participants", row["women"] + row["men"])
    names = ("activities", "participants", "women", "men", "budget", "children_reached", "businesses_started",
             "services_given")
    figures["activities"] = {
        "pillars": [{"pillar": p, **{n: values.get(n, 0) for n in names},
                     **{f"previous_{n}": values.get(f"previous_{n}", 0) for n in names}}
                    for p, values in pillars.items()],
        **{n: sum(values.get(n, 0) for values in pillars.values()) for n in names},
        **{f"previous_{n}": sum(values.get(f"previous_{n}", 0) for values in pillars.values()) for n in names},
    }


def _migrants(figures: dict, *, year: int, area: str, as_of: datetime.date, child_length: int) -> None:
    start, end = datetime.date(year - 1, 1, 1), min(as_of, datetime.date(year, 12, 31))
    registered = defaultdict(int)
    for row in (MigrantWorker.objects.filter(_within("village__code", area), registered_on__gte=start,
                                             registered_on__lte=end)
                .annotate(each=ExtractYear("registered_on"), child=Substr("village_id", 1, child_length))
                .order_by().values("each", "child").annotate(n=Count("pk"))):
        registered[row["each"]] += row["n"]
        if row["each"] == year:
            _add(figures, row["child"], "registered", row["n"])
    departures, destinations = defaultdict(int), defaultdict(lambda: defaultdict(int))
    for row in (Placement.objects.filter(_within("migrant__village__code", area), departure_date__gte=start,
                                         departure_date__lte=end)
                .annotate(each=ExtractYear("departure_date"), child=Substr("migrant__village_id", 1, child_length))
                .order_by().values("each", "destination_country", "child").annotate(n=Count("pk"))):
        departures[row["each"]] += row["n"]
        destinations[row["destination_country"]][row["each"]] += row["n"]
        if row["each"] == year:
            _add(figures, row["child"], "departed", row["n"])
    returns, reasons = defaultdict(int), defaultdict(lambda: defaultdict(int))
    for row in (Placement.objects.filter(_within("migrant__village__code", area), return_date__gte=start,
                                         return_date__lte=end)
                .annotate(each=ExtractYear("return_date"), child=Substr("migrant__village_id", 1, child_length))
                .order_by().values("each", "return_reason", "child").annotate(n=Count("pk"))):
        returns[row["each"]] += row["n"]
        reasons[row["return_reason"]][row["each"]] += row["n"]
        if row["each"] == year:
            _add(figures, row["child"], "returned", row["n"])
    reintegration = (Reintegration.objects.filter(_within("migrant__village__code", area))
                     .aggregate(recorded=Count("pk"), with_business=Count("pk", filter=Q(has_business=True)),
                                in_cooperative=Count("pk", filter=Q(is_cooperative_member=True)),
                                with_credit=Count("pk", filter=Q(has_kur_credit=True)),
                                with_bpjs=Count("pk", filter=Q(has_bpjs_ketenagakerjaan=True))))
    figures["migrants"] = {
        "registered": registered[year], "previous_registered": registered[year - 1],
        "departed": departures[year], "previous_departed": departures[year - 1],
        "returned": returns[year], "previous_returned": returns[year - 1],
        "destinations": sorted(({"code": code, "count": by_year[year], "previous": by_year[year - 1]}
                                for code, by_year in destinations.items()), key=lambda d: (-d["count"], d["code"])),
        "return_reasons": sorted(({"code": code, "count": by_year[year], "previous": by_year[year - 1]}
                                  for code, by_year in reasons.items()), key=lambda d: (-d["count"], d["code"])),
        "reintegration": reintegration,
    }


def _cooperatives(figures: dict, *, year: int, area: str, as_of: datetime.date, child_length: int) -> None:
    founded = defaultdict(int)
    for row in (Cooperative.objects.filter(_within("desmigratif_village__village__code", area),
                                           year_founded__lte=year)
                .annotate(child=Substr("desmigratif_village__village_id", 1, child_length))
                .order_by().values("year_founded", "child").annotate(n=Count("pk"))):
        founded[row["year_founded"]] += row["n"]
        _add(figures, row["child"], "cooperatives", row["n"])
    names = ("members", "members_returned_pmi", "capital", "assets", "revenue", "shu")
    by_year: dict[int, dict] = {year: defaultdict(int), year - 1: defaultdict(int)}
    for row in (CooperativeYearlyFigure.objects
                .filter(_within("cooperative__desmigratif_village__village__code", area), year__in=(year - 1, year))
                .annotate(child=Substr("cooperative__desmigratif_village__village_id", 1, child_length))
                .order_by().values("year", "child")
                .annotate(reporting=Count("pk"), **{f"total_{n}": Sum(n) for n in names})):
        by_year[row["year"]]["reporting"] += row["reporting"]
        for name in names:
            by_year[row["year"]][name] += _number(row[f"total_{name}"])
        if row["year"] == year:
            _add(figures, row["child"], "members", row["total_members"])
    total = sum(founded.values())
    figures["cooperatives"] = {
        "count": total, "previous_count": total - founded[year], "new": founded[year],
        **{name: by_year[year].get(name, 0) for name in ("reporting", *names)},
        **{f"previous_{name}": by_year[year - 1].get(name, 0) for name in ("reporting", *names)},
    }


def _engagements(figures: dict, *, year: int, area: str, as_of: datetime.date, child_length: int) -> None:
    within = Q() if not area else (Q(village__code__startswith=f"{area}.") | Q(regency__code__startswith=f"{area}.")
                                   | Q(regency__code=area))
    rows = (Engagement.objects.filter(within, year__in=(year - 1, year))
            .annotate(child=Substr(Coalesce(F("village_id"), F("regency_id")), 1, child_length))
            .order_by().values("year", "agency__acronym", "agency__name", "pillar", "child")
            .annotate(n=Count("pk"), budget=Sum("budget")))
    agencies: dict[str, dict] = {}
    count, budget, engaged = defaultdict(int), defaultdict(int), defaultdict(set)
    for row in rows:
        count[row["year"]] += row["n"]
        budget[row["year"]] += _number(row["budget"])
        engaged[row["year"]].add(row["agency__acronym"])
        if row["year"] != year:
            continue
        agency = agencies.setdefault(row["agency__acronym"], {
            "acronym": row["agency__acronym"], "name": row["agency__name"], "count": 0, "budget": 0,
            "pillars": {str(p): 0 for p in (1, 2, 3, 4)}})
        agency["count"] += row["n"]
        agency["budget"] += _number(row["budget"])
        agency["pillars"][str(row["pillar"])] += row["n"]
        if row["child"] and len(row["child"]) == child_length:
            _add(figures, row["child"], "engagements", row["n"])
    figures["engagements"] = {
        "count": count[year], "previous_count": count[year - 1], "budget": budget[year],
        "previous_budget": budget[year - 1], "agencies": len(engaged[year]),
        "previous_agencies": len(engaged[year - 1]),
        "by_agency": sorted(agencies.values(), key=lambda a: (-a["count"], a["acronym"])),
    }


# --- as a viewer sees them ----------------------------------------------------------------------------

# Where the frozen figures hold counts of persons: (section, key) and the keys of the rows of a list.
PERSON_COUNTS = {
    "migrants": ("registered", "previous_registered", "departed", "previous_departed", "returned",
                 "previous_returned"),
    "cooperatives": ("members_returned_pmi", "previous_members_returned_pmi"),
}
PERSON_COUNT_ROWS = {("migrants", "destinations"): ("count", "previous"),
                     ("migrants", "return_reasons"): ("count", "previous")}
PERSON_COUNT_AREAS = ("registered", "departed", "returned")


def figures_shown(figures: dict, *, protect: bool) -> dict:
    """The report's frozen figures as a viewer may see them (a copy): counts of persons by the rule of
    ``accounts.disclosure`` — exact, or rounded with ``<5`` (``SMALL``) for 0 to 4. A report stores the
    exact figures; each page, workbook and API answer applies the rule of its reader."""
    if not protect or not figures:
        return copy.deepcopy(figures)
    shown = copy.deepcopy(figures)

    def count(value):
        return count_shown(value, protect=True) if isinstance(value, int) else value

    for section, keys in PERSON_COUNTS.items():
        for key in keys:
            if key in shown.get(section, {}):
                shown[section][key] = count(shown[section][key])
    for (section, key), names in PERSON_COUNT_ROWS.items():
        rows = shown.get(section, {}).get(key, [])
        for row in rows:
            row.update({name: count(row.get(name, 0)) for name in names})
        # in the order of the counts as shown: the order of the exact ones would rank the cells rounded alike
        rows.sort(key=lambda row: (-(row["count"] if isinstance(row["count"], int) else 0), row["code"]))
    reintegration = shown.get("migrants", {}).get("reintegration", {})
    for key, value in reintegration.items():
        reintegration[key] = count(value)
    for row in shown.get("areas", []):
        row.update({name: count(row.get(name, 0)) for name in PERSON_COUNT_AREAS})
    return shown
