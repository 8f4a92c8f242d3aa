import datetime

import pytest
from django.db.models import Q
from django.urls import reverse

from regions.models import Village
from villages.api.serializers import PillarActivitySerializer
from villages.models import DesmigratifVillage, PillarActivity

from .base import ApiEndpointCases, token_client

pytestmark = pytest.mark.django_db



EVERY_ROLE = ("cirebon", "admin", "kemnaker", "jabar", "indramayu", "petugas", "bpjs")


class TestDesmigratifVillages(ApiEndpointCases):
    basename = "desmigratifvillage"
    model = DesmigratifVillage
    readers = EVERY_ROLE  # agency staff read program villages nationally (no person data here)

    def in_area_record(self):
        return DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()

    def create_payload(self):
        village = (Village.objects.filter(code__startswith="32.09.", desmigratif__isnull=True)
                   .order_by("code").first())
        return {"village": village.code, "year_designated": 2024, "funding_source": "apbd",
                "decree_number": "KEP.99/UJI/2024"}

    def update_payload(self):
        return {"notes": "Catatan uji"}


class TestPillarActivities(ApiEndpointCases):
    basename = "pillaractivity"
    model = PillarActivity
    readers = EVERY_ROLE

    def in_area_record(self):
        return PillarActivity.objects.filter(desmigratif_village__village__code__startswith="32.09.").order_by(
            "pk").first()

    def create_payload(self):
        return {"village": "32.09.07.2002", "pillar": 2, "kind": "2_training", "date": "2024-05-02",
                "title": "Pelatihan uji", "participants_women": 12, "participants_men": 3, "businesses_started": 2,
                "partner_agency": "BPJS TK", "budget": 2500000}

    def update_payload(self):
        return {"participants_women": 20}


def listed(basename: str, params: dict, role: str = "kemnaker") -> dict:
    response = token_client(role).get(reverse(f"api:{basename}-list"), {"page_size": 100, **params})
    assert response.status_code == 200, response.json()
    return response.json()


# --- Desmigratif villages ------------------------------------------------------------------------------


def test_a_program_village_shows_its_village_by_code_with_the_names_above_it():
    record = DesmigratifVillage.objects.get(village_id="32.09.07.2002")
    data = token_client("petugas").get(reverse("api:desmigratifvillage-detail", args=[record.pk])).json()
    assert data["village"] == "32.09.07.2002" and data["village_name"] == "Asem"
    assert data["district_name"] == record.village.district.name
    assert data["regency_name"] == record.village.district.regency.name
    assert data["province_name"] == "Jawa Barat"
    assert data["activity_count"] == record.activities.count()
    assert data["cooperative_count"] == record.cooperatives.count()


@pytest.mark.parametrize(("params", "expected"), [
    ({"area": "32.09"}, Q(village__code__startswith="32.09.")),
    ({"q": "Asem"}, Q(village__name__icontains="asem") | Q(decree_number__icontains="asem")),
    ({"q": "32.09.07"}, Q(village__code__startswith="32.09.07") | Q(decree_number__icontains="32.09.07")),
    ({"year_designated_min": 2019, "year_designated_max": 2020}, Q(year_designated__gte=2019,
                                                                   year_designated__lte=2020)),
    ({"funding_source": ["apbn", "apbd"]}, Q(funding_source__in=["apbn", "apbd"])),
    ({"status": "inactive"}, Q(status="inactive")),
    ({"is_desa_migran_emas": "true"}, Q(is_desa_migran_emas=True)),
    ({"is_desa_migran_emas": "false", "area": "32"}, Q(is_desa_migran_emas=False, village__code__startswith="32.")),
])
def test_every_desmigratif_village_filter_counts_its_records(params, expected):
    count = DesmigratifVillage.objects.filter(expected).count()
    assert count > 0, params
    assert listed("desmigratifvillage", params)["count"] == count


def test_desmigratif_villages_sort_by_name():
    names = [row["village_name"] for row in listed("desmigratifvillage", {"area": "32.09", "o": "name"})["results"]]
    assert names == sorted(names) and len(names) > 1


def test_the_list_is_scoped_to_the_users_area():
    assert listed("desmigratifvillage", {}, role="indramayu")["count"] == DesmigratifVillage.objects.filter(
        village__code__startswith="32.12.").count()
    assert listed("desmigratifvillage", {}, role="petugas")["count"] == 1


