"""``{% program_totals %}``: the key totals of the user's area on the admin's index page."""
from django import template
from django.http import Http404
from django.utils import timezone

from dashboards.selectors import area_get, area_home, dashboard_get

register = template.Library()


@register.inclusion_tag("admin/_program_totals.html", takes_context=True)
def program_totals(context) -> dict:
    user = context["request"].user
    try:
        area = area_get(user=user, code=area_home(user))
    except Http404:  # a staff account without an area sees no program figures
        return {"board": None}
    return {"board": dashboard_get(user=user, area=area, year=timezone.localdate().year - 1)}
