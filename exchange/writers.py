"""Writing files: the ``.xlsx`` template of a resource, and exports in ``.xlsx`` and ``.csv``.

An export has exactly the template's columns, so it imports back as it is. Text that a spreadsheet
would run as a formula (``=``, ``+``, ``-``, ``@`` …) is prefixed with a single quote (OWASP's advice
against CSV injection) and the import removes that quote again; numbers are written as numbers and
never prefixed, so a negative SHU stays a number.
"""
from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import Boolean, Choice, neutralise
from .conf import limit
from .readers import DATA_SHEET
from .resources.base import Resource

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_DELIMITER = ";"  # the list separator of Excel with Indonesian regional settings
CHOICES_SHEET = "Pilihan"
GUIDE_SHEET = "Petunjuk"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5C4A")
REQUIRED_FILL = PatternFill("solid", fgColor="8A2D1F")
LAST_ROW = 1_048_576


def _cell_value(value):
    return neutralise(value) if isinstance(value, str) else value


# --- the template ----------------------------------------------------------------------------------


def template_workbook(resource: Resource, *, user) -> Workbook:
    """Headers in Indonesian, typed columns, drop-downs, a guide, and the valid codes of the user's area."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    choices = workbook.create_sheet(CHOICES_SHEET)
    guide = workbook.create_sheet(GUIDE_SHEET, index=1)
    reference = resource.reference_sheet(user=user)
    ref_sheet = None
    if reference is not None:
        ref_sheet = workbook.create_sheet(reference.title, index=2)
        ref_sheet.append(reference.headers)
        for cell in ref_sheet[1]:
            cell.font = Font(bold=True)
        for row in reference.rows:
            ref_sheet.append([_cell_value(v) for v in row])
        for index, _header in enumerate(reference.headers, start=1):
            ref_sheet.column_dimensions[get_column_letter(index)].width = 14 if index == 1 else 28
            ref_sheet.column_dimensions[get_column_letter(index)].number_format = "@"
        ref_sheet.freeze_panes = "A2"

    choice_column = 0
    for index, column in enumerate(resource.columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        notes = [_("Required.") if column.required else _("Optional."), *_column_notes(column)]
        comment = Comment("\n".join(notes), "Desmigratif")
        comment.width, comment.height = 260, 90
        cell.comment = comment
        dimension = data.column_dimensions[letter]
        dimension.width = max(column.type.width, len(column.header) + 3)
        dimension.number_format = column.type.number_format  # typed values stay text / dates
        options = column.type.options()
        validation = None
        if options:
            choice_column += 1
            choice_letter = get_column_letter(choice_column)
            choices.cell(row=1, column=choice_column, value=column.header).font = Font(bold=True)
            for row, option in enumerate(options, start=2):
                choices.cell(row=row, column=choice_column, value=option)
            choices.column_dimensions[choice_letter].width = 34
            validation = DataValidation(
                type="list", allow_blank=True,
                formula1=f"{quote_sheetname(CHOICES_SHEET)}!${choice_letter}$2:${choice_letter}${len(options) + 1}")
        elif reference is not None and reference.validates == column.field and reference.rows:
            validation = DataValidation(
                type="list", allow_blank=True,
                formula1=f"{quote_sheetname(reference.title)}!$A$2:$A${len(reference.rows) + 1}")
        if validation is not None:
            validation.error = _("Pick a value from the list.")
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    _write_guide(guide, resource, reference)
    return workbook


def _column_notes(column) -> list[str]:
    notes = [column.type.hint()] if column.type.hint() else [""]
    if column.help:
        notes.append(str(column.help))
    if column.reference:
        notes.append(_("For reference; when filled in it must match the record."))
    return notes if any(notes) else []


def _write_guide(sheet, resource: Resource, reference) -> None:
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 90
    lines = [
        (str(resource.verbose_name)[:1].upper() + str(resource.verbose_name)[1:], "", ""),
        (str(resource.description), "", ""),
        ("", "", ""),
        (_("Fill in the sheet “%(sheet)s”: one record per row, headers unchanged.") % {"sheet": DATA_SHEET}, "", ""),
        (_("Rows that are entirely empty are skipped. Every problem is listed before anything is written; "
           "the file is then imported completely or not at all."), "", ""),
        (_("Keep the NIK, phone and code columns formatted as text: Excel turns long numbers into "
           "3.20914E+15 and drops leading zeros."), "", ""),
        (_("At most %(rows)s rows and %(size)s MB per file.")
         % {"rows": f"{limit('MAX_ROWS'):,}".replace(",", "."), "size": limit("MAX_FILE_BYTES") // (1024 * 1024)},
         "", ""),
    ]
    if reference is not None and reference.note:
        lines.append((str(reference.note), "", ""))
    lines += [("", "", ""), (_("Column"), _("Required"), _("What to enter"))]
    for column in resource.columns:
        what = _column_notes(column)
        if isinstance(column.type, Choice | Boolean):
            what = [", ".join(column.type.options()) + ".", *what[1:]]
        lines.append((column.header, _("yes") if column.required else "", " ".join(n for n in what if n)))
    for line in lines:
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    header_row = len(lines) - len(resource.columns)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)


# --- exports ------------------------------------------------------------------------------------------


def export_xlsx(resource: Resource, rows: Iterable[list]):
    """A write-only workbook (streamed to a temporary file); returns the file, at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET)
    for index, column in enumerate(resource.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(column.type.width, len(column.header) + 3)
    sheet.freeze_panes = "A2"
    header = []
    for column in resource.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        header.append(cell)
    sheet.append(header)
    # cells that need their format kept when the official edits them: text stays text, dates dates
    formats = [column.type.number_format if column.type.keep_format else None for column in resource.columns]
    for values in rows:
        out = []
        for value, number_format in zip(values, formats, strict=True):
            value = _cell_value(value)
            if number_format and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    target = tempfile.TemporaryFile()  # noqa: SIM115  (handed to the response, which closes it)
    workbook.save(target)
    target.seek(0)
    return target


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int | Decimal):
        return str(value)
    return neutralise(str(value))


def export_csv(resource: Resource, rows: Iterable[list]) -> Iterator[str]:
    """CSV lines: UTF-8 with a BOM (so Excel reads the characters right), ``;`` between values."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield "\ufeff" + writer.writerow([c.header for c in resource.columns])
    for values in rows:
        yield writer.writerow([_csv_value(v) for v in values])
