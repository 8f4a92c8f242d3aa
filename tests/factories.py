"""factory_boy factories for the program's models, shared by every test.

They point at the official regions that tests/conftest.py loads once per session: no factory
invents a region. Rows are consistent with the model's rules (a PMI's NIK matches its district,
birth date and gender; its stage agrees with its placements), so a test that calls full_clean()
or a service on a factory-made row is testing the code, not the factory.

    DesmigratifVillageFactory()                      # a program village somewhere in Indonesia
    MigrantWorkerFactory(abroad=True)                # a PMI with an open placement
    MigrantWorkerFactory.create_batch(30, village=v) # thirty PMI from one village
    UserFactory(regency_operator=True)               # Disnaker operator of Kabupaten Cirebon
"""
from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory
from faker import Faker

from accounts.choices import Role
from accounts.models import User
from agencies.choices import AgencyKind, EngagementKind, EngagementLevel
from agencies.models import Agency, Engagement
from cooperatives.choices import BusinessType, CooperativeKind
from cooperatives.models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from migrants.choices import Country, Education, Gender, MaritalStatus, PlacementScheme, ReturnReason, Sector, Stage
from migrants.models import MigrantWorker, Placement, Reintegration
from migrants.nik import nik_for
from regions.models import Province, Regency, Village
from villages.choices import ActivityKind, DesmigratifStatus, FundingSource, OfficerRole, Pillar
from villages.models import DesmigratifVillage, FieldOfficer, PillarActivity

fake = Faker("id_ID")
PASSWORD = "test-Desmigratif-2024"
DAY = datetime.timedelta(days=1)

# Regions that tests name on purpose (the Cirebon and Indramayu examples, the pilot villages) are
# left out of the pools, so that a factory never takes the village a test is about to use.
RESERVED_PREFIXES = ("32.09.", "32.12.", "33.07.")


def person_name(gender: str | None = None) -> str:
    """An Indonesian name of the gender (Faker's id_ID name_male() mixes in women's names and titles)."""
    gender = gender or fake.random_element([Gender.FEMALE, Gender.MALE])
    if gender == Gender.FEMALE:
        return f"{fake.first_name_female()} {fake.last_name_female()}"
    return f"{fake.first_name_male()} {fake.last_name_male()}"


def _free_villages():
    """The first desa of every district (some 7,000, in all 38 provinces), not yet in the program."""
    queryset = Village.objects.filter(code__endswith=".2001", desmigratif__isnull=True).order_by("code")
    for prefix in RESERVED_PREFIXES:
        queryset = queryset.exclude(code__startswith=prefix)
    return queryset


def _home_villages():
    """Villages PMI come from: the second desa of every district (may repeat)."""
    return Village.objects.filter(code__endswith=".2002").order_by("code")


# --- agencies ---------------------------------------------------------------------------------


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["acronym"]

    acronym = factory.Sequence(lambda n: f"MITRA-{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Mitra Desmigratif {o.acronym[6:]}")
    kind = factory.Iterator(AgencyKind.values)
    valid_from = datetime.date(2017, 1, 1)
    source = "test"


class EngagementFactory(DjangoModelFactory):
    """A national engagement; ``regency_level=True`` or ``village_level=True`` for an area."""

    class Meta:
        model = Engagement

    class Params:
        regency_level = factory.Trait(
            level=EngagementLevel.REGENCY,
            regency=factory.Iterator(Regency.objects.order_by("code")),
        )
        village_level = factory.Trait(
            level=EngagementLevel.VILLAGE,
            village=factory.Iterator(_home_villages()),
        )

    agency = factory.SubFactory(AgencyFactory)
    level = EngagementLevel.NATIONAL
    pillar = factory.Iterator(Pillar.values)
    kind = factory.Iterator(EngagementKind.values)
    year = factory.Iterator(range(2017, 2025))
    budget = factory.LazyFunction(lambda: Decimal(fake.random_int(10, 500) * 1_000_000))
    description = factory.LazyFunction(lambda: fake.sentence(nb_words=8))


