"""Writes of cooperatives, their members and yearly figures, each within the user's area.

Every function takes the acting ``user`` and checks, through accounts.permissions, that the user may
write in the village of the cooperative (before and after a change that moves it). A member may be
linked to a PMI record only when that record is one the user may read (its village in the user's
area): a regency operator cannot attach, and so reveal, a person of another regency.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import ensure_can_write_in
from desmigratif.versioning import versioned_save, versioned_write
from migrants.models import MigrantWorker
from migrants.selectors import migrant_list
from villages.models import DesmigratifVillage

from .models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from .summaries import cooperative_summaries_refresh


def _village_code(cooperative: Cooperative) -> str:
    return cooperative.desmigratif_village.village_id


# --- Cooperatives -----------------------------------------------------------------------------

@transaction.atomic
def cooperative_create(*, user, desmigratif_village: DesmigratifVillage, **fields: Any) -> Cooperative:
    """Record a cooperative (or BUMDes unit) built in a program village."""
    ensure_can_write_in(user, desmigratif_village.village_id)
    return versioned_save(Cooperative(desmigratif_village=desmigratif_village), fields)


@transaction.atomic
def cooperative_update(*, user, instance: Cooperative, expected_version: int | None = None,
                       **fields: Any) -> Cooperative:
    ensure_can_write_in(user, _village_code(instance))
    if "desmigratif_village" in fields:
        ensure_can_write_in(user, fields["desmigratif_village"].village_id)
    stored = (Cooperative.objects.filter(pk=instance.pk)
              .values_list("desmigratif_village__village_id", flat=True).first())
    cooperative = versioned_save(instance, fields, expected_version=expected_version)
    if stored != _village_code(cooperative):  # its yearly figures now count in another village
        cooperative_summaries_refresh(villages=[stored, _village_code(cooperative)])
    return cooperative


@transaction.atomic
def cooperative_delete(*, user, instance: Cooperative) -> None:
    """Delete a cooperative with its members and yearly figures (their history is kept)."""
    village_code = _village_code(instance)
    ensure_can_write_in(user, village_code)
    instance.delete()
    cooperative_summaries_refresh(villages=[village_code])


# --- Members ----------------------------------------------------------------------------------

def _check_migrant(user, migrant: MigrantWorker | None) -> None:
    """The linked PMI must be a record the user may read (their area); otherwise it does not exist for them."""
    if migrant is not None and not migrant_list(user=user).filter(pk=migrant.pk).exists():
        raise ValidationError({"migrant": _("There is no such PMI record in your area.")})


@transaction.atomic
def cooperative_member_add(*, user, cooperative: Cooperative, migrant: MigrantWorker | None = None,
                           **fields: Any) -> CooperativeMember:
    """Add a member known by name, linked to a PMI record of the user's area where the member is one."""
    ensure_can_write_in(user, _village_code(cooperative))
    _check_migrant(user, migrant)
    return versioned_save(CooperativeMember(cooperative=cooperative, migrant=migrant), fields)


@transaction.atomic
def cooperative_member_update(*, user, instance: CooperativeMember, expected_version: int | None = None,
                              **fields: Any) -> CooperativeMember:
    ensure_can_write_in(user, _village_code(instance.cooperative))
    if "cooperative" in fields:
        ensure_can_write_in(user, _village_code(fields["cooperative"]))
    if fields.get("migrant") is not None and fields["migrant"].pk != instance.migrant_id:
        _check_migrant(user, fields["migrant"])
    return versioned_save(instance, fields, expected_version=expected_version)


@transaction.atomic
def cooperative_member_remove(*, user, instance: CooperativeMember) -> None:
    ensure_can_write_in(user, _village_code(instance.cooperative))
    instance.delete()


@transaction.atomic
def cooperative_members_forget_person(*, user, migrant: MigrantWorker) -> int:
    """A PMI erased from the portal (privacy.services.person_erase): each of their memberships stays a
    member without a name and without the link, written with its next version, so that an edit form
    opened before the erasure is refused (StaleRecordError) instead of writing the name back. The
    cooperatives' figures of members are recounted. Returns the number of memberships."""
    members = list(CooperativeMember.objects.select_related("cooperative__desmigratif_village")
                   .filter(migrant=migrant))
    for member in members:
        ensure_can_write_in(user, _village_code(member.cooperative))
        versioned_save(member, {"name": _("(erased)"), "migrant": None})
    if members:
        cooperative_summaries_refresh(villages=sorted({_village_code(member.cooperative) for member in members}))
    return len(members)


# --- Yearly figures ---------------------------------------------------------------------------

def _check_book_year(year: int | None) -> None:
    # figures are those of a book year's close: a year still to come has none (the model allows
    # years up to 2100 for the database's sake; the date is a rule of the use case)
    if year and year > timezone.localdate().year:
        raise ValidationError({"year": _("The book year %(year)s has not begun yet.") % {"year": year}})


@transaction.atomic
def cooperative_yearly_figure_create(*, user, cooperative: Cooperative, **fields: Any) -> CooperativeYearlyFigure:
    """Record the figures of one book year: members (of whom returned PMI), capital, assets, revenue, SHU."""
    ensure_can_write_in(user, _village_code(cooperative))
    _check_book_year(fields.get("year"))
    figure = versioned_save(CooperativeYearlyFigure(cooperative=cooperative), fields)
    cooperative_summaries_refresh(villages=[_village_code(cooperative)])
    return figure


@transaction.atomic
def cooperative_yearly_figure_update(*, user, instance: CooperativeYearlyFigure, expected_version: int | None = None,
                                     **fields: Any) -> CooperativeYearlyFigure:
    ensure_can_write_in(user, _village_code(instance.cooperative))
    if "cooperative" in fields:
        ensure_can_write_in(user, _village_code(fields["cooperative"]))
    if fields.get("year", instance.year) != instance.year:
        _check_book_year(fields["year"])
    stored = (CooperativeYearlyFigure.objects.filter(pk=instance.pk)
              .values_list("cooperative__desmigratif_village__village_id", flat=True).first())
    if versioned_write(instance, fields, expected_version=expected_version):
        cooperative_summaries_refresh(villages=[stored, _village_code(instance.cooperative)])
    return instance


@transaction.atomic
def cooperative_yearly_figure_delete(*, user, instance: CooperativeYearlyFigure) -> None:
    village_code = _village_code(instance.cooperative)
    ensure_can_write_in(user, village_code)
    instance.delete()
    cooperative_summaries_refresh(villages=[village_code])
