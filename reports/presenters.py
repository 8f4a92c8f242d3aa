"""The report's page: its figures as tables (this year, the previous one, the change) and charts."""
from __future__ import annotations

from django.utils.translation import gettext as _

from dashboards.charts import Chart, Series, hide_small
from migrants.choices import Country, ReturnReason
from villages.choices import FundingSource, Pillar

from .models import YearlyReport


def _small(value):
    return hide_small(value) if isinstance(value, int) else value


def _row(label: str, now, before, *, pmi: bool = False, money: bool = False, compare=None) -> dict:
    change = now - before if isinstance(now, int | float) and isinstance(before, int | float) else None
    if pmi:
        now, before, change = _small(now), _small(before), None if (0 < abs(change or 0) < 5) else change
    return {"label": label, "now": now, "before": before, "change": change, "money": money, "compare": compare}


def report_sections(report: YearlyReport, *, compare: YearlyReport | None = None) -> list[dict]:
    f = report.figures
    other = compare.figures if compare else None

    def pick(*path):
        if other is None:
            return None
        value = other
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    year, previous = f["year"], f["previous"]
    v, a, m, c, e = f["villages"], f["activities"], f["migrants"], f["cooperatives"], f["engagements"]
    sections = [
        {"key": "villages", "title": _("Desmigratif villages"), "rows": [
            _row(_("Villages in the program (cumulative)"), v["cumulative"], v["previous_cumulative"],
                 compare=pick("villages", "cumulative")),
            _row(_("Villages designated this year"), v["new"], v["previous_new"], compare=pick("villages", "new")),
            *[_row(str(source.label), v["funding"].get(source.value, 0), None) for source in FundingSource],
        ], "note": _("Growth against %(previous)s: %(growth)s%%; %(since)s villages added since 2016.") % {
            "previous": previous, "growth": v["growth_percent"] if v["growth_percent"] is not None else "—",
            "since": v["growth_since_start"]},
         "charts": [Chart("report-villages", _("Desmigratif villages per year"), "bar",
                          [str(row["year"]) for row in v["per_year"]],
                          [Series(_("New villages"), [row["new"] for row in v["per_year"]]),
                           Series(_("Cumulative"), [row["cumulative"] for row in v["per_year"]])],
                          unit=_("villages"), category_label=_("Year"))]},
        {"key": "activities", "title": _("The four pillars"), "rows": [
            _row(_("Activities"), a["activities"], a["previous_activities"], compare=pick("activities", "activities")),
            _row(_("Participants"), a["participants"], a["previous_participants"]),
            _row(_("Budget (Rp)"), a["budget"], a["previous_budget"], money=True),
            *[_row(str(Pillar(p["pillar"]).label), p["activities"], p["previous_activities"]) for p in a["pillars"]],
        ], "charts": [Chart("report-pillars", _("Activities per pillar"), "bar",
                            [str(Pillar(p["pillar"]).label) for p in a["pillars"]],
                            [Series(str(previous), [p["previous_activities"] for p in a["pillars"]]),
                             Series(str(year), [p["activities"] for p in a["pillars"]])],
                            unit=_("activities"), category_label=_("Pillar"))]},
        {"key": "migrants", "title": _("Migrant workers (PMI)"), "rows": [
            _row(_("Registered"), m["registered"], m["previous_registered"], pmi=True,
                 compare=pick("migrants", "registered")),
            _row(_("Departed"), m["departed"], m["previous_departed"], pmi=True, compare=pick("migrants", "departed")),
            _row(_("Returned"), m["returned"], m["previous_returned"], pmi=True, compare=pick("migrants", "returned")),
            _row(_("Returnees with a business"), m["reintegration"]["with_business"], None, pmi=True),
            _row(_("Returnees in a cooperative"), m["reintegration"]["in_cooperative"], None, pmi=True),
            *[_row(str(ReturnReason(r["code"]).label) if r["code"] in ReturnReason.values else r["code"],
                   r["count"], r["previous"], pmi=True) for r in m["return_reasons"]],
        ], "charts": [Chart("report-destinations", _("Departures by destination"), "hbar",
                            [str(Country(d["code"]).label) if d["code"] in Country.values else d["code"]
                             for d in m["destinations"]],
                            [Series(str(previous), [_small(d["previous"]) for d in m["destinations"]]),
                             Series(str(year), [_small(d["count"]) for d in m["destinations"]])],
                            unit="PMI", category_label=_("Destination country"))]},
        {"key": "cooperatives", "title": _("Cooperatives"), "rows": [
            _row(_("Cooperatives"), c["count"], c["previous_count"], compare=pick("cooperatives", "count")),
            _row(_("Members"), c["members"], c["previous_members"], compare=pick("cooperatives", "members")),
            _row(_("of whom returned PMI"), c["members_returned_pmi"], c["previous_members_returned_pmi"], pmi=True),
            _row(_("Capital (Rp)"), c["capital"], c["previous_capital"], money=True),
            _row(_("Revenue (Rp)"), c["revenue"], c["previous_revenue"], money=True),
            _row(_("Surplus (SHU, Rp)"), c["shu"], c["previous_shu"], money=True),
        ], "charts": []},
        {"key": "engagements", "title": _("Collaborating agencies"), "rows": [
            _row(_("Agencies engaged"), e["agencies"], e["previous_agencies"], compare=pick("engagements", "agencies")),
            _row(_("Engagements"), e["count"], e["previous_count"]),
            _row(_("Budget (Rp)"), e["budget"], e["previous_budget"], money=True),
            *[_row(agency["acronym"], agency["count"], None) for agency in e["by_agency"]],
        ], "charts": []},
    ]
    areas = [row for row in f["areas"] if row.get("villages_cumulative") or row.get("registered")
             or row.get("departed")]
    sections.append({"key": "areas", "title": _("By area"), "rows": [], "areas": f["areas"], "charts": [
        Chart("report-areas", _("Desmigratif villages by area"), "hbar", [row["name"] for row in areas][:25],
              [Series(_("Villages"), [row.get("villages_cumulative", 0) for row in areas][:25])],
              unit=_("villages"), category_label=_("Area"))] if areas else []})
    return sections
