"""Dry run, then confirm: every problem at once, nothing written while one remains, then the right counts."""
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cooperatives.models import Cooperative, CooperativeYearlyFigure
from exchange import services, tasks
from exchange.choices import JobStatus
from exchange.models import ImportJob
from migrants.choices import Stage
from migrants.models import MigrantWorker
from regions.models import Village
from villages.models import DesmigratifVillage

from .files import check, cirebon_villages, confirm, csv_bytes, new_nik, pmi_row, problems, upload, user, xlsx

pytestmark = pytest.mark.django_db

# a NIK of another area: the portal's one answer, naming nothing of that record (migrants.nik)
NIK_TAKEN_ELSEWHERE = ("This NIK is already registered in the portal, in a record you cannot open. If it is the same "
                       "person, ask an administrator of the portal to check that record; it is not registered again.")
DV_HEADER = ["Kode Desa", "Nama Desa", "Tahun Penetapan", "Nomor SK", "Tanggal SK", "Sumber Dana", "Status",
             "Label Desmigratif", "Label Desa Migran Emas", "Catatan"]
FIG_HEADER = ["ID Koperasi", "Nomor Badan Hukum", "Nama Koperasi", "Tahun", "Jumlah Anggota", "Anggota Purna PMI",
              "Modal (Rp)", "Aset (Rp)", "Omzet (Rp)", "SHU (Rp)"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def existing_cirebon_pmi() -> MigrantWorker:
    return MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()


def row_of(migrant: MigrantWorker, **overrides) -> list:
    values = {"nik": migrant.nik, "name": migrant.name, "gender": migrant.gender, "birth": migrant.birth_date,
              "address": migrant.address, "education": migrant.education, "marital_status": migrant.marital_status,
              "phone": migrant.phone, "registered_on": migrant.registered_on}
    values.update(overrides)
    return pmi_row(migrant.village_id, **values)


def test_bad_rows_among_good_ones_all_listed_nothing_written_then_fixed_and_accepted():
    a, b = cirebon_villages(2)
    known = existing_cirebon_pmi()
    good = [pmi_row(a, name="Siti Aminah"), pmi_row(b, name="Nur Hasanah")]
    bad_nik = pmi_row(a, name="Dewi", nik="3209141708450001.0")
    bad_many = pmi_row(b, name="", gender="X", birth="31/02/1990", education="kuliah")
    rows = [good[0], bad_nik, good[1], bad_many, row_of(known, address="Blok Baru 2"), row_of(existing_cirebon_pmi())]
    before = MigrantWorker.objects.count()
    job = check("cirebon", xlsx(rows))
    assert job.status == JobStatus.INVALID
    assert problems(job) == [
        (3, "NIK", "The NIK 3209141708450001.0 was turned into a number (e.g. by Excel): format the NIK column as "
                   "text and enter all 16 digits."),
        (5, "Nama", "This column is required."),
        (5, "Jenis Kelamin", "“X” is not one of: Laki-laki, Perempuan."),
        (5, "Tanggal Lahir", "31/02/1990 is not a date of the calendar."),
        (5, "Pendidikan", "“kuliah” is not one of: Tidak/belum sekolah, Sekolah Dasar (SD), Sekolah Menengah Pertama "
                          "(SMP), Sekolah Menengah Atas/Kejuruan (SMA/SMK), Diploma (D1–D4), Sarjana (S1), "
                          "Pascasarjana (S2/S3)."),
        (7, "NIK", "This NIK is also on row 6: each PMI once per file."),
    ]
    assert job.problems[0]["value"] == "3209141708450001.0"
    assert MigrantWorker.objects.count() == before
    with pytest.raises(Exception, match="not waiting for confirmation"):
        confirm(job)

    fixed = [good[0], pmi_row(a, name="Dewi"), good[1], pmi_row(b, name="Rina"), row_of(known, address="Blok Baru 2")]
    version_before = known.version
    job = check("cirebon", xlsx(fixed))
    assert job.status == JobStatus.READY, job.problems
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (5, 4, 1, 0)
    assert MigrantWorker.objects.count() == before  # a dry run writes nothing
    job = confirm(job)
    assert job.status == JobStatus.DONE
    assert (job.created_count, job.updated_count, job.unchanged_count) == (4, 1, 0)
    assert MigrantWorker.objects.count() == before + 4
    created = MigrantWorker.objects.get(nik=fixed[1][0])
    assert (created.stage, created.registered_on, created.stage_changed_on) == (
        Stage.REGISTERED, datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    known.refresh_from_db()
    assert known.address == "Blok Baru 2"
    assert known.version == version_before + 1  # an edit page opened before the import is refused
    assert created.version == 1
    history = known.history.first()
    assert (history.history_type, history.history_user.username, history.history_change_reason) == (
        "~", "cirebon", f"Import #{job.pk}")
    assert history.address == "Blok Baru 2" and history.nik == known.nik
    first = created.history.get()
    assert (first.history_type, first.history_user.username, first.history_change_reason) == (
        "+", "cirebon", f"Import #{job.pk}")
    tracked = [f.attname for f in MigrantWorker.history.model.tracked_fields]
    assert [getattr(first, name) for name in tracked] == [getattr(created, name) for name in tracked]
    assert not job.file, "the upload is deleted once imported"

    again = check("cirebon", xlsx(fixed))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)


def test_excel_output_nik_as_number_and_dates_as_serial_numbers():
    village = cirebon_villages(1)[0]
    nik = new_nik(village)
    serial_birth = (datetime.date(1995, 8, 17) - datetime.date(1899, 12, 30)).days
    rows = [
        [float(nik), "Sri", "P", serial_birth, village, "", "", "", 81234567890.0, 45352.0],  # as Excel stores them
        [nik, "Sri", "P", serial_birth, float(village.replace(".", "")), "", "", "", 81234567890.0, 45352.0],
    ]
    job = check("cirebon", xlsx(rows, formats={3: "General"}))
    assert problems(job) == [(2, "NIK", f"The NIK {float(nik):.5E} was turned into a number (e.g. by Excel): format "
                                        "the NIK column as text and enter all 16 digits.")]
    job = check("cirebon", xlsx(rows[1:]))
    assert job.status == JobStatus.READY, job.problems
    confirm(job)
    person = MigrantWorker.objects.get(nik=nik)
    assert (person.birth_date, person.village_id, person.phone, person.registered_on) == (
        datetime.date(1995, 8, 17), village, "081234567890", datetime.date(2024, 3, 1))


def test_rows_outside_the_area_are_refused():
    indramayu = Village.objects.filter(code__startswith="32.12.").order_by("code").first().code
    theirs = MigrantWorker.objects.filter(village__code__startswith="32.12.").order_by("pk").first()
    mine = cirebon_villages(1)[0]
    job = check("cirebon", xlsx([pmi_row(indramayu), row_of(theirs, address="x", village=mine),
                                 pmi_row("32.09.99.2999")]))
    assert problems(job) == [
        (2, "Kode Desa", f"You may not enter or change data of village {indramayu}."),
        (3, "NIK", NIK_TAKEN_ELSEWHERE),
        (4, "Kode Desa", "There is no village with the code 32.09.99.2999."),
    ]


def test_blank_rows_anywhere_are_skipped_and_rows_keep_their_numbers():
    village = cirebon_villages(1)[0]
    rows = [pmi_row(village), [None] * 10, ["", " ", None], pmi_row(village, education="sekolah tinggi"),
            *([[None] * 10] * 30)]
    job = check("cirebon", xlsx(rows))
    assert job.total_rows == 2
    assert [p[:2] for p in problems(job)] == [(5, "Pendidikan")]


def test_registration_date_rules():
    village = cirebon_villages(1)[0]
    known = existing_cirebon_pmi()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    job = check("cirebon", xlsx([pmi_row(village, registered_on=tomorrow),
                                 row_of(known, registered_on=datetime.date(2015, 1, 1))]))
    assert problems(job) == [
        (2, "Tanggal Registrasi", "The registration date cannot be in the future."),
        (3, "Tanggal Registrasi", "The registration date of a recorded PMI is not changed by a file (recorded: "
                                  f"{known.registered_on:%d/%m/%Y})."),
    ]


def test_model_rules_apply_as_in_the_form():
    village = cirebon_villages(1)[0]
    # a man's NIK for a woman: kept but flagged for verification, as the form does
    nik = new_nik(village, female=False)
    job = check("cirebon", xlsx([pmi_row(village, nik=nik, name="N" * 151)]))
    assert problems(job) == [(2, "Nama", "Ensure this value has at most 150 characters (it has 151).")]
    job = check("cirebon", xlsx([pmi_row(village, nik=nik)]))
    confirm(job)
    person = MigrantWorker.objects.get(nik=nik)
    assert person.nik_needs_verification and person.nik_flags == "gender"


def test_csv_with_semicolons_windows_1252_and_bom():
    village = cirebon_villages(1)[0]
    rows = [[*pmi_row(village, name="José Ñoño")[:3], "17/08/1995", village, "Jl. Mawar", "SD", "Kawin", "0812", ""]]
    for encoding, prefix in (("cp1252", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")):
        rows[0][0] = new_nik(village)
        job = check("cirebon", prefix + csv_bytes(rows, delimiter=";", encoding=encoding), name="pmi.csv")
        assert job.status == JobStatus.READY, (encoding, job.problems)
        confirm(job)
        assert MigrantWorker.objects.get(nik=rows[0][0]).name == "José Ñoño"
    rows[0][0] = new_nik(village)
    assert check("cirebon", csv_bytes(rows, delimiter=","), name="pmi.csv").status == JobStatus.READY


def test_everything_or_nothing_when_the_data_changed_since_the_dry_run(settings):
    settings.EXCHANGE_CHUNK_ROWS = 2  # the first rows are written before the last one is checked
    village = cirebon_villages(1)[0]
    rows = [pmi_row(village, name=f"PMI {i}") for i in range(5)]
    job = check("cirebon", xlsx(rows))
    assert job.status == JobStatus.READY
    # meanwhile someone registers the last NIK in Indramayu
    indramayu = Village.objects.filter(code__startswith="32.12.").order_by("code").first()
    MigrantWorker.objects.create(nik=rows[-1][0], name="Other", gender="F", birth_date=datetime.date(1995, 8, 17),
                                 village=indramayu, registered_on=datetime.date(2024, 1, 1),
                                 stage_changed_on=datetime.date(2024, 1, 1))
    job = confirm(job)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [(6, "NIK", NIK_TAKEN_ELSEWHERE)]
    assert not MigrantWorker.objects.filter(nik__in=[r[0] for r in rows[:4]]).exists()


def test_large_file_runs_through_the_task(settings):
    settings.EXCHANGE_ASYNC_ROWS = 2
    village = cirebon_villages(1)[0]
    rows = [pmi_row(village, name=f"PMI {i}") for i in range(3)]
    job = services.import_job_create(user=user("cirebon"), kind="migrants", upload=upload(xlsx(rows)))
    assert job.in_background and job.estimated_rows == 3
    job = services.import_job_start(job=job)
    assert job.status == JobStatus.QUEUED  # the task is sent once the request's transaction commits
    assert tasks.import_job_check_task.apply(args=[job.pk]).get() == JobStatus.READY
    job.refresh_from_db()
    assert (job.created_count, job.progress) == (3, 100)
    job = confirm(job)
    assert job.status == JobStatus.IMPORTING
    assert services.import_job_progress(job) == 0
    assert tasks.import_job_write_task.apply(args=[job.pk]).get() == JobStatus.DONE
    assert MigrantWorker.objects.filter(nik__in=[r[0] for r in rows]).count() == 3
    # a task delivered twice does nothing the second time
    assert tasks.import_job_write_task.apply(args=[job.pk]).get() == JobStatus.DONE
    assert tasks.import_job_check_task.apply(args=[job.pk]).get() == JobStatus.DONE


def test_a_redelivered_task_takes_over_a_stalled_job_but_not_a_live_one(settings):
    settings.EXCHANGE_ASYNC_ROWS = 0
    job = services.import_job_create(user=user("cirebon"), kind="migrants",
                                     upload=upload(xlsx([pmi_row(cirebon_villages(1)[0])])))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CHECKING)  # its worker died mid-check
    job.refresh_from_db()
    assert services.import_job_stalled(job)
    cache.set(f"exchange:job:{job.pk}:alive", 1)  # ... or another worker is still on it
    assert tasks.import_job_check_task.apply(args=[job.pk]).get() == JobStatus.CHECKING
    cache.delete(f"exchange:job:{job.pk}:alive")
    assert tasks.import_job_check_task.apply(args=[job.pk]).get() == JobStatus.READY
    job = confirm(job)
    assert services.import_job_stalled(job)  # confirmed, waiting for a worker
    services.import_job_cancel(job=job, user=job.user)
    assert tasks.import_job_write_task.apply(args=[job.pk]).get() == JobStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.import_job_cancel(job=job, user=job.user)


def test_rows_of_a_streamed_workbook_are_counted_without_a_dimension(client, settings):
    """Our own exports (openpyxl's write-only mode) carry no <dimension>: the rows are counted instead."""
    settings.EXCHANGE_ASYNC_ROWS = 3
    client.force_login(user("cirebon"))
    response = client.get(reverse("exchange:villages_export"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<dimension" not in archive.read("xl/worksheets/sheet1.xml")
    job = services.import_job_create(user=user("cirebon"), kind="villages", upload=upload(content, "export.xlsx"))
    assert job.in_background and job.estimated_rows > 3


def test_a_background_job_writes_its_problems_in_the_uploaders_language(settings):
    settings.EXCHANGE_ASYNC_ROWS = 0
    content = xlsx([pmi_row(cirebon_villages(1)[0], gender="X")])
    with translation.override("id"):
        job = services.import_job_create(user=user("cirebon"), kind="migrants", upload=upload(content),
                                         language="en")
    tasks.import_job_check_task.apply(args=[job.pk])  # a worker runs in the default language (Indonesian)
    job.refresh_from_db()
    assert problems(job) == [(2, "Jenis Kelamin", "“X” is not one of: Laki-laki, Perempuan.")]


def test_a_role_change_before_the_task_runs_stops_it(settings):
    settings.EXCHANGE_ASYNC_ROWS = 0
    job = services.import_job_create(user=user("cirebon"), kind="migrants",
                                     upload=upload(xlsx([pmi_row(cirebon_villages(1)[0])])))
    job.user.role = "ministry"
    job.user.regency = None
    job.user.save()
    job = services.import_job_check(job=job)
    assert job.status == JobStatus.INVALID
    assert problems(job) == [(None, "", "Your role reads this data but does not change it.")]


# --- Desmigratif villages ------------------------------------------------------------------------------


def test_desmigratif_villages_created_updated_and_checked():
    taken = set(DesmigratifVillage.objects.values_list("village_id", flat=True))
    free = [v for v in Village.objects.filter(code__startswith="32.09.", code__regex=r"\.2[0-9]{3}$")
            .order_by("code").values_list("code", "name") if v[0] not in taken][:2]
    known = DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    rows = [
        [free[0][0], free[0][1], 2023, "SK/1/2023", "15/03/2023", "Dana Desa", "Aktif", "Ya", "Tidak", ""],
        [free[1][0], "Wrong Name", 2023, "", "", "APBD", "", "", "", ""],
        [known.village_id, known.village.name, known.year_designated, known.decree_number, known.decree_date,
         "APBN", "", "Ya", "Ya", "Juga Desa Migran Emas"],
        [free[0][0], "", 2015, "", "", "Lainnya", "", "Tidak", "Tidak", ""],
    ]
    job = check("cirebon", xlsx(rows, header=DV_HEADER), kind="villages")
    assert problems(job) == [
        (3, "Nama Desa", f"The village {free[1][0]} is called {free[1][1]}: check the code or the name."),
        (5, "Kode Desa", "This village is also on row 2: each village once per file."),
        (5, "Tahun Penetapan", "Ensure this value is greater than or equal to 2016."),
        (5, "", "A program village carries at least one label."),
    ]
    rows[1][1] = free[1][1]
    job = check("cirebon", xlsx(rows[:3], header=DV_HEADER), kind="villages")
    assert (job.created_count, job.updated_count) == (2, 1), job.problems
    confirm(job)
    known.refresh_from_db()
    assert (known.funding_source, known.is_desa_migran_emas, known.notes) == ("apbn", True, "Juga Desa Migran Emas")
    assert DesmigratifVillage.objects.get(village_id=free[1][0]).status == "active"  # an empty status: the default


# --- cooperative yearly figures ----------------------------------------------------------------------


def test_cooperative_figures_by_id_or_legal_number():
    coop = Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.09.").order_by("pk").first()
    coop.legal_entity_number = coop.legal_entity_number or "AHU-0001.AH.01.26.2021"
    coop.save()
    other = Cooperative.objects.filter(desmigratif_village__village__code__startswith="32.12.").order_by("pk").first()
    year = max(CooperativeYearlyFigure.objects.filter(cooperative=coop).values_list("year", flat=True),
               default=2020) + 1
    rows = [
        [coop.pk, "", coop.name, year, 40, 12, "Rp 25.000.000", 30000000, 12500000.0, "-1.500.000"],
        ["", coop.legal_entity_number, "", year + 1, 42, 12, "", "", "", ""],
        [coop.pk, "AHU-OTHER", "", year + 2, 40, 5, "", "", "", ""],
        [other.pk, "", "", year, 10, 1, "", "", "", ""],
        [coop.pk, "", "Koperasi Lain", year + 3, 10, 1, "", "", "", ""],
        ["", "", "", year, 10, 1, "", "", "", ""],
        [coop.pk, "", "", coop.year_founded - 1 if coop.year_founded > 2016 else 2015, 10, 11, "", -5, "", ""],
    ]
    job = check("cirebon", xlsx(rows, header=FIG_HEADER), kind="cooperative_figures")
    found = problems(job)
    assert found[:5] == [
        (4, "Nomor Badan Hukum", f"The cooperative with the ID {coop.pk} has the legal entity number "
                                 f"“{coop.legal_entity_number}”."),
        (5, "ID Koperasi", f"The cooperative with the ID {other.pk} is outside your area: you may not change its "
                           "figures."),
        (6, "Nama Koperasi", f"The cooperative with this ID is called “{coop.name}”: check the ID or the name."),
        (7, "ID Koperasi", "Give the cooperative's ID or its legal entity number."),
        (8, "Anggota Purna PMI", "Returned PMI members cannot exceed all members."),
    ]
    assert (8, "Aset (Rp)", "This amount cannot be negative.") in found
    job = check("cirebon", xlsx([r[2:] for r in rows[:2]], header=FIG_HEADER[2:]), kind="cooperative_figures")
    assert problems(job) == [(None, "", "Add the column “ID Koperasi” or “Nomor Badan Hukum”: it names the "
                                        "cooperative.")]
    job = check("cirebon", xlsx(rows[:2], header=FIG_HEADER), kind="cooperative_figures")
    assert (job.created_count, job.updated_count) == (2, 0), job.problems
    confirm(job)
    figure = CooperativeYearlyFigure.objects.get(cooperative=coop, year=year)
    assert (figure.capital, figure.revenue, figure.shu) == (Decimal(25000000), Decimal(12500000), Decimal(-1500000))
    rows[0][4] = 41
    job = check("cirebon", xlsx(rows[:2], header=FIG_HEADER), kind="cooperative_figures")
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