# --- villages ---------------------------------------------------------------------------------


class DesmigratifVillageFactory(DjangoModelFactory):
    class Meta:
        model = DesmigratifVillage

    village = factory.Iterator(_free_villages())
    year_designated = factory.Iterator([2017, 2018, 2019, 2021, 2022])
    decree_number = factory.Sequence(lambda n: f"KEP.{100 + n}/MEN/DESMIGRATIF")
    decree_date = factory.LazyAttribute(lambda o: datetime.date(o.year_designated, 3, 15))
    funding_source = factory.LazyAttribute(
        lambda o: FundingSource.APBN if o.year_designated <= 2019 else FundingSource.APBD)
    status = DesmigratifStatus.ACTIVE


class FieldOfficerFactory(DjangoModelFactory):
    class Meta:
        model = FieldOfficer

    desmigratif_village = factory.SubFactory(DesmigratifVillageFactory)
    name = factory.LazyFunction(person_name)
    role = OfficerRole.FIELD_OFFICER
    phone = factory.Sequence(lambda n: f"0812{n:08d}")
    active_since = factory.LazyAttribute(lambda o: o.desmigratif_village.decree_date)


class PillarActivityFactory(DjangoModelFactory):
    """An activity whose kind belongs to its pillar; counts only where the pillar keeps them."""

    class Meta:
        model = PillarActivity

    desmigratif_village = factory.SubFactory(DesmigratifVillageFactory)
    kind = factory.Iterator(ActivityKind.values)
    pillar = factory.LazyAttribute(lambda o: ActivityKind.pillar_of(o.kind))
    date = factory.LazyFunction(lambda: fake.date_between(datetime.date(2018, 1, 1), datetime.date(2024, 12, 31)))
    title = factory.LazyAttribute(lambda o: f"{ActivityKind(o.kind).label} {o.date:%m/%Y}")
    participants_women = factory.LazyFunction(lambda: fake.random_int(5, 40))
    participants_men = factory.LazyFunction(lambda: fake.random_int(0, 25))
    services_given = factory.LazyAttribute(
        lambda o: fake.random_int(1, 30) if o.pillar == Pillar.MIGRATION_SERVICE else 0)
    businesses_started = factory.LazyAttribute(
        lambda o: fake.random_int(0, 5) if o.pillar == Pillar.PRODUCTIVE_BUSINESS else 0)
    children_reached = factory.LazyAttribute(
        lambda o: fake.random_int(5, 60) if o.pillar == Pillar.COMMUNITY_PARENTING else 0)
    budget = factory.LazyFunction(lambda: Decimal(fake.random_int(0, 50) * 500_000))


# --- PMI --------------------------------------------------------------------------------------


def _birth_date(registered_on: datetime.date) -> datetime.date:
    """18 to 45 years old at registration, as the rules want a PMI (desmigratif.limits)."""
    return registered_on - datetime.timedelta(days=fake.random_int(18 * 366, 45 * 365))


