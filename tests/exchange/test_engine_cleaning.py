"""The engine's shortcuts give the records and the problems Django's own code gives.

ModelCleaner cleans each field's value once per file (values repeat) and Resource.blank() copies a new
record instead of running Model.__init__ per row; both must be indistinguishable from full_clean()
and Model() on the same records.
"""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from exchange.choices import ImportKind
from exchange.engine import ModelCleaner
from exchange.models import ImportJob
from exchange.resources import RESOURCES
from exchange.resources.base import Resource
from migrants.choices import Stage
from migrants.models import MigrantWorker
from migrants.nik import nik_for

from .files import cirebon_villages

pytestmark = pytest.mark.django_db

RESOURCE = RESOURCES[ImportKind.MIGRANTS]


def record(village: str, **values) -> MigrantWorker:
    birth = datetime.date(1990, 5, 17)
    fields = {"nik": nik_for(district_code=village[:8], birth_date=birth, female=True, serial=9100),
              "name": "Siti Aminah", "gender": "F", "birth_date": birth, "village_id": village,
              "address": "Dusun Kulon", "education": "sma", "marital_status": "married", "phone": "081234567890",
              "stage": Stage.REGISTERED, "registered_on": datetime.date(2024, 3, 1),
              "stage_changed_on": datetime.date(2024, 3, 1)}
    fields.update(values)
    obj = RESOURCE.blank()
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj


def outcome(clean, obj: MigrantWorker) -> tuple[dict, dict]:
    """(errors by field, the record's values afterwards)."""
    try:
        clean(obj)
        errors = {}
    except ValidationError as error:
        errors = error.message_dict
    return errors, {f.attname: getattr(obj, f.attname) for f in MigrantWorker._meta.concrete_fields}


def variants(village: str) -> list[dict]:
    wrong_gender_nik = nik_for(district_code=village[:8], birth_date=datetime.date(1990, 5, 17), female=False,
                               serial=9101)
    return [
        {},
        {"gender": "X"},  # not a choice
        {"education": "kuliah", "marital_status": "?"},
        {"name": ""},  # required
        {"name": "N" * 151},  # too long
        {"phone": "0" * 21, "address": "A" * 251},
        {"nik": "32.09.14 5705900001"},  # separators: normalised
        {"nik": "3209141705"},  # too short
        {"nik": wrong_gender_nik},  # kept, flagged
        {"birth_date": datetime.date(1991, 1, 1)},  # differs from the NIK: flagged
        {"stage": "lost"},
        {"registered_on": None},
    ]


def test_model_cleaner_gives_what_full_clean_gives_for_every_row_even_when_values_repeat():
    village = cirebon_villages(1)[0]
    cleaner = ModelCleaner(MigrantWorker, exclude=RESOURCE.clean_exclude)

    def django(obj):
        obj.full_clean(exclude=RESOURCE.clean_exclude, validate_unique=False, validate_constraints=False)

    refused = set()
    with translation.override("en"):
        for _ in range(3):  # the second and third rounds are answered from what the first remembered
            for values in variants(village):
                expected = outcome(django, record(village, **values))
                assert outcome(cleaner.full_clean, record(village, **values)) == expected, values
                refused |= set(expected[0])
    assert refused == {"gender", "education", "marital_status", "name", "phone", "address", "nik", "stage",
                       "registered_on"}
    assert any(memo for _, memo in cleaner.memoized)


def test_model_cleaner_reports_the_problems_in_the_language_of_the_run():
    village = cirebon_villages(1)[0]
    cleaner = ModelCleaner(MigrantWorker, exclude=RESOURCE.clean_exclude)
    with translation.override("id"):
        errors, _ = outcome(cleaner.full_clean, record(village, gender="X"))
        indonesian = errors["gender"][0]
    with translation.override("en"):
        errors, _ = outcome(cleaner.full_clean, record(village, gender="X"))
    assert errors["gender"] == ["Value 'X' is not a valid choice."]
    assert indonesian != errors["gender"][0]


def test_blank_record_is_a_new_record_with_the_models_defaults_and_its_own_state():
    first, second = RESOURCE.blank(), RESOURCE.blank()
    made = MigrantWorker()
    for field in MigrantWorker._meta.concrete_fields:
        assert getattr(first, field.attname) == getattr(made, field.attname), field.name
    assert first._state.adding and first._state.db is None and first.pk is None
    first.name, first._state.adding = "Siti", False
    assert second.name == "" and second._state.adding
    assert first._state is not second._state


def test_blank_record_of_a_model_with_a_computed_default_is_made_by_the_model():
    class Jobs(Resource):
        model = ImportJob  # its problems default to a new list per record

    resource = Jobs()
    first, second = resource.blank(), resource.blank()
    assert resource._defaults is None
    first.problems.append("x")
    assert second.problems == []
