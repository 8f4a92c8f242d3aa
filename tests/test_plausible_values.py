"""Plausible values only (issue 15, point 7).

Every door that writes — the pages, the REST API, the import and the admin — refuses the same
implausible values with the message of ``desmigratif.limits`` on the field, writes nothing, and never
answers with a server error: 2**31 overflows a PostgreSQL integer and 32,767 a small one, so run this
file on PostgreSQL too. The values: a registration on 31/12/9999 (the PMI could never change stage)
or in the year 1, a birth date in the future or making the PMI a child, an activity on 31/12/9999,
2**31 participants or members, and budgets and amounts of 10**15 rupiah.
"""
from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_issue
from agencies.models import Agency, Engagement
from cooperatives.models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from exchange.choices import JobStatus
from migrants.models import MigrantWorker, Placement, Reintegration
from migrants.nik import nik_for
from villages.models import DesmigratifVillage, FieldOfficer, PillarActivity

from .exchange.files import check, new_nik, pmi_row, problems

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()
VILLAGE = "32.09.14.2004"  # a desa of Kabupaten Cirebon
BIRTH = D(1995, 8, 17)
LAST_DAY, FIRST_DAY = D(9999, 12, 31), D(1, 1, 1)


def years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years, day=28 if (day.month, day.day) == (2, 29) else day.day)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def dmy(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"  # strftime writes the year 1 as "1"


FUTURE = "The date cannot be in the future."
BEFORE_PROGRAM = "The date cannot be before 01/01/2016: the program started in 2016."
ACTIVITY_AHEAD = (f"The date cannot be after {dmy(TODAY + datetime.timedelta(days=366))}: a planned date is "
                  "entered at most a year ahead.")
COUNT = ("At most 100,000: no activity or cooperative of a village counts more, so a larger number is taken for a "
         "typing error.")
RUPIAH = "At most Rp 1,000,000,000,000: a larger amount is taken for a typing error (a few zeros too many)."
LOSS = "At least -Rp 1,000,000,000,000: a larger loss is taken for a typing error (a few zeros too many)."

# (what, field values, field, message)
PMI_CASES = [
    ("registered on 31/12/9999", {"registered_on": LAST_DAY}, "registered_on",
     "The registration date cannot be in the future."),
    ("registered in the year 1", {"registered_on": FIRST_DAY}, "registered_on",
     "The registration date cannot be before 01/01/2016: the program started in 2016."),
    ("born tomorrow", {"birth_date": TODAY + datetime.timedelta(days=1)}, "birth_date",
     "The birth date cannot be in the future."),
    ("a child of ten", {"birth_date": years_before(TODAY, 10)}, "birth_date",
     "A PMI is at least 18 years old at registration (UU 18/2017, article 5): this birth date makes them 10."),
    ("born in the year 1", {"birth_date": FIRST_DAY}, "birth_date",
     f"A PMI is at most 80 years old at registration: this birth date makes them {TODAY.year - 1}. Check the year."),
]
ACTIVITY_CASES = [
    ("on 31/12/9999", {"date": LAST_DAY}, "date", ACTIVITY_AHEAD),
    ("in the year 1", {"date": FIRST_DAY}, "date", BEFORE_PROGRAM),
    ("2**31 participants", {"participants_women": 2**31}, "participants_women", COUNT),
    ("10**15 rupiah", {"budget": 10**15}, "budget", RUPIAH),
]
ENGAGEMENT_CASES = [
    ("10**15 rupiah", {"budget": 10**15}, "budget", RUPIAH),
    ("the year 40000", {"year": 40_000}, "year", "Ensure this value is less than or equal to 2100."),
]
FIGURE_CASES = [
    ("2**31 members", {"members": 2**31}, "members", COUNT),
    ("10**15 rupiah of capital", {"capital": 10**15}, "capital", RUPIAH),
    ("a loss of 10**15 rupiah", {"shu": -10**15}, "shu", LOSS),
]


def ids(cases):
    return [case[0] for case in cases]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_client(client, username: str = "cirebon"):
    client.force_login(User.objects.get(username=username))
    return english_client(client)


def api_client(username: str = "cirebon") -> APIClient:
    _token, key = api_token_issue(user=User.objects.get(username=username), name="test")
    client = english_client(APIClient())
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def cirebon_program_village() -> DesmigratifVillage:
    return DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()


def cirebon_cooperative() -> Cooperative:
    return Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.").order_by("pk").first()


def free_year(cooperative: Cooperative) -> int:
    taken = set(cooperative.yearly_figures.values_list("year", flat=True))
    year = next((y for y in range(max(cooperative.year_founded, 2016), TODAY.year + 1) if y not in taken), None)
    if year is None:
        oldest = cooperative.yearly_figures.order_by("year").first()
        year = oldest.year
        oldest.delete()
    return year


def counts() -> tuple[int, ...]:
    return (MigrantWorker.objects.count(), PillarActivity.objects.count(), Engagement.objects.count(),
            CooperativeYearlyFigure.objects.count())


# --- the values, as each door takes them -----------------------------------------------------------------


def person(values: dict, *, as_text=lambda day: day.isoformat()) -> dict:
    fields = {"nik": nik_for(district_code=VILLAGE[:8], birth_date=BIRTH, female=True, serial=9931), "name": "Siti Uji",
              "gender": "F", "birth_date": BIRTH, "village": VILLAGE, "education": "sma",
              "marital_status": "single", "phone": "081234567890", "registered_on": TODAY, **values}
    assert not MigrantWorker.objects.filter(nik=fields["nik"]).exists()
    return {name: as_text(value) if isinstance(value, datetime.date) else value for name, value in fields.items()}


def activity(values: dict, *, as_text=lambda day: day.isoformat()) -> dict:
    fields = {"pillar": 1, "kind": "1_job_info", "date": D(2024, 5, 2), "title": "Sosialisasi uji",
              "participants_women": 12, "participants_men": 3, "services_given": 5, "businesses_started": 0,
              "children_reached": 0, "budget": 2_500_000, "notes": "", **values}
    return {name: as_text(value) if isinstance(value, datetime.date) else value for name, value in fields.items()}


def engagement(values: dict) -> dict:
    return {"level": "regency", "regency": "32.09", "pillar": 1, "kind": "training", "year": 2024,
            "budget": 150_000_000, "description": "Pelatihan uji", **values}


def figure(values: dict, cooperative: Cooperative) -> dict:
    return {"year": free_year(cooperative), "members": 40, "members_returned_pmi": 12, "capital": 25_000_000,
            "assets": 60_000_000, "revenue": 90_000_000, "shu": -1_500_000, **values}


def assert_refused_on_page(response, field: str, message: str) -> None:
    assert response.status_code == 200  # the form again, with the error
    form = response.context.get("adminform").form if response.context.get("adminform") else response.context["form"]
    assert form.errors.get(field) == [message], form.errors


# --- the pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("what, values, field, message", PMI_CASES, ids=ids(PMI_CASES))
def test_the_pmi_page_refuses(client, what, values, field, message):
    before = counts()
    response = page_client(client).post(reverse("migrants:migrantworker_add"), person(values, as_text=dmy))
    assert_refused_on_page(response, field, message)
    assert counts() == before


def birth_date_edits(migrant: MigrantWorker) -> dict[str, tuple[datetime.date, str]]:
    """A recorded PMI's birth date changed to an implausible one: the age counts at the PMI's registration."""
    registered = migrant.registered_on
    return {
        "born tomorrow": (TODAY + datetime.timedelta(days=1), "The birth date cannot be in the future."),
        "a child of ten": (years_before(registered, 10), "A PMI is at least 18 years old at registration (UU 18/2017, "
                                                         "article 5): this birth date makes them 10."),
        "born in the year 1": (FIRST_DAY, f"A PMI is at most 80 years old at registration: this birth date makes "
                                          f"them {age_on(FIRST_DAY, registered)}. Check the year."),
    }


def recorded_pmi() -> MigrantWorker:
    return MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()


BIRTH_EDITS = ["born tomorrow", "a child of ten", "born in the year 1"]


@pytest.mark.parametrize("what", BIRTH_EDITS)
def test_the_pmi_edit_page_refuses_a_birth_date(client, what):
    migrant = recorded_pmi()
    birth_date, message = birth_date_edits(migrant)[what]
    data = {"nik": migrant.nik, "name": migrant.name, "gender": migrant.gender, "birth_date": dmy(birth_date),
            "village": migrant.village_id, "address": migrant.address, "education": migrant.education,
            "marital_status": migrant.marital_status, "phone": migrant.phone, "version": migrant.version}
    response = page_client(client).post(reverse("migrants:migrantworker_edit", args=[migrant.pk]), data)
    assert_refused_on_page(response, "birth_date", message)
    assert MigrantWorker.objects.get(pk=migrant.pk).version == migrant.version


@pytest.mark.parametrize("what, values, field, message", ACTIVITY_CASES, ids=ids(ACTIVITY_CASES))
def test_the_activity_page_refuses(client, what, values, field, message):
    before = counts()
    data = {**activity(values, as_text=dmy), "desmigratif_village": cirebon_program_village().pk}
    response = page_client(client).post(reverse("villages:pillaractivity_add"), data)
    assert_refused_on_page(response, field, message)
    assert counts() == before


@pytest.mark.parametrize("what, values, field, message", ENGAGEMENT_CASES, ids=ids(ENGAGEMENT_CASES))
def test_the_engagement_page_refuses(client, what, values, field, message):
    before = counts()
    data = {**engagement(values), "agency": Agency.objects.get(acronym="Kemnaker").pk, "village": ""}
    response = page_client(client).post(reverse("agencies:engagement_add"), data)
    assert_refused_on_page(response, field, message)
    assert counts() == before


@pytest.mark.parametrize("what, values, field, message", FIGURE_CASES, ids=ids(FIGURE_CASES))
def test_the_cooperative_figures_page_refuses(client, what, values, field, message):
    cooperative = cirebon_cooperative()
    data = figure(values, cooperative)
    before = counts()
    response = page_client(client).post(reverse("cooperatives:cooperativeyearlyfigure_add", args=[cooperative.pk]),
                                        data)
    assert_refused_on_page(response, field, message)
    assert counts() == before


# --- the API -------------------------------------------------------------------------------------------------


def assert_refused_by_api(response, field: str, message: str) -> None:
    assert response.status_code == 400, response.content
    assert response.json() == {field: [message]}


@pytest.mark.parametrize("what, values, field, message", PMI_CASES, ids=ids(PMI_CASES))
def test_the_api_refuses_a_pmi(what, values, field, message):
    before = counts()
    data = person(values)
    data["village"] = VILLAGE
    response = api_client().post(reverse("api:migrantworker-list"), data, format="json")
    assert_refused_by_api(response, field, message)
    assert counts() == before


@pytest.mark.parametrize("what", BIRTH_EDITS)
def test_the_api_refuses_a_birth_date_in_an_edit(what):
    migrant = recorded_pmi()
    birth_date, message = birth_date_edits(migrant)[what]
    response = api_client().patch(reverse("api:migrantworker-detail", args=[migrant.pk]),
                                  {"birth_date": birth_date.isoformat()}, format="json")
    assert_refused_by_api(response, "birth_date", message)
    assert MigrantWorker.objects.get(pk=migrant.pk).version == migrant.version


@pytest.mark.parametrize("what, values, field, message", ACTIVITY_CASES, ids=ids(ACTIVITY_CASES))
def test_the_api_refuses_an_activity(what, values, field, message):
    before = counts()
    data = {**activity(values), "village": cirebon_program_village().village_id}
    response = api_client().post(reverse("api:pillaractivity-list"), data, format="json")
    assert_refused_by_api(response, field, message)
    assert counts() == before
    recorded = PillarActivity.objects.filter(desmigratif_village__village__code__startswith="32.09.").first()
    change = {name: value.isoformat() if isinstance(value, datetime.date) else value for name, value in values.items()}
    response = api_client().patch(reverse("api:pillaractivity-detail", args=[recorded.pk]), change, format="json")
    assert_refused_by_api(response, field, message)
    assert PillarActivity.objects.get(pk=recorded.pk).version == recorded.version


@pytest.mark.parametrize("what, values, field, message", ENGAGEMENT_CASES, ids=ids(ENGAGEMENT_CASES))
def test_the_api_refuses_an_engagement(what, values, field, message):
    before = counts()
    response = api_client().post(reverse("api:engagement-list"), {**engagement(values), "agency": "Kemnaker"},
                                 format="json")
    assert_refused_by_api(response, field, message)
    assert counts() == before


@pytest.mark.parametrize("what, values, field, message", FIGURE_CASES, ids=ids(FIGURE_CASES))
def test_the_api_refuses_cooperative_figures(what, values, field, message):
    cooperative = cirebon_cooperative()
    data = {**figure(values, cooperative), "cooperative": cooperative.pk}
    before = counts()
    response = api_client().post(reverse("api:cooperativeyearlyfigure-list"), data, format="json")
    assert_refused_by_api(response, field, message)
    assert counts() == before
    recorded = cooperative.yearly_figures.order_by("year").first()
    response = api_client().patch(reverse("api:cooperativeyearlyfigure-detail", args=[recorded.pk]), values,
                                  format="json")
    assert_refused_by_api(response, field, message)
    assert CooperativeYearlyFigure.objects.get(pk=recorded.pk).version == recorded.version


# --- the import ----------------------------------------------------------------------------------------------


def csv_file(header: list[str], rows: list[list]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode()


PMI_HEADER = ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa", "Alamat", "Pendidikan",
              "Status Perkawinan", "Nomor Telepon", "Tanggal Registrasi"]
PMI_COLUMN = {"registered_on": "Tanggal Registrasi", "birth_date": "Tanggal Lahir"}


def assert_refused_by_import(job, column: str, message: str, *, row: int = 3) -> None:
    assert job.status == JobStatus.INVALID, job.problems
    assert problems(job) == [(row, column, message)]


@pytest.mark.parametrize("what, values, field, message", PMI_CASES, ids=ids(PMI_CASES))
def test_the_import_refuses_a_pmi(what, values, field, message):
    good = pmi_row(VILLAGE, name="Siti Benar")
    bad = pmi_row(VILLAGE, name="Siti Uji", birth=values.get("birth_date", BIRTH),
                  nik=new_nik(VILLAGE), registered_on=values.get("registered_on", TODAY))
    before = counts()
    job = check("cirebon", csv_file(PMI_HEADER, [good, bad]), name="pmi.csv")
    assert_refused_by_import(job, PMI_COLUMN[field], message)
    assert counts() == before


ACTIVITY_HEADER = ["ID", "Kode Desa", "Pilar", "Jenis Kegiatan", "Tanggal", "Judul", "Peserta Perempuan",
                   "Peserta Laki-laki", "Layanan Diberikan", "Anggaran (Rp)"]
ACTIVITY_COLUMN = {"date": "Tanggal", "participants_women": "Peserta Perempuan", "budget": "Anggaran (Rp)"}


def activity_row(code: str, values: dict, *, id=None) -> list:
    fields = {"date": D(2024, 5, 2), "participants_women": 12, "budget": 2_500_000, **values}
    return [id, code, "Layanan migrasi", "Informasi pasar kerja", fields["date"], "Sosialisasi uji",
            fields["participants_women"], 3, 5, fields["budget"]]


@pytest.mark.parametrize("what, values, field, message", ACTIVITY_CASES, ids=ids(ACTIVITY_CASES))
def test_the_import_refuses_an_activity(what, values, field, message):
    recorded = PillarActivity.objects.filter(desmigratif_village__village__code__startswith="32.09.", pillar=1).first()
    code = recorded.desmigratif_village.village_id
    rows = [activity_row(code, {}), activity_row(code, values), activity_row(code, values, id=recorded.pk)]
    before = counts()
    job = check("cirebon", csv_file(ACTIVITY_HEADER, rows), kind="activities", name="activities.csv")
    assert job.status == JobStatus.INVALID
    assert problems(job) == [(3, ACTIVITY_COLUMN[field], message), (4, ACTIVITY_COLUMN[field], message)]
    assert counts() == before


def test_the_import_answers_an_id_beyond_any_integer_with_the_reason():
    code = cirebon_program_village().village_id
    job = check("cirebon", csv_file(ACTIVITY_HEADER, [activity_row(code, {}, id=2**63)]), kind="activities",
                name="activities.csv")
    assert job.status == JobStatus.INVALID
    assert problems(job) == [(2, "ID", f"{2**63} is too large a number.")]


ENGAGEMENT_HEADER = ["Instansi", "Tingkat", "Kode Kabupaten/Kota", "Pilar", "Jenis", "Tahun", "Anggaran (Rp)"]
ENGAGEMENT_COLUMN = {"budget": "Anggaran (Rp)", "year": "Tahun"}


def engagement_row(values: dict) -> list:
    fields = {"year": 2024, "budget": 150_000_000, **values}
    return ["Kemnaker", "Kabupaten/kota", "32.09", "Layanan migrasi", "Pelatihan", fields["year"], fields["budget"]]


@pytest.mark.parametrize("what, values, field, message", ENGAGEMENT_CASES, ids=ids(ENGAGEMENT_CASES))
def test_the_import_refuses_an_engagement(what, values, field, message):
    before = counts()
    job = check("cirebon", csv_file(ENGAGEMENT_HEADER, [engagement_row({}), engagement_row(values)]),
                kind="engagements", name="engagements.csv")
    assert_refused_by_import(job, ENGAGEMENT_COLUMN[field], message)
    assert counts() == before


FIGURE_HEADER = ["ID Koperasi", "Tahun", "Jumlah Anggota", "Anggota Purna PMI", "Modal (Rp)", "Aset (Rp)",
                 "Omzet (Rp)", "SHU (Rp)"]
FIGURE_COLUMN = {"members": "Jumlah Anggota", "capital": "Modal (Rp)", "shu": "SHU (Rp)"}


@pytest.mark.parametrize("what, values, field, message", FIGURE_CASES, ids=ids(FIGURE_CASES))
def test_the_import_refuses_cooperative_figures(what, values, field, message):
    cooperative = cirebon_cooperative()
    data = figure(values, cooperative)
    row = [cooperative.pk, data["year"], data["members"], data["members_returned_pmi"], data["capital"],
           data["assets"], data["revenue"], data["shu"]]
    before = counts()
    job = check("cirebon", csv_file(FIGURE_HEADER, [row]), kind="cooperative_figures", name="figures.csv")
    assert_refused_by_import(job, FIGURE_COLUMN[field], message, row=2)
    assert counts() == before


# --- the admin -----------------------------------------------------------------------------------------------


def admin_url(model, view: str = "add") -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize("what, values, field, message", PMI_CASES, ids=ids(PMI_CASES))
def test_the_admin_refuses_a_pmi(client, what, values, field, message):
    before = counts()
    response = page_client(client, "admin").post(admin_url(MigrantWorker), person(values))
    assert_refused_on_page(response, field, message)
    assert counts() == before


@pytest.mark.parametrize("what, values, field, message", ACTIVITY_CASES, ids=ids(ACTIVITY_CASES))
def test_the_admin_refuses_an_activity(client, what, values, field, message):
    before = counts()
    data = {**activity(values), "desmigratif_village": cirebon_program_village().pk, "partner_agency": ""}
    response = page_client(client, "admin").post(admin_url(PillarActivity), data)
    assert_refused_on_page(response, field, message)
    assert counts() == before


@pytest.mark.parametrize("what, values, field, message", ENGAGEMENT_CASES, ids=ids(ENGAGEMENT_CASES))
def test_the_admin_refuses_an_engagement(client, what, values, field, message):
    before = counts()
    data = {**engagement(values), "agency": Agency.objects.get(acronym="Kemnaker").pk, "village": ""}
    response = page_client(client, "admin").post(admin_url(Engagement), data)
    assert_refused_on_page(response, field, message)
    assert counts() == before


@pytest.mark.parametrize("what, values, field, message", FIGURE_CASES, ids=ids(FIGURE_CASES))
def test_the_admin_refuses_cooperative_figures(client, what, values, field, message):
    cooperative = cirebon_cooperative()
    data = {**figure(values, cooperative), "cooperative": cooperative.pk}
    before = counts()
    response = page_client(client, "admin").post(admin_url(CooperativeYearlyFigure), data)
    assert_refused_on_page(response, field, message)
    assert counts() == before


# --- the other dates people enter -------------------------------------------------------------------------------


def test_other_dates_are_held_to_their_window():
    """Each date field people fill has its limits, as the model states them (every door runs full_clean())."""
    officer = FieldOfficer.objects.filter(desmigratif_village__village__code__startswith="32.09.").first()
    village = officer.desmigratif_village
    placement = Placement.objects.filter(return_date__isnull=True).first()
    reintegration = Reintegration.objects.first()
    member = CooperativeMember.objects.first()
    agency = Agency.objects.get(acronym="Kemnaker")
    cases = [
        (village, "decree_date", LAST_DAY, FUTURE), (village, "decree_date", FIRST_DAY, BEFORE_PROGRAM),
        (officer, "active_since", FIRST_DAY, BEFORE_PROGRAM), (officer, "active_until", LAST_DAY, None),
        (reintegration, "business_started_on", LAST_DAY, FUTURE),
        (reintegration, "business_started_on", FIRST_DAY, "The date cannot be before 01/01/1945."),
        (member, "joined_on", LAST_DAY, FUTURE), (agency, "valid_until", LAST_DAY, None),
        (placement, "contract_end_date", LAST_DAY, None),
    ]
    for record, name, value, message in cases:
        setattr(record, name, value)
        with pytest.raises(ValidationError) as refused:
            record.full_clean()
        messages = refused.value.message_dict[name]
        if message:
            assert message in messages, (name, messages)
        else:  # an end date: its latest day is counted from today
            assert len(messages) == 1 and " after " in messages[0], (name, messages)
        record.refresh_from_db()


# --- the demo data keeps to the limits ---------------------------------------------------------------------------


def full_clean_all(queryset, *, new: bool = False) -> None:
    """Every record as a write would check it (the model's rules), without a query per relation."""
    model = queryset.model
    relations = [f.name for f in model._meta.fields if f.is_relation]
    for record in queryset.iterator(chunk_size=2000):
        record._state.adding = new  # a PMI "registered" again: the registration date is checked
        record.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def test_the_loaded_demo_data_keeps_to_the_limits():
    full_clean_all(MigrantWorker.objects.all(), new=True)
    for model in (Placement, Reintegration, PillarActivity, DesmigratifVillage, FieldOfficer, Engagement, Agency,
                  CooperativeYearlyFigure, CooperativeMember):
        full_clean_all(model.objects.all())


def test_generated_national_data_keeps_to_the_limits():
    call_command("generate_national", seed=3, today=TODAY, migrants=1500, program_villages=510,
                 cooperatives=200, replace_program_data=True, stdout=io.StringIO(), stderr=io.StringIO())
    full_clean_all(MigrantWorker.objects.all(), new=True)
    for model in (Placement, Reintegration, PillarActivity, DesmigratifVillage, FieldOfficer, Engagement,
                  CooperativeYearlyFigure, CooperativeMember):
        full_clean_all(model.objects.all())


# --- money in every answer of the API: whole rupiah as JSON integers --------------------------------------------

MONEY = {"budget", "activity_budget", "capital", "assets", "revenue", "shu"}


def amounts(data, key: str = ""):
    """Every amount of rupiah in a JSON answer, at any depth (``previous_budget`` and the like too)."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from amounts(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from amounts(value, key)
    elif key.removeprefix("previous_") in MONEY:
        yield key, data


def test_every_amount_the_api_answers_is_a_json_integer(settings, tmp_path):
    from desmigratif.api.urls import router

    settings.MEDIA_ROOT = tmp_path
    client = api_client("admin")
    bodies = []
    for prefix, _viewset, basename in router.registry:
        listed = client.get(reverse(f"api:{basename}-list"), {"page_size": 20})
        assert listed.status_code == 200, prefix
        results = listed.json()["results"]
        bodies.append(results)
        if results and "id" in results[0]:
            bodies.append(client.get(reverse(f"api:{basename}-detail", args=[results[0]["id"]])).json())
    for name in ("summary", "growth", "areas", "pillars", "migrants", "cooperatives", "agencies"):
        for area in ("", "32.09"):
            response = client.get(reverse(f"api:statistics:{name}"), {"area": area, "year": 2023})
            assert response.status_code == 200, name
            bodies.append(response.json())
    report = client.post(reverse("api:yearlyreport-list"), {"year": 2023, "area_code": "32.09"}, format="json")
    assert report.status_code == 202, report.content
    bodies.append(client.get(reverse("api:yearlyreport-detail", args=[report.json()["id"]])).json())

    found = [(key, value) for body in bodies for key, value in amounts(body)]
    keys = {key for key, _value in found}
    assert {"budget", "activity_budget", "capital", "assets", "revenue", "shu", "previous_budget"} <= keys, keys
    floats = [(key, value) for key, value in found if not (value is None or type(value) is int)]
    assert not floats, floats[:10]  # 1500000, never 1500000.0 nor "1500000"
