"""Agency and engagement pages: who reads, who writes which engagement."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from agencies import services
from agencies.models import Agency, Engagement
from villages.choices import Pillar

pytestmark = pytest.mark.django_db


def login(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


@pytest.fixture
def bpjs() -> Agency:
    return Agency.objects.get(acronym="BPJS TK")


@pytest.fixture
def kemnaker() -> Agency:
    return Agency.objects.get(acronym="Kemnaker")


@pytest.fixture
def cirebon_engagement() -> Engagement:
    return Engagement.objects.filter(regency__code="32.09").exclude(agency__acronym="BPJS TK").order_by("pk").first()


def engagement_data(**overrides) -> dict:
    data = {"year": 2024, "pillar": Pillar.MIGRATION_SERVICE, "kind": "service", "level": "national",
            "regency": "", "village": "", "budget": 75000000, "description": "Sosialisasi uji halaman"}
    return {**data, **overrides}


# --- agencies ----------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["admin", "kemnaker", "cirebon", "petugas", "bpjs"])
def test_agency_pages_read_by_every_role(client, django_assert_max_num_queries, username, bpjs):
    login(client, username)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("agencies:agency_list"))
    assert response.status_code == 200
    assert bpjs in response.context["object_list"]
    assert response.context["can_add"] is (username == "admin")
    with django_assert_max_num_queries(12):
        response = client.get(bpjs.get_absolute_url())
    assert response.status_code == 200
    assert response.context["engagement_count"] == services_count(username, bpjs)


def services_count(username: str, agency: Agency) -> int:
    from agencies.selectors import engagement_list

    return engagement_list(user=User.objects.get(username=username)).filter(agency=agency).count()


def test_agency_engagement_counts_stay_in_the_area(client, bpjs):
    login(client, "cirebon")
    response = client.get(reverse("agencies:agency_list"), {"q": "BPJS"})
    row = next(a for a in response.context["object_list"] if a.pk == bpjs.pk)
    assert row.engagement_count == services_count("cirebon", bpjs) < bpjs.engagements.count()


def test_only_admins_change_agencies(client, bpjs):
    for username in ("kemnaker", "cirebon", "bpjs"):
        login(client, username)
        assert client.get(reverse("agencies:agency_add")).status_code == 403
        assert client.get(reverse("agencies:agency_edit", args=[bpjs.pk])).status_code == 403
        assert client.post(reverse("agencies:agency_edit", args=[bpjs.pk]), {"acronym": "X"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.agency_update(user=User.objects.get(username="cirebon"), instance=bpjs, name="X")


def test_admin_adds_and_edits_an_agency(client, bpjs):
    login(client, "admin")
    data = {"acronym": "BPJS TK", "name": bpjs.name, "kind": bpjs.kind, "valid_from": "01/01/2014",
            "valid_until": "", "successor": "", "source": "UU 24/2011"}
    response = client.post(reverse("agencies:agency_edit", args=[bpjs.pk]), data)
    assert response.status_code == 302 and response["Location"] == bpjs.get_absolute_url()
    bpjs.refresh_from_db()
    assert bpjs.valid_from.isoformat() == "2014-01-01" and bpjs.source == "UU 24/2011"
    # a ministry renamed by a new cabinet: validity ends, a successor is named
    response = client.post(reverse("agencies:agency_add"), {"acronym": "KemenUji", "name": "Kementerian Uji",
                                                            "kind": "ministry", "valid_from": "01/01/2020",
                                                            "valid_until": "31/12/2019"})
    assert "valid_until" in response.context["form"].errors
    assert not Agency.objects.filter(acronym="KemenUji").exists()
    response = client.post(reverse("agencies:agency_add"), {"acronym": "KemenUji", "name": "Kementerian Uji",
                                                            "kind": "ministry", "valid_from": "01/01/2020",
                                                            "successor": bpjs.pk})
    assert response.status_code == 302
    new = Agency.objects.get(acronym="KemenUji")
    assert new.successor == bpjs
    assert new in client.get(bpjs.get_absolute_url()).context["predecessors"]


# --- engagements: reading ----------------------------------------------------------------------

@pytest.mark.parametrize("username", ["cirebon", "kemnaker", "jabar", "petugas", "bpjs"])
def test_engagement_list_scoped_and_bounded(client, django_assert_max_num_queries, username):
    user = login(client, username)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("agencies:engagement_list"), {"per_page": 100})
    assert response.status_code == 200
    objects = list(response.context["object_list"])
    assert objects
    area = user.area_code
    for engagement in objects:
        code = engagement.area_code
        assert (not area or engagement.level == "national" or code.startswith(area)
                or (len(area) > 5 and code == area[:5])), (username, code)
    assert response.context["can_add"] is (username in ("cirebon", "petugas", "bpjs"))


def test_cirebon_reads_national_and_its_own(client):
    login(client, "cirebon")
    response = client.get(reverse("agencies:engagement_list"), {"per_page": 100})
    total = response.context["paginator"].count
    expected = (Engagement.objects.filter(level="national").count()
                + Engagement.objects.filter(regency__code="32.09").count()
                + Engagement.objects.filter(village__code__startswith="32.09.").count())
    assert total == expected
    other = Engagement.objects.filter(regency__code="32.12").first()
    login(client, "indramayu")
    assert client.get(other.get_absolute_url()).status_code == 200


def test_engagement_filters(client, bpjs):
    login(client, "kemnaker")
    url = reverse("agencies:engagement_list")
    response = client.get(url, {"agency": bpjs.pk, "per_page": 100})
    assert response.context["paginator"].count == bpjs.engagements.count()
    response = client.get(url, {"area": "32.09", "per_page": 100})
    codes = [e.area_code for e in response.context["object_list"]]
    assert codes and all(c == "32.09" or c.startswith("32.09.") for c in codes)
    response = client.get(url, {"year_min": 2019, "year_max": 2020, "level": "regency", "o": "-budget"})
    objects = list(response.context["object_list"])
    assert all(2019 <= e.year <= 2020 and e.level == "regency" for e in objects)
    assert [e.budget for e in objects] == sorted((e.budget for e in objects), reverse=True)
    response = client.get(url, {"pillar": Pillar.COOPERATIVE, "kind": "training"})
    assert all(e.pillar == Pillar.COOPERATIVE and e.kind == "training" for e in response.context["object_list"])


def test_other_area_gets_404(client, cirebon_engagement):
    login(client, "indramayu")
    for name in ("engagement_detail", "engagement_edit", "engagement_delete"):
        assert client.get(reverse(f"agencies:{name}", args=[cirebon_engagement.pk])).status_code == 404
    assert client.post(reverse("agencies:engagement_delete", args=[cirebon_engagement.pk])).status_code == 404
    assert Engagement.objects.filter(pk=cirebon_engagement.pk).exists()


def test_readers_cannot_write(client, cirebon_engagement):
    login(client, "kemnaker")
    assert client.get(cirebon_engagement.get_absolute_url()).status_code == 200
    assert client.get(reverse("agencies:engagement_add")).status_code == 403
    assert client.get(reverse("agencies:engagement_edit", args=[cirebon_engagement.pk])).status_code == 403
    assert client.post(reverse("agencies:engagement_add"), engagement_data()).status_code == 403


# --- engagements: agency staff -----------------------------------------------------------------

def test_agency_staff_record_their_own_agency(client, bpjs, kemnaker):
    user = login(client, "bpjs")
    page = client.get(reverse("agencies:engagement_add"))
    assert page.status_code == 200 and page.context["form"].fields["agency"].disabled
    # the agency field is fixed: a posted agency is ignored
    response = client.post(reverse("agencies:engagement_add"), engagement_data(agency=kemnaker.pk))
    assert response.status_code == 302
    created = Engagement.objects.get(description="Sosialisasi uji halaman")
    assert created.agency == bpjs and created.level == "national"
    # at village level anywhere
    response = client.post(reverse("agencies:engagement_add"),
                           engagement_data(level="village", village="32.12.16.2004", description="Desa uji"))
    assert response.status_code == 302
    assert Engagement.objects.get(description="Desa uji").village_id == "32.12.16.2004"
    with pytest.raises(PermissionDenied):
        services.engagement_create(user=user, agency=kemnaker, level="national", pillar=Pillar.MIGRATION_SERVICE,
                                   kind="service", year=2024)
    # their own: editable and deletable; another agency's: read only
    edit = reverse("agencies:engagement_edit", args=[created.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, engagement_data(budget=80000000)).status_code == 302
    created.refresh_from_db()
    assert created.budget == 80000000
    other = Engagement.objects.filter(agency=kemnaker).first()
    assert client.get(other.get_absolute_url()).status_code == 200
    assert not client.get(other.get_absolute_url()).context["can_change"]
    assert client.get(reverse("agencies:engagement_edit", args=[other.pk])).status_code == 403
    assert client.post(reverse("agencies:engagement_edit", args=[other.pk]), engagement_data()).status_code == 403
    assert client.post(reverse("agencies:engagement_delete", args=[other.pk])).status_code == 403
    other.refresh_from_db()
    assert other.agency == kemnaker
    delete = reverse("agencies:engagement_delete", args=[created.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not Engagement.objects.filter(pk=created.pk).exists()


# --- engagements: regency operators ------------------------------------------------------------

def test_operator_records_engagements_in_their_regency(client, kemnaker, cirebon_engagement):
    login(client, "cirebon")
    page = client.get(reverse("agencies:engagement_add"))
    assert "national" not in dict(page.context["form"].fields["level"].choices)
    url = reverse("agencies:engagement_add")
    response = client.post(url, engagement_data(agency=kemnaker.pk, level="regency", regency="32.09",
                                                description="Regency uji"))
    assert response.status_code == 302
    response = client.post(url, engagement_data(agency=kemnaker.pk, level="village", village="32.09.14.2004",
                                                description="Village uji"))
    assert response.status_code == 302
    before = Engagement.objects.count()
    for bad in (engagement_data(agency=kemnaker.pk, level="regency", regency="32.12"),
                engagement_data(agency=kemnaker.pk, level="village", village="32.12.16.2004"),
                engagement_data(agency=kemnaker.pk, level="national"),
                engagement_data(agency=kemnaker.pk, level="regency", regency="")):
        response = client.post(url, bad)
        assert response.status_code == 200 and response.context["form"].errors, bad
    assert Engagement.objects.count() == before
    # an operator edits the engagements of their regency, not the national ones they read
    assert client.get(reverse("agencies:engagement_edit", args=[cirebon_engagement.pk])).status_code == 200
    national = Engagement.objects.filter(level="national").first()
    assert client.get(national.get_absolute_url()).status_code == 200
    assert client.get(reverse("agencies:engagement_edit", args=[national.pk])).status_code == 403
    # and cannot move one of theirs out of the regency
    response = client.post(reverse("agencies:engagement_edit", args=[cirebon_engagement.pk]),
                           engagement_data(agency=cirebon_engagement.agency_id, level="regency", regency="32.12"))
    assert response.status_code == 200
    cirebon_engagement.refresh_from_db()
    assert cirebon_engagement.regency_id == "32.09"


def test_write_rule(kemnaker, bpjs):
    users = {u.username: u for u in User.objects.all()}
    rule = services.engagement_can_write
    assert rule(users["admin"], agency_id=kemnaker.pk, level="national", regency_code=None, village_code=None)
    assert rule(users["bpjs"], agency_id=bpjs.pk, level="regency", regency_code="32.12", village_code=None)
    assert not rule(users["bpjs"], agency_id=kemnaker.pk, level="national", regency_code=None, village_code=None)
    assert rule(users["cirebon"], agency_id=kemnaker.pk, level="regency", regency_code="32.09", village_code=None)
    assert not rule(users["cirebon"], agency_id=kemnaker.pk, level="national", regency_code=None, village_code=None)
    assert not rule(users["indramayu"], agency_id=kemnaker.pk, level="village", regency_code=None,
                    village_code="32.09.14.2004")
    village = users["petugas"].village_id
    assert rule(users["petugas"], agency_id=kemnaker.pk, level="village", regency_code=None, village_code=village)
    assert not rule(users["petugas"], agency_id=kemnaker.pk, level="regency", regency_code="32.09", village_code=None)
    for reader in ("kemnaker", "jabar"):
        assert not rule(users[reader], agency_id=kemnaker.pk, level="regency", regency_code="32.09",
                        village_code=None)
