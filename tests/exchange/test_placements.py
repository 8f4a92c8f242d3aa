"""Placements by file: departures (new rows), corrections and returns (rows with the placement's ID), the
stage rules of migrants.services on every row, all or nothing, an export that imports back unchanged,
masking for readers and the history of both the placements and the PMI's stage."""
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from exchange.choices import JobStatus
from exchange.resources import RESOURCES
from migrants.choices import Stage
from migrants.models import MigrantStageSummary, MigrantWorker, Placement, PlacementSummary
from migrants.summaries import PLACEMENTS, STAGES
from privacy.models import PersonalDataAccess

from .files import check, confirm, problems, user, xlsx
from .test_export import csv_rows, export, sheet_rows

NOT_IN_AREA = "No PMI with this NIK is recorded in your area: register the PMI first (import of PMI or the PMI pages)."

pytestmark = pytest.mark.django_db
KIND = "placements"
HEADER = ["ID", "NIK", "Nama", "Negara Tujuan", "Sektor", "Jabatan/Pekerjaan", "Skema Penempatan", "Nama P3MI",
          "Tanggal Berangkat", "Tanggal Akhir Kontrak", "Tanggal Kembali", "Alasan Kembali"]
TODAY = timezone.localdate()
DEPARTED = TODAY - datetime.timedelta(days=20)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row(nik: str, *, id=None, name=None, country="Taiwan", sector="Formal", job="Operator pabrik",
        scheme="P to P", p3mi="PT Maju Jaya", departure=DEPARTED, contract_end=None, returned=None,
        reason=None) -> list:
    return [id, nik, name, country, sector, job, scheme, p3mi, departure, contract_end, returned, reason]


def pmi(stage: str, prefix: str = "32.09.", *, skip: int = 0) -> MigrantWorker:
    return MigrantWorker.objects.filter(village__code__startswith=prefix, stage=stage).order_by("pk")[skip]


def open_placement(prefix: str = "32.09.", *, skip: int = 0) -> Placement:
    return (Placement.objects.filter(migrant__village__code__startswith=prefix, return_date__isnull=True,
                                     migrant__stage=Stage.ABROAD)
            .select_related("migrant").order_by("pk")[skip])


def closed_placement(prefix: str = "32.09.") -> Placement:
    return (Placement.objects.filter(migrant__village__code__startswith=prefix, return_date__isnull=False)
            .select_related("migrant").order_by("pk").first())


def as_row(p: Placement, **overrides) -> list:
    """A recorded placement as its export row (the choices by their value, which a file may use)."""
    values = {"id": p.pk, "nik": p.migrant.nik, "name": p.migrant.name, "country": p.destination_country,
              "sector": p.sector, "job": p.job, "scheme": p.scheme, "p3mi": p.p3mi_name,
              "departure": p.departure_date, "contract_end": p.contract_end_date, "returned": p.return_date,
              "reason": p.return_reason or None}
    values.update(overrides)
    return [values.pop("id"), values.pop("nik"), *values.values()]


def stages(*migrants: MigrantWorker) -> list[tuple]:
    return list(MigrantWorker.objects.filter(pk__in=[m.pk for m in migrants]).order_by("pk")
                .values_list("stage", "stage_changed_on"))


def summary(model, area: str) -> list[tuple]:
    """The summary rows of a village and of its regency, as the dashboards read them."""
    fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
    return sorted(model.objects.filter(area_code__in=(area, area[:5])).values_list(*fields))


def test_header_is_the_resource_columns():
    assert [c.header for c in RESOURCES[KIND].columns] == HEADER


def test_template_download(client):
    client.force_login(user("cirebon"))
    response = client.get(reverse("exchange:placements_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Data"][1]] == HEADER
    assert workbook["Data"].column_dimensions["B"].number_format == "@"  # NIK typed as text
    choices = {v for r in workbook["Pilihan"].iter_rows(values_only=True) for v in r if v}
    assert {"Taiwan", "Korea Selatan", "Arab Saudi", "Kontrak selesai"} <= choices
    validated = {str(v.sqref).split(":")[0] for v in workbook["Data"].data_validations.dataValidation}
    assert {"D2", "E2", "G2", "L2"} <= validated  # country, sector, scheme, return reason
    countries = list(workbook["Negara"].iter_rows(values_only=True))
    assert countries[0] == ("Kode ISO", "Negara (Indonesia)", "Country (English)")
    assert ("KR", "Korea Selatan", "South Korea") in countries


