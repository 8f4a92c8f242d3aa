import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cooperatives.models import Cooperative, CooperativeYearlyFigure
from regions.models import Village
from villages.models import DesmigratifVillage

from .base import ApiEndpointCases, token_client

pytestmark = pytest.mark.django_db


ALL_ROLES = ("admin", "kemnaker", "jabar", "cirebon", "indramayu", "petugas", "bpjs")


def program_village(prefix: str) -> str:
    return (DesmigratifVillage.objects.filter(village__code__startswith=prefix).order_by("village_id")
            .values_list("village_id", flat=True).first())


def cirebon_cooperative() -> Cooperative:
    return Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.").order_by("pk").first()


def free_year(cooperative: Cooperative) -> int:
    """A book year of the program, already begun and since the founding, without figures yet."""
    taken = set(cooperative.yearly_figures.values_list("year", flat=True))
    years = range(max(2016, cooperative.year_founded), timezone.localdate().year + 1)
    return next(year for year in reversed(years) if year not in taken)


class TestCooperatives(ApiEndpointCases):
    basename = "cooperative"
    model = Cooperative
    readers = ALL_ROLES  # no person data: members are not on this endpoint

    def in_area_record(self):
        return cirebon_cooperative()

    def create_payload(self):
        return {"village": program_village("32.09."), "name": "Koperasi Uji API", "kind": "koperasi",
                "business_type": "simpan_pinjam", "year_founded": 2021, "legal_entity_number": "AHU-UJI-0001"}

    def update_payload(self):
        return {"name": "Koperasi Uji Ganti Nama", "is_active": False}


class TestCooperativeYearlyFigures(ApiEndpointCases):
    basename = "cooperativeyearlyfigure"
    model = CooperativeYearlyFigure
    readers = ALL_ROLES

    def in_area_record(self):
        return CooperativeYearlyFigure.objects.filter(
            cooperative__desmigratif_village__village__code__startswith="32.09.").order_by("pk").first()

    def create_payload(self):
        cooperative = cirebon_cooperative()
        return {"cooperative": cooperative.pk, "year": free_year(cooperative), "members": 40,
                "members_returned_pmi": 12, "capital": 25_000_000, "assets": 60_000_000, "revenue": 90_000_000,
                "shu": -1_500_000}

    def update_payload(self):
        return {"revenue": 123_456_789}


def cooperatives_url(obj=None) -> str:
    return reverse("api:cooperative-detail", args=[obj.pk]) if obj else reverse("api:cooperative-list")


def figures_url(obj=None) -> str:
    return (reverse("api:cooperativeyearlyfigure-detail", args=[obj.pk]) if obj
            else reverse("api:cooperativeyearlyfigure-list"))


# --- cooperatives ------------------------------------------------------------------------------------


def test_the_detail_nests_the_yearly_figures_read_only_and_shows_no_members():
    cooperative = (Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.",
                                              yearly_figures__isnull=False).order_by("pk").first())
    body = token_client("bpjs").get(cooperatives_url(cooperative)).json()
    assert body["village"] == cooperative.desmigratif_village.village_id
    assert [row["year"] for row in body["yearly_figures"]] == sorted(
        cooperative.yearly_figures.values_list("year", flat=True), reverse=True)
    assert "members" not in body
    response = token_client("cirebon").patch(cooperatives_url(cooperative), {"yearly_figures": []}, format="json")
    assert response.status_code == 200
    assert cooperative.yearly_figures.exists()


def test_a_village_outside_the_program_answers_400_with_a_clear_message():
    in_program = DesmigratifVillage.objects.values_list("village_id", flat=True)
    outside = (Village.objects.filter(code__startswith="32.09.").exclude(code__in=in_program).order_by("code")
               .values_list("code", flat=True).first())
    client = token_client("cirebon")
    for village in (outside, "99.99.99.9999", "nonsense", 3209, ["32.09"], None):
        payload = TestCooperatives().create_payload() | {"village": village}
        response = client.post(cooperatives_url(), payload, format="json")
        assert response.status_code == 400, village
        assert response.json()["village"][0], village
    response = client.post(cooperatives_url(), TestCooperatives().create_payload() | {"village": outside},
                           format="json")
    assert outside in response.json()["village"][0] and "Desmigratif" in response.json()["village"][0]
    assert not Cooperative.objects.filter(name="Koperasi Uji API").exists()


