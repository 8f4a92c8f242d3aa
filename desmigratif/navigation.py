"""The portal's menu: what each role may use, and nothing else.

An entry whose page does not exist yet (its URL name does not resolve) is left out.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_read_person_records, can_write


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    needs: str = "read"  # "read": every signed-in role; "person": readers of person records; "write"


MENU = [
    NavEntry(_("Overview"), "home"),
    NavEntry(_("Desmigratif villages"), "villages:desmigratifvillage_list"),
    NavEntry(_("Pillar activities"), "villages:pillaractivity_list"),
    NavEntry(_("Migrant workers (PMI)"), "migrants:migrantworker_list", "person"),
    NavEntry(_("Cooperatives"), "cooperatives:cooperative_list"),
    NavEntry(_("Agencies"), "agencies:agency_list"),
    NavEntry(_("Agency engagements"), "agencies:engagement_list"),
    NavEntry(_("Imports"), "exchange:import_list", "write"),
]


def menu_for(request) -> list[dict]:
    user = request.user
    allowed = {"read": True, "person": can_read_person_records(user), "write": can_write(user)}
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
    """Context processor: ``menu`` for signed-in users."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(request)}
