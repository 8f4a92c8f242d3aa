"""Desmigratif village and pillar activity pages, seen by each kind of user."""
import pytest
from django.urls import reverse

from accounts.models import User
from villages.choices import ActivityKind, FundingSource, Pillar
from villages.models import DesmigratifVillage, PillarActivity

pytestmark = pytest.mark.django_db


def login(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


@pytest.fixture
def cirebon_dv() -> DesmigratifVillage:
    return DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()


@pytest.fixture
def free_cirebon_village() -> str:
    """A village of Kabupaten Cirebon not yet in the program."""
    taken = DesmigratifVillage.objects.values("village_id")
    from regions.models import Village

    return Village.objects.filter(code__startswith="32.09.", code__contains=".2").exclude(code__in=taken) \
        .order_by("code").first().code


@pytest.mark.parametrize("username", ["cirebon", "kemnaker", "jabar", "bpjs"])
def test_list_is_scoped_and_bounded(client, django_assert_max_num_queries, username):
    user = login(client, username)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("villages:desmigratifvillage_list"), {"per_page": 100})
    assert response.status_code == 200
    codes = [obj.village_id for obj in response.context["object_list"]]
    assert codes
    if user.area_code:
        assert all(code.startswith(user.area_code + ".") for code in codes)
    total = response.context["paginator"].count
    expected = DesmigratifVillage.objects.filter(village__code__startswith=user.area_code).count()
    assert total == expected


def test_list_exports_what_it_shows(client):
    login(client, "cirebon")
    page = client.get(reverse("villages:desmigratifvillage_list"), {"funding_source": "dana_desa"})
    export = reverse("exchange:villages_export") + "?funding_source=dana_desa"
    assert export in page.content.decode()
    response = client.get(export + "&format=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = [line for line in body.splitlines()[1:] if line.strip()]
    assert len(rows) == 10  # Kabupaten Cirebon's Dana Desa villages


def test_filters_and_sorting(client):
    login(client, "kemnaker")
    response = client.get(reverse("villages:desmigratifvillage_list"),
                          {"area": "32.09", "funding_source": "dana_desa", "o": "-year"})
    objects = list(response.context["object_list"])
    assert len(objects) == 10  # Kabupaten Cirebon's ten Dana Desa villages
    assert [o.year_designated for o in objects] == sorted((o.year_designated for o in objects), reverse=True)
    response = client.get(reverse("villages:desmigratifvillage_list"), {"year_designated_min": "2016",
                                                                          "year_designated_max": "2016"})
    assert {o.village_id for o in response.context["object_list"]} == {"32.12.16.2004", "33.07.10.2004"}


def test_other_area_cannot_open_or_change(client, cirebon_dv):
    login(client, "indramayu")
    for name in ("desmigratifvillage_detail", "desmigratifvillage_edit", "desmigratifvillage_delete"):
        assert client.get(reverse(f"villages:{name}", args=[cirebon_dv.pk])).status_code == 404
    assert client.post(reverse("villages:desmigratifvillage_delete", args=[cirebon_dv.pk])).status_code == 404
    assert DesmigratifVillage.objects.filter(pk=cirebon_dv.pk).exists()


def test_readers_cannot_write(client, cirebon_dv):
    login(client, "kemnaker")
    assert client.get(reverse("villages:desmigratifvillage_detail", args=[cirebon_dv.pk])).status_code == 200
    assert client.get(reverse("villages:desmigratifvillage_add")).status_code == 403
    assert client.get(reverse("villages:desmigratifvillage_edit", args=[cirebon_dv.pk])).status_code == 403


def test_operator_adds_edits_and_deletes_a_village(client, free_cirebon_village):
    login(client, "cirebon")
    data = {"village": free_cirebon_village, "year_designated": 2023, "decree_number": "SK-DEMO/2023",
            "decree_date": "15/03/2023", "funding_source": FundingSource.DANA_DESA, "status": "active",
            "is_desmigratif": "on"}
    response = client.post(reverse("villages:desmigratifvillage_add"), data)
    dv = DesmigratifVillage.objects.get(village_id=free_cirebon_village)
    assert response.status_code == 302 and response["Location"] == dv.get_absolute_url()
    assert dv.decree_date.isoformat() == "2023-03-15"
    response = client.post(reverse("villages:desmigratifvillage_edit", args=[dv.pk]), {**data, "status": "inactive"})
    assert response.status_code == 302
    dv.refresh_from_db()
    assert dv.status == "inactive"
    assert dv.history.count() == 2  # audit: created, changed
    page = client.get(reverse("villages:desmigratifvillage_delete", args=[dv.pk]))
    assert page.status_code == 200
    assert client.post(reverse("villages:desmigratifvillage_delete", args=[dv.pk])).status_code == 302
    assert not DesmigratifVillage.objects.filter(pk=dv.pk).exists()


def test_add_outside_the_area_or_with_bad_values_writes_nothing(client, free_cirebon_village):
    login(client, "cirebon")
    before = DesmigratifVillage.objects.count()
    response = client.post(reverse("villages:desmigratifvillage_add"), {
        "village": "32.12.16.2001", "year_designated": 2023, "funding_source": "apbd", "status": "active",
        "is_desmigratif": "on"})
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    response = client.post(reverse("villages:desmigratifvillage_add"), {
        "village": free_cirebon_village, "year_designated": 2015, "funding_source": "apbd", "status": "active"})
    errors = response.context["form"].errors
    assert "year_designated" in errors and "__all__" in errors  # before 2016; no label
    response = client.post(reverse("villages:desmigratifvillage_add"), {
        "village": "not a code", "year_designated": 2023, "funding_source": "apbd", "status": "active",
        "is_desmigratif": "on"})
    assert "village" in response.context["form"].errors
    in_program = DesmigratifVillage.objects.filter(village__code__startswith="32.09.").first()
    response = client.post(reverse("villages:desmigratifvillage_add"), {
        "village": in_program.village_id, "year_designated": 2023, "funding_source": "apbd", "status": "active",
        "is_desmigratif": "on"})
    message = response.context["form"].errors["village"][0]
    assert in_program.village_id in message and str(in_program.year_designated) in message
    assert DesmigratifVillage.objects.count() == before


def test_village_in_use_is_not_deleted(client, cirebon_dv):
    login(client, "cirebon")
    assert cirebon_dv.activities.exists() or cirebon_dv.cooperatives.exists()
    response = client.post(reverse("villages:desmigratifvillage_delete", args=[cirebon_dv.pk]), follow=True)
    assert response.status_code == 200
    assert DesmigratifVillage.objects.filter(pk=cirebon_dv.pk).exists()
    assert any("not deleted" in str(m) or "tidak dihapus" in str(m) for m in response.context["messages"])


def test_village_type_ahead_is_narrowed_to_the_area(client):
    login(client, "cirebon")
    response = client.get(reverse("regions:village_search"), {"q": "32.12"})
    assert response.json()["results"] == []
    response = client.get(reverse("regions:village_search"), {"q": "32.09.14"})
    codes = [r["code"] for r in response.json()["results"]]
    assert codes and all(c.startswith("32.09.14.") for c in codes)
    response = client.get(reverse("regions:village_search"), {"q": "kenanga"}, HTTP_HX_REQUEST="true")
    assert b"<option" not in response.content or b"32.09." in response.content
    login(client, "kemnaker")
    response = client.get(reverse("regions:village_search"), {"q": "Kenanga"})
    assert "32.12.16.2004" in {r["code"] for r in response.json()["results"]}


def test_operator_records_an_activity(client, cirebon_dv):
    login(client, "cirebon")
    data = {"desmigratif_village": cirebon_dv.pk, "pillar": Pillar.COMMUNITY_PARENTING,
            "kind": ActivityKind.PARENTING_SESSION, "date": "01/06/2024", "title": "Sesi parenting Juni",
            "participants_women": 12, "participants_men": 3, "services_given": 0, "businesses_started": 0,
            "children_reached": 20, "budget": 1500000}
    response = client.post(reverse("villages:pillaractivity_add"), data)
    assert response.status_code == 302
    activity = PillarActivity.objects.get(title="Sesi parenting Juni")
    assert activity.children_reached == 20
    response = client.post(reverse("villages:pillaractivity_add"),
                           {**data, "title": "Wrong pillar", "kind": ActivityKind.MEMBER_MEETING})
    assert "kind" in response.context["form"].errors
    assert not PillarActivity.objects.filter(title="Wrong pillar").exists()
    detail = client.get(activity.get_absolute_url())
    assert "Rp 1.500.000" in detail.content.decode()


def test_activity_list_bounded(client, django_assert_max_num_queries):
    login(client, "kemnaker")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("villages:pillaractivity_list"), {"per_page": 100})
    assert response.status_code == 200 and len(response.context["object_list"]) == 100


