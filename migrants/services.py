"""Writes of PMI records. Every page, import, API call, admin action and task comes here.

The stage of a PMI moves only along ``TRANSITIONS``; departing opens a placement and returning
closes it, in the same transaction, so stage and placements never disagree.

Every write takes the ``user`` it is done for and refuses (PermissionDenied) a village outside
that user's area; ``user=None`` is kept for trusted system callers (demo loader, tests of the rules).
"""
from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import ensure_can_write_in
from desmigratif.versioning import StaleRecordError, versioned_save, versioned_write

from .choices import Stage
from .models import MigrantWorker, Placement, Reintegration
from .selectors import migrant_nik_taken_said
from .summaries import PLACEMENTS, REINTEGRATIONS, STAGES, SUMMARIES

TRANSITIONS: dict[str, set[str]] = {
    Stage.REGISTERED: {Stage.VERIFIED},
    Stage.VERIFIED: {Stage.IN_TRAINING, Stage.READY},
    Stage.IN_TRAINING: {Stage.READY},
    Stage.READY: {Stage.ABROAD},
    Stage.ABROAD: {Stage.RETURNED},
    # a returnee who wants to leave again starts over with a fresh registration
    Stage.RETURNED: {Stage.REGISTERED},
}
# Fields of the person a plain edit may change; the stage and NIK flags are not among them.
EDITABLE_FIELDS = ("nik", "name", "gender", "birth_date", "village", "address", "education",
                   "marital_status", "phone")
# What a correction of a placement may change: the departure and return are stage events.
PLACEMENT_EDITABLE_FIELDS = ("destination_country", "sector", "job", "scheme", "p3mi_name", "contract_end_date")


def _ensure_area(user, *village_codes: str) -> None:
    """Refuse (PermissionDenied) unless ``user`` may write in every one of these villages.

    ``user=None`` is a trusted caller acting for the system (the demo loader, management commands,
    tests of the rules); every page, import and API call passes the signed-in user.
    """
    if user is None:
        return
    for code in village_codes:
        ensure_can_write_in(user, code)


def _village_code(fields: dict[str, Any]) -> str | None:
    if fields.get("village") is not None:
        return fields["village"].code
    return fields.get("village_id")


def _refresh(summaries, *village_codes: str | None) -> None:
    """Recount, in the service's transaction, the summaries these villages' figures are in."""
    for summary in summaries:
        summary.refresh(villages=village_codes)


def _today() -> datetime.date:
    return timezone.localdate()


def migrant_check_stage_change(*, migrant: MigrantWorker, to_stage: str, on: datetime.date | None = None) -> None:
    """Raise ValidationError if ``migrant`` may not move to ``to_stage`` (on the date ``on``).

    The services below call it under a row lock; forms call it to show a refusal on the form.
    """
    if to_stage not in TRANSITIONS.get(migrant.stage, set()):
        raise ValidationError({"stage": _("A PMI cannot go from “%(from)s” to “%(to)s”.") % {
            "from": Stage(migrant.stage).label, "to": Stage(to_stage).label}})
    if on is None:
        return
    if on < migrant.stage_changed_on:
        raise ValidationError({"date": _("The date cannot be before the last change of stage (%(date)s).")
                               % {"date": migrant.stage_changed_on.strftime("%d/%m/%Y")}})
    if on > _today():
        raise ValidationError({"date": _("The date cannot be in the future.")})


def migrant_may_have_reintegration(migrant: MigrantWorker) -> bool:
    """Whether what ``migrant`` did since coming home may be recorded or changed: returned PMI only.

    A reintegration belongs to the stay at home that follows a return; once the PMI is registered
    again for a new departure, the record is history. Pages, API, admin and import all ask here
    (directly, or through ``migrant_check_reintegration`` and ``reintegration_record``).
    """
    return migrant.stage == Stage.RETURNED


def migrant_check_reintegration(*, migrant: MigrantWorker) -> None:
    """Raise ValidationError unless ``migrant`` may have their reintegration recorded (see above)."""
    if not migrant_may_have_reintegration(migrant):
        raise ValidationError(_("Reintegration is recorded for returned PMI only: this PMI is at the stage "
                                "“%(stage)s”.") % {"stage": Stage(migrant.stage).label}, code="not_returned")


