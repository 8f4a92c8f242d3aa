import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import District, Province, Regency, Village

from .base import ApiEndpointCases, token_client

pytestmark = pytest.mark.django_db



EVERY_ROLE = ("admin", "kemnaker", "jabar", "cirebon", "indramayu", "petugas", "bpjs")


class RegionEndpointCases(ApiEndpointCases):
    """Regions are reference data: every signed-in role with an area reads all of them; nobody writes."""

    readers = EVERY_ROLE
    refused_readers = ()

    def test_another_areas_record_is_not_found_to_read_or_write(self):
        """Regions are read in full by every role, so there is no other area's record to hide: checked
        instead that a writer of another regency reads a Cirebon record (detail and list) but can neither
        change nor delete it (the endpoint is read-only: 405)."""
        record = self.in_area_record()
        client = token_client(self.outsider)
        response = client.get(self.detail_url(record))
        assert response.status_code == 200
        assert response.json()["code"] == record.code and response.json()["name"] == record.name
        assert client.patch(self.detail_url(record), {"name": "X"}, format="json").status_code == 405
        assert client.delete(self.detail_url(record)).status_code == 405
        assert client.post(self.list_url(), {"code": record.code, "name": "X"}, format="json").status_code == 405
        assert type(record).objects.get(pk=record.pk).name == record.name
        codes = {row["code"] for row in client.get(self.list_url(), {"q": record.code}).json()["results"]}
        assert record.code in codes

    def test_an_unknown_or_malformed_code_is_a_404(self):
        client = token_client("cirebon")
        for code in ("99", "99.99.99.9999", "abc", "32..", "0"):
            assert client.get(f"{self.list_url()}{code}/").status_code == 404, code


class TestProvinces(RegionEndpointCases):
    basename = "province"
    model = Province

    def in_area_record(self):
        return Province.objects.get(code="32")


class TestRegencies(RegionEndpointCases):
    basename = "regency"
    model = Regency

    def in_area_record(self):
        return Regency.objects.get(code="32.09")


class TestDistricts(RegionEndpointCases):
    basename = "district"
    model = District

    def in_area_record(self):
        return District.objects.get(code="32.09.07")


class TestVillages(RegionEndpointCases):
    basename = "village"
    model = Village

    def in_area_record(self):
        return Village.objects.get(code="32.09.07.2002")


def rows(basename: str, **params) -> dict:
    response = token_client("petugas").get(reverse(f"api:{basename}-list"), {"page_size": 100, **params})
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_region_shows_its_name_and_parent_code():
    client = token_client("indramayu")
    assert client.get(reverse("api:province-detail", args=["32"])).json() == {"code": "32", "name": "Jawa Barat"}
    regency = client.get(reverse("api:regency-detail", args=["32.09"])).json()
    assert regency["province"] == "32" and regency["kind"] == "kabupaten"
    assert client.get(reverse("api:district-detail", args=["32.09.07"])).json()["regency"] == "32.09"
    village = client.get(reverse("api:village-detail", args=["32.09.07.2002"])).json()
    assert village == {"code": "32.09.07.2002", "name": "Asem", "district": "32.09.07", "kind": "desa"}


@pytest.mark.parametrize(("basename", "model", "parent_field", "parent"), [
    ("regency", Regency, "province", "32"),
    ("district", District, "regency", "32.09"),
    ("village", Village, "district", "32.09.07"),
])
def test_the_parent_filter_lists_the_children_of_a_code(basename, model, parent_field, parent):
    data = rows(basename, parent=parent)
    expected = model.objects.filter(**{f"{parent_field}_id": parent})
    assert data["count"] == expected.count() > 0
    assert [row["code"] for row in data["results"]] == list(expected.order_by("code").values_list("code", flat=True))
    assert all(row[parent_field] == parent for row in data["results"])


@pytest.mark.parametrize(("basename", "bad"), [("regency", "32.09"), ("regency", "x"), ("district", "32"),
                                               ("village", "32.09"), ("village", "32.09.07.2002")])
def test_a_parent_of_the_wrong_level_is_a_400_with_a_message(basename, bad):
    response = token_client("petugas").get(reverse(f"api:{basename}-list"), {"parent": bad})
    assert response.status_code == 400
    assert response.json()["parent"][0]


def test_an_unknown_parent_of_the_right_shape_lists_nothing():
    assert rows("village", parent="99.99.99")["count"] == 0


@pytest.mark.parametrize(("basename", "model", "q"), [
    ("province", Province, "jawa"), ("regency", Regency, "cirebon"), ("district", District, "lemah"),
    ("village", Village, "sindang"),
])
def test_q_finds_names_containing_it(basename, model, q):
    data = rows(basename, q=q)
    assert data["count"] == model.objects.filter(name__icontains=q).count() > 0
    assert all(q in row["name"].lower() for row in data["results"])


def test_q_with_several_words_needs_all_of_them_and_a_code_shape_is_a_prefix():
    assert rows("village", q="lemahabang kulon")["count"] == Village.objects.filter(
        name__icontains="lemahabang", name__contains="Kulon").count() > 0
    assert rows("village", q="32.09.07.20")["count"] == Village.objects.filter(code__startswith="32.09.07.20").count()
    assert rows("regency", q="32.0")["count"] == Regency.objects.filter(code__startswith="32.0").count() > 0
    assert rows("province", q="3")["count"] == 0  # one digit is neither a code nor in a name


def test_the_whole_village_list_counts_one_table_within_few_queries(django_assert_max_num_queries):
    client = token_client("kemnaker")
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:village-list"), {"page_size": 100, "page": 500})
    assert response.status_code == 200
    assert response.json()["count"] == Village.objects.count() == 83762
    assert len(response.json()["results"]) == 100
    region_queries = [q["sql"] for q in queries.captured_queries if "regions_village" in q["sql"]]
    assert len(region_queries) == 2 and not any("JOIN" in sql.upper() for sql in region_queries)


def test_a_page_past_the_end_is_a_404_and_a_huge_page_size_is_capped():
    client = token_client("kemnaker")
    assert client.get(reverse("api:village-list"), {"page": 100000}).status_code == 404
    assert client.get(reverse("api:village-list"), {"page": "x"}).status_code == 404
    assert len(client.get(reverse("api:village-list"), {"page_size": 10**6}).json()["results"]) == 100