class MigrantWorkerFactory(DjangoModelFactory):
    """A PMI with a valid NIK for its village's district. Stage traits keep dates and placements
    consistent: ``verified``, ``in_training``, ``ready``, ``abroad`` (an open placement),
    ``returned`` (a closed placement)."""

    class Meta:
        model = MigrantWorker
        skip_postgeneration_save = True

    class Params:
        serial = factory.Sequence(lambda n: n % 9999 + 1)
        verified = factory.Trait(stage=Stage.VERIFIED,
                                 stage_changed_on=factory.LazyAttribute(lambda o: o.registered_on + 14 * DAY))
        in_training = factory.Trait(stage=Stage.IN_TRAINING,
                                    stage_changed_on=factory.LazyAttribute(lambda o: o.registered_on + 30 * DAY))
        ready = factory.Trait(stage=Stage.READY,
                              stage_changed_on=factory.LazyAttribute(lambda o: o.registered_on + 60 * DAY))
        abroad = factory.Trait(
            stage=Stage.ABROAD,
            stage_changed_on=factory.LazyAttribute(lambda o: o.registered_on + 90 * DAY),
            placement=factory.RelatedFactory(
                "tests.factories.PlacementFactory", factory_related_name="migrant",
                departure_date=factory.SelfAttribute("..stage_changed_on")),
        )
        returned = factory.Trait(
            stage=Stage.RETURNED,
            stage_changed_on=factory.LazyAttribute(lambda o: o.registered_on + (90 + 730) * DAY),
            placement=factory.RelatedFactory(
                "tests.factories.PlacementFactory", factory_related_name="migrant",
                departure_date=factory.LazyAttribute(lambda p: p.factory_parent.registered_on + 90 * DAY),
                return_date=factory.SelfAttribute("..stage_changed_on"),
                return_reason=ReturnReason.CONTRACT_ENDED),
        )

    gender = factory.Iterator([Gender.FEMALE, Gender.FEMALE, Gender.MALE])
    name = factory.LazyAttribute(lambda o: person_name(o.gender))
    birth_date = factory.LazyAttribute(lambda o: _birth_date(o.registered_on))
    village = factory.Iterator(_home_villages())
    nik = factory.LazyAttribute(lambda o: nik_for(district_code=o.village.district_id, birth_date=o.birth_date,
                                                  female=o.gender == Gender.FEMALE, serial=o.serial))
    address = factory.LazyAttribute(lambda o: f"Dusun {fake.random_int(1, 5)} RT {fake.random_int(1, 9):03d}")
    education = factory.Iterator([Education.SD, Education.SMP, Education.SMA, Education.SMP])
    marital_status = factory.Iterator(MaritalStatus.values)
    phone = factory.Sequence(lambda n: f"0857{n:08d}")
    stage = Stage.REGISTERED
    registered_on = factory.LazyFunction(lambda: fake.date_between(datetime.date(2017, 1, 1),
                                                                   datetime.date(2021, 12, 31)))
    stage_changed_on = factory.LazyAttribute(lambda o: o.registered_on)


class PlacementFactory(DjangoModelFactory):
    """An open placement of a PMI who is abroad (made for it unless given ``migrant``)."""

    class Meta:
        model = Placement

    migrant = factory.SubFactory(
        MigrantWorkerFactory, stage=Stage.ABROAD,
        stage_changed_on=factory.LazyAttribute(lambda o: o.registered_on + 90 * DAY))
    destination_country = factory.Iterator([Country.TW, Country.MY, Country.HK, Country.KR, Country.JP,
                                            Country.SG, Country.SA])
    sector = factory.LazyAttribute(lambda o: Sector.INFORMAL if o.destination_country in ("HK", "SA", "SG")
                                   else Sector.FORMAL)
    job = factory.LazyAttribute(lambda o: "Penata laksana rumah tangga" if o.sector == Sector.INFORMAL
                                else "Operator produksi")
    scheme = factory.LazyAttribute(lambda o: PlacementScheme.G_TO_G if o.destination_country in ("KR", "JP")
                                   else PlacementScheme.P_TO_P)
    p3mi_name = factory.LazyAttribute(lambda o: "" if o.scheme != PlacementScheme.P_TO_P
                                      else f"PT {fake.last_name()} Jasa Tenaga Kerja")
    departure_date = factory.SelfAttribute("migrant.stage_changed_on")
    contract_end_date = factory.LazyAttribute(lambda o: o.departure_date + 730 * DAY)
    return_date = None
    return_reason = ""


