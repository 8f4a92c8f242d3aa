"""Stage changes go through the services, which refuse impossible transitions."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from migrants.choices import PlacementScheme, ReturnReason, Sector, Stage
from migrants.models import MigrantWorker, Placement
from migrants.services import (
    TRANSITIONS,
    migrant_change_stage,
    migrant_depart,
    migrant_register,
    migrant_return,
    migrant_update,
    placement_correct,
    reintegration_record,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PLACEMENT = {"destination_country": "TW", "sector": Sector.INFORMAL, "job": "Caregiver",
             "scheme": PlacementScheme.P_TO_P, "p3mi_name": "PT Contoh Jasa Tenaga Kerja"}


@pytest.fixture
def migrant() -> MigrantWorker:
    return migrant_register(nik="3209145708950003", name="Siti Contoh", gender="F", birth_date=D(1995, 8, 17),
                            village_id="32.09.14.2004", registered_on=D(2023, 1, 10))


def ready(migrant: MigrantWorker) -> MigrantWorker:
    migrant = migrant_change_stage(migrant=migrant, to_stage=Stage.VERIFIED, on=D(2023, 1, 20))
    migrant = migrant_change_stage(migrant=migrant, to_stage=Stage.IN_TRAINING, on=D(2023, 2, 1))
    return migrant_change_stage(migrant=migrant, to_stage=Stage.READY, on=D(2023, 4, 1))


def test_register_checks_nik_and_starts_registered(migrant):
    assert migrant.stage == Stage.REGISTERED
    assert migrant.stage_changed_on == D(2023, 1, 10)
    assert not migrant.nik_needs_verification
    with pytest.raises(ValidationError) as raised:
        migrant_register(nik="1234", name="X", gender="M", birth_date=D(1990, 1, 1), village_id="32.09.14.2004")
    assert "nik" in raised.value.message_dict


def test_the_whole_lifecycle(migrant):
    migrant = ready(migrant)
    placement = migrant_depart(migrant=migrant, departure_date=D(2023, 5, 2), contract_end_date=D(2025, 5, 1),
                               **PLACEMENT)
    migrant.refresh_from_db()
    assert migrant.stage == Stage.ABROAD and placement.return_date is None
    placement = migrant_return(migrant=migrant, return_date=D(2025, 5, 3), return_reason=ReturnReason.CONTRACT_ENDED)
    migrant.refresh_from_db()
    assert migrant.stage == Stage.RETURNED
    assert placement.return_date == D(2025, 5, 3)
    reintegration = reintegration_record(migrant=migrant, has_business=True, business_type="Warung",
                                         has_bpjs_ketenagakerjaan=True)
    assert reintegration.has_business
    # leaving again starts with a new registration, and a second placement
    migrant = migrant_change_stage(migrant=migrant, to_stage=Stage.REGISTERED, on=D(2025, 6, 1))
    assert migrant.stage == Stage.REGISTERED


@pytest.mark.parametrize(("start", "to_stage"), [
    (Stage.REGISTERED, Stage.READY),
    (Stage.REGISTERED, Stage.IN_TRAINING),
    (Stage.VERIFIED, Stage.REGISTERED),
    (Stage.READY, Stage.VERIFIED),
])
def test_impossible_prospective_steps_are_refused(migrant, start, to_stage):
    MigrantWorker.objects.filter(pk=migrant.pk).update(stage=start)
    migrant.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        migrant_change_stage(migrant=migrant, to_stage=to_stage, on=D(2023, 3, 1))
    assert "stage" in raised.value.message_dict
    migrant.refresh_from_db()
    assert migrant.stage == start


def test_returning_before_departing_is_refused(migrant):
    migrant = ready(migrant)
    with pytest.raises(ValidationError):
        migrant_return(migrant=migrant, return_date=D(2023, 6, 1), return_reason=ReturnReason.OTHER)
    assert not Placement.objects.filter(migrant=migrant).exists()


def test_departing_before_ready_is_refused(migrant):
    with pytest.raises(ValidationError):
        migrant_depart(migrant=migrant, departure_date=D(2023, 5, 2), **PLACEMENT)
    assert MigrantWorker.objects.get(pk=migrant.pk).stage == Stage.REGISTERED
    assert not Placement.objects.exists() or not Placement.objects.filter(migrant=migrant).exists()


def test_abroad_and_returned_only_through_their_services(migrant):
    migrant = ready(migrant)
    for stage in (Stage.ABROAD, Stage.RETURNED):
        with pytest.raises(ValidationError):
            migrant_change_stage(migrant=migrant, to_stage=stage, on=D(2023, 5, 1))


def test_dates_must_move_forward(migrant):
    migrant = ready(migrant)
    with pytest.raises(ValidationError) as raised:
        migrant_depart(migrant=migrant, departure_date=D(2023, 3, 1), **PLACEMENT)  # before 'ready' on 1/4
    assert "date" in raised.value.message_dict
    placement = migrant_depart(migrant=migrant, departure_date=D(2023, 5, 2), **PLACEMENT)
    with pytest.raises(ValidationError):
        migrant_return(migrant=migrant, return_date=D(2023, 5, 1), return_reason=ReturnReason.ILLNESS)
    placement.refresh_from_db()
    assert placement.return_date is None
    with pytest.raises(ValidationError):
        migrant_return(migrant=migrant, return_date=D(2999, 1, 1), return_reason=ReturnReason.ILLNESS)


def test_a_failed_departure_writes_nothing(migrant):
    migrant = ready(migrant)
    bad = dict(PLACEMENT, p3mi_name="")  # P to P without its P3MI
    with pytest.raises(ValidationError) as raised:
        migrant_depart(migrant=migrant, departure_date=D(2023, 5, 2), **bad)
    assert "p3mi_name" in raised.value.message_dict
    assert MigrantWorker.objects.get(pk=migrant.pk).stage == Stage.READY
    assert not Placement.objects.filter(migrant=migrant).exists()


def test_reintegration_only_for_returnees(migrant):
    with pytest.raises(ValidationError):
        reintegration_record(migrant=migrant, has_business=True)


def test_update_cannot_touch_the_stage(migrant):
    with pytest.raises(ValidationError):
        migrant_update(instance=migrant, stage=Stage.ABROAD)
    migrant = migrant_update(instance=migrant, phone="081234567890", gender="M")
    assert migrant.nik_needs_verification  # the NIK says woman
    assert migrant.nik_flags == "gender"


def test_every_stage_can_be_reached_and_left():
    reachable = {target for targets in TRANSITIONS.values() for target in targets}
    assert reachable | {Stage.REGISTERED} == set(Stage.values)
    assert all(TRANSITIONS.get(stage) for stage in Stage.values)


def test_database_keeps_one_open_placement_per_migrant(migrant):
    migrant = ready(migrant)
    migrant_depart(migrant=migrant, departure_date=D(2023, 5, 2), **PLACEMENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(migrant=migrant, departure_date=D(2023, 6, 1), **PLACEMENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(migrant=migrant).update(return_date=D(2023, 5, 1), return_reason="other")


def test_a_placement_correction_with_a_return_writes_both_or_neither(migrant):
    """placement_correct: the employment details and the return of one form (the admin's change page)."""
    placement = migrant_depart(migrant=ready(migrant), departure_date=D(2023, 5, 1), **PLACEMENT)
    with pytest.raises(ValidationError) as refused:  # the return before the departure: nothing written
        placement_correct(instance=placement, job="Perawat lansia", return_date=D(2023, 4, 1),
                          return_reason=ReturnReason.CONTRACT_ENDED)
    assert "date" in refused.value.message_dict
    placement.refresh_from_db()
    assert (placement.job, placement.return_date) == ("Caregiver", None)
    placement = placement_correct(instance=placement, job="Perawat lansia", return_date=D(2024, 5, 1),
                                  return_reason=ReturnReason.CONTRACT_ENDED)
    placement.refresh_from_db()
    assert (placement.job, placement.return_date) == ("Perawat lansia", D(2024, 5, 1))
    assert MigrantWorker.objects.get(pk=migrant.pk).stage == Stage.RETURNED
    with pytest.raises(ValidationError) as refused:  # a recorded return is not moved by a correction
        placement_correct(instance=placement, return_date=D(2024, 6, 1))
    assert "return_date" in refused.value.message_dict
    with pytest.raises(ValidationError):  # the departure is the stage's date: not a correction
        placement_correct(instance=placement, departure_date=D(2023, 5, 2))
