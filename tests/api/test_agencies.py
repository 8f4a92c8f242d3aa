import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Engagement

from .base import ApiEndpointCases, token_client

pytestmark = pytest.mark.django_db



EVERY_ROLE = ("cirebon", "admin", "kemnaker", "jabar", "indramayu", "petugas", "bpjs")


class TestAgencies(ApiEndpointCases):
    basename = "agency"
    model = Agency
    readers = EVERY_ROLE

    def in_area_record(self):
        return Agency.objects.get(acronym="BPJS TK")

    def test_another_areas_record_is_not_found_to_read_or_write(self):
        """Agencies are a national reference table every signed-in role reads, so no agency belongs to
        another area: checked instead that a writer of another regency reads it (detail and list) and
        cannot change or delete it (the endpoint is read-only: 405; admins edit agencies on the pages)."""
        record = self.in_area_record()
        client = token_client(self.outsider)
        assert client.get(self.detail_url(record)).json()["acronym"] == "BPJS TK"
        assert client.patch(self.detail_url(record), {"name": "X"}, format="json").status_code == 405
        assert client.delete(self.detail_url(record)).status_code == 405
        assert token_client("admin").post(self.list_url(), {"acronym": "X", "name": "X", "kind": "other"},
                                          format="json").status_code == 405
        assert Agency.objects.get(pk=record.pk).name == record.name
        ids = {row["id"] for row in client.get(self.list_url(), {"page_size": 100}).json()["results"]}
        assert record.pk in ids


class TestEngagements(ApiEndpointCases):
    basename = "engagement"
    model = Engagement
    readers = EVERY_ROLE

    def in_area_record(self):
        return Engagement.objects.filter(level="regency", regency_id="32.09").order_by("pk").first()

    def create_payload(self):
        return {"agency": "Kemnaker", "level": "regency", "regency": "32.09", "pillar": 1, "kind": "training",
                "year": 2024, "budget": 150000000, "description": "Pelatihan uji"}

    def update_payload(self):
        return {"description": "Diubah lewat API"}


def listed(basename: str, params: dict, role: str = "kemnaker") -> dict:
    response = token_client(role).get(reverse(f"api:{basename}-list"), {"page_size": 100, **params})
    assert response.status_code == 200, response.json()
    return response.json()


# --- agencies -----------------------------------------------------------------------------------------


def test_current_agencies():
    today = timezone.localdate()
    current = (Q(valid_until__isnull=True) | Q(valid_until__gte=today)) & (Q(valid_from__isnull=True)
                                                                         | Q(valid_from__lte=today))
    assert listed("agency", {"current": "true"})["count"] == Agency.objects.filter(current).count() > 0
    assert listed("agency", {"current": "false"})["count"] == Agency.objects.exclude(current).count() > 0


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "bpjs"}, Q(acronym__icontains="bpjs") | Q(name__icontains="bpjs")),
    ({"q": "kementerian"}, Q(acronym__icontains="kementerian") | Q(name__icontains="kementerian")),
    ({"kind": ["bank", "social_security"]}, Q(kind__in=["bank", "social_security"])),
])
def test_every_agency_filter_counts_its_records(params, expected):
    assert listed("agency", params)["count"] == Agency.objects.filter(expected).count() > 0


def test_an_agency_shows_its_successor_and_sorts():
    renamed = Agency.objects.exclude(successor=None).select_related("successor").first()
    if renamed is not None:
        data = token_client("bpjs").get(reverse("api:agency-detail", args=[renamed.pk])).json()
        assert data["successor"] == renamed.successor_id and data["successor_acronym"] == renamed.successor.acronym
    names = [row["name"] for row in listed("agency", {"o": "name"})["results"]]
    assert names == sorted(names)


@pytest.mark.parametrize("params", [{"kind": "x"}, {"o": "x"}])
def test_a_bad_agency_filter_is_a_400(params):
    assert token_client("bpjs").get(reverse("api:agency-list"), params).status_code == 400


# --- engagements ----------------------------------------------------------------------------------------


def test_an_engagement_shows_its_agency_and_area_by_name():
    record = TestEngagements().in_area_record()
    data = token_client("cirebon").get(reverse("api:engagement-detail", args=[record.pk])).json()
    assert data["agency"] == record.agency.acronym and data["agency_id"] == record.agency_id
    assert data["agency_name"] == record.agency.name
    assert data["regency"] == "32.09" and data["regency_name"] == record.regency.name
    assert data["village"] is None and data["village_name"] is None


