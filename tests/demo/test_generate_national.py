"""generate_national at a tiny size (issue 7): it loads, every row is consistent, it is deterministic,
and it refuses where it should. Nothing here times anything.

Everything the command writes happens inside the test's transaction and is rolled back, so the
session's demo data survives. It runs on the database of the run: COPY on PostgreSQL, bulk
inserts on SQLite.
"""
from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test import override_settings

from agencies.choices import EngagementLevel
from agencies.models import Engagement
from cooperatives.models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from demo import national
from migrants.choices import PROSPECTIVE_STAGES, PlacementScheme, Stage
from migrants.models import MigrantWorker, Placement, Reintegration
from migrants.nik import check_nik
from tests.test_summaries import assert_equal_to_recount
from villages.models import DesmigratifVillage, FieldOfficer, PillarActivity

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)
SIZE = {"migrants": 2000, "program_villages": 560, "cooperatives": 300}
PUBLISHED = {2016: 2, 2017: 120, 2018: 130, 2019: 150, 2021: 51, 2022: 50}


def generate(*, seed: int = 7, **options) -> str:
    out = StringIO()
    call_command("generate_national", seed=seed, today=TODAY, stdout=out, stderr=StringIO(),
                 **{**SIZE, "replace_program_data": True, **options})
    return out.getvalue()


def checksum() -> str:
    """A digest of the rows that matter (not ids or timestamps alone)."""
    digest = hashlib.sha256()
    for queryset in (
        MigrantWorker.objects.order_by("pk").values_list("pk", "nik", "name", "village_id", "stage", "registered_on",
                                                         "stage_changed_on"),
        Placement.objects.order_by("pk").values_list("migrant_id", "destination_country", "sector", "scheme",
                                                     "departure_date", "return_date", "return_reason"),
        DesmigratifVillage.objects.order_by("pk").values_list("village_id", "year_designated", "funding_source"),
        PillarActivity.objects.order_by("pk").values_list("desmigratif_village_id", "kind", "date", "budget"),
        Cooperative.objects.order_by("pk").values_list("name", "year_founded", "legal_entity_number"),
        CooperativeYearlyFigure.objects.order_by("pk").values_list("cooperative_id", "year", "members", "shu"),
        CooperativeMember.objects.order_by("pk").values_list("cooperative_id", "migrant_id", "joined_on"),
        Engagement.objects.order_by("pk").values_list("agency_id", "level", "regency_id", "village_id", "budget"),
        Reintegration.objects.order_by("pk").values_list("migrant_id", "has_business", "credit_bank"),
    ):
        for row in queryset:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_a_tiny_national_data_set_is_complete_and_consistent():
    output = generate()
    connection.check_constraints()  # SQLite defers foreign keys to a commit that never comes here
    assert "migrants_migrantworker" in output and "PMI and placements" in output

    # --- counts as asked
    assert MigrantWorker.objects.count() == SIZE["migrants"]
    assert DesmigratifVillage.objects.count() == SIZE["program_villages"]
    assert Cooperative.objects.count() == SIZE["cooperatives"]
    assert FieldOfficer.objects.count() == 2 * SIZE["program_villages"]
    per_year = dict(DesmigratifVillage.objects.order_by().values_list("year_designated").annotate(n=Count("pk")))
    assert {year: n for year, n in per_year.items() if year <= 2022} == PUBLISHED
    assert sum(n for year, n in per_year.items() if year > 2022) == SIZE["program_villages"] - 503
    provinces = {code[:2] for code in DesmigratifVillage.objects.values_list("village_id", flat=True)}
    assert len(provinces) == 38
    assert set(DesmigratifVillage.objects.filter(year_designated__lte=2019)
               .values_list("funding_source", flat=True)) == {"apbn"}
    activities = PillarActivity.objects.count()
    assert activities > 5 * SIZE["program_villages"]
    assert not PillarActivity.objects.filter(date__gt=TODAY).exists()
    assert Placement.objects.count() > SIZE["migrants"] // 3
    assert Reintegration.objects.exists() and CooperativeYearlyFigure.objects.exists()
    assert CooperativeMember.objects.filter(migrant__isnull=False).exists()
    assert set(Engagement.objects.values_list("level", flat=True)) == set(EngagementLevel.values)

    # --- every PMI has a valid NIK that agrees with the record
    for nik, birth_date, gender in MigrantWorker.objects.values_list("nik", "birth_date", "gender"):
        assert check_nik(nik, birth_date=birth_date, gender=gender).flags == ()

    # --- stages agree with placements
    open_by_migrant = Counter(Placement.objects.filter(return_date__isnull=True).values_list("migrant_id", flat=True))
    placements_by_migrant: dict[int, list[Placement]] = defaultdict(list)
    for placement in Placement.objects.order_by("departure_date"):
        placements_by_migrant[placement.migrant_id].append(placement)
    stages = Counter()
    for migrant in MigrantWorker.objects.all():
        stages[migrant.stage] += 1
        stays = placements_by_migrant[migrant.pk]
        assert migrant.registered_on <= migrant.stage_changed_on <= TODAY
        if migrant.stage == Stage.ABROAD:
            assert open_by_migrant[migrant.pk] == 1 and stays[-1].return_date is None
            assert migrant.stage_changed_on == stays[-1].departure_date
        else:
            assert open_by_migrant[migrant.pk] == 0
        if migrant.stage == Stage.RETURNED:
            assert stays and migrant.stage_changed_on == stays[-1].return_date
        if migrant.stage in PROSPECTIVE_STAGES:
            assert not stays
        for earlier, later in zip(stays, stays[1:], strict=False):
            assert earlier.return_date < later.departure_date
        for stay in stays:
            assert migrant.registered_on < stay.departure_date <= TODAY
            assert (stay.scheme == PlacementScheme.P_TO_P) <= bool(stay.p3mi_name)
    assert stages[Stage.ABROAD] + stages[Stage.RETURNED] > SIZE["migrants"] / 2  # most have left
    assert all(stages[stage] for stage in Stage.values)
    assert not Reintegration.objects.exclude(migrant__stage=Stage.RETURNED).exists()

    # --- summaries as a fresh recount makes them
    assert_equal_to_recount()

    # --- the sequences are past the explicit ids: the services can write again
    village = DesmigratifVillage.objects.order_by("pk").first().village
    worker = MigrantWorker.objects.create(
        nik="3209140101900001", name="Uji", gender="M", birth_date=datetime.date(1990, 1, 1), village=village,
        registered_on=TODAY, stage_changed_on=TODAY)
    assert worker.pk > SIZE["migrants"]


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    small = {"migrants": 300, "program_villages": 503, "cooperatives": 50}
    generate(seed=11, **small)
    first = checksum()
    generate(seed=11, **small)
    assert checksum() == first
    generate(seed=12, **small)
    assert checksum() != first