def test_departures_are_written_with_the_stage_and_its_history():
    leaving, coming_back = pmi(Stage.READY), pmi(Stage.READY, skip=1)
    before = Placement.objects.count()
    returned_on = TODAY - datetime.timedelta(days=2)
    rows = [row(leaving.nik, name=leaving.name.upper(), country="Korea Selatan", scheme="G to G", p3mi=None,
                contract_end=DEPARTED + datetime.timedelta(days=1000)),
            row(coming_back.nik, country="JP", sector="Informal (pekerja rumah tangga)", returned=returned_on,
                reason="Bermasalah: gaji tidak dibayar")]
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY, job.problems
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (2, 2, 0, 0)
    assert Placement.objects.count() == before
    assert stages(leaving, coming_back) == [(Stage.READY, leaving.stage_changed_on),
                                            (Stage.READY, coming_back.stage_changed_on)]
    job = confirm(job)
    assert job.status == JobStatus.DONE, job.problems
    assert Placement.objects.count() == before + 2
    assert stages(leaving, coming_back) == [(Stage.ABROAD, DEPARTED), (Stage.RETURNED, returned_on)]
    first = Placement.objects.get(migrant=leaving)
    assert (first.destination_country, first.scheme, first.p3mi_name, first.return_date) == ("KR", "g2g", "", None)
    second = Placement.objects.get(migrant=coming_back)
    assert (second.destination_country, second.sector, second.return_date, second.return_reason) == (
        "JP", "informal", returned_on, "unpaid_wages")
    # history: who, why, for the placements and for the PMI's stage
    reason = f"Import #{job.pk}"
    created = first.history.get()
    assert (created.history_type, created.history_user.username, created.history_change_reason) == (
        "+", "cirebon", reason)
    moved = leaving.history.filter(history_change_reason=reason).get()
    assert (moved.history_type, moved.stage, moved.stage_changed_on, moved.history_user.username) == (
        "~", Stage.ABROAD, DEPARTED, "cirebon")
    assert coming_back.history.filter(history_change_reason=reason).get().stage == Stage.RETURNED


def test_the_summaries_are_kept_by_the_import():
    leaving = pmi(Stage.READY)
    village = leaving.village_id
    before = (summary(MigrantStageSummary, village), summary(PlacementSummary, village))
    job = confirm(check("cirebon", xlsx([row(leaving.nik)], header=HEADER), kind=KIND))
    assert job.status == JobStatus.DONE, job.problems
    kept = (summary(MigrantStageSummary, village), summary(PlacementSummary, village))
    assert kept != before
    STAGES.refresh(villages=[village])
    PLACEMENTS.refresh(villages=[village])
    assert (summary(MigrantStageSummary, village), summary(PlacementSummary, village)) == kept  # as a recount


def test_corrections_and_returns_are_written():
    corrected, coming_back, same = open_placement(), open_placement(skip=1), open_placement(skip=2)
    returned_on = max(coming_back.migrant.stage_changed_on, TODAY - datetime.timedelta(days=1))
    rows = [as_row(corrected, job="Perawat lansia", scheme="P to P", p3mi="PT Baru Sejahtera",
                   contract_end=corrected.departure_date + datetime.timedelta(days=730)),
            as_row(coming_back, returned=returned_on, reason="Kontrak selesai"),
            as_row(same)]
    stages_before = stages(corrected.migrant, same.migrant)
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY, job.problems
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 2, 1)
    job = confirm(job)
    assert job.status == JobStatus.DONE, job.problems
    corrected.refresh_from_db()
    assert (corrected.job, corrected.scheme, corrected.p3mi_name, corrected.return_date) == (
        "Perawat lansia", "p2p", "PT Baru Sejahtera", None)
    assert corrected.history.latest().history_change_reason == f"Import #{job.pk}"
    coming_back.refresh_from_db()
    assert (coming_back.return_date, coming_back.return_reason) == (returned_on, "contract_ended")
    assert stages(coming_back.migrant) == [(Stage.RETURNED, returned_on)]
    assert stages(corrected.migrant, same.migrant) == stages_before
    assert coming_back.migrant.history.latest().history_change_reason == f"Import #{job.pk}"


