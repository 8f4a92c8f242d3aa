"""Cooperative pages (with members and yearly figures), seen by each kind of user."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cooperatives.models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from migrants.choices import Stage
from migrants.models import MigrantWorker
from villages.models import DesmigratifVillage

pytestmark = pytest.mark.django_db


def login(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


@pytest.fixture
def cirebon_coop() -> Cooperative:
    """A Kabupaten Cirebon cooperative with yearly figures and members linked to PMI records."""
    return (Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.",
                                       members__migrant__isnull=False, yearly_figures__isnull=False)
            .distinct().order_by("pk").first())


@pytest.fixture
def cirebon_dv() -> DesmigratifVillage:
    return DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()


def figure_data(**overrides) -> dict:
    data = {"year": 2016, "members": 40, "members_returned_pmi": 12, "capital": 25000000, "assets": 60000000,
            "revenue": 18000000, "shu": -1250000}
    return {**data, **overrides}


def free_year(cooperative: Cooperative) -> int:
    """A past book year without figures (the oldest figures make room when every year is taken)."""
    taken = set(cooperative.yearly_figures.values_list("year", flat=True))
    for year in range(max(cooperative.year_founded, 2016), timezone.localdate().year + 1):
        if year not in taken:
            return year
    oldest = cooperative.yearly_figures.order_by("year").first()
    oldest.delete()
    return oldest.year


# --- list ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["cirebon", "kemnaker", "jabar", "petugas", "bpjs"])
def test_list_is_scoped_and_bounded(client, django_assert_max_num_queries, username):
    user = login(client, username)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cooperatives:cooperative_list"), {"per_page": 100})
    assert response.status_code == 200
    objects = list(response.context["object_list"])
    codes = {c.desmigratif_village.village_id for c in objects}
    expected = Cooperative.objects.filter(desmigratif_village__village__code__startswith=user.area_code).count()
    assert response.context["paginator"].count == expected
    if user.area_code:
        assert all(code.startswith(user.area_code) for code in codes)
    assert response.context["can_add"] is (username in ("cirebon", "petugas"))


def test_cirebon_sees_only_its_area(client):
    login(client, "cirebon")
    response = client.get(reverse("cooperatives:cooperative_list"), {"per_page": 100})
    names = {c.name for c in response.context["object_list"]}
    indramayu = Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.12.")
    assert indramayu.exists() and not names & set(indramayu.values_list("name", flat=True))
    # asking for another area's code gives nothing, not that area's records
    response = client.get(reverse("cooperatives:cooperative_list"), {"area": "32.12"})
    assert response.context["paginator"].count == 0


def test_filters_and_sorting(client, cirebon_coop):
    login(client, "kemnaker")
    url = reverse("cooperatives:cooperative_list")
    response = client.get(url, {"area": "32.09", "o": "-year_founded", "per_page": 100})
    objects = list(response.context["object_list"])
    assert objects and all(c.desmigratif_village.village_id.startswith("32.09.") for c in objects)
    assert [c.year_founded for c in objects] == sorted((c.year_founded for c in objects), reverse=True)
    response = client.get(url, {"q": cirebon_coop.name})
    assert cirebon_coop in response.context["object_list"]
    response = client.get(url, {"kind": "bumdes", "per_page": 100})
    assert all(c.kind == "bumdes" for c in response.context["object_list"])
    response = client.get(url, {"year_founded_min": 2019, "year_founded_max": 2019, "per_page": 100})
    assert {c.year_founded for c in response.context["object_list"]} <= {2019}
    response = client.get(url, {"is_active": "false", "per_page": 100})
    assert all(not c.is_active for c in response.context["object_list"])


# --- detail -------------------------------------------------------------------------------------

def test_detail_shows_figures_and_members_without_nik(client, django_assert_max_num_queries, cirebon_coop):
    login(client, "cirebon")
    with django_assert_max_num_queries(12):
        response = client.get(cirebon_coop.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    figure = cirebon_coop.yearly_figures.order_by("-year").first()
    assert str(figure.year) in content
    linked = cirebon_coop.members.filter(migrant__isnull=False).select_related("migrant")
    for member in linked:
        assert member.migrant.name in content
        assert member.migrant.nik not in content and member.migrant.nik[:4] + "•" not in content
    assert reverse("cooperatives:cooperativeyearlyfigure_add", args=[cirebon_coop.pk]) in content
    assert reverse("cooperatives:cooperativemember_add", args=[cirebon_coop.pk]) in content


def test_negative_shu_is_shown_in_rupiah(client, cirebon_coop):
    login(client, "cirebon")
    CooperativeYearlyFigure.objects.create(cooperative=cirebon_coop, year=free_year(cirebon_coop), members=10,
                                           members_returned_pmi=2, shu=Decimal(-1250000))
    content = client.get(cirebon_coop.get_absolute_url()).content.decode()
    assert "-Rp 1.250.000" in content


def test_agency_staff_see_no_member_names(client, cirebon_coop):
    login(client, "bpjs")
    response = client.get(cirebon_coop.get_absolute_url())
    assert response.status_code == 200
    for member in cirebon_coop.members.all():
        assert member.name not in response.content.decode()
    assert client.get(reverse("cooperatives:cooperativemember_add", args=[cirebon_coop.pk])).status_code == 403


# --- scoping and roles --------------------------------------------------------------------------

def test_other_area_gets_404_everywhere(client, cirebon_coop):
    login(client, "indramayu")
    member = cirebon_coop.members.first()
    figure = cirebon_coop.yearly_figures.first()
    urls = [reverse(f"cooperatives:cooperative_{name}", args=[cirebon_coop.pk])
            for name in ("detail", "edit", "delete")]
    urls += [reverse("cooperatives:cooperativemember_add", args=[cirebon_coop.pk]),
             reverse("cooperatives:cooperativemember_edit", args=[member.pk]),
             reverse("cooperatives:cooperativemember_delete", args=[member.pk]),
             reverse("cooperatives:cooperativeyearlyfigure_add", args=[cirebon_coop.pk]),
             reverse("cooperatives:cooperativeyearlyfigure_edit", args=[figure.pk]),
             reverse("cooperatives:cooperativeyearlyfigure_delete", args=[figure.pk]),
             reverse("record_history", args=["cooperatives.cooperative", cirebon_coop.pk])]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls[1:-1]:
        assert client.post(url, figure_data()).status_code == 404, url
    assert client.get(reverse("cooperatives:cooperativeyearlyfigure_add", args=[cirebon_coop.pk]),
                      HTTP_HX_REQUEST="true").status_code == 404
    assert Cooperative.objects.filter(pk=cirebon_coop.pk).exists()
    assert CooperativeMember.objects.filter(pk=member.pk).exists()
    assert CooperativeYearlyFigure.objects.filter(pk=figure.pk).exists()


def test_readers_cannot_write(client, cirebon_coop):
    login(client, "kemnaker")
    assert client.get(cirebon_coop.get_absolute_url()).status_code == 200
    figure = cirebon_coop.yearly_figures.first()
    for url in (reverse("cooperatives:cooperative_add"),
                reverse("cooperatives:cooperative_edit", args=[cirebon_coop.pk]),
                reverse("cooperatives:cooperative_delete", args=[cirebon_coop.pk]),
                reverse("cooperatives:cooperativeyearlyfigure_add", args=[cirebon_coop.pk]),
                reverse("cooperatives:cooperativeyearlyfigure_edit", args=[figure.pk]),
                reverse("cooperatives:cooperativemember_add", args=[cirebon_coop.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("cooperatives:cooperativeyearlyfigure_add", args=[cirebon_coop.pk]),
                       figure_data(year=free_year(cirebon_coop))).status_code == 403
    content = client.get(cirebon_coop.get_absolute_url()).content.decode()
    assert reverse("cooperatives:cooperative_edit", args=[cirebon_coop.pk]) not in content


def test_village_officer_writes_only_in_their_village(client, cirebon_coop):
    user = login(client, "petugas")
    other = cirebon_coop.desmigratif_village.village_id != user.village_id
    status = client.get(reverse("cooperatives:cooperative_edit", args=[cirebon_coop.pk])).status_code
    assert status == (404 if other else 200)


# --- writes -------------------------------------------------------------------------------------

def test_operator_adds_edits_and_deletes_a_cooperative(client, cirebon_dv):
    login(client, "cirebon")
    data = {"desmigratif_village": cirebon_dv.pk, "name": "Koperasi Uji Halaman", "kind": "koperasi",
            "business_type": "simpan_pinjam", "year_founded": 2021, "legal_entity_number": "", "is_active": "on"}
    response = client.post(reverse("cooperatives:cooperative_add"), data)
    coop = Cooperative.objects.get(name="Koperasi Uji Halaman")
    assert response.status_code == 302 and response["Location"] == coop.get_absolute_url()
    response = client.post(reverse("cooperatives:cooperative_edit", args=[coop.pk]),
                           {**data, "business_type": "serba_usaha"})
    assert response.status_code == 302
    coop.refresh_from_db()
    assert coop.business_type == "serba_usaha"
    assert coop.history.count() == 2
    # a duplicate name in the same village is a form error, not a crash
    response = client.post(reverse("cooperatives:cooperative_add"), data)
    assert response.status_code == 200 and response.context["form"].errors
    # figures from before the cooperative was founded are refused
    response = client.post(reverse("cooperatives:cooperativeyearlyfigure_add", args=[coop.pk]), figure_data(year=2020))
    assert "year" in response.context["form"].errors and not coop.yearly_figures.exists()
    CooperativeYearlyFigure.objects.create(cooperative=coop, year=2022, members=5)
    page = client.get(reverse("cooperatives:cooperative_delete", args=[coop.pk]))
    assert page.status_code == 200 and page.context["figure_count"] == 1
    assert client.post(reverse("cooperatives:cooperative_delete", args=[coop.pk])).status_code == 302
    assert not Cooperative.objects.filter(pk=coop.pk).exists()
    assert not CooperativeYearlyFigure.objects.filter(cooperative_id=coop.pk).exists()


def test_cooperative_outside_the_area_is_refused(client):
    login(client, "cirebon")
    indramayu_dv = DesmigratifVillage.objects.filter(village__code__startswith="32.12.").first()
    before = Cooperative.objects.count()
    response = client.post(reverse("cooperatives:cooperative_add"), {
        "desmigratif_village": indramayu_dv.pk, "name": "Koperasi Salah Wilayah", "kind": "koperasi",
        "business_type": "jasa", "year_founded": 2020, "is_active": "on"})
    assert response.status_code == 200 and "desmigratif_village" in response.context["form"].errors
    assert Cooperative.objects.count() == before


def test_yearly_figures_add_edit_delete(client, cirebon_coop):
    login(client, "cirebon")
    year = free_year(cirebon_coop)
    url = reverse("cooperatives:cooperativeyearlyfigure_add", args=[cirebon_coop.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, figure_data(year=year))
    assert response.status_code == 302 and response["Location"].endswith("#figures")
    figure = cirebon_coop.yearly_figures.get(year=year)
    assert figure.shu == Decimal(-1250000) and figure.members_returned_pmi == 12
    edit = reverse("cooperatives:cooperativeyearlyfigure_edit", args=[figure.pk])
    assert client.post(edit, figure_data(year=year, members=45)).status_code == 302
    figure.refresh_from_db()
    assert figure.members == 45
    delete = reverse("cooperatives:cooperativeyearlyfigure_delete", args=[figure.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not CooperativeYearlyFigure.objects.filter(pk=figure.pk).exists()


def test_bad_yearly_figures_write_nothing(client, cirebon_coop):
    login(client, "cirebon")
    url = reverse("cooperatives:cooperativeyearlyfigure_add", args=[cirebon_coop.pk])
    year = free_year(cirebon_coop)
    before = CooperativeYearlyFigure.objects.count()
    response = client.post(url, figure_data(year=year, members=10, members_returned_pmi=11))
    assert response.status_code == 200 and "members_returned_pmi" in response.context["form"].errors
    taken = cirebon_coop.yearly_figures.first().year
    response = client.post(url, figure_data(year=taken))
    assert response.status_code == 200 and "year" in response.context["form"].errors
    response = client.post(url, figure_data(year=year, capital=-5))
    assert "capital" in response.context["form"].errors
    response = client.post(url, figure_data(year=2015))  # before the program
    assert "year" in response.context["form"].errors
    response = client.post(url, figure_data(year=timezone.localdate().year + 1))  # a book year to come
    assert "year" in response.context["form"].errors
    assert CooperativeYearlyFigure.objects.count() == before


def test_yearly_figures_inline_with_htmx(client, cirebon_coop):
    login(client, "cirebon")
    url = reverse("cooperatives:cooperativeyearlyfigure_add", args=[cirebon_coop.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content and 'id="figures"' in content
    assert 'name="members_returned_pmi"' in content
    year = free_year(cirebon_coop)
    response = client.post(url, figure_data(year=year, members=10, members_returned_pmi=11), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'name="members_returned_pmi"' in response.content.decode()
    assert not cirebon_coop.yearly_figures.filter(year=year).exists()
    response = client.post(url, figure_data(year=year), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert 'name="members_returned_pmi"' not in content and "-Rp 1.250.000" in content
    assert cirebon_coop.yearly_figures.filter(year=year).exists()
    # cancelling an inline form asks for the section alone
    section = client.get(cirebon_coop.get_absolute_url(), {"section": "figures"}, HTTP_HX_REQUEST="true")
    assert "<html" not in section.content.decode() and str(year) in section.content.decode()


def test_members_link_pmi_of_the_area_only(client, cirebon_coop):
    login(client, "cirebon")
    taken = cirebon_coop.members.exclude(migrant=None).values("migrant_id")
    pmi = (MigrantWorker.objects.filter(village__code__startswith="32.09.", stage=Stage.RETURNED)
           .exclude(pk__in=taken).first())
    url = reverse("cooperatives:cooperativemember_add", args=[cirebon_coop.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "", "migrant": f"#{pmi.pk} {pmi.name}", "is_returned_pmi": "on",
                                 "joined_on": "02/01/2024"})
    assert response.status_code == 302
    member = cirebon_coop.members.get(migrant=pmi)
    assert member.name == pmi.name and member.joined_on.isoformat() == "2024-01-02"
    # the same PMI twice: a form error
    response = client.post(url, {"name": "", "migrant": f"#{pmi.pk} {pmi.name}"})
    assert response.status_code == 200 and response.context["form"].errors
    # a PMI of Indramayu cannot be linked, by id or NIK
    other = MigrantWorker.objects.filter(village__code__startswith="32.12.").first()
    for value in (f"#{other.pk} {other.name}", other.nik):
        response = client.post(url, {"name": "X", "migrant": value})
        assert "migrant" in response.context["form"].errors
    assert not cirebon_coop.members.filter(migrant=other).exists()
    # a member without a PMI record needs a name
    response = client.post(url, {"name": "", "migrant": ""})
    assert "name" in response.context["form"].errors
    # edit and remove
    edit = reverse("cooperatives:cooperativemember_edit", args=[member.pk])
    page = client.get(edit)
    assert page.status_code == 200 and f"#{pmi.pk} " in page.content.decode()
    assert client.post(edit, {"name": "Nama Baru", "migrant": f"#{pmi.pk} {pmi.name}"}).status_code == 302
    member.refresh_from_db()
    assert member.name == "Nama Baru" and not member.is_returned_pmi
    delete = reverse("cooperatives:cooperativemember_delete", args=[member.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not CooperativeMember.objects.filter(pk=member.pk).exists()
    assert MigrantWorker.objects.filter(pk=pmi.pk).exists()


def test_pmi_search_is_a_scoped_post(client):
    url = reverse("cooperatives:member_migrant_search")
    pmi = MigrantWorker.objects.filter(village__code__startswith="32.09.").first()
    other = MigrantWorker.objects.filter(village__code__startswith="32.12.").first()
    login(client, "cirebon")
    assert client.get(url, {"q": pmi.nik[:6]}).status_code == 405  # a NIK is never sent in a URL
    found = client.post(url, {"q": pmi.nik[:10]}).json()["results"]
    assert f"#{pmi.pk} {pmi.name}" in {r["value"] for r in found}
    assert client.post(url, {"q": other.nik}).json()["results"] == []
    options = client.post(url, {"q": pmi.name}, HTTP_HX_REQUEST="true").content.decode()
    assert f"#{pmi.pk} " in options
    assert client.post(url, {"q": "ab"}).json()["results"] == []
    login(client, "kemnaker")
    assert client.post(url, {"q": pmi.name}).status_code == 403


def test_menu_lists_cooperatives(client):
    login(client, "bpjs")
    urls = [e["url"] for e in client.get(reverse("home")).context["menu"]]
    assert reverse("cooperatives:cooperative_list") in urls