def _program_counts() -> tuple[int, ...]:
    return (MigrantWorker.objects.count(), DesmigratifVillage.objects.count(), Cooperative.objects.count())


def test_it_refuses_without_debug_or_the_flag_and_changes_nothing():
    before = _program_counts()
    with pytest.raises(CommandError, match="--replace-program-data"):
        call_command("generate_national", migrants=10, stdout=StringIO(), stderr=StringIO())
    assert _program_counts() == before


def test_with_debug_on_no_flag_is_needed(monkeypatch):
    calls = []
    monkeypatch.setattr("demo.management.commands.generate_national.national_generate",
                        lambda **kwargs: calls.append(kwargs) or national.NationalResult())
    with override_settings(DEBUG=True):
        call_command("generate_national", migrants=10, stdout=StringIO(), stderr=StringIO())
    assert calls and calls[0]["migrants"] == 10


def test_it_refuses_without_the_official_regions(monkeypatch):
    monkeypatch.setattr(national, "MIN_VILLAGES", 10**6)  # as if load_regions had not run
    before = _program_counts()
    with pytest.raises(CommandError, match="load_regions"):
        generate(migrants=10)
    assert _program_counts() == before


def test_it_refuses_fewer_program_villages_than_were_published():
    with pytest.raises(CommandError, match="503"):
        generate(program_villages=100)
