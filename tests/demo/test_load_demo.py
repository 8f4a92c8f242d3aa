"""The demo data (DESIGN.md §1, §2, §5): the published figures, consistent PMI records, the demo users.

The demo is loaded once into the session's test database by tests/conftest.py.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.urls import reverse

from accounts.choices import Role
from agencies.choices import EngagementLevel
from agencies.models import Agency, Engagement
from cooperatives.models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from demo import data
from demo.builders import build_demo, demo_context_load
from demo.services import RegionsNotLoaded, demo_load
from migrants.choices import PROSPECTIVE_STAGES, PlacementScheme, ReturnReason, Stage
from migrants.models import MigrantWorker, Placement, Reintegration
from migrants.nik import NikFlag, check_nik
from villages.choices import ActivityKind, DesmigratifStatus, FundingSource, OfficerRole, Pillar
from villages.models import DesmigratifVillage, FieldOfficer, PillarActivity

pytestmark = pytest.mark.django_db

DEMO_MODELS = (DesmigratifVillage, FieldOfficer, PillarActivity, Cooperative, CooperativeMember,
               CooperativeYearlyFigure, Engagement, MigrantWorker, Placement, Reintegration)


def _counts() -> dict[str, int]:
    User = get_user_model()
    return {model.__name__: model.objects.count() for model in (*DEMO_MODELS, User)}


def _agency_valid_in(agency: Agency, year: int) -> bool:
    return ((agency.valid_from is None or agency.valid_from.year <= year)
            and (agency.valid_until is None or agency.valid_until.year >= year))


# --- Desmigratif villages ---------------------------------------------------------------------


def test_villages_per_year_reproduce_the_published_figures():
    per_year = dict(DesmigratifVillage.objects.order_by().values_list("year_designated")
                    .annotate(n=Count("pk")))
    assert per_year == {2016: 2, 2017: 120, 2018: 130, 2019: 150, 2021: 51, 2022: 50}
    cumulative = 0
    for year in range(2016, 2023):
        cumulative += per_year.get(year, 0)
    assert cumulative == 503
    assert DesmigratifVillage.objects.filter(year_designated__lte=2019).count() == 402


def test_pilots_are_the_two_villages_of_2016():
    pilots = DesmigratifVillage.objects.filter(year_designated=2016)
    assert sorted(pilots.values_list("village_id", flat=True)) == ["32.12.16.2004", "33.07.10.2004"]
    assert {p.village.name for p in pilots.select_related("village")} == {"Kenanga", "Kuripan"}


def test_funding_follows_the_years_and_cirebon_has_ten_dana_desa_villages():
    assert not DesmigratifVillage.objects.filter(year_designated__lte=2019).exclude(
        funding_source=FundingSource.APBN).exists()
    assert not DesmigratifVillage.objects.filter(year_designated__gte=2021).exclude(
        funding_source__in=[FundingSource.APBD, FundingSource.DANA_DESA]).exists()
    cirebon_dana_desa = DesmigratifVillage.objects.filter(village__code__startswith="32.09.",
                                                          funding_source=FundingSource.DANA_DESA)
    assert cirebon_dana_desa.count() == 10
    assert set(cirebon_dana_desa.values_list("year_designated", flat=True)) <= {2021, 2022}


def test_villages_are_desa_in_sending_regencies_with_decrees_and_two_officers():
    villages = list(DesmigratifVillage.objects.all())
    assert all(v.village_id[9] == "2" for v in villages)
    assert {v.village_id[:5] for v in villages} <= set(data.REGENCY_WEIGHTS)
    assert all(v.decree_number and v.decree_date and v.decree_date.year == v.year_designated for v in villages)
    statuses = Counter(v.status for v in villages)
    assert statuses[DesmigratifStatus.ACTIVE] > 0.85 * len(villages)
    assert 0 < sum(v.is_desa_migran_emas for v in villages) < 30
    officers = Counter(FieldOfficer.objects.filter(role=OfficerRole.FIELD_OFFICER)
                       .values_list("desmigratif_village_id", flat=True))
    assert len(officers) == 503 and set(officers.values()) == {2}


# --- activities, cooperatives, engagements --------------------------------------------------


def test_activities_spread_over_the_four_pillars_with_matching_kinds():
    activities = list(PillarActivity.objects.select_related("partner_agency", "desmigratif_village"))
    assert len(activities) > 3000
    assert {a.pillar for a in activities} == set(Pillar.values)
    assert len({a.desmigratif_village_id for a in activities}) > 400
    assert len({a.date.year for a in activities}) >= 9
    for activity in activities:
        assert activity.kind in ActivityKind.for_pillar(activity.pillar)
        assert activity.children_reached == 0 or activity.pillar == Pillar.COMMUNITY_PARENTING
        assert activity.businesses_started == 0 or activity.pillar == Pillar.PRODUCTIVE_BUSINESS
        assert activity.desmigratif_village.decree_date <= activity.date <= data.TODAY
        agency = activity.partner_agency
        if agency:
            assert agency.valid_from is None or agency.valid_from <= activity.date
            assert agency.valid_until is None or activity.date <= agency.valid_until
    assert sum(a.partner_agency_id is not None for a in activities) > 0.2 * len(activities)


def test_cooperatives_have_consistent_yearly_figures():
    cooperatives = list(Cooperative.objects.prefetch_related("yearly_figures"))
    assert 0.3 * 503 < len(cooperatives) < 0.6 * 503
    assert {c.kind for c in cooperatives} == {"koperasi", "bumdes"}
    negative_shu = 0
    for cooperative in cooperatives:
        figures = sorted(cooperative.yearly_figures.all(), key=lambda f: f.year)
        assert [f.year for f in figures] == list(range(cooperative.year_founded, figures[-1].year + 1))
        assert not cooperative.is_active or figures[-1].year == data.TODAY.year
        members = [f.members for f in figures]
        assert members == sorted(members)
        for figure in figures:
            assert 0 <= figure.members_returned_pmi <= figure.members
            assert figure.capital >= 0 and figure.assets >= 0 and figure.revenue >= 0
            negative_shu += figure.shu < 0
    assert negative_shu > 0


def test_cooperative_members_link_returned_pmi_of_the_village():
    linked = list(CooperativeMember.objects.filter(migrant__isnull=False)
                  .select_related("migrant__reintegration", "cooperative__desmigratif_village"))
    assert len(linked) > 50
    for member in linked:
        assert member.is_returned_pmi and member.migrant.stage == Stage.RETURNED
        assert member.migrant.village_id == member.cooperative.desmigratif_village.village_id
        assert member.migrant.reintegration.is_cooperative_member
        assert member.joined_on <= data.TODAY
    assert CooperativeMember.objects.filter(migrant__isnull=True).exists()


def test_engagements_at_every_level_by_agencies_valid_in_the_year():
    engagements = list(Engagement.objects.select_related("agency"))
    assert {e.level for e in engagements} == set(EngagementLevel.values)
    assert {e.year for e in engagements} == set(range(2017, 2026))
    for engagement in engagements:
        assert _agency_valid_in(engagement.agency, engagement.year)
        assert engagement.agency.acronym != "PUPR"  # documented as proposed only
    assert Engagement.objects.filter(agency__acronym=data.BPJS_ACRONYM).count() > 10


# --- PMI ------------------------------------------------------------------------------------------


def test_every_stage_has_pmi():
    stages = Counter(MigrantWorker.objects.values_list("stage", flat=True))
    assert sum(stages.values()) == data.MIGRANT_COUNT
    assert set(stages) == set(Stage.values)
    assert stages[Stage.ABROAD] > stages[Stage.READY]


def test_pmi_come_from_around_the_program_villages():
    program = set(DesmigratifVillage.objects.values_list("village_id", flat=True))
    origins = list(MigrantWorker.objects.values_list("village_id", flat=True))
    assert sum(code in program for code in origins) > 0.6 * len(origins)
    assert {code[:5] for code in origins} <= {code[:5] for code in program}


def test_every_nik_passes_check_nik_and_its_flags_are_check_nik_s():
    flagged = []
    for migrant in MigrantWorker.objects.all():
        assert len(migrant.nik) == 16 and migrant.nik.isdigit()
        result = check_nik(migrant.nik, birth_date=migrant.birth_date, gender=migrant.gender)
        assert migrant.nik_flags == ",".join(result.flags)
        assert migrant.nik_needs_verification == bool(result.flags)
        if result.flags:
            flagged.append(migrant)
        else:
            # an unflagged NIK was issued in the district of the village of origin
            assert migrant.nik[:6] == migrant.village_id[:8].replace(".", "")
    assert 0.01 * data.MIGRANT_COUNT <= len(flagged) <= 0.04 * data.MIGRANT_COUNT
    kinds = {flag for migrant in flagged for flag in migrant.nik_flags.split(",")}
    assert {NikFlag.REGENCY_NOT_CURRENT, NikFlag.BIRTH_DATE_MISMATCH} <= kinds


def test_placements_agree_with_stages_and_dates():
    placements = defaultdict(list)
    for placement in Placement.objects.order_by("departure_date"):
        placements[placement.migrant_id].append(placement)
    for migrant in MigrantWorker.objects.all():
        stays = placements[migrant.pk]
        open_stays = [p for p in stays if p.return_date is None]
        assert migrant.registered_on <= migrant.stage_changed_on <= data.TODAY
        assert migrant.birth_date.year <= migrant.registered_on.year - 18
        if migrant.stage in PROSPECTIVE_STAGES:
            assert not stays
            continue
        assert migrant.registered_on < stays[0].departure_date
        for earlier, later in zip(stays, stays[1:], strict=False):
            assert earlier.return_date is not None and earlier.return_date < later.departure_date
        if migrant.stage == Stage.ABROAD:
            assert len(open_stays) == 1 and open_stays[0] is stays[-1]
            assert migrant.stage_changed_on == stays[-1].departure_date
        else:
            assert not open_stays
            assert migrant.stage_changed_on == stays[-1].return_date
        for stay in stays:
            assert stay.departure_date <= data.TODAY
            assert stay.contract_end_date > stay.departure_date
            assert stay.return_date is None or stay.departure_date <= stay.return_date <= data.TODAY
            assert (stay.scheme == PlacementScheme.P_TO_P) <= bool(stay.p3mi_name)
    countries = Counter(Placement.objects.values_list("destination_country", flat=True))
    assert [code for code, _ in countries.most_common(3)] == ["TW", "MY", "HK"]
    reasons = Counter(Placement.objects.exclude(return_reason="").values_list("return_reason", flat=True))
    assert reasons.most_common(1)[0][0] == ReturnReason.CONTRACT_ENDED and len(reasons) >= 5


def test_reintegration_only_for_returnees_after_their_return():
    last_return = dict(Placement.objects.filter(return_date__isnull=False).order_by("return_date")
                       .values_list("migrant_id", "return_date"))
    reintegrations = list(Reintegration.objects.select_related("migrant"))
    assert len(reintegrations) > 0.4 * MigrantWorker.objects.filter(stage=Stage.RETURNED).count()
    for reintegration in reintegrations:
        assert reintegration.migrant.stage == Stage.RETURNED
        if reintegration.business_started_on:
            assert last_return[reintegration.migrant_id] < reintegration.business_started_on <= data.TODAY


def test_a_sample_passes_full_validation_with_constraints():
    # The load skips the per-row uniqueness and constraint queries; the database enforces them,
    # and a sample shows Django's own validation agrees.
    for model in DEMO_MODELS:
        for obj in model.objects.order_by("pk")[:40]:
            obj.full_clean()


# --- demo users ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "role", "area"), [
    ("admin", Role.ADMIN, {}),
    ("kemnaker", Role.MINISTRY, {}),
    ("jabar", Role.PROVINCE_OFFICER, {"province_id": "32"}),
    ("cirebon", Role.REGENCY_OPERATOR, {"regency_id": "32.09"}),
    ("indramayu", Role.REGENCY_OPERATOR, {"regency_id": "32.12"}),
])
def test_demo_users_have_their_role_and_area_and_can_log_in(client, username, role, area):
    user = get_user_model().objects.get(username=username)
    assert user.role == role
    for field in ("province_id", "regency_id", "village_id", "agency_id"):
        assert getattr(user, field) == area.get(field)
    response = client.post(reverse("login"), {"username": username, "password": data.DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_village_officer_and_agency_staff():
    User = get_user_model()
    petugas = User.objects.get(username="petugas")
    assert petugas.role == Role.VILLAGE_OFFICER and not petugas.is_staff
    assert DesmigratifVillage.objects.filter(village_id=petugas.village_id).exists()
    assert petugas.village_id.startswith("32.09.")
    assert MigrantWorker.objects.filter(village_id=petugas.village_id).exists()
    bpjs = User.objects.get(username="bpjs")
    assert bpjs.role == Role.AGENCY_STAFF and bpjs.agency.acronym == data.BPJS_ACRONYM
    assert "Ketenagakerjaan" in bpjs.agency.name
    for user in (petugas, bpjs):
        assert user.check_password(data.DEMO_PASSWORD)


def test_only_the_administrator_is_staff_and_no_demo_user_holds_model_permissions():
    # the Django admin is for administrators only: the other roles work in the portal's pages
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    for user in User.objects.filter(username__in=[spec.username for spec in data.DEMO_USERS]).exclude(pk=admin.pk):
        assert not user.is_staff and not user.is_superuser, user.username
        assert not user.groups.exists() and not user.get_all_permissions(), user.username
    assert not Group.objects.filter(name__in=data.RETIRED_GROUPS).exists()


def test_a_rerun_on_a_database_with_the_old_admin_groups_deletes_them():
    # what load_demo made before the admin was for administrators only
    User = get_user_model()
    cirebon = User.objects.get(username="cirebon")
    cirebon.is_staff = True
    cirebon.save()
    group = Group.objects.create(name=data.RETIRED_GROUPS[-1])
    group.permissions.set(Permission.objects.filter(codename__in=["add_migrantworker", "change_placement"]))
    cirebon.groups.add(group)
    before = _counts()
    result = demo_load()
    assert result["already_loaded"] is True and result["users_created"] == 0
    assert _counts() == before
    cirebon = User.objects.get(username="cirebon")
    assert not cirebon.is_staff and not cirebon.groups.exists() and not cirebon.has_perm("migrants.add_migrantworker")
    assert not Group.objects.filter(name__in=data.RETIRED_GROUPS).exists()


# --- reruns, determinism, the command ---------------------------------------------------------------


def test_a_rerun_creates_nothing():
    before = _counts()
    result = demo_load()
    assert result["already_loaded"] is True
    assert result["users_created"] == 0 and result["users_updated"] == len(data.DEMO_USERS)
    assert _counts() == before


def _key(obj):
    if obj is None:
        return None
    if isinstance(obj, DesmigratifVillage):
        return obj.village_id
    if isinstance(obj, MigrantWorker):
        return obj.nik
    if isinstance(obj, Cooperative):
        return (obj.desmigratif_village.village_id, obj.name)
    return obj.pk


def _rows(objects) -> list[tuple]:
    rows = []
    for obj in objects:
        row = []
        for field in obj._meta.concrete_fields:
            if field.primary_key or field.name in ("created_at", "updated_at"):
                continue
            row.append(_key(getattr(obj, field.name)) if field.is_relation else getattr(obj, field.attname))
        rows.append(tuple(row))
    return rows


def test_the_same_seed_builds_the_same_plan():
    context = demo_context_load()
    first, second = build_demo(seed=7, context=context), build_demo(seed=7, context=context)
    for name in first.__dataclass_fields__:
        assert _rows(getattr(first, name)) == _rows(getattr(second, name)), name
    other = build_demo(seed=8, context=context)
    assert _rows(other.migrants) != _rows(first.migrants)
    # the published figures hold for any seed
    assert Counter(v.year_designated for v in other.villages) == Counter(
        {y: n for y, n in data.NEW_VILLAGES_PER_YEAR.items() if n})


def test_load_demo_command_reports_an_existing_load(settings):
    from io import StringIO

    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "already loaded" in text
    assert "cirebon" in text and data.DEMO_PASSWORD in text
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", allow_without_debug=True, stdout=out)
    assert data.DEMO_PASSWORD not in out.getvalue()


def test_load_demo_needs_the_regions(monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(data, "PILOT_VILLAGES", ("99.99.99.2999", "33.07.10.2004"))
    with pytest.raises(RegionsNotLoaded):
        demo_load()
    with pytest.raises(CommandError, match="load_regions"):
        call_command("load_demo")


def test_documented_agencies_are_seeded_with_their_renames():
    agencies = {a.acronym: a for a in Agency.objects.select_related("successor")}
    for acronym in ("Kemnaker", "Kemendes PDTT", "Kemenkop UKM", "BPJS TK", "BI", "BRI", "BNI", "Pemda"):
        assert acronym in agencies
    assert agencies["Kemkominfo"].successor == agencies["Komdigi"]
    assert agencies["BP2MI"].successor == agencies["KP2MI"]
    assert agencies["Kemkominfo"].valid_until < agencies["Komdigi"].valid_from
    assert all(a.source for a in agencies.values() if a.acronym in ("Kemnaker", "BPJS TK", "PUPR"))