@pytest.mark.parametrize("params", [{"year_designated_min": "x"}, {"status": "nope"}, {"funding_source": "x"},
                                    {"o": "bogus"}])
def test_a_bad_filter_is_a_400_naming_it(params):
    response = token_client("kemnaker").get(reverse("api:desmigratifvillage-list"), params)
    assert response.status_code == 400
    assert set(response.json()) & ({name.removesuffix("_min") for name in params} | set(params))


def test_designating_a_village_twice_or_an_unknown_village_is_a_400_on_village():
    client = token_client("cirebon")
    payload = TestDesmigratifVillages().create_payload()
    for village in ("32.09.07.2002", "32.09.99.2999", "not a code", 42):
        response = client.post(reverse("api:desmigratifvillage-list"), payload | {"village": village}, format="json")
        assert response.status_code == 400, village
        assert response.json()["village"][0], village


def test_a_program_rule_is_a_400_naming_the_field():
    payload = TestDesmigratifVillages().create_payload() | {"year_designated": 2010}
    response = token_client("cirebon").post(reverse("api:desmigratifvillage-list"), payload, format="json")
    assert response.status_code == 400 and "year_designated" in response.json()


def test_designating_a_village_of_another_regency_is_refused():
    village = Village.objects.filter(code__startswith="32.12.", desmigratif__isnull=True).order_by("code").first()
    payload = TestDesmigratifVillages().create_payload() | {"village": village.code}
    response = token_client("cirebon").post(reverse("api:desmigratifvillage-list"), payload, format="json")
    assert response.status_code == 403
    assert not DesmigratifVillage.objects.filter(village=village).exists()


def test_a_village_with_activities_is_not_removed_from_the_program():
    record = DesmigratifVillage.objects.get(village_id="32.09.07.2002")
    assert record.activities.exists()
    response = token_client("cirebon").delete(reverse("api:desmigratifvillage-detail", args=[record.pk]))
    assert response.status_code == 409 and response.json()["detail"]
    assert DesmigratifVillage.objects.filter(pk=record.pk).exists()


def test_a_village_without_records_is_removed_from_the_program():
    record = DesmigratifVillage.objects.filter(village__code__startswith="32.09.", activities__isnull=True,
                                               cooperatives__isnull=True).first()
    if record is None:
        response = token_client("cirebon").post(reverse("api:desmigratifvillage-list"),
                                                TestDesmigratifVillages().create_payload(), format="json")
        record = DesmigratifVillage.objects.get(pk=response.json()["id"])
    response = token_client("cirebon").delete(reverse("api:desmigratifvillage-detail", args=[record.pk]))
    assert response.status_code == 204
    assert not DesmigratifVillage.objects.filter(pk=record.pk).exists()


# --- Pillar activities -----------------------------------------------------------------------------------


