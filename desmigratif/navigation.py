"""The portal's menu: what each role may use, and nothing else.

An entry whose page does not exist yet (its URL name does not resolve) is left out.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from accounts.permissions import can_read_person_records
from exchange.resources import importable_for


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    # "read": every signed-in role; "person": readers of person records; "import": roles that import
    needs: str = "read"


# Short labels: the menu must fit one line on an office laptop, in Indonesian too.
MENU = [
    NavEntry(pgettext_lazy("menu", "Dashboard"), "dashboards:national"),
    NavEntry(pgettext_lazy("menu", "Reports"), "reports:yearlyreport_list"),
    NavEntry(pgettext_lazy("menu", "Villages"), "villages:desmigratifvillage_list"),
    NavEntry(pgettext_lazy("menu", "Activities"), "villages:pillaractivity_list"),
    NavEntry(pgettext_lazy("menu", "PMI"), "migrants:migrantworker_list", "person"),
    NavEntry(pgettext_lazy("menu", "Cooperatives"), "cooperatives:cooperative_list"),
    NavEntry(pgettext_lazy("menu", "Agencies"), "agencies:agency_list"),
    NavEntry(pgettext_lazy("menu", "Engagements"), "agencies:engagement_list"),
    NavEntry(pgettext_lazy("menu", "Import/export"), "exchange:import_list", "import"),
]


def menu_for(request) -> list[dict]:
    user = request.user
    allowed = {"read": True, "person": can_read_person_records(user), "import": bool(importable_for(user))}
    entries = []
    for entry in MENU:
        if not allowed[entry.needs]:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": entry.label, "url": url, "active": False})
    # the entry whose address is the longest start of the page's is the current one
    matching = [e for e in entries
                if request.path == e["url"] or (e["url"] != "/" and request.path.startswith(e["url"]))]
    if matching:
        max(matching, key=lambda e: len(e["url"]))["active"] = True
    return entries


def navigation(request) -> dict:
    """Context processor: ``menu`` for signed-in users; ``admin_site``: whether the Django admin admits
    them (administrators only: accounts.admin.admin_site_admits)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"menu": [], "admin_site": False}
    return {"menu": menu_for(request), "admin_site": admin.site.has_permission(request)}