@transaction.atomic
def migrant_register(*, user=None, registered_on: datetime.date | None = None, **fields: Any) -> MigrantWorker:
    """Record a prospective PMI (stage 'registered'), checking the NIK rules."""
    if _village_code(fields):  # without one, full_clean() says the village is required
        _ensure_area(user, _village_code(fields))
    registered_on = registered_on or _today()
    migrant = MigrantWorker(stage=Stage.REGISTERED, registered_on=registered_on,
                            stage_changed_on=registered_on, **fields)
    try:
        migrant.full_clean()
    except ValidationError as error:
        raise migrant_nik_taken_said(error, user=user, migrant=migrant) from None
    migrant.save()
    _refresh([STAGES], migrant.village_id)
    return migrant


@transaction.atomic
def migrant_update(*, instance: MigrantWorker, user=None, expected_version: int | None = None,
                   **fields: Any) -> MigrantWorker:
    """Edit the person's data; the stage changes only through the stage services.

    ``expected_version``: the version the user started from (desmigratif.versioning); a save or a
    stage action by someone else since then refuses the edit (StaleRecordError).
    """
    # the stored village, not the instance's: a form may already have put the new one on it
    stored = MigrantWorker.objects.filter(pk=instance.pk).values_list("village_id", flat=True).first()
    _ensure_area(user, stored or instance.village_id)
    if _village_code(fields):  # moving the person to another village: that one must be the user's too
        _ensure_area(user, _village_code(fields))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s")
                              % {"fields": ", ".join(sorted(unknown))})
    try:
        written = versioned_write(instance, fields, expected_version=expected_version)
    except ValidationError as error:
        raise migrant_nik_taken_said(error, user=user, migrant=instance) from None
    if written:  # a move to another village takes the placements and reintegration along
        _refresh(SUMMARIES if stored != instance.village_id else [STAGES], stored, instance.village_id)
    return instance


def _save_stage(migrant: MigrantWorker) -> None:
    """Save a stage change (the row is locked by the caller) with the next version: an edit form
    opened before the change is then refused instead of silently overwriting it."""
    migrant.version += 1
    migrant.save(update_fields=["stage", "stage_changed_on", "version", "updated_at"])


@transaction.atomic
def migrant_change_stage(*, migrant: MigrantWorker, to_stage: str, on: datetime.date | None = None,
                         user=None) -> MigrantWorker:
    """Move a prospective PMI along verified → in training → ready, or a returnee back to registered.

    Departures and returns carry a placement and have their own services.
    """
    if to_stage in (Stage.ABROAD, Stage.RETURNED):
        raise ValidationError({"stage": _("A departure or a return is recorded with its placement.")})
    migrant = MigrantWorker.objects.select_for_update().get(pk=migrant.pk)
    _ensure_area(user, migrant.village_id)
    on = on or _today()
    migrant_check_stage_change(migrant=migrant, to_stage=to_stage, on=on)
    migrant.stage, migrant.stage_changed_on = to_stage, on
    _save_stage(migrant)
    _refresh([STAGES], migrant.village_id)
    return migrant


@transaction.atomic
def migrant_depart(*, migrant: MigrantWorker, departure_date: datetime.date, user=None,
                   **placement_fields: Any) -> Placement:
    """A PMI who is ready leaves to work abroad: open a placement and set the stage 'abroad'."""
    migrant = MigrantWorker.objects.select_for_update().get(pk=migrant.pk)
    _ensure_area(user, migrant.village_id)
    migrant_check_stage_change(migrant=migrant, to_stage=Stage.ABROAD, on=departure_date)
    placement = Placement(migrant=migrant, departure_date=departure_date, **placement_fields)
    placement.full_clean()
    placement.save()
    migrant.stage, migrant.stage_changed_on = Stage.ABROAD, departure_date
    _save_stage(migrant)
    _refresh([STAGES, PLACEMENTS], migrant.village_id)
    return placement