def test_agency_staff_record_and_change_their_own_agencys_engagements_only():
    client = token_client("bpjs")
    payload = TestEngagements().create_payload() | {"agency": "BPJS TK", "level": "national", "regency": None}
    response = client.post(reverse("api:engagement-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    own = Engagement.objects.get(pk=response.json()["id"])
    assert own.agency.acronym == "BPJS TK" and own.level == "national"
    assert client.patch(reverse("api:engagement-detail", args=[own.pk]), {"budget": 5}, format="json"
                        ).status_code == 200
    # … not another agency's, nor hand their own to another agency
    assert client.post(reverse("api:engagement-list"), payload | {"agency": "Kemnaker"}, format="json"
                       ).status_code == 403
    assert client.patch(reverse("api:engagement-detail", args=[own.pk]), {"agency": "Kemnaker"}, format="json"
                        ).status_code == 403
    other = Engagement.objects.exclude(agency__acronym="BPJS TK").filter(level="national").first()
    assert client.patch(reverse("api:engagement-detail", args=[other.pk]), {"budget": 5}, format="json"
                        ).status_code == 403
    assert client.delete(reverse("api:engagement-detail", args=[other.pk])).status_code == 403
    assert client.delete(reverse("api:engagement-detail", args=[own.pk])).status_code == 204


def test_a_regency_operator_writes_in_their_area_but_not_nationally():
    client = token_client("cirebon")
    national = TestEngagements().create_payload() | {"level": "national", "regency": None}
    assert client.post(reverse("api:engagement-list"), national, format="json").status_code == 403
    elsewhere = TestEngagements().create_payload() | {"regency": "32.12"}
    assert client.post(reverse("api:engagement-list"), elsewhere, format="json").status_code == 403
    village = TestEngagements().create_payload() | {"level": "village", "regency": None, "village": "32.09.07.2002"}
    assert client.post(reverse("api:engagement-list"), village, format="json").status_code == 201
    existing = Engagement.objects.filter(level="national").first()
    assert client.patch(reverse("api:engagement-detail", args=[existing.pk]), {"budget": 1}, format="json"
                        ).status_code == 403


def test_a_read_only_token_of_agency_staff_does_not_write():
    payload = TestEngagements().create_payload() | {"agency": "BPJS TK", "level": "national", "regency": None}
    assert token_client("bpjs", read_only=True).post(reverse("api:engagement-list"), payload, format="json"
                                                      ).status_code == 403


@pytest.mark.parametrize(("change", "field"), [
    ({"village": "32.09.07.2002"}, "village"),  # a regency engagement with a village
    ({"level": "village", "regency": None}, "village"),  # a village engagement without its village
    ({"agency": "NOPE"}, "agency"),
    ({"regency": "99.99"}, "regency"),
    ({"village": "32.09.07.2999", "level": "village", "regency": None}, "village"),
    ({"year": 2010}, "year"),
    ({"pillar": 7}, "pillar"),
    ({"kind": "x"}, "kind"),
    ({"budget": -5}, "budget"),
])
def test_an_engagement_breaking_a_rule_is_a_400_naming_the_field(change, field):
    payload = TestEngagements().create_payload() | change
    response = token_client("admin").post(reverse("api:engagement-list"), payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json(), response.json()


@pytest.mark.parametrize("case", ["q", "agency", "level", "pillar", "kind", "year", "area"])
def test_every_engagement_filter_counts_its_records(case):
    bpjs = Agency.objects.get(acronym="BPJS TK")
    params, expected = {
        "q": ({"q": "literasi"}, Q(description__icontains="literasi")),
        "agency": ({"agency": bpjs.pk}, Q(agency=bpjs)),
        "level": ({"level": ["regency", "village"]}, Q(level__in=["regency", "village"])),
        "pillar": ({"pillar": 2}, Q(pillar=2)),
        "kind": ({"kind": ["credit", "funding"]}, Q(kind__in=["credit", "funding"])),
        "year": ({"year_min": 2019, "year_max": 2021}, Q(year__gte=2019, year__lte=2021)),
        "area": ({"area": "32.09"}, Q(regency__code="32.09") | Q(regency__code__startswith="32.09.")
                 | Q(village__code__startswith="32.09.")),
    }[case]
    count = Engagement.objects.filter(expected).count()
    assert count > 0
    assert listed("engagement", params)["count"] == count


def test_engagements_are_scoped_and_sorted():
    cirebon = Q(level="national") | Q(regency__code__startswith="32.09") | Q(village__code__startswith="32.09")
    assert listed("engagement", {}, role="cirebon")["count"] == Engagement.objects.filter(cirebon).count()
    budgets = [row["budget"] for row in listed("engagement", {"o": "-budget"})["results"]]
    assert budgets == sorted(budgets, reverse=True)


@pytest.mark.parametrize("params", [{"agency": "abc"}, {"agency": 999999}, {"year_min": "x"}, {"level": "x"},
                                    {"o": "x"}])
def test_a_bad_engagement_filter_is_a_400(params):
    response = token_client("bpjs").get(reverse("api:engagement-list"), params)
    assert response.status_code == 400 and response.json()


def test_the_answer_to_a_patch_has_every_field_even_when_null():
    village_engagement = Engagement.objects.filter(level="village", village__code__startswith="32.09.").first()
    response = token_client("cirebon").patch(reverse("api:engagement-detail", args=[village_engagement.pk]), {},
                                             format="json")
    assert response.status_code == 200
    assert response.json()["regency"] is None and response.json()["regency_name"] is None


def test_absurd_years_in_a_filter_are_not_a_server_error():
    for params in ({"year_min": 10**30}, {"year_max": -(10**30)}, {"year_min": "NaN"}):
        assert token_client("kemnaker").get(reverse("api:engagement-list"), params).status_code in (200, 400)
