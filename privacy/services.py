"""The portal's duties towards the persons in its data (UU 27/2022, DESIGN.md §2)."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.permissions import role_of, sees_personal_data
from cooperatives.models import CooperativeMember
from migrants.models import MigrantWorker, Placement, Reintegration
from migrants.summaries import migrant_summaries_refresh

from .choices import AccessAction
from .models import PersonalDataAccess

JSON_ENCODER = DjangoJSONEncoder  # dates and decimals of an export


def personal_data_viewed(*, user, migrant: MigrantWorker) -> None:
    """Record that ``user`` was shown this person's unmasked data (no-op when it was masked)."""
    if sees_personal_data(user, migrant.village_id):
        PersonalDataAccess.objects.create(user=user, migrant_id=migrant.pk, village_code=migrant.village_id,
                                          action=AccessAction.VIEW)


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
                                      action=AccessAction.EXPORT)
    return data


@transaction.atomic
def person_erase(*, user, migrant: MigrantWorker, reason: str) -> None:
    """Erase a person: the record, placements, reintegration, their history, and their name where
    they were a linked cooperative member. The erasure itself is logged (by id, with the reason)."""
    _ensure_admin(user)
    if not reason.strip():
        raise PermissionDenied(_("Give the reason for the erasure (e.g. the person's request and its date)."))
    pk, village = migrant.pk, migrant.village_id
    CooperativeMember.objects.filter(migrant=migrant).update(name=_("(erased)"), migrant=None)
    migrant.delete()  # placements and reintegration go with it (CASCADE)
    migrant_summaries_refresh(villages=[village])
    # the history rows hold the same personal data, including the ones the deletion just wrote
    for model in (MigrantWorker, Placement, Reintegration):
        model.history.filter(**({"id": pk} if model is MigrantWorker else {"migrant_id": pk})).delete()
    CooperativeMember.history.filter(migrant_id=pk).delete()
    PersonalDataAccess.objects.create(user=user, migrant_id=pk, village_code=village, action=AccessAction.ERASE,
                                      reason=reason.strip()[:300])