def test_an_activity_shows_and_takes_its_village_by_code():
    client = token_client("petugas")
    response = client.post(reverse("api:pillaractivity-list"), TestPillarActivities().create_payload(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    activity = PillarActivity.objects.get(pk=data["id"])
    assert activity.desmigratif_village.village_id == "32.09.07.2002" and activity.partner_agency.acronym == "BPJS TK"
    assert data["village"] == "32.09.07.2002" and data["village_name"] == "Asem"
    assert data["desmigratif_village"] == activity.desmigratif_village_id
    assert data["partner_agency"] == "BPJS TK" and data["budget"] == 2500000


@pytest.mark.parametrize(("village", "error"), [
    ("32.09.07.2001", "not_in_program"),  # a real village outside the program
    ("32.09.07.2999", "no_village"),
    ("32.09", "invalid"),
    (401, "invalid"),
    (None, "null"),
])
def test_a_village_not_in_the_program_is_a_400_with_a_clear_message(village, error):
    assert not DesmigratifVillage.objects.filter(village_id="32.09.07.2001").exists()
    payload = TestPillarActivities().create_payload() | {"village": village}
    response = token_client("cirebon").post(reverse("api:pillaractivity-list"), payload, format="json")
    assert response.status_code == 400
    field = PillarActivitySerializer().fields["village"]
    assert response.json()["village"] == [str(field.error_messages[error]).format(code=village)]


def test_an_activity_in_another_village_than_the_officers_is_refused():
    other = DesmigratifVillage.objects.filter(village__code__startswith="32.09.").exclude(
        village_id="32.09.07.2002").first()
    payload = TestPillarActivities().create_payload() | {"village": other.village_id}
    assert token_client("petugas").post(reverse("api:pillaractivity-list"), payload, format="json"
                                        ).status_code == 403
    record = TestPillarActivities().in_area_record()
    other_regency = DesmigratifVillage.objects.filter(village__code__startswith="32.12.").first()
    response = token_client("cirebon").patch(reverse("api:pillaractivity-detail", args=[record.pk]),
                                             {"village": other_regency.village_id}, format="json")
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.desmigratif_village.village_id.startswith("32.09.")


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "1_guidance"}, "kind"),  # a pillar 1 kind under pillar 2
    ({"children_reached": 4}, "children_reached"),
    ({"date": "2015-12-31"}, "date"),
    ({"partner_agency": "NOPE"}, "partner_agency"),
    ({"budget": -1}, "budget"),
    ({"pillar": 9}, "pillar"),
])
def test_an_activity_breaking_a_rule_is_a_400_naming_the_field(change, field):
    payload = TestPillarActivities().create_payload() | change
    response = token_client("cirebon").post(reverse("api:pillaractivity-list"), payload, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_deleting_an_activity():
    record = TestPillarActivities().in_area_record()
    assert token_client("cirebon").delete(reverse("api:pillaractivity-detail", args=[record.pk])).status_code == 204
    assert not PillarActivity.objects.filter(pk=record.pk).exists()


def _any_activity() -> PillarActivity:
    return PillarActivity.objects.exclude(partner_agency=None).select_related("partner_agency").order_by("pk").first()


@pytest.mark.parametrize("case", ["q", "area", "pillar", "kind", "date", "year", "partner_agency"])
def test_every_pillar_activity_filter_counts_its_records(case):
    sample = _any_activity()
    word = sample.title.split()[0]
    params, expected = {
        "q": ({"q": word}, Q(title__icontains=word)),
        "area": ({"area": "32.09"}, Q(desmigratif_village__village__code__startswith="32.09.")),
        "pillar": ({"pillar": [1, 3]}, Q(pillar__in=[1, 3])),
        "kind": ({"kind": sample.kind}, Q(kind=sample.kind)),
        "date": ({"date_after": "2022-01-01", "date_before": "2022-06-30"},
                 Q(date__gte=datetime.date(2022, 1, 1), date__lte=datetime.date(2022, 6, 30))),
        "year": ({"year": sample.date.year}, Q(date__year=sample.date.year)),
        "partner_agency": ({"partner_agency": sample.partner_agency.acronym},
                           Q(partner_agency__acronym=sample.partner_agency.acronym)),
    }[case]
    count = PillarActivity.objects.filter(expected).count()
    assert count > 0
    assert listed("pillaractivity", params)["count"] == count


def test_pillar_activities_sort_by_date():
    dates = [row["date"] for row in listed("pillaractivity", {"area": "32.09", "o": "date"})["results"]]
    assert dates == sorted(dates) and len(dates) > 1


@pytest.mark.parametrize("params", [{"year": "x"}, {"year": 0}, {"year": 10000}, {"year": "2024.5"},
                                    {"date_after": "2024-13-01"}, {"pillar": 9}, {"kind": "x"},
                                    {"o": "budget"}])
def test_a_bad_activity_filter_is_a_400(params):
    response = token_client("cirebon").get(reverse("api:pillaractivity-list"), params)
    assert response.status_code == 400 and response.json()


def test_an_unknown_or_malformed_id_is_a_404():
    client = token_client("kemnaker")
    for basename in ("pillaractivity", "desmigratifvillage"):
        for pk in ("999999", "abc", "-1"):
            assert client.get(reverse(f"api:{basename}-detail", args=[pk])).status_code == 404


def test_absurd_years_in_a_filter_are_not_a_server_error():
    client = token_client("kemnaker")
    for params in ({"year_designated_min": 10**30}, {"year_designated_max": -(10**30)},
                   {"year_designated_min": "NaN"}, {"year_designated_max": "Infinity"}):
        assert client.get(reverse("api:desmigratifvillage-list"), params).status_code in (200, 400), params
    for params in ({"year": "NaN"}, {"year": 10**30}, {"date_before": "0000-01-01"}):
        assert client.get(reverse("api:pillaractivity-list"), params).status_code == 400, params
