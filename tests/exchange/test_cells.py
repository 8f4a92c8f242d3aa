"""What each kind of cell accepts, restores, or refuses with a reason (no database needed)."""
import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from exchange.cells import (
    Boolean,
    CellError,
    Choice,
    Date,
    Integer,
    Money,
    Nik,
    Phone,
    VillageCode,
    as_text,
    neutralise,
)
from migrants.choices import Education, Gender

pytestmark = pytest.mark.django_db  # check_nik reads the region codes


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("value", [3209141708450001.0, 3.20914e15, "3.20914E+15", "3,20914E+15",
                                   "3209141708450001.0"])
def test_nik_turned_into_a_number_is_refused_with_the_fix(value):
    with pytest.raises(CellError) as error:
        Nik().parse(value)
    assert "format the NIK column as text" in error.value.message


def test_nik_as_text_passes_to_the_model_rules():
    assert Nik().parse(" 3209141708450001 ") == "3209141708450001"


@pytest.mark.parametrize(("value", "expected"), [
    ("32.09.14.2004", "32.09.14.2004"),
    (3209142004.0, "32.09.14.2004"),  # typed as a number: the dots are restored
    ("3209142004", "32.09.14.2004"),
    ("32.9.14.2004", "32.09.14.2004"),  # a zero lost in one part
    ("32.09.14.2004 Kenanga", "32.09.14.2004"),  # picked with its name from the list
])
def test_village_code_restored_where_unambiguous(value, expected):
    assert VillageCode().parse(value) == expected


@pytest.mark.parametrize("value", [32.09, "320914200", "32.09.14", "Kenanga", 320914200.0])
def test_village_code_refused_with_the_expected_shape(value):
    with pytest.raises(CellError) as error:
        VillageCode().parse(value)
    assert "32.09.14.2004" in error.value.message


@pytest.mark.parametrize(("value", "expected"), [
    (datetime.date(1995, 8, 17), datetime.date(1995, 8, 17)),
    (datetime.datetime(1995, 8, 17, 0, 0), datetime.date(1995, 8, 17)),
    (34928.0, datetime.date(1995, 8, 17)),  # an Excel serial number
    ("34928", datetime.date(1995, 8, 17)),
    ("17/08/1995", datetime.date(1995, 8, 17)),
    ("7/8/1995", datetime.date(1995, 8, 7)),
    ("17-08-1995", datetime.date(1995, 8, 17)),
    ("1995-08-17", datetime.date(1995, 8, 17)),
])
def test_dates_in_the_shapes_excel_leaves(value, expected):
    assert Date().parse(value) == expected


@pytest.mark.parametrize(("value", "reason"), [
    ("08/17/1995", "month/day/year"),
    ("17/08/95", "four digits"),
    ("31/02/2020", "not a date of the calendar"),
    ("1995", "not a date"),
    (1995.0, "not a date"),
    ("kemarin", "not a date"),
])
def test_dates_refused_with_a_reason(value, reason):
    with pytest.raises(CellError) as error:
        Date().parse(value)
    assert reason in error.value.message


@pytest.mark.parametrize(("value", "expected"), [(12.0, 12), ("1.234", 1234), ("1,234", 1234), ("1.234.567", 1234567),
                                                 ("12,00", 12), (" 7 ", 7)])
def test_whole_numbers(value, expected):
    assert Integer().parse(value) == expected


@pytest.mark.parametrize("value", [1.5, "1,5", "abc", datetime.date(2021, 1, 1)])
def test_not_whole_numbers(value):
    with pytest.raises(CellError):
        Integer().parse(value)


@pytest.mark.parametrize(("value", "expected"), [("Rp 1.250.000", 1250000), ("-150.000", -150000), (2500000.0, 2500000),
                                                 ("Rp1250000", 1250000)])
def test_rupiah(value, expected):
    assert Money().parse(value) == Decimal(expected)


def test_choices_accept_labels_in_both_languages_values_and_aliases():
    gender = Choice(Gender, aliases={"L": "M", "P": "F"})
    assert [gender.parse(v) for v in ("Perempuan", "female", "F", "p", "LAKI-LAKI", "l")] == ["F", "F", "F", "F",
                                                                                             "M", "M"]
    assert Choice(Education).parse("sekolah dasar (sd)") == "sd"
    with pytest.raises(CellError) as error:
        gender.parse("X")
    assert "Laki-laki, Perempuan" in error.value.message


def test_booleans():
    assert [Boolean().parse(v) for v in ("Ya", "tidak", True, 0.0, "1", "N")] == [True, False, True, False, True, False]
    with pytest.raises(CellError):
        Boolean().parse("mungkin")


def test_phone_number_gets_back_its_leading_zero():
    assert Phone().parse(81234567890.0) == "081234567890"
    assert Phone().parse(6281234567890.0) == "6281234567890"
    assert Phone().parse("'+6281234567890") == "+6281234567890"  # neutralised by an export


def test_formula_prefix_and_its_removal():
    assert neutralise("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-5") == "'-5"
    assert neutralise("Siti") == "Siti"
    assert as_text("'=1+1") == "=1+1"
    assert as_text("'Siti") == "'Siti"  # only a quote that neutralised a formula is removed
