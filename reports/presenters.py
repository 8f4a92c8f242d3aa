"""The report's page: its figures as tables (this year, the previous one, the change) and charts.

The page shows the figures as its reader may see them (``figures_shown``: counts of persons rounded
for readers who do not serve the area); a change is the difference of the figures as shown."""
from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.disclosure import difference_shown
from dashboards.charts import Chart, Series
from migrants.choices import Country, ReturnReason
from villages.choices import FundingSource, Pillar

from .figures import figures_shown
from .models import YearlyReport


def _row(label: str, now, before, *, money: bool = False, compare=None) -> dict:
    return {"label": label, "now": now, "before": before, "change": difference_shown(now, before), "money": money,
            "compare": compare}


def report_sections(report: YearlyReport, *, protect: bool, compare: YearlyReport | None = None) -> list[dict]:
    """The page's sections; ``protect``: the reader sees counts of persons rounded (accounts.disclosure)."""
    f = figures_shown(report.figures, protect=protect)
    other = figures_shown(compare.figures, protect=protect) if compare else None

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
            _row(_("Registered"), m["registered"], m["previous_registered"],
                 compare=pick("migrants", "registered")),
            _row(_("Departed"), m["departed"], m["previous_departed"], compare=pick("migrants", "departed")),
            _row(_("Returned"), m["returned"], m["previous_returned"], compare=pick("migrants", "returned")),
            _row(_("Returnees with a business"), m["reintegration"]["with_business"], None),
            _row(_("Returnees in a cooperative"), m["reintegration"]["in_cooperative"], None),
            *[_row(str(ReturnReason(r["code"]).label) if r["code"] in ReturnReason.values else r["code"],
                   r["count"], r["previous"]) for r in m["return_reasons"]],
        ], "charts": [Chart("report-destinations", _("Departures by destination"), "hbar",
                            [str(Country(d["code"]).label) if d["code"] in Country.values else d["code"]
                             for d in m["destinations"]],
                            [Series(str(previous), [d["previous"] for d in m["destinations"]]),
                             Series(str(year), [d["count"] for d in m["destinations"]])],
                            unit="PMI", category_label=_("Destination country"))]},
        {"key": "cooperatives", "title": _("Cooperatives"), "rows": [
            _row(_("Cooperatives"), c["count"], c["previous_count"], compare=pick("cooperatives", "count")),
            _row(_("Members"), c["members"], c["previous_members"], compare=pick("cooperatives", "members")),
            _row(_("of whom returned PMI"), c["members_returned_pmi"], c["previous_members_returned_pmi"]),
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
    areas = [row for row in f["areas"] if row.get("villages_cumulative")]
    sections.append({"key": "areas", "title": _("By area"), "rows": [], "areas": f["areas"], "charts": [
        Chart("report-areas", _("Desmigratif villages by area"), "hbar", [row["name"] for row in areas][:25],
              [Series(_("Villages"), [row.get("villages_cumulative", 0) for row in areas][:25])],
              unit=_("villages"), category_label=_("Area"))] if areas else []})
    return sections
