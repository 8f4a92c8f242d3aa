"""The history tab of a record: who changed what, when, from what to what (django-simple-history).

A record's history is shown to whoever may open the record: it is looked up through the same
selector as its page (whose scoping keeps person records from the roles that read none), and a
deleted record by the same rule (``accounts.scoping.area_prefix``). The values of personal fields are
shown as the personal-data policy says (accounts.personal_data), as on the record's page; showing them
unmasked is logged.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from operator import attrgetter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from accounts.permissions import code_in_area
from accounts.personal_data import is_personal, masked_value, note_shown, sees_unmasked
from accounts.scoping import area_prefix

MAX_ENTRIES = 200


@dataclass(frozen=True)
class Tracked:
    selector: str  # dotted path of the selector giving the records the user may open
    village_code: str  # attribute path from the record to its village code
    person_record: bool = False  # read only by the roles that read person records


TRACKED = {
    "villages.desmigratifvillage": Tracked("villages.selectors.desmigratif_village_list", "village_id"),
    "villages.pillaractivity": Tracked("villages.selectors.pillar_activity_list",
                                       "desmigratif_village.village_id"),
    "migrants.migrantworker": Tracked("migrants.selectors.migrant_list", "village_id", person_record=True),
    "migrants.placement": Tracked("migrants.selectors.placement_list", "migrant.village_id", person_record=True),
    "cooperatives.cooperative": Tracked("cooperatives.selectors.cooperative_list",
                                        "desmigratif_village.village_id"),
    "agencies.engagement": Tracked("agencies.selectors.engagement_list", "area_code"),
}


def _display(obj, field, value, *, masked: bool) -> str:
    if value in (None, ""):
        return "—"
    if masked and is_personal(obj, field.name):
        return str(masked_value(obj, field.name, value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def history_rows(obj, *, user, request=None) -> list[dict]:
    """Newest first: each save with its author, kind, and the fields it changed (old → new)."""
    masked = not sees_unmasked(user, obj)
    shows_personal = False
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")
                   [:MAX_ENTRIES + 1])
    rows = []
    for index, record in enumerate(records[:MAX_ENTRIES]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            for change in record.diff_against(older).changes:
                field = obj._meta.get_field(change.field)
                shows_personal = shows_personal or is_personal(obj, field.name)
                changes.append({"field": field.verbose_name,
                                "old": _display(obj, field, change.old, masked=masked),
                                "new": _display(obj, field, change.new, masked=masked)})
        rows.append({"date": record.history_date, "user": record.history_user,
                     "kind": record.get_history_type_display(), "changes": changes,
                     # a change whose earlier state was never recorded (data loaded in bulk)
                     "complete": older is not None or record.history_type == "+"})
    if shows_personal and not masked:
        note_shown(request, obj)  # the access log: personal values shown in full
    return rows


def deleted_record(tracked: Tracked, model, pk: int, *, user):
    """A deleted record as its last history row left it, if it lay in the user's area."""
    last = model.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    if last is None or last.history_type != "-":
        return None
    # the rule of the record's selector: the user's area, none at all for person records a role does not read
    prefix = area_prefix(user, person_record=tracked.person_record)
    obj = last.instance
    try:
        code = attrgetter(tracked.village_code)(obj) or ""
    except ObjectDoesNotExist:
        return None
    # a national record (no area) is readable by everyone who reads the kind of record
    return obj if (code_in_area(code, prefix) or (not code and prefix is not None)) else None


@require_GET
@login_required
def record_history(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    """The history of a record the user may open, or of a deleted one that lay in their area."""
    tracked = TRACKED.get(label)
    if tracked is None:
        raise Http404
    selector = import_string(tracked.selector)
    obj = selector(user=request.user).filter(pk=pk).first()
    deleted = obj is None
    if deleted:
        obj = deleted_record(tracked, selector(user=request.user).model, pk, user=request.user)
        if obj is None:
            raise Http404
    return render(request, "portal/history.html", {"object": obj, "deleted": deleted,
                                                   "rows": history_rows(obj, user=request.user, request=request),
                                                   "limit": MAX_ENTRIES})