def test_a_cooperative_in_another_regency_is_refused_by_the_service():
    payload = TestCooperatives().create_payload() | {"village": program_village("32.12.")}
    response = token_client("cirebon").post(cooperatives_url(), payload, format="json")
    assert response.status_code == 403
    response = token_client("cirebon").patch(cooperatives_url(cirebon_cooperative()),
                                             {"village": program_village("32.12.")}, format="json")
    assert response.status_code == 403
    assert cirebon_cooperative().desmigratif_village.village_id.startswith("32.09.")
    assert not Cooperative.objects.filter(name="Koperasi Uji API").exists()


def test_the_models_rules_answer_400():
    client = token_client("cirebon")
    existing = cirebon_cooperative()
    same_name = TestCooperatives().create_payload() | {"village": existing.desmigratif_village.village_id,
                                                       "name": existing.name}
    response = client.post(cooperatives_url(), same_name, format="json")
    assert response.status_code == 400 and response.json()["non_field_errors"][0]
    for bad in ({"year_founded": 1900}, {"kind": "pt"}, {"business_type": ""}, {"name": ""},
                {"year_founded": "tahun lalu"}):
        response = client.post(cooperatives_url(), TestCooperatives().create_payload() | bad, format="json")
        assert response.status_code == 400, bad
        assert set(bad) <= set(response.json()), response.json()


def test_the_writer_deletes_a_cooperative_with_its_figures():
    cooperative = cirebon_cooperative()
    figures = list(cooperative.yearly_figures.values_list("pk", flat=True))
    officer = User.objects.get(username="petugas")
    if cooperative.desmigratif_village.village_id != officer.area_code:  # a village officer: their village only
        assert token_client("petugas").delete(cooperatives_url(cooperative)).status_code == 404
    response = token_client("cirebon").delete(cooperatives_url(cooperative))
    assert response.status_code == 204
    assert not Cooperative.objects.filter(pk=cooperative.pk).exists()
    assert not CooperativeYearlyFigure.objects.filter(pk__in=figures).exists()


def test_every_cooperative_filter_applies():
    client = token_client("kemnaker")
    everything = Cooperative.objects.all()
    some = cirebon_cooperative()
    word = some.name.split()[-1]

    def count(**params) -> int:
        response = client.get(cooperatives_url(), params)
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    cases = [
        ({"area": "32.09"}, everything.filter(desmigratif_village__village__code__startswith="32.09.")),
        ({"q": word}, everything.filter(Q(name__icontains=word) | Q(legal_entity_number__icontains=word))),
        ({"kind": ["bumdes"]}, everything.filter(kind="bumdes")),
        ({"business_type": ["simpan_pinjam", "jasa"]}, everything.filter(business_type__in=["simpan_pinjam",
                                                                                            "jasa"])),
        ({"is_active": "false"}, everything.filter(is_active=False)),
        ({"year_founded_min": 2019, "year_founded_max": 2021},
         everything.filter(year_founded__gte=2019, year_founded__lte=2021)),
    ]
    total = count()
    assert total == everything.count()
    for params, expected in cases:
        assert 0 < count(**params) == expected.count() < total, params
    rows = client.get(cooperatives_url(), {"o": "-year_founded", "page_size": 100}).json()["results"]
    years = [row["year_founded"] for row in rows]
    assert years == sorted(years, reverse=True)
    assert client.get(cooperatives_url(), {"year_founded_min": "x", "kind": "pt"}).status_code == 400


# --- yearly figures ------------------------------------------------------------------------------------


