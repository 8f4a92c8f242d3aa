"""Files as officials make them: built with openpyxl (as Excel would save them) and as CSV bytes,
and the steps of an import as the pages take them."""
from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from exchange import services
from exchange.resources import RESOURCES
from migrants.models import MigrantWorker
from migrants.nik import nik_for
from regions.models import Village

PMI_HEADER = [c.header for c in RESOURCES["migrants"].columns]


def user(username: str) -> User:
    return User.objects.get(username=username)


def xlsx(rows: Iterable[list], *, header: list | None = None, sheet: str = "Data",
         formats: dict[int, str] | None = None) -> bytes:
    """An .xlsx with a header row and rows; ``formats`` sets a number format per column index (0-based)."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(PMI_HEADER if header is None else header)
    for row in rows:
        ws.append(list(row))
    for index, number_format in (formats or {}).items():
        for cells in ws.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            cells[0].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[list], *, header: list | None = None, delimiter: str = ";",
              encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(PMI_HEADER if header is None else header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def upload(content: bytes, name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def check(username: str, content: bytes, *, kind: str = "migrants", name: str = "data.xlsx"):
    """Upload and dry-run a file as this user (through the services, as the upload page does)."""
    job = services.import_job_create(user=user(username), kind=kind, upload=upload(content, name))
    return services.import_job_start(job=job)


def confirm(job):
    return services.import_job_confirm(job=job, user=job.user)


def problems(job) -> list[tuple]:
    return [(p["row"], p["column"], p["message"]) for p in job.problems]


def cirebon_villages(count: int = 3) -> list[str]:
    return list(Village.objects.filter(code__startswith="32.09.", code__regex=r"\.2[0-9]{3}$")
                .order_by("code").values_list("code", flat=True)[:count])


_serial = iter(range(9000, 9999))
BIRTH = datetime.date(1995, 8, 17)


def new_nik(village: str, *, birth: datetime.date = datetime.date(1995, 8, 17), female: bool = True) -> str:
    """A valid NIK no one has: registered in the village's district, a serial the demo does not use."""
    while True:
        nik = nik_for(district_code=village[:8], birth_date=birth, female=female, serial=next(_serial))
        if not MigrantWorker.objects.filter(nik=nik).exists():
            return nik


def pmi_row(village_code: str, *, name: str = "Siti Aminah", nik: str | None = None, **overrides) -> list:
    """A valid row of the PMI template: NIK, name, gender, birth date, village, address, education,
    marital status, phone, registration date."""
    birth = overrides.pop("birth", BIRTH)
    values = {
        "nik": nik or new_nik(village_code, birth=birth if isinstance(birth, datetime.date) else BIRTH),
        "name": name, "gender": "Perempuan", "birth_date": birth, "village": village_code,
        "address": "Dusun Kulon RT 01/02", "education": "SMA", "marital_status": "Kawin",
        "phone": "081234567890", "registered_on": datetime.date(2024, 3, 1),
    }
    values.update(overrides)
    return list(values.values())