class ReintegrationFactory(DjangoModelFactory):
    class Meta:
        model = Reintegration

    migrant = factory.SubFactory(MigrantWorkerFactory, returned=True)
    training_received = "Pelatihan kewirausahaan"
    has_business = True
    business_type = factory.Iterator(["Warung sembako", "Katering", "Budidaya lele", "Konveksi"])
    business_started_on = factory.LazyAttribute(lambda o: o.migrant.stage_changed_on + 120 * DAY)
    is_cooperative_member = factory.Iterator([True, False])
    has_kur_credit = factory.Iterator([False, True])
    credit_bank = factory.LazyAttribute(lambda o: "BRI" if o.has_kur_credit else "")
    has_bpjs_ketenagakerjaan = True


# --- cooperatives -----------------------------------------------------------------------------


class CooperativeFactory(DjangoModelFactory):
    class Meta:
        model = Cooperative

    desmigratif_village = factory.SubFactory(DesmigratifVillageFactory)
    name = factory.Sequence(lambda n: f"Koperasi Migran Sejahtera {n}")
    kind = CooperativeKind.COOPERATIVE
    legal_entity_number = factory.Sequence(lambda n: f"AHU-{n:07d}.AH.01.26.2019")
    year_founded = factory.LazyAttribute(lambda o: o.desmigratif_village.year_designated)
    business_type = factory.Iterator([BusinessType.SAVINGS_AND_LOANS, BusinessType.MULTI_PURPOSE,
                                      BusinessType.PRODUCER])


class CooperativeMemberFactory(DjangoModelFactory):
    """A member known by name; ``pmi=True`` links a returned PMI."""

    class Meta:
        model = CooperativeMember

    class Params:
        pmi = factory.Trait(migrant=factory.SubFactory(MigrantWorkerFactory, returned=True),
                            is_returned_pmi=True,
                            name=factory.SelfAttribute("migrant.name"))

    cooperative = factory.SubFactory(CooperativeFactory)
    name = factory.LazyFunction(person_name)
    migrant = None
    is_returned_pmi = False
    joined_on = factory.LazyAttribute(lambda o: datetime.date(o.cooperative.year_founded, 6, 1))


class CooperativeYearlyFigureFactory(DjangoModelFactory):
    """Figures for the book year after the founding; give ``year`` when adding more to one cooperative."""

    class Meta:
        model = CooperativeYearlyFigure

    cooperative = factory.SubFactory(CooperativeFactory)
    year = factory.LazyAttribute(lambda o: o.cooperative.year_founded + 1)
    members = factory.LazyFunction(lambda: fake.random_int(20, 200))
    members_returned_pmi = factory.LazyAttribute(lambda o: o.members // 3)
    capital = factory.LazyFunction(lambda: Decimal(fake.random_int(10, 500) * 1_000_000))
    assets = factory.LazyAttribute(lambda o: o.capital * 2)
    revenue = factory.LazyFunction(lambda: Decimal(fake.random_int(5, 300) * 1_000_000))
    shu = factory.LazyAttribute(lambda o: o.revenue / 10)


# --- users ------------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A ministry staff user by default; traits give the other roles with their DESIGN.md areas."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    class Params:
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)
        province_officer = factory.Trait(role=Role.PROVINCE_OFFICER,
                                         province=factory.LazyFunction(lambda: Province.objects.get(code="32")))
        regency_operator = factory.Trait(role=Role.REGENCY_OPERATOR,
                                         regency=factory.LazyFunction(lambda: Regency.objects.get(code="32.09")))
        village_officer = factory.Trait(
            role=Role.VILLAGE_OFFICER,
            village=factory.LazyFunction(lambda: Village.objects.get(code="32.09.14.2004")))
        agency_staff = factory.Trait(role=Role.AGENCY_STAFF, agency=factory.SubFactory(AgencyFactory))

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(lambda: fake.first_name())
    last_name = factory.LazyFunction(lambda: fake.last_name())
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.id")
    role = Role.MINISTRY
    password = factory.django.Password(PASSWORD)