def test_figures_follow_the_book_year_rules():
    client = token_client("cirebon")
    payload = TestCooperativeYearlyFigures().create_payload()
    next_year = timezone.localdate().year + 1
    checks = [({"year": next_year}, "year"), ({"year": 2010}, "year"),
              ({"members": 5, "members_returned_pmi": 6}, "members_returned_pmi"),
              ({"capital": -1}, "capital"), ({"revenue": "10" * 12}, "revenue"), ({"members": None}, "members")]
    for change, field in checks:
        response = client.post(figures_url(), payload | change, format="json")
        assert response.status_code == 400, change
        assert field in response.json(), response.json()
    response = client.post(figures_url(), payload, format="json")
    assert response.status_code == 201, response.json()
    response = client.post(figures_url(), payload, format="json")  # the same year twice
    assert response.status_code == 400 and response.json()["non_field_errors"][0]
    assert CooperativeYearlyFigure.objects.filter(cooperative_id=payload["cooperative"],
                                                  year=payload["year"]).count() == 1


def test_another_areas_cooperative_does_not_exist_for_new_figures():
    payload = TestCooperativeYearlyFigures().create_payload()
    response = token_client("indramayu").post(figures_url(), payload, format="json")
    assert response.status_code == 400 and "cooperative" in response.json()
    figure = TestCooperativeYearlyFigures().in_area_record()
    indramayu_cooperative = Cooperative.objects.filter(
        desmigratif_village__village__code__startswith="32.12.").order_by("pk").first()
    response = token_client("cirebon").patch(figures_url(figure), {"cooperative": indramayu_cooperative.pk},
                                             format="json")
    assert response.status_code == 400 and "cooperative" in response.json()
    assert not CooperativeYearlyFigure.objects.filter(cooperative_id=payload["cooperative"], year=payload["year"],
                                                      members=40).exists()


def test_the_writer_deletes_figures():
    figure = TestCooperativeYearlyFigures().in_area_record()
    assert token_client("cirebon").delete(figures_url(figure)).status_code == 204
    assert not CooperativeYearlyFigure.objects.filter(pk=figure.pk).exists()


def test_every_figure_filter_applies():
    client = token_client("jabar")
    everything = CooperativeYearlyFigure.objects.filter(
        cooperative__desmigratif_village__village__code__startswith="32.")
    figure = TestCooperativeYearlyFigures().in_area_record()

    def count(**params) -> int:
        response = client.get(figures_url(), params)
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    cases = [
        ({"cooperative": figure.cooperative_id}, everything.filter(cooperative_id=figure.cooperative_id)),
        ({"year": figure.year}, everything.filter(year=figure.year)),
        ({"area": "32.09"}, everything.filter(cooperative__desmigratif_village__village__code__startswith="32.09.")),
        ({"area": "32.09", "year": figure.year},
         everything.filter(cooperative__desmigratif_village__village__code__startswith="32.09.", year=figure.year)),
    ]
    total = count()
    assert total == everything.count()
    for params, expected in cases:
        assert 0 < count(**params) == expected.count() < total, params
    assert count(area="32.12") == everything.filter(
        cooperative__desmigratif_village__village__code__startswith="32.12.").count()
    for bad in ({"year": "tahun"}, {"year": "1e30"}, {"year": "2020.5"}, {"cooperative": "1e30"},
                {"cooperative": str(2**70)}):
        response = client.get(figures_url(), bad)
        assert response.status_code == 400 and set(response.json()) == set(bad), bad


def test_amounts_are_whole_rupiah_and_a_figure_read_is_accepted_back_as_it_is():
    figure = CooperativeYearlyFigure.objects.filter(
        cooperative__desmigratif_village__village__code__startswith="32.09.", capital__gt=0).first()
    client = token_client("cirebon")
    url = reverse("api:cooperativeyearlyfigure-detail", args=[figure.pk])
    read = client.get(url).json()
    assert read["capital"] == int(figure.capital) and isinstance(read["capital"], int)  # 1500000, not 1500000.0
    sent = {name: value for name, value in read.items() if name != "id"}
    answer = client.put(url, sent, format="json")
    assert answer.status_code == 200, answer.json()
    # sent back as read, nothing changed: nothing is written (desmigratif.versioning.versioned_write)
    assert answer.json()["capital"] == read["capital"] and answer.json()["version"] == read["version"]
    assert client.patch(url, {"revenue": 2500000.0, "version": read["version"]},
                        format="json").json()["revenue"] == 2500000  # a zero fraction is taken
    assert client.patch(url, {"revenue": 2500000.5}, format="json").status_code == 400  # a real fraction is not