def test_bad_rows_are_listed_and_nothing_is_written():
    ready = [pmi(Stage.READY, skip=i) for i in range(8)]
    moving, closed = open_placement(), closed_placement()
    abroad = open_placement(skip=1).migrant
    returned = MigrantWorker.objects.filter(village__code__startswith="32.09.", stage=Stage.RETURNED) \
        .exclude(pk=closed.migrant_id).order_by("pk").first()
    theirs = pmi(Stage.READY, "32.12.")
    their_placement = open_placement("32.12.")
    future = TODAY + datetime.timedelta(days=3)
    too_early = ready[2].stage_changed_on - datetime.timedelta(days=1)
    rows = [
        row(ready[0].nik),  # 2: fine, but nothing is written with the problems below
        row(abroad.nik),  # 3: abroad already
        row(returned.nik),  # 4: returned
        row(ready[1].nik, departure=future),  # 5
        row(ready[2].nik, departure=too_early),  # 6
        row(theirs.nik),  # 7: a PMI of Indramayu
        row("3209999999999999"),  # 8: no such PMI
        row(ready[0].nik, country="Malaysia"),  # 9: the PMI of row 2 again
        row(ready[3].nik, scheme="P to P", p3mi=None),  # 10
        row(ready[4].nik, returned=TODAY),  # 11: a return without its reason
        as_row(moving, departure=moving.departure_date - datetime.timedelta(days=1)),  # 12
        as_row(closed, reason="Dideportasi"),  # 13: a recorded return
        as_row(their_placement),  # 14
        row(ready[5].nik, id=999999999),  # 15
        row(ready[6].nik, country="Mars"),  # 16
        row(ready[7].nik, name="Nama Lain"),  # 17
    ]
    before = Placement.objects.count()
    everyone = [*ready, abroad, returned, moving.migrant, closed.migrant]
    stages_before = stages(*everyone)
    job = check("cirebon", xlsx(rows, header=HEADER), kind=KIND)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [
        (3, "NIK", "This PMI is at the stage “Working abroad”: a departure is recorded for a PMI who is ready to "
                   "depart."),
        (4, "NIK", "This PMI is at the stage “Returned (PMI purna)”: a departure is recorded for a PMI who is ready "
                   "to depart."),
        (5, "Tanggal Berangkat", "The date cannot be in the future."),
        (6, "Tanggal Berangkat", "The date cannot be before the last change of stage "
                                 f"({ready[2].stage_changed_on:%d/%m/%Y})."),
        # another area's PMI is answered as one not recorded (a file does not tell whether a NIK exists)
        (7, "NIK", NOT_IN_AREA),
        (8, "NIK", NOT_IN_AREA),
        (9, "NIK", "This PMI is also on row 2: a departure or a return is recorded on the PMI's only row in a "
                   "file; import the other row in another file."),
        (10, "Nama P3MI", "A P to P placement names its P3MI."),
        (11, "Alasan Kembali", "Give the reason for the return."),
        (12, "Tanggal Berangkat", "The departure date of a recorded placement is not changed by a file "
                                  f"(recorded: {moving.departure_date:%d/%m/%Y})."),
        (13, "Alasan Kembali", f"The return of this placement is recorded ({closed.return_date:%d/%m/%Y}, "
                               f"{closed.get_return_reason_display()}): it is not changed by a file."),
        (14, "ID", f"The placement with the ID {their_placement.pk} is of a PMI outside your area: you may not "
                   "change it."),
        (15, "ID", "There is no placement with the ID 999999999: leave the ID empty for a new departure."),
        (16, "Negara Tujuan", "“Mars” is not one of: " + ", ".join(
            RESOURCES[KIND].column("destination_country").type.labels.values()) + "."),
        (17, "Nama", f"The PMI with this NIK is called “{ready[7].name}”: check the NIK or the name."),
    ]
    assert Placement.objects.count() == before
    assert stages(*everyone) == stages_before


def test_a_problem_found_while_writing_writes_nothing():
    """The write checks again: a PMI who departed since the dry run refuses the file, and nothing is written."""
    first, second = pmi(Stage.READY), pmi(Stage.READY, skip=1)
    before = Placement.objects.count()
    job = check("cirebon", xlsx([row(first.nik), row(second.nik)], header=HEADER), kind=KIND)
    assert job.status == JobStatus.READY, job.problems
    MigrantWorker.objects.filter(pk=second.pk).update(stage=Stage.ABROAD)
    job = confirm(job)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [(3, "NIK", "This PMI is at the stage “Working abroad”: a departure is recorded for a "
                                        "PMI who is ready to depart.")]
    assert Placement.objects.count() == before
    assert stages(first) == [(Stage.READY, first.stage_changed_on)]
    assert not first.history.filter(history_change_reason=f"Import #{job.pk}").exists()


