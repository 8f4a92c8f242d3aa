"""Each malformed file gets its own clear message, and nothing is written."""
import codecs
import csv
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from exchange.choices import JobStatus
from migrants.models import MigrantWorker

from .files import PMI_HEADER, check, cirebon_villages, csv_bytes, pmi_row, problems, upload, user, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(content: bytes, name: str = "data.xlsx", **kwargs) -> str:
    before = MigrantWorker.objects.count()
    job = check("cirebon", content, name=name, **kwargs)
    assert job.status == JobStatus.INVALID, job.problems
    assert MigrantWorker.objects.count() == before
    assert not job.file, "a refused upload is not kept"
    return " ".join(p["message"] for p in job.problems)


def good_rows(count: int = 2) -> list[list]:
    village = cirebon_villages(1)[0]
    return [pmi_row(village, name=f"PMI {i}") for i in range(count)]


def test_empty_file():
    assert "The file is empty." in refused(b"", "data.csv")


def test_header_only():
    assert "has a header but no rows of data" in refused(xlsx([]))


def test_sheet_without_anything():
    assert "is empty: it needs a header row" in refused(xlsx([], header=[]))


def test_old_xls_or_password_protected():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "old-format Excel file (.xls)" in refused(ole, "data.xlsx")


def test_text_named_xlsx():
    assert "named .xlsx but is not an Excel workbook" in refused(b"NIK;Nama\n1;2\n", "data.xlsx")


def test_damaged_workbook():
    content = xlsx(good_rows())
    assert "could not be read as an Excel workbook" in refused(content[: len(content) // 2])


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not an Excel workbook" in refused(buffer.getvalue())


def test_workbook_named_csv():
    assert "named .csv but is an Excel workbook" in refused(xlsx(good_rows()), "data.csv")


def test_binary_named_csv():
    assert "not a text file" in refused(b"%PDF-1.4\x00\x01\x02binary", "data.csv")


def test_unreadable_encoding():
    # 0x81 and 0x8d are neither UTF-8 nor Windows-1252
    assert "could not be read" in refused(PMI_HEADER[0].encode() + b"\n\x81\x8d\x81\n", "data.csv")


def test_other_file_type_refused_by_name():
    assert "Only Excel workbooks (.xlsx) and .csv files" in refused(b"hello", "data.txt")


def test_file_too_large(settings):
    settings.EXCHANGE_MAX_FILE_BYTES = 1000
    assert "at most 1000" in refused(xlsx(good_rows()))


def test_too_many_rows(settings):
    settings.EXCHANGE_MAX_ROWS = 3
    assert "has 4 rows; at most 3" in refused(xlsx(good_rows(4)))
    assert "at most 3" in refused(csv_bytes(good_rows(4)), "data.csv")


def test_unpacked_size_limit(settings):
    settings.EXCHANGE_MAX_UNPACKED_BYTES = 2000
    assert "too large once unpacked" in refused(xlsx(good_rows()))


def test_cell_too_long(settings):
    settings.EXCHANGE_MAX_CELL_CHARS = 50
    rows = good_rows(1)
    rows[0][5] = "x" * 60
    job = check("cirebon", xlsx(rows))
    assert job.status == JobStatus.INVALID
    assert problems(job) == [(2, "Alamat", "The cell has 60 characters; at most 50.")]


def test_unknown_and_missing_columns_are_named():
    header = ["NIK", "Nama Lengkap", "Jenis Kelamin", "Tgl Lahir", "Kode Desa", "Agama", "Nomor Telepon"]
    message = refused(xlsx([["3209145708950001", "Siti", "P", "17/08/1995", "32.09.14.2004", "Islam", "0812"]],
                           header=header))
    assert "Unknown columns: “Tgl Lahir”, “Agama”." in message
    assert "Required columns are missing: “Tanggal Lahir”." in message  # "Nama Lengkap" is a known alias


def test_repeated_column():
    assert "more than once: “NIK”" in refused(xlsx([], header=[*PMI_HEADER, "NIK"]))


def test_value_in_a_column_without_header():
    rows = good_rows(1)
    rows[0] += ["", "stray"]
    job = check("cirebon", xlsx(rows))
    assert problems(job) == [(2, "column L",
                              "A value in a column without a header: add the header or clear the column.")]


def test_csv_malformed_quotes():
    content = csv_bytes(good_rows(1)) + b'"3209\x00;x\n'
    assert "not a text file" in refused(content, "data.csv")


@pytest.mark.parametrize(("name", "content"), [("a.xlsx", b"PK\x03\x04garbage"), ("a.csv", b"\xff\xfe\x00"),
                                                ("a.xlsx", b"x"), ("a.xls", b"\xd0\xcf\x11\xe0")])
def test_never_a_500_on_garbage(client, name, content):
    client.force_login(user("cirebon"))
    response = client.post(reverse("exchange:import_upload"), {"kind": "migrants", "file": upload(content, name)},
                           follow=True)
    assert response.status_code == 200
    assert MigrantWorker.objects.filter(name="x").count() == 0


def test_utf16_text_from_excel_is_read():
    rows = good_rows(1)
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t")
    writer.writerow(PMI_HEADER)
    writer.writerows([[v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v for v in row] for row in rows])
    job = check("cirebon", codecs.BOM_UTF16_LE + text.getvalue().encode("utf-16-le"), name="data.csv")
    assert job.status == JobStatus.READY, job.problems
