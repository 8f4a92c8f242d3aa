"""Writes of Desmigratif villages, their officers and the pillar activities, each within the user's area."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.permissions import ensure_can_write_in

from .models import DesmigratifVillage, FieldOfficer, PillarActivity


def _apply(instance, fields: dict[str, Any]):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def desmigratif_village_create(*, user, village, **fields: Any) -> DesmigratifVillage:
    """Designate a village into the program."""
    ensure_can_write_in(user, village.code)
    return _apply(DesmigratifVillage(village=village), fields)


@transaction.atomic
def desmigratif_village_update(*, user, instance: DesmigratifVillage, **fields: Any) -> DesmigratifVillage:
    ensure_can_write_in(user, instance.village_id)
    if "village" in fields:
        ensure_can_write_in(user, fields["village"].code)
    return _apply(instance, fields)


@transaction.atomic
def desmigratif_village_delete(*, user, instance: DesmigratifVillage) -> None:
    """Remove a village from the program; refused (ProtectedError) while it has activities or cooperatives."""
    ensure_can_write_in(user, instance.village_id)
    instance.delete()


@transaction.atomic
def pillar_activity_create(*, user, desmigratif_village: DesmigratifVillage, **fields: Any) -> PillarActivity:
    ensure_can_write_in(user, desmigratif_village.village_id)
    return _apply(PillarActivity(desmigratif_village=desmigratif_village), fields)


@transaction.atomic
def pillar_activity_update(*, user, instance: PillarActivity, **fields: Any) -> PillarActivity:
    ensure_can_write_in(user, instance.desmigratif_village.village_id)
    if "desmigratif_village" in fields:
        ensure_can_write_in(user, fields["desmigratif_village"].village_id)
    return _apply(instance, fields)


@transaction.atomic
def pillar_activity_delete(*, user, instance: PillarActivity) -> None:
    ensure_can_write_in(user, instance.desmigratif_village.village_id)
    instance.delete()


@transaction.atomic
def field_officer_create(*, user, desmigratif_village: DesmigratifVillage, **fields: Any) -> FieldOfficer:
    ensure_can_write_in(user, desmigratif_village.village_id)
    return _apply(FieldOfficer(desmigratif_village=desmigratif_village), fields)


@transaction.atomic
def field_officer_update(*, user, instance: FieldOfficer, **fields: Any) -> FieldOfficer:
    ensure_can_write_in(user, instance.desmigratif_village.village_id)
    return _apply(instance, fields)


@transaction.atomic
def field_officer_delete(*, user, instance: FieldOfficer) -> None:
    ensure_can_write_in(user, instance.desmigratif_village.village_id)
    instance.delete()
