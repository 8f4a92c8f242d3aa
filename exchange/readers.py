"""Reading an uploaded table: ``.xlsx`` with python-calamine, ``.csv`` with its encoding and separator found.

A file that cannot be read raises FileRejected with a message an official can act on — never a
500. The limits (size, unpacked size, rows, columns) come from ``exchange.conf``.
"""
from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from .cells import as_text, is_empty
from .conf import limit

logger = logging.getLogger(__name__)

DATA_SHEET = "Data"  # the sheet of the template that holds the records
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and password-protected workbooks
CSV_DELIMITERS = (",", ";", "\t")
ENCODINGS = ("utf-8", "cp1252")  # UTF-8 (with or without BOM), then Windows' Western European


class FileRejected(Exception):
    """The file as a whole cannot be imported; ``problems`` are the reasons (translated text)."""

    def __init__(self, *problems: str):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass
class Table:
    """The cells of one sheet: the header, then the data rows numbered as the user's spreadsheet shows them."""

    header: list
    header_row: int
    rows: Iterator[tuple[int, list]]
    estimated_rows: int
    format: str
    sheet_name: str = ""
    encoding: str = ""
    delimiter: str = ""


def normalise_header(value) -> str:
    """Headers match however they are spaced or cased, with or without a required-marker ``*``."""
    return " ".join(as_text(value).replace("_", " ").replace("*", " ").split()).casefold()


