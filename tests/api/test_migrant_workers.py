import pytest
from django.urls import reverse

from accounts.models import User
from migrants.models import MigrantWorker
from migrants.nik import nik_for

from .base import ApiEndpointCases, token_client

pytestmark = pytest.mark.django_db


class TestMigrantWorkers(ApiEndpointCases):
    basename = "migrantworker"
    model = MigrantWorker
    readers = ("admin", "kemnaker", "jabar", "cirebon", "indramayu", "petugas")
    refused_readers = ("bpjs",)  # agency staff read aggregates, never person records

    def in_area_record(self):
        return MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()

    def create_payload(self):
        import datetime

        birth = datetime.date(1996, 3, 4)
        return {"nik": nik_for(district_code="32.09.07", birth_date=birth, female=True, serial=7771),
                "name": "Siti Uji", "gender": "F", "birth_date": birth.isoformat(), "village": "32.09.07.2002"}

    def update_payload(self):
        return {"address": "Blok Uji RT 02/03"}


def test_nik_is_masked_for_readers_outside_the_persons_area():
    record = TestMigrantWorkers().in_area_record()
    url = reverse("api:migrantworker-detail", args=[record.pk])
    assert token_client("cirebon").get(url).json()["nik"] == record.nik
    masked = token_client("kemnaker").get(url).json()
    # no digit at all: the region and birth date parts could be rebuilt from the village and birth date
    assert masked["nik"] == "•" * 16
    assert masked["birth_date"] is None and masked["birth_year"] == record.birth_date.year


def test_an_invalid_nik_answers_400_naming_nik_and_the_reason():
    payload = TestMigrantWorkers().create_payload() | {"nik": "3209071234567890"}
    response = token_client("cirebon").post(reverse("api:migrantworker-list"), payload, format="json")
    assert response.status_code == 400
    assert "nik" in response.json() and response.json()["nik"][0]


def test_writing_into_another_regency_is_refused_by_the_service():
    payload = TestMigrantWorkers().create_payload() | {"village": "32.12.01.2001"}
    response = token_client("cirebon").post(reverse("api:migrantworker-list"), payload, format="json")
    assert response.status_code in (400, 403)
    assert not MigrantWorker.objects.filter(nik=payload["nik"]).exists()


def test_the_stage_is_not_edited_through_the_record():
    record = TestMigrantWorkers().in_area_record()
    before = record.stage
    response = token_client("cirebon").patch(reverse("api:migrantworker-detail", args=[record.pk]),
                                             {"stage": "abroad"}, format="json")
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.stage == before


def test_filters_of_the_list_page_apply():
    client = token_client("kemnaker")
    rows = client.get(reverse("api:migrantworker-list"), {"area": "32.09", "stage": "abroad", "page_size": 100}
                      ).json()
    assert rows["count"] == MigrantWorker.objects.filter(village__code__startswith="32.09.", stage="abroad").count()
    assert all(row["stage"] == "abroad" and row["village"].startswith("32.09.") for row in rows["results"])
    assert client.get(reverse("api:migrantworker-list"), {"page_size": 1000}).json()["results"].__len__() <= 100


@pytest.mark.parametrize("username, query", [
    ("kemnaker", {}), ("kemnaker", {"area": "32"}), ("kemnaker", {"area": "32.09", "stage": ["abroad", "returned"]}),
    ("jabar", {"stage": "registered", "gender": "F"}), ("jabar", {"area": "33"}), ("cirebon", {"area": "32"}),
    ("cirebon", {"registered_year": "2021", "page_size": "100"}), ("petugas", {}),
    ("kemnaker", {"area": "32.09.07.2002"}), ("kemnaker", {"area": "32.09", "o": "-name", "page": "2"})])
def test_the_lists_total_from_the_summary_equals_a_count_of_the_rows(username, query):
    """Where the filters are ones the stage summary holds, the total comes from it (a province's PMI are not
    counted row by row at national scale); it must be the count of the rows the list shows."""
    from django.http import QueryDict

    from migrants.filtersets import MigrantWorkerFilterSet
    from migrants.selectors import migrant_count_from_summary, migrant_list

    user = User.objects.get(username=username)
    params = QueryDict(mutable=True)
    for name, value in query.items():
        params.setlist(name, value if isinstance(value, list) else [value])
    known = migrant_count_from_summary(user=user, query=params)
    assert known is not None
    assert known == MigrantWorkerFilterSet(params, queryset=migrant_list(user=user)).qs.count()
    response = token_client(username).get(reverse("api:migrantworker-list"), params)
    assert response.status_code == 200 and response.json()["count"] == known


def test_filters_the_summary_does_not_hold_are_counted_row_by_row():
    from django.http import QueryDict

    from migrants.selectors import migrant_count_from_summary

    user = User.objects.get(username="kemnaker")
    for query in ("q=siti", "destination_country=TW", "area=32.0", "nik_needs_verification=true", "stage=nope"):
        assert migrant_count_from_summary(user=user, query=QueryDict(query)) is None
