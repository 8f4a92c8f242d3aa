"""Writes of Desmigratif villages, their officers and the pillar activities, each within the user's area."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import ensure_can_write_in
from desmigratif.versioning import versioned_save, versioned_write

from .models import DesmigratifVillage, FieldOfficer, PillarActivity
from .summaries import activity_summaries_refresh


@transaction.atomic
def desmigratif_village_create(*, user, village, **fields: Any) -> DesmigratifVillage:
    """Designate a village into the program."""
    ensure_can_write_in(user, village.code)
    return versioned_save(DesmigratifVillage(village=village), fields)


@transaction.atomic
def desmigratif_village_update(*, user, instance: DesmigratifVillage, expected_version: int | None = None,
                               **fields: Any) -> DesmigratifVillage:
    """Edit a program village; ``expected_version``: the version the user started from (see
    desmigratif.versioning), refused with StaleRecordError when someone saved it since."""
    stored = DesmigratifVillage.objects.filter(pk=instance.pk).values_list("village_id", flat=True).first()
    ensure_can_write_in(user, stored or instance.village_id)
    if "village" in fields:
        ensure_can_write_in(user, fields["village"].code)
        if stored and fields["village"].code != stored and _has_records(instance):
            # the activities and cooperatives were done in the designated village, and its figures
            # count them there: a wrong village is corrected before anything is recorded in it
            raise ValidationError({"village": _("This program village already has activities or cooperatives: "
                                                "its village cannot be changed.")})
    return versioned_save(instance, fields, expected_version=expected_version)


def _has_records(instance: DesmigratifVillage) -> bool:
    return instance.activities.exists() or instance.cooperatives.exists()


@transaction.atomic
def desmigratif_village_delete(*, user, instance: DesmigratifVillage) -> None:
    """Remove a village from the program; refused (ProtectedError) while it has activities or cooperatives."""
    ensure_can_write_in(user, instance.village_id)
    instance.delete()


@transaction.atomic
def pillar_activity_create(*, user, desmigratif_village: DesmigratifVillage, **fields: Any) -> PillarActivity:
    ensure_can_write_in(user, desmigratif_village.village_id)
    activity = versioned_save(PillarActivity(desmigratif_village=desmigratif_village), fields)
    activity_summaries_refresh(villages=[desmigratif_village.village_id])
    return activity


@transaction.atomic
def pillar_activity_update(*, user, instance: PillarActivity, expected_version: int | None = None,
                           **fields: Any) -> PillarActivity:
    stored = (PillarActivity.objects.filter(pk=instance.pk)
              .values_list("desmigratif_village__village_id", flat=True).first())
    ensure_can_write_in(user, stored or instance.desmigratif_village.village_id)
    if "desmigratif_village" in fields:
        ensure_can_write_in(user, fields["desmigratif_village"].village_id)
    if versioned_write(instance, fields, expected_version=expected_version):
        activity_summaries_refresh(villages=[stored, instance.desmigratif_village.village_id])
    return instance


@transaction.atomic
def pillar_activity_delete(*, user, instance: PillarActivity) -> None:
    village_code = instance.desmigratif_village.village_id
    ensure_can_write_in(user, village_code)
    instance.delete()
    activity_summaries_refresh(villages=[village_code])


@transaction.atomic
def field_officer_create(*, user, desmigratif_village: DesmigratifVillage, **fields: Any) -> FieldOfficer:
    ensure_can_write_in(user, desmigratif_village.village_id)
    return versioned_save(FieldOfficer(desmigratif_village=desmigratif_village), fields)


@transaction.atomic
def field_officer_update(*, user, instance: FieldOfficer, expected_version: int | None = None,
                         **fields: Any) -> FieldOfficer:
    ensure_can_write_in(user, instance.desmigratif_village.village_id)
    if "desmigratif_village" in fields:  # moved to another program village (the admin's form offers it)
        ensure_can_write_in(user, fields["desmigratif_village"].village_id)
    return versioned_save(instance, fields, expected_version=expected_version)


@transaction.atomic
def field_officer_delete(*, user, instance: FieldOfficer) -> None:
    ensure_can_write_in(user, instance.desmigratif_village.village_id)
    instance.delete()
