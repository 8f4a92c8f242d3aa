"""Upload limits of the imports (exchange/conf.py), each refused with a clear message and nothing written.

tests/exchange/test_malformed_files.py already covers MAX_FILE_BYTES (through the service), MAX_ROWS
(.xlsx and .csv), MAX_CELL_CHARS and MAX_UNPACKED_BYTES with an ordinary workbook and a small limit.
Here: a real zip bomb (a sheet that inflates far beyond its compressed size), the same bomb with
forged sizes in its zip headers, MAX_COLUMNS, and MAX_FILE_BYTES through the upload page.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from exchange.choices import JobStatus
from exchange.conf import limit
from exchange.models import ImportJob
from migrants.models import MigrantWorker
from tests.exchange.files import PMI_HEADER, check, cirebon_villages, csv_bytes, pmi_row, upload, user, xlsx

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
INFLATED = 20 * 1024 * 1024  # what the bomb's sheet unpacks to
LIMIT = 5 * 1024 * 1024  # the unpacked limit of these tests (the default is 600 MB)


@pytest.fixture(autouse=True)
def media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def zip_bomb(inflated: int = INFLATED, *, dimension: bool = True) -> bytes:
    """A real .xlsx (openpyxl's) whose sheet XML holds a header row and a comment of ``inflated`` spaces:
    valid XML, a few kilobytes compressed, megabytes unpacked. ``dimension=False`` drops the sheet's
    ``<dimension>`` element (optional in the format)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in base.infolist():
            data = base.read(item.filename)
            if item.filename != SHEET:
                bomb.writestr(item, data)
                continue
            head, tail = data.split(b"</sheetData>")
            if not dimension:
                head = re.sub(rb"<dimension[^>]*/>", b"", head)
            info = zipfile.ZipInfo(SHEET)
            info.compress_type = zipfile.ZIP_DEFLATED
            with bomb.open(info, "w") as sheet:
                sheet.write(head)
                sheet.write(b"<!--")
                chunk = b" " * (1024 * 1024)
                for _ in range(inflated // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"-->")
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


def forge_sizes(content: bytes, name: str = SHEET, claimed: int = 1000) -> bytes:
    """The same archive, its local and central headers claiming ``name`` unpacks to ``claimed`` bytes."""
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    data, real, fake = bytearray(content), struct.pack("<I", info.file_size), struct.pack("<I", claimed)
    local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04" and data[local + 22:local + 26] == real
    data[local + 22:local + 26] = fake
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack("<H", data[central + 28:central + 30])[0]
        if data[central + 46:central + 46 + length] == name.encode():
            assert data[central + 24:central + 28] == real
            data[central + 24:central + 28] = fake
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def refused(content: bytes, name: str = "data.xlsx") -> str:
    before = (MigrantWorker.objects.count(), MigrantWorker.history.count())
    job = check("cirebon", content, name=name)
    assert job.status == JobStatus.INVALID, job.problems
    assert (MigrantWorker.objects.count(), MigrantWorker.history.count()) == before
    assert not job.file, "a refused upload is not kept"
    return " ".join(p["message"] for p in job.problems)


def test_the_bomb_is_one():
    content = zip_bomb()
    sheet = zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET)
    assert sheet.file_size > INFLATED and sheet.compress_size < sheet.file_size / 500
    assert len(content) < limit("MAX_FILE_BYTES") and len(content) < LIMIT  # it passes the file-size check


def test_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.EXCHANGE_MAX_UNPACKED_BYTES = LIMIT
    assert "too large once unpacked" in refused(zip_bomb())


def test_zip_bomb_with_forged_sizes_is_refused(settings):
    """Headers that understate the unpacked size get past a check of the headers: the reader must stop at the
    size the header claims (python-calamine's zip reader does: 'larger than its declared size')."""
    settings.EXCHANGE_MAX_UNPACKED_BYTES = LIMIT
    forged = forge_sizes(zip_bomb())
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(forged)).infolist()) < LIMIT
    assert "could not be read as an Excel workbook" in refused(forged)


def test_the_row_estimate_does_not_unpack_a_bomb(settings, monkeypatch):
    settings.EXCHANGE_MAX_UNPACKED_BYTES = LIMIT
    inflated = 0
    real_read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):  # the standard library's reader, counted, not replaced
        nonlocal inflated
        data = real_read(self, n)
        inflated += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    assert "too large once unpacked" in refused(zip_bomb(dimension=False))
    assert inflated <= LIMIT, f"{inflated:,} bytes were unpacked to refuse a file over the {LIMIT:,}-byte limit"


@pytest.mark.parametrize("name", ["data.xlsx", "data.csv"])
def test_too_many_columns(settings, name):
    settings.EXCHANGE_MAX_COLUMNS = 5
    village = cirebon_villages(1)[0]
    content = xlsx([pmi_row(village)]) if name.endswith(".xlsx") else csv_bytes([pmi_row(village)])
    assert f"The header has {len(PMI_HEADER)} columns; a file for the portal has at most 5." in refused(content, name)


def test_a_file_over_the_size_limit_is_refused_by_the_upload_page(client, settings):
    settings.EXCHANGE_MAX_FILE_BYTES = 1000
    village = cirebon_villages(1)[0]
    content = xlsx([pmi_row(village, name=f"Besar {i}") for i in range(5)])
    assert len(content) > 1000
    client.force_login(user("cirebon"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    jobs = ImportJob.objects.count()
    response = client.post(reverse("exchange:import_upload"), {"kind": "migrants", "file": upload(content)})
    assert response.status_code == 200
    assert "at most 1000" in " ".join(response.context["form"].errors["file"]).replace("\xa0", " ")
    assert ImportJob.objects.count() == jobs
    assert not MigrantWorker.objects.filter(name__startswith="Besar ").exists()
