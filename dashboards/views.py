from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views import View

from desmigratif.summaries import data_version

from .charts import chart_csv_response
from .forms import DashboardPeriodForm
from .presenters import Links, dashboard_charts, dashboard_sections
from .selectors import CACHE_SECONDS, area_get, area_home, dashboard_get


class DashboardView(LoginRequiredMixin, View):
    """The program at a glance for an area within the user's own; ``?csv=<chart>`` downloads a chart's data."""

    def get(self, request: HttpRequest, code: str = "") -> HttpResponse:
        if not code and area_home(request.user) and request.resolver_match.url_name != "home":
            return redirect(Links.dashboard(area_home(request.user), **request.GET.dict()))
        area = area_get(user=request.user, code=code)
        form = DashboardPeriodForm(request.GET if ("year" in request.GET or "start" in request.GET) else None)
        year, start = form.period()
        board = dashboard_get(user=request.user, area=area, year=year, first_year=start)
        if "csv" in request.GET:
            chart = dashboard_charts(board, request.user).get(request.GET["csv"])
            if chart is None:
                raise Http404
            return chart_csv_response(chart, filename=f"desmigratif-{chart.key}-{area.code or 'nasional'}-{year}.csv")
        query = {"year": year, "start": board.first_year}
        links = Links(board, request.user)
        # the body is the same for every reader of this area, period and kind of access: rendered once per
        # change of the records (its charts are most of the page's time)
        key = (f"dashboard-body:{data_version()}:{get_language()}:{area.code}:{year}:{board.first_year}:"
               f"{int(board.hide_small)}:{int(links.person_records)}")
        body = None if form.errors else cache.get(key)
        if body is None:
            body = render_to_string("dashboards/_body.html", {
                "board": board, "sections": dashboard_sections(dashboard_charts(board, request.user), query),
                "form": form, "query": query,
                "links": links, "departures_url": links.placements(departure_year_min=year, departure_year_max=year),
                "children": [{**row, "url": Links.dashboard(row["code"], **query),
                              "villages_url": links.villages(area=row["code"], year_designated_max=year),
                              "pmi_url": links.migrants(area=row["code"])} for row in board.by_child],
            }, request=request)
            if not form.errors:
                cache.set(key, body, CACHE_SECONDS)
        return render(request, "dashboards/dashboard.html",
                      {"board": board, "query": query, "body": mark_safe(body)})  # noqa: S308 - our own render
