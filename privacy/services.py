"""The portal's duties towards the persons in its data (UU 27/2022, DESIGN.md §2)."""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.permissions import UNMASKED_ROLES, role_of, sees_personal_data
from cooperatives.models import CooperativeMember
from cooperatives.services import cooperative_members_forget_person
from exchange.services import import_jobs_forget_person
from migrants.models import MigrantWorker, Placement, Reintegration
from migrants.nik import nik_compact
from migrants.selectors import migrant_list
from migrants.services import migrant_delete

from .choices import AccessAction, AccessDoor
from .models import PersonalDataAccess

JSON_ENCODER = DjangoJSONEncoder  # dates and decimals of an export
LOOKUP_WINDOW = datetime.timedelta(hours=24)


def personal_data_shown(*, user, persons: Mapping[int, str] | Iterable[tuple[int, str]], door: str,
                        reason: str = "") -> int:
    """Log that ``user`` was shown these persons' data unmasked (PMI id → village code), one row per person
    the user sees unmasked; persons shown masked are left out. Returns the number of rows written."""
    pairs = persons.items() if isinstance(persons, Mapping) else persons
    seen: dict[int, str] = {}
    for pk, code in pairs:
        if pk is not None and pk not in seen and sees_personal_data(user, code):
            seen[pk] = code
    PersonalDataAccess.objects.bulk_create(
        [PersonalDataAccess(user=user, migrant_id=pk, village_code=code, action=AccessAction.VIEW, door=door,
                            reason=reason) for pk, code in seen.items()], batch_size=2000)
    return len(seen)


def personal_data_viewed(*, user, migrant: MigrantWorker, door: str = AccessDoor.PAGE) -> None:
    """Record that ``user`` was shown this person's unmasked data (no-op when it was masked)."""
    personal_data_shown(user=user, persons={migrant.pk: migrant.village_id}, door=door)


# --- looking a PMI up by the whole NIK -------------------------------------------------------------------


class LookupLimitReached(PermissionDenied):
    pass


def nik_lookup_limited(user) -> bool:
    """Roles that see NIKs masked: a look-up by NIK would confirm a guessed NIK, so it is counted."""
    return role_of(user) not in UNMASKED_ROLES


def nik_lookup(*, user, nik: str) -> MigrantWorker | None:
    """The PMI of the user's area with this whole NIK, or None.

    For roles that see NIKs masked, each look-up — found or not — is logged, and at most
    ``NIK_LOOKUP_LIMIT`` are answered per 24 hours (LookupLimitReached beyond): otherwise the answer
    would confirm guess after guess of a NIK rebuilt from a person's village and birth year.
    """
    nik = nik_compact(nik or "")
    valid = len(nik) == 16 and nik.isdigit()
    if not nik_lookup_limited(user):
        return migrant_list(user=user).filter(nik=nik).first() if valid else None
    with transaction.atomic():
        # one look-up at a time per user, so that simultaneous ones cannot pass the limit together
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        since = timezone.now() - LOOKUP_WINDOW
        done = PersonalDataAccess.objects.filter(user=user, action=AccessAction.LOOKUP, at__gte=since)
        if done.count() >= settings.NIK_LOOKUP_LIMIT:
            oldest = done.order_by("at").values_list("at", flat=True).first()
            raise LookupLimitReached(
                _("Your role sees NIKs masked, so it may open at most %(limit)d PMI by NIK in 24 hours, and "
                  "that many were looked up. Try again after %(time)s, or find the person by name in the list.")
                % {"limit": settings.NIK_LOOKUP_LIMIT,
                   "time": time_format(timezone.localtime(oldest + LOOKUP_WINDOW), "H:i")})
        migrant = migrant_list(user=user).filter(nik=nik).first() if valid else None
        PersonalDataAccess.objects.create(user=user, migrant_id=migrant.pk if migrant else None,
                                          village_code=migrant.village_id if migrant else "",
                                          action=AccessAction.LOOKUP, door=AccessDoor.LIST)
    return migrant


def _ensure_admin(user) -> None:
    if role_of(user) != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator exports or erases a person's data."))


def _history(queryset) -> list[dict[str, Any]]:
    return [{"date": record.history_date, "type": record.get_history_type_display(),
             "by": str(record.history_user) if record.history_user_id else None,
             "values": model_to_dict(record.instance)} for record in queryset.order_by("history_date")]


def person_export(*, user, migrant: MigrantWorker) -> dict[str, Any]:
    """Everything the portal holds on one person, as a JSON-ready dict; the export is logged."""
    _ensure_admin(user)
    placements = list(migrant.placements.order_by("departure_date"))
    reintegration = Reintegration.objects.filter(migrant=migrant).first()
    memberships = CooperativeMember.objects.filter(migrant=migrant).select_related("cooperative")
    data = {
        "exported_at": timezone.now(),
        "person": model_to_dict(migrant) | {"nik_flags": migrant.nik_flag_labels},
        "placements": [model_to_dict(p) for p in placements],
        "reintegration": model_to_dict(reintegration) if reintegration else None,
        "cooperative_memberships": [model_to_dict(m) | {"cooperative_name": m.cooperative.name} for m in memberships],
        "history": {
            "person": _history(migrant.history.all()),
            "placements": _history(Placement.history.filter(migrant_id=migrant.pk)),
            "reintegration": _history(Reintegration.history.filter(migrant_id=migrant.pk)),
        },
        "accesses": [{"at": a.at, "user": str(a.user), "action": a.get_action_display()}
                     for a in PersonalDataAccess.objects.filter(migrant_id=migrant.pk).select_related("user")],
    }
    PersonalDataAccess.objects.create(user=user, migrant_id=migrant.pk, village_code=migrant.village_id,
                                      action=AccessAction.EXPORT, door=AccessDoor.PRIVACY)
    return data


@transaction.atomic
def person_erase(*, user, migrant: MigrantWorker, reason: str) -> None:
    """Erase a person: the record, placements, reintegration, their history, and their name where
    they were a linked cooperative member. The erasure itself is logged (by id, with the reason)."""
    _ensure_admin(user)
    if not reason.strip():
        raise PermissionDenied(_("Give the reason for the erasure (e.g. the person's request and its date)."))
    pk, village = migrant.pk, migrant.village_id
    # through the owning apps' services: versions move on, summaries are recounted
    cooperative_members_forget_person(user=user, migrant=migrant)
    import_jobs_forget_person(nik=migrant.nik, name=migrant.name)  # uploaded files, cells quoted in problems
    migrant_delete(user=user, instance=migrant)  # placements and reintegration go with it (CASCADE)
    # the history rows hold the same personal data, including the ones the deletion just wrote
    for model in (MigrantWorker, Placement, Reintegration):
        model.history.filter(**({"id": pk} if model is MigrantWorker else {"migrant_id": pk})).delete()
    CooperativeMember.history.filter(migrant_id=pk).delete()
    PersonalDataAccess.objects.create(user=user, migrant_id=pk, village_code=village, action=AccessAction.ERASE,
                                      door=AccessDoor.PRIVACY, reason=reason.strip()[:300])