def file_size(file: BinaryIO) -> int:
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def open_table(file: BinaryIO, *, file_name: str, known_headers: Iterable[str] = ()) -> Table:
    """Open ``file`` (binary, seekable) as a table; ``known_headers`` help find a CSV's separator."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in ("xlsx", "csv"):
        raise FileRejected(_("Only Excel workbooks (.xlsx) and .csv files can be imported; “%(name)s” is neither.")
                           % {"name": file_name})
    size = file_size(file)
    if size == 0:
        raise FileRejected(_("The file is empty."))
    if size > limit("MAX_FILE_BYTES"):
        raise FileRejected(_("The file is %(size)s; at most %(max)s can be imported at once: split it into "
                             "several files.") % {"size": filesizeformat(size),
                                                  "max": filesizeformat(limit("MAX_FILE_BYTES"))})
    head = file.read(8)
    file.seek(0)
    if head.startswith(OLE_MAGIC):
        raise FileRejected(_("This is an old-format Excel file (.xls) or a workbook protected by a password. "
                             "Open it in Excel and save it as “Excel Workbook (*.xlsx)” without a password."))
    if extension == "xlsx":
        if not head.startswith(ZIP_MAGIC):
            raise FileRejected(_("The file is named .xlsx but is not an Excel workbook. Open it in Excel and "
                                 "save it as “Excel Workbook (*.xlsx)”, or name a CSV file .csv."))
        return _open_xlsx(file)
    if head.startswith(ZIP_MAGIC):
        raise FileRejected(_("The file is named .csv but is an Excel workbook: name it .xlsx."))
    return _open_csv(file, {normalise_header(h) for h in known_headers})


# --- .xlsx -------------------------------------------------------------------------------------------


def _damaged() -> FileRejected:
    return FileRejected(_("The file could not be read as an Excel workbook (.xlsx): it may be damaged or "
                          "not an Excel file. Open it in Excel and save it again as .xlsx."))


def _open_xlsx(file: BinaryIO) -> Table:
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _damaged() from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise FileRejected(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    if sum(entry.file_size for entry in entries) > limit("MAX_UNPACKED_BYTES"):
        raise FileRejected(_("The workbook is too large once unpacked: import at most %(rows)s rows at once.")
                           % {"rows": f"{limit('MAX_ROWS'):,}".replace(",", ".")})
    file.seek(0)
    try:
        workbook = CalamineWorkbook.from_filelike(file)
        sheets = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if not sheets:
            raise FileRejected(_("The workbook has no worksheet."))
        chosen = next((m for m in sheets if m.name.strip().casefold() == DATA_SHEET.casefold()), sheets[0])
        sheet = workbook.get_sheet_by_name(chosen.name)
        height, start = sheet.height, sheet.start
    except FileRejected:
        raise
    except PasswordError:
        raise FileRejected(_("The workbook is protected by a password: save it without one.")) from None
    except Exception as error:  # calamine raises several kinds for damaged content
        logger.info("Unreadable .xlsx upload: %s", type(error).__name__)
        raise _damaged() from None
    if height > limit("MAX_ROWS") + 1:
        raise _too_many_rows(height - 1)
    first_row = start[0] if start else 0
    rows = ((first_row + index + 1, list(cells)) for index, cells in enumerate(sheet.iter_rows()))
    header_row, header = _header(rows, sheet_name=chosen.name)
    return Table(header=header, header_row=header_row, rows=rows, estimated_rows=max(height - 1, 0),
                 format="xlsx", sheet_name=chosen.name)


def _too_many_rows(count: int) -> FileRejected:
    return FileRejected(_("The file has %(count)s rows; at most %(max)s can be imported at once: split it into "
                          "several files.") % {"count": f"{count:,}".replace(",", "."),
                                               "max": f"{limit('MAX_ROWS'):,}".replace(",", ".")})


def _header(rows: Iterator[tuple[int, list]], *, sheet_name: str = "") -> tuple[int, list]:
    """The first row with a value is the header."""
    for number, cells in rows:
        if not all(is_empty(cell) for cell in cells):
            while cells and is_empty(cells[-1]):
                cells.pop()
            if len(cells) > limit("MAX_COLUMNS"):
                raise FileRejected(_("The header has %(count)d columns; a file for the portal has at most %(max)d.")
                                   % {"count": len(cells), "max": limit("MAX_COLUMNS")})
            return number, cells
    if sheet_name:
        raise FileRejected(_("The sheet “%(sheet)s” is empty: it needs a header row and rows of data.")
                           % {"sheet": sheet_name})
    raise FileRejected(_("The file is empty: it needs a header row and rows of data."))


# --- .csv --------------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        return data.decode("utf-16"), "utf-16"
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileRejected(_("The characters of the file could not be read. Save it from Excel as "
                         "“CSV UTF-8 (Comma delimited)”."))


def _delimiter(first_line: str, known: set[str]) -> str:
    """The separator that splits the header into the most known column names (then the most columns)."""
    def score(delimiter: str) -> tuple[int, int]:
        fields = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(normalise_header(f) in known for f in fields), len(fields)
    return max(CSV_DELIMITERS, key=score)


def _open_csv(file: BinaryIO, known: set[str]) -> Table:
    try:
        text, encoding = _decode(file.read())
    except UnicodeDecodeError:
        raise FileRejected(_("The characters of the file could not be read. Save it from Excel as "
                             "“CSV UTF-8 (Comma delimited)”.")) from None
    if "\x00" in text:
        raise FileRejected(_("The file is named .csv but is not a text file. Save it from Excel as "
                             "“CSV UTF-8 (Comma delimited)” or as .xlsx."))
    lines = text.count("\n") + 1
    if lines > limit("MAX_ROWS") + 1 and sum(1 for line in text.splitlines() if line.strip(" ,;\t")) > \
            limit("MAX_ROWS") + 1:
        raise _too_many_rows(lines - 1)
    first_line = next((line for line in text.splitlines() if line.strip(" ,;\t")), "")
    delimiter = _delimiter(first_line, known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _csv_rows(reader)
    header_row, header = _header(rows)
    return Table(header=header, header_row=header_row, rows=rows, estimated_rows=max(lines - 1, 0), format="csv",
                 encoding=encoding, delimiter=delimiter)


def _csv_rows(reader) -> Iterator[tuple[int, list]]:
    number = 0
    try:
        for number, record in enumerate(reader, start=1):  # noqa: B007  (number is reported on errors)
            yield number, record
    except csv.Error as error:
        raise FileRejected(_("The CSV file is malformed near row %(row)d (%(error)s). Save it again from "
                             "Excel as CSV.") % {"row": number + 1, "error": error}) from None
