import datetime

import pytest
from django.db.models import Q
from django.urls import reverse

from migrants.models import Placement

from .base import ApiEndpointCases, token_client

pytestmark = pytest.mark.django_db



class TestPlacements(ApiEndpointCases):
    """Placements are opened and closed by the PMI's stage actions: the endpoint reads and corrects."""

    basename = "placement"
    model = Placement
    readers = ("admin", "kemnaker", "jabar", "cirebon", "indramayu", "petugas")
    refused_readers = ("bpjs",)  # agency staff read aggregates, never person records

    def in_area_record(self):
        return Placement.objects.filter(migrant__village__code__startswith="32.09.").order_by("pk").first()

    def update_payload(self):
        return {"job": "Pengasuh anak", "p3mi_name": "PT Uji Koreksi"}


def list_count(client, **params) -> int:
    response = client.get(reverse("api:placement-list"), params)
    assert response.status_code == 200, response.json()
    return response.json()["count"]


def test_the_nik_is_masked_for_readers_outside_the_persons_area():
    record = TestPlacements().in_area_record()
    url = reverse("api:placement-detail", args=[record.pk])
    assert token_client("cirebon").get(url).json()["migrant_nik"] == record.migrant.nik
    for role in ("kemnaker", "jabar"):
        masked = token_client(role).get(url).json()["migrant_nik"]
        assert masked == "•" * 16  # no digit: the region part could be rebuilt from the village
    rows = token_client("kemnaker").get(reverse("api:placement-list"), {"page_size": 100}).json()["results"]
    assert rows and all("•" in row["migrant_nik"] for row in rows)


def test_only_the_employment_details_are_corrected():
    record = TestPlacements().in_area_record()
    before = (record.departure_date, record.return_date, record.return_reason, record.migrant_id)
    response = token_client("cirebon").patch(
        reverse("api:placement-detail", args=[record.pk]),
        {"job": "Operator pabrik", "departure_date": "2001-01-01", "return_date": "2001-02-01",
         "return_reason": "death", "migrant": 1}, format="json")
    assert response.status_code == 200, response.json()
    record.refresh_from_db()
    assert record.job == "Operator pabrik"
    assert (record.departure_date, record.return_date, record.return_reason, record.migrant_id) == before


def test_a_correction_breaking_the_rules_answers_400_with_the_field():
    record = TestPlacements().in_area_record()
    client = token_client("cirebon")
    url = reverse("api:placement-detail", args=[record.pk])
    response = client.patch(url, {"contract_end_date": record.departure_date.isoformat()}, format="json")
    assert response.status_code == 400 and "contract_end_date" in response.json()
    response = client.patch(url, {"scheme": "p2p", "p3mi_name": ""}, format="json")
    assert response.status_code == 400 and "p3mi_name" in response.json()
    assert client.patch(url, {"destination_country": "XX"}, format="json").status_code == 400
    assert client.post(reverse("api:placement-list"), {}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert Placement.objects.filter(pk=record.pk).exists()


def test_every_filter_applies():
    client = token_client("admin")
    everything = Placement.objects.all()
    some = everything.filter(migrant__village__code__startswith="32.09.").order_by("pk").first()
    word = some.migrant.name.split()[0]
    cases = [
        ({"area": "32.09"}, everything.filter(migrant__village__code__startswith="32.09.")),
        ({"q": some.migrant.nik[:6]}, everything.filter(migrant__nik__startswith=some.migrant.nik[:6])),
        ({"q": word}, everything.filter(Q(migrant__name__icontains=word) | Q(p3mi_name__icontains=word)
                                        | Q(job__icontains=word))),
        ({"destination_country": ["TW", "HK"]}, everything.filter(destination_country__in=["TW", "HK"])),
        ({"sector": "formal"}, everything.filter(sector="formal")),
        ({"scheme": ["p2p"]}, everything.filter(scheme="p2p")),
        ({"departure_year_min": 2020, "departure_year_max": 2022},
         everything.filter(departure_date__year__gte=2020, departure_date__year__lte=2022)),
        ({"returned": "true"}, everything.filter(return_date__isnull=False)),
        ({"returned": "false"}, everything.filter(return_date__isnull=True)),
        ({"return_year_min": 2024}, everything.filter(return_date__year__gte=2024)),
        ({"return_reason": ["contract_ended"]}, everything.filter(return_reason="contract_ended")),
        ({"area": "32.09", "returned": "true"},
         everything.filter(migrant__village__code__startswith="32.09.", return_date__isnull=False)),
    ]
    total = list_count(client)
    assert total == everything.count()
    for params, expected in cases:
        assert 0 < list_count(client, **params) == expected.count() < total, params
    rows = client.get(reverse("api:placement-list"), {"o": "departure", "page_size": 100}).json()["results"]
    dates = [datetime.date.fromisoformat(row["departure_date"]) for row in rows]
    assert dates == sorted(dates)


def test_a_masked_reader_may_not_search_a_nik_digit_by_digit():
    record = TestPlacements().in_area_record()
    response = token_client("kemnaker").get(reverse("api:placement-list"), {"q": record.migrant.nik[:6]})
    assert response.status_code == 400 and "q" in response.json()
    assert token_client("kemnaker").get(reverse("api:placement-list"), {"q": record.migrant.nik[:4]}
                                        ).status_code == 200


@pytest.mark.parametrize("params", [{"departure_year_min": "abc"}, {"sector": "space"}, {"returned": "maybe"},
                                    {"destination_country": "XX"}, {"page": "999"}, {"o": "nik"}])
def test_bad_filter_values_answer_400_or_404_never_500(params):
    assert token_client("cirebon").get(reverse("api:placement-list"), params).status_code in (200, 400, 404)


@pytest.mark.parametrize(("name", "params"), [
    ("placement", {"departure_year_min": "1e30"}), ("placement", {"return_year_max": "0"}),
    ("placement", {"departure_year_min": "2020", "departure_year_max": "99999"}),
    ("migrantworker", {"registered_year": "0"}), ("migrantworker", {"registered_year": "1e30"}),
])
def test_impossible_years_answer_400_naming_the_filter(name, params):
    """Django's year lookup fails on a year outside 1–9999: the API's FilterSets refuse such years."""
    response = token_client("kemnaker").get(reverse(f"api:{name}-list"), params)
    assert response.status_code == 400
    assert set(response.json()) <= {key.removesuffix("_min").removesuffix("_max") for key in params}
