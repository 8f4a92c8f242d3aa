"""Write the access log of the persons an answer showed unmasked (UU 27/2022).

The policy's ``accounts.personal_data.shown`` notes, on the request, each PMI whose personal data it
hands out in full — from a template tag, a serializer or the history tab — and this middleware writes
one ``PersonalDataAccess`` row per person when the answer leaves, in one query. A door is logged by
showing data through the policy, not by remembering to log.
"""
from __future__ import annotations

from accounts.personal_data import shown_persons

from .choices import AccessDoor
from .services import personal_data_shown


def door_of(request) -> str:
    door = getattr(request, "personal_data_door", "")
    if door:
        return door
    match = getattr(request, "resolver_match", None)
    namespaces = set(match.namespaces) if match else set()
    if "api" in namespaces:
        return AccessDoor.API
    if "admin" in namespaces:
        return AccessDoor.ADMIN
    if match and match.url_name == "record_history":
        return AccessDoor.HISTORY
    return AccessDoor.PAGE


class PersonalDataAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        persons = shown_persons(request)
        user = getattr(request, "user", None)
        if persons and user is not None and user.is_authenticated and response.status_code < 400:
            personal_data_shown(user=user, persons=persons, door=door_of(request))
        return response