def test_a_return_is_recorded_for_a_pmi_abroad_only():
    placement = open_placement()
    MigrantWorker.objects.filter(pk=placement.migrant_id).update(stage=Stage.RETURNED)  # inconsistent on purpose
    job = check("cirebon", xlsx([as_row(placement, returned=TODAY, reason="Lainnya")], header=HEADER), kind=KIND)
    assert problems(job) == [(2, "NIK", "This PMI is at the stage “Returned (PMI purna)”: a return is recorded for "
                                        "a PMI who is abroad.")]


def test_a_return_before_the_departure_is_refused():
    leaving = pmi(Stage.READY)
    job = check("cirebon", xlsx([row(leaving.nik, returned=DEPARTED - datetime.timedelta(days=1),
                                     reason="Kontrak selesai")], header=HEADER), kind=KIND)
    assert problems(job) == [(2, "Tanggal Kembali", "The return date cannot be before the departure date.")]


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_round_trip_changes_nothing(client, export_format):
    client.force_login(user("cirebon"))
    content = export(client, KIND, format=export_format)
    rows = sheet_rows(content) if export_format == "xlsx" else csv_rows(content)
    assert list(rows[0]) == HEADER
    count = len(rows) - 1
    assert count == Placement.objects.filter(migrant__village__code__startswith="32.09.").count() > 0
    niks = [r[1] for r in rows[1:]]
    assert len(set(niks)) < len(niks)  # PMI who left more than once: several rows, all unchanged
    job = check("cirebon", content, kind=KIND, name=f"export.{export_format}")
    assert job.status == JobStatus.READY, job.problems[:5]
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (count, 0, 0, count)


def test_export_takes_the_placement_filters(client):
    client.force_login(user("cirebon"))
    rows = sheet_rows(export(client, KIND, returned="false"))
    assert len(rows) > 1 and all(r[10] is None for r in rows[1:])


@pytest.mark.parametrize("username", ["kemnaker", "jabar"])
def test_export_is_masked_for_readers_and_not_logged(client, username):
    client.force_login(user(username))
    before = PersonalDataAccess.objects.count()
    rows = sheet_rows(export(client, KIND, area="32.09"))
    assert len(rows) > 1
    assert all("••••" in r[1] for r in rows[1:])
    assert PersonalDataAccess.objects.count() == before


def test_unmasked_export_is_logged_once_per_person(client):
    client.force_login(user("cirebon"))
    before = PersonalDataAccess.objects.filter(user__username="cirebon").count()
    rows = sheet_rows(export(client, KIND))
    assert not any("•" in r[1] for r in rows[1:])
    logged = PersonalDataAccess.objects.filter(user__username="cirebon").count() - before
    assert logged == len({r[1] for r in rows[1:]}) > 0


def test_agency_staff_get_no_placements(client):
    client.force_login(user("bpjs"))
    assert client.get(reverse("exchange:placements_export")).status_code == 403
    assert client.get(reverse("exchange:placements_template")).status_code == 403


@pytest.mark.parametrize("written", ["Korea Selatan", "South Korea", "KR", "kr", " korea  selatan "])
def test_countries_in_indonesian_english_or_iso(written):
    assert RESOURCES[KIND].column("destination_country").type.parse(written) == "KR"


def test_an_id_names_a_placement_of_the_rows_pmi():
    placement, other = open_placement(), pmi(Stage.READY)
    job = check("cirebon", xlsx([as_row(placement, nik=other.nik, name=None)], header=HEADER), kind=KIND)
    assert problems(job) == [(2, "NIK", f"The placement with the ID {placement.pk} is of another PMI "
                                        f"({placement.migrant.name}): check the ID or the NIK.")]


def test_a_return_in_the_future_is_refused():
    placement = open_placement()
    job = check("cirebon", xlsx([as_row(placement, returned=TODAY + datetime.timedelta(days=1),
                                        reason="Kontrak selesai")], header=HEADER), kind=KIND)
    assert problems(job) == [(2, "Tanggal Kembali", "The date cannot be in the future.")]
    assert Placement.objects.get(pk=placement.pk).return_date is None
