"""The NIK rules (DESIGN.md §2): hard errors, verification flags, and where they are enforced."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from migrants.models import MigrantWorker
from migrants.nik import NikFlag, check_nik, nik_for

pytestmark = pytest.mark.django_db

# A man born 17/08/1985, first registered in Kecamatan 32.09.14 (Kabupaten Cirebon), serial 0001.
MAN = "3209141708850001"
BORN = datetime.date(1985, 8, 17)
# A woman born the same day: day + 40.
WOMAN = "3209145708850002"


def errors_of(value, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        check_nik(value, **kwargs)
    return raised.value.message_dict["nik"]


def test_valid_nik_of_a_man_and_of_a_woman():
    assert check_nik(MAN, birth_date=BORN, gender="M").flags == ()
    assert check_nik(WOMAN, birth_date=BORN, gender="F").flags == ()


def test_separators_and_spaces_are_removed():
    assert check_nik(" 3209.1417-0885 0001 ").nik == MAN


def test_nik_for_builds_what_check_nik_accepts():
    nik = nik_for(district_code="32.09.14", birth_date=BORN, female=True, serial=2)
    assert nik == WOMAN


@pytest.mark.parametrize("value", ["320914170885000", "32091417088500011", "", "32091417088500OI"])
def test_not_16_digits_is_refused(value):
    [message] = errors_of(value)
    assert "16" in message


@pytest.mark.parametrize("value", ["3.20914E+15", "3,20914E+15", "3209141708850001.0", "3.209141708850001e15"])
def test_a_number_excel_made_is_refused_with_advice(value):
    [message] = errors_of(value)
    assert "Excel" in message


@pytest.mark.parametrize("value", [
    "3209143208850001",  # day 32
    "3209140013850001",  # day 0, month 13
    "3209147208850001",  # a woman's day 72 − 40 = 32
    "3209142902010001",  # 29 February 1901 and 2001: neither exists
])
def test_impossible_birth_date_is_refused(value):
    [message] = errors_of(value)
    assert value in message


@pytest.mark.parametrize("value", ["9909141708850001", "0009141708850001", "3009141708850001"])
def test_unknown_province_is_refused(value):
    [message] = errors_of(value)
    assert value[:2] in message


def test_regency_not_current_is_flagged_not_refused():
    # 32.19 is no regency of Jawa Barat in the 2025 edition (an old or mistyped prefix)
    result = check_nik("3219011708850001", birth_date=BORN, gender="M")
    assert result.flags == (NikFlag.REGENCY_NOT_CURRENT,)


def test_district_not_current_is_flagged():
    result = check_nik("3209991708850001", birth_date=BORN, gender="M")
    assert result.flags == (NikFlag.DISTRICT_NOT_CURRENT,)


def test_birth_date_that_disagrees_is_flagged():
    result = check_nik(MAN, birth_date=datetime.date(1985, 8, 18), gender="M")
    assert result.flags == (NikFlag.BIRTH_DATE_MISMATCH,)
    # the century is not in the NIK: 1985 and 2085 agree on it
    assert check_nik(MAN, birth_date=datetime.date(1885, 8, 17)).flags == ()


def test_gender_that_disagrees_is_flagged():
    assert check_nik(MAN, birth_date=BORN, gender="F").flags == (NikFlag.GENDER_MISMATCH,)
    assert check_nik(WOMAN, birth_date=BORN, gender="M").flags == (NikFlag.GENDER_MISMATCH,)


def test_several_flags_at_once():
    result = check_nik("3219015708850001", birth_date=datetime.date(1990, 1, 1), gender="M")
    assert set(result.flags) == {NikFlag.REGENCY_NOT_CURRENT, NikFlag.BIRTH_DATE_MISMATCH, NikFlag.GENDER_MISMATCH}


def test_messages_in_indonesian_and_english():
    with translation.override("en"):
        [english] = errors_of("123")
    with translation.override("id"):
        [indonesian] = errors_of("123")
    assert "exactly 16 digits" in english
    assert "16 digit" in indonesian and english != indonesian


def make_migrant(**overrides) -> MigrantWorker:
    fields = {"nik": MAN, "name": "Budi Contoh", "gender": "M", "birth_date": BORN,
              "village_id": "32.09.14.2004", "registered_on": datetime.date(2024, 1, 2),
              "stage_changed_on": datetime.date(2024, 1, 2)}
    fields.update(overrides)
    return MigrantWorker(**fields)


def test_model_validation_stores_the_flag_and_reasons():
    migrant = make_migrant(nik="3219.0117.0885.0001", gender="F")
    migrant.full_clean()
    assert migrant.nik == "3219011708850001"
    assert migrant.nik_needs_verification
    assert set(migrant.nik_flags.split(",")) == {"regency", "gender"}
    assert len(migrant.nik_flag_labels) == 2


def test_model_validation_refuses_a_bad_nik():
    with pytest.raises(ValidationError) as raised:
        make_migrant(nik="3209143208850001").full_clean()
    assert "nik" in raised.value.message_dict


def test_nik_is_unique():
    make_migrant().save()
    with pytest.raises(ValidationError) as raised:
        make_migrant(name="Someone Else").full_clean()
    assert "nik" in raised.value.message_dict


def test_database_refuses_what_validation_would():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_migrant(nik="3.20914E+15").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_migrant(nik_needs_verification=True, nik_flags="").save()