def test_menu_follows_the_role(client):
    login(client, "bpjs")
    labels = [str(e["label"]) for e in client.get(reverse("home")).context["menu"]]
    assert not any("PMI" in label for label in labels)
    login(client, "cirebon")
    response = client.get(reverse("villages:desmigratifvillage_list"))
    assert response.context["can_add"]


def test_operator_manages_field_officers(client, cirebon_dv):
    login(client, "cirebon")
    response = client.post(reverse("villages:fieldofficer_add", args=[cirebon_dv.pk]),
                           {"name": "Petugas Baru", "role": "petugas", "phone": "081311112222",
                            "active_since": "01/02/2024"})
    assert response.status_code == 302
    officer = cirebon_dv.officers.get(name="Petugas Baru")
    response = client.post(reverse("villages:fieldofficer_edit", args=[officer.pk]),
                           {"name": "Petugas Baru", "role": "petugas", "active_since": "01/02/2024",
                            "active_until": "01/01/2024"})
    assert "__all__" in response.context["form"].errors or response.context["form"].errors
    assert client.post(reverse("villages:fieldofficer_delete", args=[officer.pk])).status_code == 302
    assert not cirebon_dv.officers.filter(name="Petugas Baru").exists()
    login(client, "indramayu")
    assert client.get(reverse("villages:fieldofficer_add", args=[cirebon_dv.pk])).status_code == 404
    other = cirebon_dv.officers.first()
    assert client.get(reverse("villages:fieldofficer_edit", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("params", [
    {"year_designated_min": "abc"}, {"o": "bogus"}, {"per_page": "x"}, {"page": "999"}, {"page": "abc"},
    {"area": "'; drop table"}, {"funding_source": "nope"}, {"date_after": "31/02/2024"}, {"q": "\x00"},
])
def test_bad_list_parameters_never_fail(client, params):
    login(client, "cirebon")
    for name in ("villages:desmigratifvillage_list", "villages:pillaractivity_list"):
        response = client.get(reverse(name), params)
        assert response.status_code in (200, 404)