@transaction.atomic
def migrant_return(*, migrant: MigrantWorker, return_date: datetime.date, return_reason: str,
                   user=None) -> Placement:
    """A PMI abroad comes home: close the open placement and set the stage 'returned'."""
    migrant = MigrantWorker.objects.select_for_update().get(pk=migrant.pk)
    _ensure_area(user, migrant.village_id)
    migrant_check_stage_change(migrant=migrant, to_stage=Stage.RETURNED, on=return_date)
    placement = migrant.placements.filter(return_date__isnull=True).first()
    if placement is None:
        raise ValidationError(_("This PMI has no placement without a return."))
    # with the next version: a correction of the placement opened before the return is refused
    versioned_save(placement, {"return_date": return_date, "return_reason": return_reason})
    migrant.stage, migrant.stage_changed_on = Stage.RETURNED, return_date
    _save_stage(migrant)
    _refresh([STAGES, PLACEMENTS], migrant.village_id)
    return placement


@transaction.atomic
def reintegration_record(*, migrant: MigrantWorker, user=None, expected_version: int | None = None,
                         **fields: Any) -> Reintegration:
    """Create or update what a returned PMI has done since coming home.

    ``expected_version``: the version of the reintegration the user started from, 0 when there was
    none yet (desmigratif.versioning); refused (StaleRecordError) when someone recorded it since.
    """
    _ensure_area(user, migrant.village_id)
    migrant_check_reintegration(migrant=migrant)
    reintegration = Reintegration.objects.filter(migrant=migrant).first()
    if reintegration is None:
        if expected_version:  # it was there when the user opened it: deleted since
            raise StaleRecordError(Reintegration(migrant=migrant), expected_version=expected_version)
        reintegration = Reintegration(migrant=migrant)
    elif expected_version == 0:  # the user started from none: someone recorded it meanwhile
        raise StaleRecordError(reintegration, expected_version=expected_version)
    if versioned_write(reintegration, fields, expected_version=expected_version or None):
        _refresh([REINTEGRATIONS], migrant.village_id)
    return reintegration


@transaction.atomic
def placement_update(*, instance: Placement, user=None, expected_version: int | None = None,
                     **fields: Any) -> Placement:
    """Correct the employment details of a placement; departure and return have their own services.

    ``expected_version``: as for ``migrant_update``.
    """
    _ensure_area(user, instance.migrant.village_id)
    unknown = set(fields) - set(PLACEMENT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s")
                              % {"fields": ", ".join(sorted(unknown))})
    if versioned_write(instance, fields, expected_version=expected_version):
        _refresh([PLACEMENTS], instance.migrant.village_id)
    return instance


@transaction.atomic
def placement_correct(*, instance: Placement, user=None, return_date: datetime.date | None = None,
                      return_reason: str = "", **fields: Any) -> Placement:
    """A placement corrected as one form gives it: its employment details and, when an open placement
    gets its return date, the PMI's return — both written, or neither.

    The details go through ``placement_update``, the return through ``migrant_return`` (which closes the
    placement as stored, so it comes last). A return already recorded is not changed here.
    """
    if return_date is not None and instance.return_date is not None and return_date != instance.return_date:
        raise ValidationError({"return_date": _("The return is recorded already (%(date)s): it is not changed "
                                                "here.") % {"date": instance.return_date.strftime("%d/%m/%Y")}})
    if fields:  # placement_update refuses a field that is not a correction, before anything is written
        instance = placement_update(instance=instance, user=user, **fields)
    if instance.return_date is None and return_date is not None:
        instance = migrant_return(migrant=instance.migrant, user=user, return_date=return_date,
                                  return_reason=return_reason)
    return instance


@transaction.atomic
def migrant_delete(*, user=None, instance: MigrantWorker) -> None:
    """Remove a PMI with their placements and reintegration; cooperative memberships keep the member's name.

    The history (django-simple-history) keeps the deleted rows, as the audit requires.
    """
    _ensure_area(user, instance.village_id)
    village_code = instance.village_id
    instance.delete()
    _refresh(SUMMARIES, village_code)
