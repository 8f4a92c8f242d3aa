"""A measurement of the import path at scale (``manage.py exchange_bench``); not a test.

It writes an .xlsx of N new PMI in one regency, then times, through the same services the pages
and the Celery tasks use: reading the file (calamine), the dry run, the confirm (validate again
and write with history), a second dry run (every row now unchanged) and a re-import where every
address changed (N updates). Everything it writes is rolled back unless ``keep`` is set.
"""
from __future__ import annotations

import datetime
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from openpyxl import Workbook

from migrants.choices import Education, MaritalStatus
from migrants.models import MigrantWorker
from migrants.nik import nik_for
from regions.models import Village

from . import services
from .choices import ImportKind, JobStatus
from .readers import open_table
from .resources import RESOURCES

FIRST_NAMES = ("Siti", "Nur", "Dewi", "Sri", "Wati", "Ani", "Rina", "Yuli", "Budi", "Agus", "Ahmad", "Eko",
               "Dedi", "Asep", "Ujang", "Iwan", "Lilis", "Euis", "Tati", "Neneng")
LAST_NAMES = ("Rahayu", "Lestari", "Wulandari", "Susanti", "Hidayat", "Saputra", "Setiawan", "Nurhayati",
              "Kurniawan", "Permana", "Suryani", "Maulana", "Fitriani", "Ramadhan")
BIRTH_START = datetime.date(1970, 1, 1)
BIRTH_DAYS = 12_000  # 1970–2002


class _Rollback(Exception):
    pass


def generate_migrants_xlsx(path: Path, *, rows: int, area: str, seed: int = 7, address_suffix: str = "") -> int:
    """N PMI of the villages of ``area`` with valid, unused NIKs; returns the rows written."""
    rng = random.Random(seed)
    villages = list(Village.objects.filter(code__startswith=f"{area}.", code__regex=r"\.2[0-9]{3}$")
                    .order_by("code").values_list("code", flat=True))
    by_district: dict[str, list[str]] = {}
    for code in villages:
        by_district.setdefault(code[:8], []).append(code)
    districts = sorted(by_district)
    used = set(MigrantWorker.objects.filter(village__code__startswith=f"{area}.").values_list("nik", flat=True))
    resource = RESOURCES[ImportKind.MIGRANTS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append([c.header for c in resource.columns])
    educations, statuses = list(Education.labels), list(MaritalStatus.labels)
    written, index = 0, 0
    while written < rows:
        # distinct (district, birth date, gender, serial) by construction, so NIKs never repeat
        district = districts[index % len(districts)]
        step = index // len(districts)
        birth = BIRTH_START + datetime.timedelta(days=step % BIRTH_DAYS)
        female = (step // BIRTH_DAYS) % 2 == 1
        serial = 9000 + step // (BIRTH_DAYS * 2)
        index += 1
        nik = nik_for(district_code=district, birth_date=birth, female=female, serial=serial)
        if nik in used:
            continue
        sheet.append([
            nik, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "Perempuan" if female else "Laki-laki",
            birth, rng.choice(by_district[district]), f"Dusun {rng.randint(1, 9)} RT {rng.randint(1, 20):02d}"
            f"/RW {rng.randint(1, 9):02d}{address_suffix}", str(rng.choice(educations)), str(rng.choice(statuses)),
            f"08{rng.randint(100000000, 9999999999)}",
            datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 300)),
        ])
        written += 1
    workbook.save(path)
    return written


def _timed(label: str, rows: int, results: list, func: Callable):
    start = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - start
    results.append((label, rows, seconds))
    return value


def _job(user, path: Path):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = services.import_job_create(user=user, kind=ImportKind.MIGRANTS, upload=upload)
    job.in_background = False  # the bench calls the task bodies itself, in this process
    job.save(update_fields=["in_background"])
    return job


def run_bench(*, rows: int = 100_000, username: str = "cirebon", keep: bool = False, out=print) -> list:
    user = get_user_model().objects.get(username=username)
    area = user.area_code
    if not area or len(area) != 5:
        raise ValueError("Use a regency operator (e.g. cirebon): the PMI are generated in their regency.")
    results: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        path, changed = Path(folder) / "pmi.xlsx", Path(folder) / "pmi-changed.xlsx"
        start = time.perf_counter()
        generate_migrants_xlsx(path, rows=rows, area=area)
        generate_migrants_xlsx(changed, rows=rows, area=area, address_suffix=" (pindah)")
        out(f"generated 2 × {rows:,} rows in {time.perf_counter() - start:.1f} s "
            f"({path.stat().st_size / 1e6:.1f} MB each), database: {connection.vendor}")

        def read() -> int:
            with path.open("rb") as stream:
                table = open_table(stream, file_name=path.name)
                return sum(1 for _ in table.rows)

        _timed("read (calamine, all cells)", rows, results, read)
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # The foreign keys are checked at commit, and this run rolls back: check them as
                    # rows are written so that the figures include them.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                job = _job(user, path)
                job = _timed("dry run (read + validate)", rows, results, lambda: services.import_job_check(job=job))
                assert job.status == JobStatus.READY, job.problems[:5]
                assert job.created_count == rows
                job = _timed("confirm (read + validate + write)", rows, results,
                             lambda: services.import_job_confirm(job=job, user=user))
                assert job.status == JobStatus.DONE, job.problems[:5]
                again = _job(user, path)
                again = _timed("dry run again (all unchanged)", rows, results,
                               lambda: services.import_job_check(job=again))
                assert again.unchanged_count == rows, (again.unchanged_count, again.problems[:5])
                services.import_job_cancel(job=again, user=user)
                update = _job(user, changed)
                services.import_job_check(job=update)
                assert update.updated_count == rows, (update.updated_count, update.problems[:5])
                update = _timed("confirm of N updates (read + validate + write)", rows, results,
                                lambda: services.import_job_confirm(job=update, user=user))
                assert update.status == JobStatus.DONE
                if not keep:
                    raise _Rollback
        except _Rollback:
            pass
    out(f"{'step':48} {'rows':>9} {'seconds':>8} {'rows/s':>9}")
    for label, count, seconds in results:
        out(f"{label:48} {count:>9,} {seconds:>8.2f} {count / seconds:>9,.0f}")
    dry, confirm = results[1][2], results[2][2]
    out(f"{'end to end: dry run + confirm':48} {rows:>9,} {dry + confirm:>8.2f} {rows / (dry + confirm):>9,.0f}")
    return results
