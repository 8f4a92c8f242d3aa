"""PMI pages seen by each kind of user: scoping, masking, the forms, and the lifecycle through the
stage actions. The session database holds the regions and the demo data (3,000 PMI)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.personal_data import NIK_MASK
from migrants.choices import PlacementScheme, ReturnReason, Sector, Stage
from migrants.models import MigrantWorker, Placement, Reintegration
from migrants.nik import nik_for
from migrants.services import migrant_register

pytestmark = pytest.mark.django_db

D = datetime.date
VILLAGE = "32.09.14.2004"  # a desa of Kabupaten Cirebon
BIRTH = D(1995, 8, 17)
ACTION_URLS = ("migrantworker_verify", "migrantworker_train", "migrantworker_ready", "migrantworker_depart",
               "migrantworker_return", "migrantworker_register_again", "reintegration_edit")


def login(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def url(name: str, *args) -> str:
    return reverse(f"migrants:{name}", args=args)


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def free_nik(serial: int = 9871, *, female: bool = True, birth: datetime.date = BIRTH) -> str:
    nik = nik_for(district_code="32.09.14", birth_date=birth, female=female, serial=serial)
    assert not MigrantWorker.objects.filter(nik=nik).exists()
    return nik


@pytest.fixture
def cirebon_pmi() -> MigrantWorker:
    return MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()


@pytest.fixture
def fresh_pmi() -> MigrantWorker:
    """A prospective PMI of Cirebon registered a year ago, to walk through the lifecycle."""
    return migrant_register(nik=free_nik(), name="Siti Halaman", gender="F", birth_date=BIRTH,
                            village_id=VILLAGE, registered_on=timezone.localdate() - datetime.timedelta(days=365),
                            phone="081234500001")


# --- the list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["cirebon", "kemnaker", "jabar", "petugas", "admin"])
def test_list_is_scoped_and_bounded(client, django_assert_max_num_queries, username):
    user = login(client, username)
    with django_assert_max_num_queries(12):
        response = client.get(url("migrantworker_list"), {"per_page": 100})
    assert response.status_code == 200
    objects = list(response.context["object_list"])
    assert objects
    prefix = user.area_code
    if prefix:
        assert all(o.village_id.startswith(prefix) for o in objects)
    expected = MigrantWorker.objects.filter(village__code__startswith=prefix).count()
    assert response.context["paginator"].count == expected


def test_cirebon_sees_only_cirebon_and_in_full(client, cirebon_pmi):
    login(client, "cirebon")
    response = client.get(url("migrantworker_list"), {"per_page": 100, "o": "name"})
    assert {o.village_id[:6] for o in response.context["object_list"]} == {"32.09."}
    cirebon = MigrantWorker.objects.filter(village__code__startswith="32.09.").count()
    assert response.context["paginator"].count == cirebon
    page = client.get(url("migrantworker_list"), {"area": cirebon_pmi.village_id, "per_page": 100}).content.decode()
    assert cirebon_pmi.nik in page
    # another area's filter finds nothing rather than leaking
    response = client.get(url("migrantworker_list"), {"area": "32.12"})
    assert response.context["paginator"].count == 0


def test_kemnaker_sees_nik_masked_and_cannot_write(client, cirebon_pmi):
    login(client, "kemnaker")
    page = client.get(url("migrantworker_list"), {"area": cirebon_pmi.village_id, "per_page": 100}).content.decode()
    masked = NIK_MASK
    assert masked in page
    assert cirebon_pmi.nik not in page
    detail = client.get(url("migrantworker_detail", cirebon_pmi.pk))
    assert detail.status_code == 200
    content = detail.content.decode()
    assert masked in content and cirebon_pmi.nik not in content
    if cirebon_pmi.phone:
        assert cirebon_pmi.phone not in content
    assert detail.context["stage_actions"] == [] and not detail.context["can_change"]
    assert url("migrantworker_edit", cirebon_pmi.pk) not in content
    assert client.get(url("migrantworker_add")).status_code == 403
    assert client.get(url("migrantworker_edit", cirebon_pmi.pk)).status_code == 403
    for name in ACTION_URLS:
        assert client.post(url(name, cirebon_pmi.pk), {"date": d(timezone.localdate())}).status_code == 403


def test_masked_user_cannot_uncover_a_nik_digit_by_digit(client, cirebon_pmi):
    login(client, "kemnaker")
    response = client.get(url("migrantworker_list"), {"q": cirebon_pmi.nik[:10]})
    assert "q" in response.context["filter"].form.errors
    assert response.context["paginator"].count == 0  # the error, over an empty list
    response = client.get(url("migrantworker_list"), {"q": cirebon_pmi.nik[:4], "per_page": 25})
    assert response.context["paginator"].count == MigrantWorker.objects.filter(nik__startswith="3209").count()
    response = client.post(url("migrantworker_find"), {"nik": cirebon_pmi.nik})
    assert response.status_code == 302 and response["Location"] == url("migrantworker_detail", cirebon_pmi.pk)


def test_agency_staff_do_not_see_person_records(client, cirebon_pmi):
    login(client, "bpjs")
    assert client.get(url("migrantworker_list")).status_code == 403
    assert client.get(url("placement_list")).status_code == 403
    assert client.get(url("migrantworker_detail", cirebon_pmi.pk)).status_code == 403
    assert client.post(url("migrantworker_find"), {"nik": cirebon_pmi.nik}).status_code == 403


def test_filters_search_and_sorting(client, cirebon_pmi):
    login(client, "cirebon")
    response = client.get(url("migrantworker_list"), {"stage": [Stage.ABROAD, Stage.RETURNED], "o": "-registered",
                                                       "per_page": 100})
    objects = list(response.context["object_list"])
    assert objects and {o.stage for o in objects} <= {Stage.ABROAD, Stage.RETURNED}
    assert [o.registered_on for o in objects] == sorted((o.registered_on for o in objects), reverse=True)
    response = client.get(url("migrantworker_list"), {"q": cirebon_pmi.nik[:6], "per_page": 100})
    assert all(o.nik.startswith(cirebon_pmi.nik[:6]) for o in response.context["object_list"])
    # more of a NIK than its region would travel in the address: refused, pointing to the POST box
    response = client.get(url("migrantworker_list"), {"q": cirebon_pmi.nik[:12]})
    assert "q" in response.context["filter"].form.errors and not response.context["object_list"]
    word = cirebon_pmi.name.split()[0]
    response = client.get(url("migrantworker_list"), {"q": word, "per_page": 100})
    assert all(word.lower() in o.name.lower() for o in response.context["object_list"])
    response = client.get(url("migrantworker_list"), {"nik_needs_verification": "true", "per_page": 100})
    assert all(o.nik_needs_verification for o in response.context["object_list"])
    taiwan = MigrantWorker.objects.filter(village__code__startswith="32.09.", placements__destination_country="TW") \
        .distinct().count()
    response = client.get(url("migrantworker_list"), {"destination_country": "TW"})
    assert response.context["paginator"].count == taiwan > 0
    year = cirebon_pmi.registered_on.year
    response = client.get(url("migrantworker_list"), {"registered_year": year, "per_page": 100})
    assert all(o.registered_on.year == year for o in response.context["object_list"])


def test_find_by_nik_keeps_the_nik_out_of_urls(client, cirebon_pmi):
    login(client, "cirebon")
    # a GET (an address typed by hand) goes back to the list and never opens a record by a NIK in the URL
    response = client.get(url("migrantworker_find"), {"nik": cirebon_pmi.nik})
    assert response.status_code == 302 and response["Location"] == url("migrantworker_list")
    response = client.post(url("migrantworker_find"), {"nik": cirebon_pmi.nik})
    assert response["Location"] == url("migrantworker_detail", cirebon_pmi.pk)
    login(client, "indramayu")
    response = client.post(url("migrantworker_find"), {"nik": cirebon_pmi.nik}, follow=True)
    assert response.redirect_chain[-1][0] == url("migrantworker_list")
    assert cirebon_pmi.nik not in response.content.decode()


def test_placement_list_is_scoped_filtered_and_bounded(client, django_assert_max_num_queries):
    login(client, "cirebon")
    with django_assert_max_num_queries(12):
        response = client.get(url("placement_list"), {"per_page": 100})
    assert response.status_code == 200
    assert all(p.migrant.village_id.startswith("32.09.") for p in response.context["object_list"])
    response = client.get(url("placement_list"), {"returned": "false", "per_page": 100})
    assert all(p.return_date is None for p in response.context["object_list"])
    response = client.get(url("placement_list"), {"returned": "true", "return_reason": ReturnReason.CONTRACT_ENDED,
                                                  "departure_year_min": 2019, "o": "-departure", "per_page": 100})
    objects = list(response.context["object_list"])
    assert objects and all(p.return_reason == ReturnReason.CONTRACT_ENDED and p.departure_date.year >= 2019
                           for p in objects)
    login(client, "kemnaker")
    with django_assert_max_num_queries(12):
        response = client.get(url("placement_list"), {"destination_country": ["TW", "HK"], "per_page": 100})
    assert {p.destination_country for p in response.context["object_list"]} <= {"TW", "HK"}


# --- detail and scoping -----------------------------------------------------------------------


def test_detail_shows_person_flags_history_and_actions(client, django_assert_max_num_queries):
    login(client, "cirebon")
    flagged = MigrantWorker.objects.filter(village__code__startswith="32.09.", nik_needs_verification=True,
                                           stage=Stage.RETURNED).first()
    with django_assert_max_num_queries(12):
        response = client.get(url("migrantworker_detail", flagged.pk))
    page = response.content.decode()
    assert flagged.nik in page
    for label in flagged.nik_flag_labels:
        assert str(label) in page
    assert [a["url"] for a in response.context["stage_actions"]] == [url("migrantworker_register_again", flagged.pk)]
    for placement in flagged.placements.all():
        assert placement.departure_date.strftime("%d/%m/%Y") in page
    assert url("reintegration_edit", flagged.pk) in page


def test_other_area_gets_404_everywhere(client, cirebon_pmi):
    login(client, "indramayu")
    stage, changed = cirebon_pmi.stage, cirebon_pmi.stage_changed_on
    assert client.get(url("migrantworker_detail", cirebon_pmi.pk)).status_code == 404
    for name in ("migrantworker_edit", "migrantworker_delete", *ACTION_URLS):
        assert client.get(url(name, cirebon_pmi.pk)).status_code == 404, name
        response = client.post(url(name, cirebon_pmi.pk), {"date": d(timezone.localdate()), "name": "X"})
        assert response.status_code == 404, name
    placement = Placement.objects.filter(migrant__village__code__startswith="32.09.").first()
    assert client.get(url("placement_edit", placement.pk)).status_code == 404
    assert client.post(url("placement_edit", placement.pk), {"job": "X"}).status_code == 404
    cirebon_pmi.refresh_from_db()
    assert (cirebon_pmi.stage, cirebon_pmi.stage_changed_on) == (stage, changed)


# --- add, edit, delete ------------------------------------------------------------------------


def person(**overrides) -> dict:
    if "nik" not in overrides:
        overrides["nik"] = free_nik()
    return {"name": "Dewi Contoh", "gender": "F", "birth_date": d(BIRTH), "village": VILLAGE,
            "education": "sma", "marital_status": "single", "phone": "081234567890",
            "registered_on": d(timezone.localdate()), **overrides}


def test_operator_registers_a_pmi(client):
    login(client, "cirebon")
    data = person()
    response = client.post(url("migrantworker_add"), {**data, "nik": f"{data['nik'][:6]}.{data['nik'][6:]}"})
    migrant = MigrantWorker.objects.get(nik=data["nik"])
    assert response.status_code == 302 and response["Location"] == url("migrantworker_detail", migrant.pk)
    assert migrant.stage == Stage.REGISTERED and migrant.registered_on == timezone.localdate()
    assert not migrant.nik_needs_verification
    assert migrant.history.first().history_user.username == "cirebon"


def test_a_doubtful_nik_is_kept_and_flagged(client):
    login(client, "cirebon")
    data = person(gender="M")  # the NIK says a woman (day + 40)
    client.post(url("migrantworker_add"), data)
    migrant = MigrantWorker.objects.get(nik=data["nik"])
    assert migrant.nik_needs_verification and migrant.nik_flags == "gender"
    page = client.get(url("migrantworker_detail", migrant.pk)).content.decode()
    assert str(migrant.nik_flag_labels[0]) in page


@pytest.mark.parametrize("bad", ["1234", "3.20914E+15", "3209143208950001", "9909145708950001"])
def test_a_bad_nik_is_an_error_on_the_nik_field(client, bad):
    login(client, "cirebon")
    before = MigrantWorker.objects.count()
    response = client.post(url("migrantworker_add"), person(nik=bad))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["nik"]
    assert MigrantWorker.objects.count() == before


def test_a_village_outside_the_area_is_an_error(client):
    login(client, "cirebon")
    before = MigrantWorker.objects.count()
    response = client.post(url("migrantworker_add"), person(village="32.12.16.2004"))
    assert response.status_code == 200 and "village" in response.context["form"].errors
    response = client.post(url("migrantworker_add"), person(registered_on=d(timezone.localdate()
                                                                              + datetime.timedelta(days=3))))
    assert "registered_on" in response.context["form"].errors
    assert MigrantWorker.objects.count() == before


def test_operator_edits_a_pmi_but_not_the_stage(client, fresh_pmi):
    login(client, "cirebon")
    page = client.get(url("migrantworker_edit", fresh_pmi.pk))
    assert "stage" not in page.context["form"].fields and "registered_on" not in page.context["form"].fields
    data = {**person(nik=fresh_pmi.nik, name="Siti Halaman Baru", phone="081299990000"), "stage": Stage.ABROAD}
    data.pop("registered_on")
    response = client.post(url("migrantworker_edit", fresh_pmi.pk), data)
    assert response.status_code == 302
    fresh_pmi.refresh_from_db()
    assert (fresh_pmi.name, fresh_pmi.phone, fresh_pmi.stage) == ("Siti Halaman Baru", "081299990000",
                                                                  Stage.REGISTERED)
    response = client.post(url("migrantworker_edit", fresh_pmi.pk), {**data, "village": "32.12.16.2004"})
    assert "village" in response.context["form"].errors
    fresh_pmi.refresh_from_db()
    assert fresh_pmi.village_id == VILLAGE


def test_delete_with_confirmation(client, fresh_pmi):
    login(client, "cirebon")
    page = client.get(url("migrantworker_delete", fresh_pmi.pk))
    assert page.status_code == 200 and fresh_pmi.name in page.content.decode()
    assert MigrantWorker.objects.filter(pk=fresh_pmi.pk).exists()  # nothing deleted by looking
    response = client.post(url("migrantworker_delete", fresh_pmi.pk))
    assert response.status_code == 302 and response["Location"] == url("migrantworker_list")
    assert not MigrantWorker.objects.filter(pk=fresh_pmi.pk).exists()
    assert MigrantWorker.history.filter(id=fresh_pmi.pk, history_type="-").exists()


def test_readers_cannot_delete(client, cirebon_pmi):
    login(client, "jabar")
    assert client.post(url("migrantworker_delete", cirebon_pmi.pk)).status_code == 403
    assert MigrantWorker.objects.filter(pk=cirebon_pmi.pk).exists()


# --- the lifecycle through the action pages ---------------------------------------------------


def test_the_whole_lifecycle_through_the_action_pages(client, fresh_pmi):
    login(client, "cirebon")
    today = timezone.localdate()
    day = lambda n: d(today - datetime.timedelta(days=n))  # noqa: E731
    pk = fresh_pmi.pk

    detail = client.get(url("migrantworker_detail", pk))
    assert [a["url"] for a in detail.context["stage_actions"]] == [url("migrantworker_verify", pk)]

    # htmx loads the small form into the detail page; the form is a fragment, not a page
    fragment = client.get(url("migrantworker_verify", pk), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert fragment.context["form"]["date"].value() == today
    response = client.post(url("migrantworker_verify", pk), {"date": day(300)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == url("migrantworker_detail", pk)
    fresh_pmi.refresh_from_db()
    assert (fresh_pmi.stage, fresh_pmi.stage_changed_on) == (Stage.VERIFIED, today - datetime.timedelta(days=300))

    # without JavaScript: whole pages, the same forms
    assert "<html" in client.get(url("migrantworker_ready", pk)).content.decode()
    assert client.post(url("migrantworker_ready", pk), {"date": day(200)}).status_code == 302

    placement = {"destination_country": "TW", "sector": Sector.INFORMAL, "job": "Caregiver",
                 "scheme": PlacementScheme.P_TO_P, "p3mi_name": "PT Contoh Jasa", "departure_date": day(150),
                 "contract_end_date": d(today + datetime.timedelta(days=500))}
    response = client.post(url("migrantworker_depart", pk), {**placement, "p3mi_name": ""})
    assert response.status_code == 200 and "p3mi_name" in response.context["form"].errors  # P to P names its P3MI
    assert client.post(url("migrantworker_depart", pk), placement).status_code == 302
    fresh_pmi.refresh_from_db()
    assert fresh_pmi.stage == Stage.ABROAD
    stay = fresh_pmi.placements.get()
    assert stay.return_date is None and stay.destination_country == "TW"

    response = client.post(url("migrantworker_return", pk), {"return_date": day(151),
                                                              "return_reason": ReturnReason.ILLNESS})
    assert "return_date" in response.context["form"].errors  # before the departure
    response = client.post(url("migrantworker_return", pk), {"return_date": day(10),
                                                              "return_reason": ReturnReason.ILLNESS})
    assert response.status_code == 302
    fresh_pmi.refresh_from_db()
    stay.refresh_from_db()
    assert fresh_pmi.stage == Stage.RETURNED
    assert (stay.return_date, stay.return_reason) == (today - datetime.timedelta(days=10), ReturnReason.ILLNESS)

    response = client.post(url("reintegration_edit", pk), {"training_received": "Pelatihan menjahit",
                                                           "has_business": "on", "business_type": "Warung",
                                                           "has_bpjs_ketenagakerjaan": "on"})
    assert response.status_code == 302
    reintegration = Reintegration.objects.get(migrant=fresh_pmi)
    assert reintegration.has_business and reintegration.business_type == "Warung"
    response = client.post(url("reintegration_edit", pk), {"business_type": "Warung"})  # no business
    assert "business_type" in response.context["form"].errors

    detail = client.get(url("migrantworker_detail", pk))
    assert [a["url"] for a in detail.context["stage_actions"]] == [url("migrantworker_register_again", pk)]
    page = detail.content.decode()
    assert "Warung" in page and "Caregiver" in page

    assert client.post(url("migrantworker_register_again", pk), {"date": d(today)}).status_code == 302
    fresh_pmi.refresh_from_db()
    assert fresh_pmi.stage == Stage.REGISTERED
    assert client.get(url("reintegration_edit", pk)).context["refused"]


def test_impossible_actions_are_refused_not_errors(client, fresh_pmi):
    login(client, "cirebon")
    pk = fresh_pmi.pk
    page = client.get(url("migrantworker_return", pk))
    assert page.status_code == 200 and page.context["refused"]
    assert f'action="{url("migrantworker_return", pk)}"' not in page.content.decode()  # no form to send
    response = client.post(url("migrantworker_return", pk), {"return_date": d(timezone.localdate()),
                                                             "return_reason": ReturnReason.OTHER})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = client.post(url("migrantworker_depart", pk), {
        "destination_country": "MY", "sector": Sector.FORMAL, "job": "Operator", "scheme": PlacementScheme.G_TO_G,
        "departure_date": d(timezone.localdate())})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = client.post(url("reintegration_edit", pk), {"training_received": "x"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    # dates: not in the future, not before the last change of stage, not garbage
    future = d(timezone.localdate() + datetime.timedelta(days=1))
    assert "date" in client.post(url("migrantworker_verify", pk), {"date": future}).context["form"].errors
    too_early = d(fresh_pmi.stage_changed_on - datetime.timedelta(days=1))
    assert "date" in client.post(url("migrantworker_verify", pk), {"date": too_early}).context["form"].errors
    assert "date" in client.post(url("migrantworker_verify", pk), {"date": "31/02/2024"}).context["form"].errors
    fresh_pmi.refresh_from_db()
    assert fresh_pmi.stage == Stage.REGISTERED and not fresh_pmi.placements.exists()
    assert not Reintegration.objects.filter(migrant=fresh_pmi).exists()


def test_placement_correction(client):
    login(client, "cirebon")
    stay = Placement.objects.filter(migrant__village__code__startswith="32.09.", return_date__isnull=True).first()
    data = {"destination_country": stay.destination_country, "sector": stay.sector, "job": "Perawat lansia",
            "scheme": stay.scheme, "p3mi_name": stay.p3mi_name or "PT Contoh",
            "contract_end_date": d(stay.departure_date + datetime.timedelta(days=730))}
    response = client.post(url("placement_edit", stay.pk), data)
    assert response.status_code == 302 and response["Location"] == url("migrantworker_detail", stay.migrant_id)
    stay.refresh_from_db()
    assert stay.job == "Perawat lansia"
    response = client.post(url("placement_edit", stay.pk), {**data, "contract_end_date": d(stay.departure_date)})
    assert "contract_end_date" in response.context["form"].errors


def test_village_officer_writes_only_in_their_village(client):
    user = login(client, "petugas")
    mine = MigrantWorker.objects.filter(village_id=user.village_id).first()
    neighbour = MigrantWorker.objects.filter(village__code__startswith="32.09.").exclude(
        village_id=user.village_id).first()
    assert client.get(url("migrantworker_detail", neighbour.pk)).status_code == 404
    if mine is not None:
        assert client.get(url("migrantworker_edit", mine.pk)).status_code == 200
    response = client.post(url("migrantworker_add"), person(village=neighbour.village_id))
    assert "village" in response.context["form"].errors
