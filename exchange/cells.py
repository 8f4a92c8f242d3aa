"""What a spreadsheet cell may hold, and how it becomes a Python value (and back, for exports).

Each type reads what real files contain: calamine gives ``str``, ``float`` (every number),
``bool``, ``date``/``datetime`` (cells formatted as dates) or ``""``; a CSV gives text. Excel's
habits are undone here where that is safe — a village code typed as a number gets its dots
back, a phone number its leading zero — and refused with a clear reason where it is not: a NIK
that became a number has lost its last digits, so only the user can re-enter it.

The file vocabulary (headers, choice labels, "Ya"/"Tidak") is Indonesian whatever the language
of the page, so a file downloaded by one user reads the same for every other.
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from migrants.nik import EXCEL_NUMBER_RE, check_nik
from regions.models import VILLAGE_CODE_RE

# OWASP's "CSV injection": a text cell starting with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
YES, NO = "Ya", "Tidak"
YES_WORDS = {"ya", "y", "yes", "true", "benar", "1", "x", "v", "✓"}
NO_WORDS = {"tidak", "t", "no", "n", "false", "salah", "0", "-"}
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial numbers read as dates: 1 January 1920 to 31 December 2099. Smaller numbers are more
# likely a year or a count typed in a date column than a date.
SERIAL_RANGE = (7306, 73050)
DATE_TEXT_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
GROUPED_INT_RE = re.compile(r"^-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
PLAIN_NUMBER_RE = re.compile(r"^-?\d+(?:[.,](\d+))?$")
VILLAGE_PARTS = (2, 2, 2, 4)


class CellError(Exception):
    """A cell that cannot become a value; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def neutralise(value: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with a single quote (OWASP)."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value) -> str:
    """A cell as the user sees it in their spreadsheet, for problem reports."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if abs(value) >= 1e15:
            return f"{value:.5E}"  # as Excel shows a 16-digit number
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return text if len(text) <= 100 else text[:99] + "…"


def as_text(value) -> str:
    """The text of a cell: numbers without a spurious '.0', a neutralised formula prefix undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return display(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # what our exports (and OWASP) put in front of formula-like text
    return text


class CellType:
    """How one column's cells are read, written in exports, and formatted in the template."""

    number_format = "General"  # the template's column format
    keep_format = False  # exports set the format on each cell, so an edit in Excel keeps the type
    memo = False  # values repeat (choices, codes, dates): the engine remembers what each raw value gave
    width = 16

    def parse(self, value):
        """``value`` is not empty; return the Python value or raise CellError."""
        raise NotImplementedError

    def export(self, value):
        """The value written to an export cell (``str``, ``int``, ``date`` or None)."""
        return value

    def options(self) -> list[str] | None:
        """The values of a drop-down list in the template, if any."""
        return None

    def hint(self) -> str:
        """What the column accepts, for the template's header comments."""
        return ""


class Text(CellType):
    number_format = "@"

    def __init__(self, width: int = 24):
        self.width = width

    def parse(self, value) -> str:
        return as_text(value)

    def export(self, value):
        return value or None


class Nik(Text):
    """A NIK must stay text: as a number Excel keeps 15 significant digits, so the 16th is gone."""

    keep_format = True

    def __init__(self):
        super().__init__(width=20)

    def parse(self, value) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Excel shows a 16-digit number as 3.20914E+15: report it as the user sees it.
            self._refuse(f"{float(value):.5E}")
        text = as_text(value)
        if EXCEL_NUMBER_RE.match(text):
            self._refuse(text)
        return text

    @staticmethod
    def _refuse(shown: str) -> None:
        try:
            check_nik(shown)  # the NIK rules' own message for a NIK turned into a number
        except ValidationError as error:
            raise CellError(" ".join(error.message_dict["nik"])) from None

    def hint(self) -> str:
        return _("16 digits. Format the column as text so that Excel keeps all the digits.")


class Phone(Text):
    """Excel drops the leading 0 of 0812…; a phone number given as a number gets it back."""

    keep_format = True

    def __init__(self):
        super().__init__(width=16)

    def parse(self, value) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not float(value).is_integer() or value < 0:
                raise CellError(_("A phone number is digits only, e.g. 081234567890."))
            digits = str(int(value))
            # Numbers in the international form start 62; every other Indonesian number starts 0.
            return digits if digits.startswith("62") else f"0{digits}"
        return as_text(value)

    def hint(self) -> str:
        return _("e.g. 081234567890; format the column as text.")


class VillageCode(Text):
    """A village code ``32.09.14.2004``; also ``3209142004`` (dots lost) and ``32.9.14.2004`` (zeros lost)."""

    memo = True
    keep_format = True

    def __init__(self):
        super().__init__(width=16)

    def parse(self, value) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not float(value).is_integer():
                raise CellError(_("%(value)s is not a village code: a village code has four parts, e.g. "
                                  "32.09.14.2004. Format the column as text.") % {"value": display(value)})
            text = str(int(value))
        else:
            # "32.09.14.2004 Kenanga" (as picked from the list of codes) is the code and its name
            text = as_text(value).split(" ", 1)[0].strip()
        if text.isdigit() and len(text) == 10:
            text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"  # the dots Excel's number dropped
        parts = text.split(".")
        if len(parts) == 4 and all(p.isdigit() and 0 < len(p) <= n for p, n in zip(parts, VILLAGE_PARTS, strict=True)):
            text = ".".join(p.zfill(n) for p, n in zip(parts, VILLAGE_PARTS, strict=True))  # zeros lost per part
        if not re.match(VILLAGE_CODE_RE, text):
            raise CellError(_("%(value)s is not a village code: a village code has four parts, e.g. "
                              "32.09.14.2004. Format the column as text.") % {"value": display(value)})
        return text

    def hint(self) -> str:
        return _("Kemendagri code, e.g. 32.09.14.2004 (see the sheet of codes).")


class Date(CellType):
    memo = True
    number_format = "DD/MM/YYYY"
    keep_format = True
    width = 13

    def parse(self, value) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, bool):
            raise CellError(_("Not a date: write it as dd/mm/yyyy."))
        if isinstance(value, int | float):
            return self._serial(value)
        text = as_text(value)
        if text.isdigit():
            return self._serial(int(text))
        match = ISO_DATE_RE.match(text)
        if match:
            return self._date(int(match[1]), int(match[2]), int(match[3]), text)
        match = DATE_TEXT_RE.match(text)
        if not match:
            raise CellError(_("%(value)s is not a date: write it as dd/mm/yyyy, e.g. 17/08/1995.") % {"value": text})
        day, month, year = int(match[1]), int(match[2]), match[3]
        if len(year) == 2:
            raise CellError(_("%(value)s: write the year with four digits (dd/mm/yyyy).") % {"value": text})
        if month > 12 >= day:
            raise CellError(_("%(value)s looks like month/day/year: write day/month/year (dd/mm/yyyy).")
                            % {"value": text})
        return self._date(int(year), month, day, text)

    @staticmethod
    def _date(year: int, month: int, day: int, text: str) -> datetime.date:
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise CellError(_("%(value)s is not a date of the calendar.") % {"value": text}) from None

    @staticmethod
    def _serial(number: float) -> datetime.date:
        # Excel stores a date as the days since 30/12/1899 and shows the number when the format is lost.
        if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
            raise CellError(_("%(value)s is not a date: write it as dd/mm/yyyy, e.g. 17/08/1995.")
                            % {"value": display(number)})
        return EXCEL_EPOCH + datetime.timedelta(days=int(number))

    def hint(self) -> str:
        return _("dd/mm/yyyy")


class Integer(CellType):
    """A whole number; ``1.234`` and ``1,234`` (thousands grouped) are 1234.

    Beyond the 64 bits a database integer holds a number is refused here: it may name a record (an ID,
    a year a file is matched on), and the database would fail on it rather than find nothing. Counts
    within it meet the plausible limits of their field (desmigratif.limits) with the field's message.
    """

    number_format = "0"
    width = 12
    largest = 2**63 - 1

    def parse(self, value) -> int:
        number = self.whole(value)
        if abs(number) > self.largest:
            raise CellError(_("%(value)s is too large a number.") % {"value": display(value)})
        return number

    def whole(self, value) -> int:
        if isinstance(value, bool | datetime.date):
            raise CellError(_("%(value)s is not a whole number.") % {"value": display(value)})
        if isinstance(value, int):
            return value
        if isinstance(value, float | Decimal):
            if not float(value).is_integer():
                raise CellError(_("%(value)s is not a whole number.") % {"value": display(value)})
            return int(value)
        text = self.strip(as_text(value))
        if GROUPED_INT_RE.match(text):
            return int(re.sub(r"[.,]", "", text))
        match = PLAIN_NUMBER_RE.match(text)
        if match and not (match[1] or "").strip("0"):
            return int(re.split(r"[.,]", text)[0])
        raise CellError(_("%(value)s is not a whole number.") % {"value": display(value)})

    def hint(self) -> str:
        return _("A whole number.")

    @staticmethod
    def strip(text: str) -> str:
        return text.replace(" ", "").replace("\u00a0", "")


class Money(Integer):
    """Rupiah, whole: ``Rp 1.250.000``, ``1,250,000``, ``1250000``; negative where the field allows."""

    number_format = "#,##0"
    width = 16

    def parse(self, value) -> Decimal:
        if isinstance(value, str):
            value = re.sub(r"^(-?)\s*rp\.?\s*", r"\1", value.strip(), flags=re.IGNORECASE)
        try:
            return Decimal(self.whole(value))  # any size: the amount's field says its limit
        except CellError:
            raise CellError(_("%(value)s is not an amount in whole rupiah, e.g. 1250000.")
                            % {"value": display(value)}) from None

    def export(self, value):
        return None if value is None else int(value)

    def hint(self) -> str:
        return _("Whole rupiah, e.g. 1250000.")


class Choice(CellType):
    """One of a TextChoices/IntegerChoices: the Indonesian label (as in the drop-down), the English
    label, the stored value, or an alias — all case-insensitive."""

    memo = True

    def __init__(self, choices, *, aliases: dict[str, str] | None = None, width: int = 24):
        self.choices = choices
        self.aliases = aliases or {}
        self.width = width

    @cached_property
    def labels(self) -> dict:
        """value → Indonesian label, the file vocabulary."""
        with translation.override("id"):
            return {value: str(label) for value, label in self.choices.choices}

    @cached_property
    def lookup(self) -> dict[str, object]:
        found: dict[str, object] = {}
        with translation.override("en"):
            english = {value: str(label) for value, label in self.choices.choices}
        for value in self.choices.values:
            for word in (str(value), english[value], self.labels[value]):
                found.setdefault(word.casefold(), value)
        for alias, value in self.aliases.items():
            found.setdefault(alias.casefold(), value)
        return found

    def parse(self, value):
        text = as_text(value)
        try:
            return self.lookup[" ".join(text.split()).casefold()]
        except KeyError:
            raise CellError(_("“%(value)s” is not one of: %(choices)s.")
                            % {"value": display(value), "choices": ", ".join(self.labels.values())}) from None

    def export(self, value):
        return self.labels.get(value) if value not in (None, "") else None

    def options(self) -> list[str]:
        return list(self.labels.values())

    def hint(self) -> str:
        return _("Pick from the list.")


class Boolean(CellType):
    memo = True
    width = 10

    def parse(self, value) -> bool:
        if isinstance(value, bool):
            return value
        word = as_text(value).casefold()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise CellError(_("“%(value)s”: write %(yes)s or %(no)s.") % {"value": display(value), "yes": YES, "no": NO})

    def export(self, value):
        return None if value is None else (YES if value else NO)

    def options(self) -> list[str]:
        return [YES, NO]

    def hint(self) -> str:
        return f"{YES} / {NO}"
