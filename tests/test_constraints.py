"""The rules of the domain model hold twice: full_clean() explains them, the database enforces them."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.choices import Role
from accounts.models import User
from agencies.choices import AgencyKind, EngagementKind, EngagementLevel
from agencies.models import Agency, Engagement
from cooperatives.models import Cooperative, CooperativeYearlyFigure
from villages.choices import ActivityKind, FundingSource, Pillar
from villages.models import DesmigratifVillage, PillarActivity

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def dv() -> DesmigratifVillage:
    return DesmigratifVillage.objects.create(village_id="32.09.14.2003", year_designated=2021,
                                             funding_source=FundingSource.DANA_DESA)


@pytest.fixture
def agency() -> Agency:
    return Agency.objects.create(acronym="TEST-AG", name="Test agency", kind=AgencyKind.OTHER)


@pytest.fixture
def cooperative(dv) -> Cooperative:
    return Cooperative.objects.create(desmigratif_village=dv, name="Koperasi Contoh", year_founded=2020,
                                      business_type="simpan_pinjam")


def refused_twice(obj) -> dict:
    """full_clean() refuses ``obj`` and so does the database; returns the validation messages."""
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()
    return raised.value.message_dict


def test_desmigratif_village_before_the_program():
    refused_twice(DesmigratifVillage(village_id="32.09.14.2004", year_designated=2015,
                                     funding_source=FundingSource.APBN))


def test_desmigratif_village_without_a_label():
    refused_twice(DesmigratifVillage(village_id="32.09.14.2004", year_designated=2020, funding_source="apbn",
                                     is_desmigratif=False, is_desa_migran_emas=False))


def test_a_village_is_designated_once(dv):
    refused_twice(DesmigratifVillage(village_id=dv.village_id, year_designated=2022, funding_source="apbd"))


def activity(dv, **fields) -> PillarActivity:
    values = {"desmigratif_village": dv, "pillar": Pillar.COMMUNITY_PARENTING, "kind": ActivityKind.PARENTING_SESSION,
              "date": D(2023, 3, 1), "title": "Sesi parenting"}
    values.update(fields)
    return PillarActivity(**values)


def test_activity_kind_must_belong_to_its_pillar(dv):
    messages = refused_twice(activity(dv, pillar=Pillar.MIGRATION_SERVICE))
    assert "kind" in messages


def test_children_are_counted_only_under_parenting(dv):
    activity(dv, children_reached=25).full_clean()
    messages = refused_twice(activity(dv, pillar=Pillar.COOPERATIVE, kind=ActivityKind.MEMBER_MEETING,
                                      children_reached=3))
    assert "children_reached" in messages


def test_activity_before_the_program(dv):
    refused_twice(activity(dv, date=D(2015, 12, 31)))


def test_engagement_target_must_match_level(agency):
    base = {"agency": agency, "pillar": Pillar.PRODUCTIVE_BUSINESS, "kind": EngagementKind.TRAINING,
            "year": 2022, "budget": Decimal(1000)}
    Engagement(level=EngagementLevel.NATIONAL, **base).full_clean()
    Engagement(level=EngagementLevel.REGENCY, regency_id="32.09", **base).full_clean()
    Engagement(level=EngagementLevel.VILLAGE, village_id="32.09.14.2004", **base).full_clean()
    assert "regency" in refused_twice(Engagement(level=EngagementLevel.REGENCY, **base))
    assert "level" in refused_twice(Engagement(level=EngagementLevel.NATIONAL, regency_id="32.09", **base))
    assert "village" in refused_twice(Engagement(level=EngagementLevel.VILLAGE, **base))


def test_agency_validity_must_be_ordered():
    refused_twice(Agency(acronym="OLD", name="Old", kind=AgencyKind.MINISTRY,
                         valid_from=D(2019, 1, 1), valid_until=D(2018, 1, 1)))


def test_cooperative_figures(cooperative):
    CooperativeYearlyFigure(cooperative=cooperative, year=2021, members=20, members_returned_pmi=5,
                            shu=Decimal(-100)).full_clean()
    assert "members_returned_pmi" in refused_twice(
        CooperativeYearlyFigure(cooperative=cooperative, year=2021, members=5, members_returned_pmi=6))
    refused_twice(CooperativeYearlyFigure(cooperative=cooperative, year=2021, members=5, capital=Decimal(-1)))
    CooperativeYearlyFigure.objects.create(cooperative=cooperative, year=2022, members=5)
    refused_twice(CooperativeYearlyFigure(cooperative=cooperative, year=2022, members=6))
    with pytest.raises(ValidationError):  # before it was founded: a rule only full_clean() can see
        CooperativeYearlyFigure(cooperative=cooperative, year=2019, members=6).full_clean()


def test_legal_entity_number_unique_when_given(cooperative, dv):
    cooperative.legal_entity_number = "AHU-0001"
    cooperative.save()
    Cooperative.objects.create(desmigratif_village=dv, name="Second", year_founded=2021, business_type="jasa")
    Cooperative(desmigratif_village=dv, name="Third", year_founded=2021, business_type="jasa").full_clean()
    refused_twice(Cooperative(desmigratif_village=dv, name="Fourth", year_founded=2021, business_type="jasa",
                              legal_entity_number="AHU-0001"))


@pytest.mark.parametrize(("role", "area", "ok"), [
    (Role.MINISTRY, {}, True),
    (Role.MINISTRY, {"province_id": "32"}, False),
    (Role.PROVINCE_OFFICER, {"province_id": "32"}, True),
    (Role.PROVINCE_OFFICER, {"regency_id": "32.09"}, False),
    (Role.REGENCY_OPERATOR, {"regency_id": "32.09"}, True),
    (Role.REGENCY_OPERATOR, {}, False),
    (Role.VILLAGE_OFFICER, {"village_id": "32.09.14.2004"}, True),
])
def test_user_area_matches_role(role, area, ok):
    user = User(username=f"u-{role}", role=role, **area)
    user.set_password("x-long-password-1")
    if ok:
        user.full_clean()
        user.save()
    else:
        refused_twice(user)
