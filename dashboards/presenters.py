"""The charts of a dashboard, with the link behind each number where the user may open that list."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can_read_person_records

from .charts import Chart, Series, Small
from .selectors import Dashboard


class Links:
    """Addresses of the filtered lists behind the figures of one area (None where the user may not go)."""

    def __init__(self, board: Dashboard, user):
        self.area = board.area.code
        self.person_records = can_read_person_records(user)

    def _url(self, name: str, *, area: str | None = None, **params) -> str:
        area = self.area if area is None else area
        query = {"area": area, **params} if area else params
        query = {key: value for key, value in query.items() if value not in (None, "")}
        return reverse(name) + (f"?{urlencode(query)}" if query else "")

    def villages(self, **params) -> str:
        return self._url("villages:desmigratifvillage_list", **params)

    def activities(self, **params) -> str:
        return self._url("villages:pillaractivity_list", **params)

    def migrants(self, **params) -> str | None:
        return self._url("migrants:migrantworker_list", **params) if self.person_records else None

    def placements(self, **params) -> str | None:
        return self._url("migrants:placement_list", **params) if self.person_records else None

    def cooperatives(self, **params) -> str:
        return self._url("cooperatives:cooperative_list", **params)

    def engagements(self, **params) -> str:
        return self._url("agencies:engagement_list", **params)

    @staticmethod
    def dashboard(code: str, **params) -> str:
        url = reverse("dashboards:area", args=[code]) if code else reverse("dashboards:national")
        return url + (f"?{urlencode(params)}" if params else "")


def _years(board: Dashboard) -> list[str]:
    return [str(year) for year in board.years]


def dashboard_charts(board: Dashboard, user) -> dict[str, Chart]:
    """Every chart of the dashboard by key (the key also names its CSV download)."""
    links = Links(board, user)
    year, previous = board.year, board.previous
    this, before = str(year), str(previous)
    villages, activities, migrants = board.villages, board.activities, board.migrants
    cooperatives, agencies = board.cooperatives, board.agencies
    charts = [
        Chart("villages-per-year", _("Desmigratif villages designated per year"), "bar", _years(board),
              [Series(_("New villages"), [row["new"] for row in villages["per_year"]])],
              links=[links.villages(year_designated_min=row["year"], year_designated_max=row["year"])
                     for row in villages["per_year"]],
              unit=_("villages"), category_label=_("Year")),
        Chart("villages-cumulative", _("Desmigratif villages, cumulative"), "line", _years(board),
              [Series(_("All villages"), [row["cumulative"] for row in villages["per_year"]])],
              links=[links.villages(year_designated_max=row["year"]) for row in villages["per_year"]],
              unit=_("villages"), category_label=_("Year")),
        Chart("funding", _("Villages by funding source, %(year)s") % {"year": year}, "hbar",
              [row["label"] for row in villages["funding"]],
              [Series(_("Villages"), [row["villages"] for row in villages["funding"]])],
              links=[links.villages(funding_source=row["code"], year_designated_max=year)
                     for row in villages["funding"]],
              unit=_("villages"), category_label=_("Funding source")),
        Chart("pillars", _("Activities per pillar, %(year)s against %(previous)s") % {"year": year,
                                                                                     "previous": previous},
              "bar", [row["label"] for row in activities["pillars"]],
              [Series(before, [row["previous_activities"] for row in activities["pillars"]]),
               Series(this, [row["activities"] for row in activities["pillars"]])],
              links=[links.activities(pillar=row["pillar"], year=year) for row in activities["pillars"]],
              unit=_("activities"), category_label=_("Pillar")),
        Chart("participants", _("Participants per pillar, %(year)s against %(previous)s") % {
            "year": year, "previous": previous}, "bar", [row["label"] for row in activities["pillars"]],
              [Series(before, [row["previous_participants"] for row in activities["pillars"]]),
               Series(this, [row["participants"] for row in activities["pillars"]])],
              links=[links.activities(pillar=row["pillar"], year=year) for row in activities["pillars"]],
              unit=_("participants"), category_label=_("Pillar")),
        Chart("activities-per-year", _("Activities per year and pillar"), "stacked", _years(board),
              [Series(row["label"], [per_year[f"pillar_{row['pillar']}"] for per_year in activities["per_year"]])
               for row in activities["pillars"]],
              links=[links.activities(year=row["year"]) for row in activities["per_year"]],
              unit=_("activities"), category_label=_("Year")),
        Chart("stages", _("PMI by stage"), "hbar", [row["label"] for row in migrants["stages"]],
              [Series(_("PMI"), [row["count"] for row in migrants["stages"]])],
              links=[links.migrants(stage=row["stage"]) for row in migrants["stages"]],
              unit="PMI", category_label=_("Stage")),
        Chart("flows", _("Departures and returns per year"), "bar", _years(board),
              [Series(_("Departures"), [row["departed"] for row in migrants["flows_per_year"]]),
               Series(_("Returns"), [row["returned"] for row in migrants["flows_per_year"]])],
              links=[links.placements(departure_year_min=row["year"], departure_year_max=row["year"])
                     for row in migrants["flows_per_year"]],
              unit="PMI", category_label=_("Year")),
        Chart("destinations", _("Departures by destination, %(year)s against %(previous)s") % {
            "year": year, "previous": previous}, "hbar", [row["label"] for row in migrants["destinations"]],
              [Series(before, [row["previous"] for row in migrants["destinations"]]),
               Series(this, [row["count"] for row in migrants["destinations"]])],
              links=[links.placements(destination_country=row["code"], departure_year_min=year,
                                      departure_year_max=year) for row in migrants["destinations"]],
              unit="PMI", category_label=_("Destination country")),
        Chart("return-reasons", _("Returns by reason, %(year)s against %(previous)s") % {
            "year": year, "previous": previous}, "hbar", [row["label"] for row in migrants["return_reasons"]],
              [Series(before, [row["previous"] for row in migrants["return_reasons"]]),
               Series(this, [row["count"] for row in migrants["return_reasons"]])],
              links=[links.placements(return_reason=row["code"], return_year_min=year, return_year_max=year)
                     for row in migrants["return_reasons"]],
              unit="PMI", category_label=_("Return reason")),
        Chart("registered", _("PMI registered per year"), "bar", _years(board),
              [Series(_("Registered"), [row["count"] for row in migrants["registered_per_year"]])],
              links=[links.migrants(registered_year=row["year"]) for row in migrants["registered_per_year"]],
              unit="PMI", category_label=_("Year")),
        _reintegration_chart(board, links),
        Chart("cooperative-members", _("Cooperative members per year"), "bar", _years(board),
              [Series(_("Members"), [row["members"] for row in cooperatives["per_year"]]),
               Series(_("of whom returned PMI"), [row["members_returned_pmi"] for row in cooperatives["per_year"]])],
              links=[links.cooperatives() for _row in cooperatives["per_year"]],
              unit=_("members"), category_label=_("Year")),
        Chart("cooperative-money", _("Cooperatives' capital, revenue and surplus per year"), "bar", _years(board),
              [Series(_("Capital"), [row["capital"] for row in cooperatives["per_year"]]),
               Series(_("Revenue"), [row["revenue"] for row in cooperatives["per_year"]]),
               Series(_("Surplus (SHU)"), [row["shu"] for row in cooperatives["per_year"]])],
              money=True, category_label=_("Year")),
        Chart("agencies", _("Engagements per agency and pillar, %(year)s") % {"year": year}, "stacked",
              [row["acronym"] for row in agencies["matrix"]],
              [Series(pillar["label"], [row["pillars"][pillar["pillar"]] for row in agencies["matrix"]])
               for pillar in agencies["pillars"]],
              links=[links.engagements(agency=row["id"], year_min=year, year_max=year) for row in agencies["matrix"]],
              unit=_("engagements"), category_label=_("Agency")),
    ]
    charts += _children_charts(board, links)
    return {chart.key: chart for chart in charts}


def _reintegration_chart(board: Dashboard, links: Links) -> Chart:
    figures = board.migrants["reintegration"]
    rows = [(_("Returnees with a reintegration record"), "recorded"), (_("Started a business"), "has_business"),
            (_("Cooperative member"), "is_cooperative_member"), (_("Bank / KUR credit"), "has_kur_credit"),
            (_("BPJS Ketenagakerjaan member"), "has_bpjs_ketenagakerjaan")]
    return Chart("reintegration", _("Returned PMI: what they have built since"), "hbar", [label for label, _n in rows],
                 [Series(_("PMI"), [figures[name] for _label, name in rows])],
                 links=[links.migrants(stage="returned") for _row in rows], unit="PMI",
                 category_label=_("Reintegration"))


def _sort_key(value) -> int:
    # a hidden count sorts as a small one, without saying which
    return 2 if isinstance(value, Small) else (value or 0)


def _children_charts(board: Dashboard, links: Links) -> list[Chart]:
    if not board.by_child:
        return []
    level = {"province": _("Province"), "regency": _("Regency / city"), "district": _("District"),
             "village": _("Village")}[board.area.child_level]
    charts = []
    for key, title, field, unit in (
            ("child-villages", _("Desmigratif villages by %(level)s, %(year)s"), "villages", _("villages")),
            ("child-pmi", _("PMI by %(level)s of origin"), "pmi", "PMI")):
        rows = sorted((row for row in board.by_child if row.get(field)), key=lambda r: -_sort_key(r.get(field)))[:20]
        charts.append(Chart(
            key, title % {"level": str(level).lower(), "year": board.year}, "hbar", [row["name"] for row in rows],
            [Series(str(unit), [row.get(field, 0) for row in rows])],
            links=[links.dashboard(row["code"], year=board.year) for row in rows], unit=str(unit),
            category_label=str(level),
            note=_("The 20 largest; the table below lists every %(level)s.") % {"level": str(level).lower()}
            if len([r for r in board.by_child if r.get(field)]) > 20 else ""))
    return charts


SECTIONS = (
    ("villages", gettext_lazy("Desmigratif villages"), ("villages-per-year", "villages-cumulative", "funding")),
    ("pillars", gettext_lazy("The four pillars"), ("pillars", "participants", "activities-per-year")),
    ("pmi", gettext_lazy("Migrant workers (PMI)"), ("stages", "flows", "destinations", "return-reasons", "registered",
                                            "reintegration")),
    ("cooperatives", gettext_lazy("Cooperatives"), ("cooperative-members", "cooperative-money")),
    ("agencies", gettext_lazy("Collaborating agencies"), ("agencies",)),
    ("areas", gettext_lazy("By area"), ("child-villages", "child-pmi")),
)


def dashboard_sections(charts: dict[str, Chart], query: dict) -> list[dict]:
    """The dashboard's sections in order, each chart with the address of its CSV download."""
    return [{"key": key, "title": title,
             "items": [{"chart": charts[name], "csv_url": "?" + urlencode({**query, "csv": name})}
                       for name in names if name in charts]}
            for key, title, names in SECTIONS]
