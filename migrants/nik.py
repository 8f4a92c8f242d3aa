"""The NIK rules of the portal, in one place (DESIGN.md §2).

A NIK is 16 digits ``PP KK CC DDMMYY SSSS``: the province, regency and district where the person
was first registered, the birth date (day + 40 for women) and a serial. python-stdnum knows the
format and the date; the region is checked against our own region table, because stdnum rejects
prefixes it does not know and old NIKs predate region splits.

Hard errors (the record is refused): not 16 digits, a number Excel mangled, an impossible date,
an unknown province. Flags (the record is kept and marked for verification): a regency or
district prefix that is not current, a birth date or gender that disagrees with the record.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

# What Excel makes of a 16-digit number: 3.20914E+15, or 3209141708450001.0
EXCEL_NUMBER_RE = re.compile(r"^\s*\d+(?:[.,]\d+)?[eE][+]?\d+\s*$|^\s*\d{15,16}[.,]0+\s*$")


class NikFlag(models.TextChoices):
    REGENCY_NOT_CURRENT = "regency", _("The regency in the NIK is not a current regency code")
    DISTRICT_NOT_CURRENT = "district", _("The district in the NIK is not a current district code")
    BIRTH_DATE_MISMATCH = "birth_date", _("The birth date in the NIK differs from the recorded birth date")
    GENDER_MISMATCH = "gender", _("The gender in the NIK differs from the recorded gender")


@dataclass(frozen=True)
class NikCheck:
    nik: str
    flags: tuple[str, ...] = ()

    @property
    def needs_verification(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class RegionCodes:
    provinces: frozenset[str]
    regencies: frozenset[str]
    districts: frozenset[str]


@lru_cache(maxsize=1)
def region_codes() -> RegionCodes:
    """The current region codes, read once per process (load_regions clears the cache)."""
    from regions.models import District, Province, Regency

    return RegionCodes(
        provinces=frozenset(Province.objects.values_list("code", flat=True)),
        regencies=frozenset(Regency.objects.values_list("code", flat=True)),
        districts=frozenset(District.objects.values_list("code", flat=True)),
    )


def nik_compact(value: str) -> str:
    # most values are already 16 bare digits: skip stdnum's cleaning (it shows in 100k-row imports)
    if len(value) == 16 and value.isdigit():
        return value
    return stdnum_nik.compact(value)


@lru_cache(maxsize=100_000)
def nik_date_possible(part: str) -> bool:
    """Whether the six digits DDMMYY of a NIK (day + 40 for women) are a date in some century: stdnum's
    rule, asked once per distinct date (a file of 100,000 PMI has a few thousand)."""
    try:
        stdnum_nik.get_birth_date(f"000000{part}0000")
    except StdnumError:
        return False
    return True


def nik_birth_date_parts(nik: str) -> tuple[int, int, int, bool]:
    """(day, month, two-digit year, is_female) as encoded in a compact NIK."""
    day = int(nik[6:8])
    return day % 40, int(nik[8:10]), int(nik[10:12]), day > 40


def nik_for(*, district_code: str, birth_date: datetime.date, female: bool, serial: int) -> str:
    """The NIK that a person registered in a district would get (demo data, tests)."""
    day = birth_date.day + (40 if female else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"


def check_nik(value: str, *, birth_date: datetime.date | None = None, gender: str | None = None,
              codes: RegionCodes | None = None) -> NikCheck:
    """Check a NIK against the rules; raise ValidationError on ``nik`` for a hard error.

    ``birth_date`` and ``gender`` (``"M"``/``"F"``) are the record's own, compared with the NIK.
    """
    raw = "" if value is None else str(value)
    if EXCEL_NUMBER_RE.match(raw):
        raise ValidationError({"nik": ValidationError(
            _("The NIK %(value)s was turned into a number (e.g. by Excel): format the NIK column as "
              "text and enter all 16 digits."), code="nik_number", params={"value": raw.strip()})})
    nik = nik_compact(raw)
    if not nik.isdigit() or len(nik) != 16:
        raise ValidationError({"nik": ValidationError(
            _("A NIK has exactly 16 digits; %(value)s has %(count)d characters."),
            code="nik_format", params={"value": raw.strip(), "count": len(nik)})})
    if not nik_date_possible(nik[6:12]):
        raise ValidationError({"nik": ValidationError(
            _("The NIK %(value)s encodes an impossible birth date."), code="nik_date",
            params={"value": nik})})
    codes = codes or region_codes()
    province, regency, district = nik[:2], f"{nik[:2]}.{nik[2:4]}", f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}"
    if province not in codes.provinces:
        raise ValidationError({"nik": ValidationError(
            _("The NIK %(value)s starts with %(province)s, which is not a province code."),
            code="nik_province", params={"value": nik, "province": province})})

    flags = []
    if regency not in codes.regencies:
        flags.append(NikFlag.REGENCY_NOT_CURRENT.value)
    elif district not in codes.districts:
        flags.append(NikFlag.DISTRICT_NOT_CURRENT.value)
    day, month, year, female = nik_birth_date_parts(nik)
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (day, month, year):
        flags.append(NikFlag.BIRTH_DATE_MISMATCH.value)
    if gender and (gender == "F") != female:
        flags.append(NikFlag.GENDER_MISMATCH.value)
    return NikCheck(nik=nik, flags=tuple(flags))


# --- a NIK already registered ------------------------------------------------------------------------
# A NIK is registered once (MigrantWorker.nik is unique), so whoever types a taken NIK learns that it is
# taken: that much cannot be hidden. What they learn of the record holding it follows what they may
# read: their own area's record is named (and linked, on a page), so that they open it instead of
# adding the person twice; of a record outside their area they learn nothing more (no name, village or
# area), only whom to ask. migrants.selectors.migrant_nik_taken decides which, for every door: page
# forms, admin forms, the API (through the services) and imports.


def nik_taken_message(*, holder=None, link: bool = False) -> str:
    """What a writer is told of a NIK already registered: ``holder`` is the PMI holding it when the writer
    may read that record, None when not (or when the caller does not know the writer). ``link``: an HTML
    link to the record, for pages."""
    if holder is None:
        return gettext("This NIK is already registered in the portal, in a record you cannot open. If it is "
                       "the same person, ask an administrator of the portal to check that record; it is not "
                       "registered again.")
    if link:
        return format_html(gettext("A PMI with this NIK is already recorded in your area: {name}. Open that "
                                   "record instead of adding the person again."),
                           name=format_html('<a href="{}">{}</a>', holder.get_absolute_url(), holder.name))
    return gettext("A PMI with this NIK is already recorded in your area: %(name)s (ID %(id)s). Change that "
                   "record instead of adding the person again.") % {"name": holder.name, "id": holder.pk}
