"""The region loader: counts, idempotency, and every kind of malformed file stopping the load."""
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from regions.models import District, Province, Regency, Village
from regions.services import DATA_DIR, RegionDataError, regions_load

pytestmark = pytest.mark.django_db

COUNTS = {Province: 38, Regency: 514, District: 7285, Village: 83762}


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English; they are in Indonesian by default (see the last test)."""
    with translation.override("en"):
        yield


def counts() -> dict:
    return {model: model.objects.count() for model in COUNTS}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the official files, to spoil one way or another."""
    for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_all_four_levels_are_loaded_with_official_counts():
    assert counts() == COUNTS


def test_known_regions_and_their_parents():
    village = Village.objects.select_related("district__regency__province").get(code="32.09.14.2004")
    assert village.district.code == "32.09.14"
    assert village.district.regency.name == "Kabupaten Cirebon"
    assert village.district.regency.province.code == "32"
    assert Regency.objects.get(code="32.09").districts.count() == 40
    assert Village.objects.filter(code__startswith="32.09.").count() == 424


def test_names_are_trimmed():
    assert Regency.objects.get(code="31.72").name == "Kota Administrasi Jakarta Utara"
    assert not Village.objects.filter(name__endswith=" ").exists()
    assert Village.objects.filter(name="Jurang Jaler").exists()


def test_second_load_writes_nothing(django_assert_max_num_queries):
    # one read per level and nothing else: no insert, no update
    with django_assert_max_num_queries(8):
        result = regions_load()
    assert not result.changed
    assert [level.unchanged for level in result.levels] == list(COUNTS.values())
    assert counts() == COUNTS


def test_command_reports_and_is_idempotent(capsys):
    call_command("load_regions")
    out = capsys.readouterr().out
    assert "83762 in file" in out and "0 created" in out
    assert counts() == COUNTS


def test_a_changed_name_is_updated_in_place(data_dir):
    edit(data_dir / "villages.csv", "32.09.14.2004,32.09.14,", "32.09.14.2004,32.09.14,Renamed ")
    result = regions_load(data_dir=data_dir)
    villages = result.levels[3]
    assert (villages.created, villages.updated) == (0, 1)
    assert Village.objects.get(code="32.09.14.2004").name.startswith("Renamed")
    assert counts() == COUNTS


@pytest.mark.parametrize(("file", "old", "new", "reason"), [
    ("villages.csv", "32.09.14.2004,32.09.14,", "32.09.14.204,32.09.14,", "does not have the shape"),
    ("villages.csv", "32.09.14.2004,32.09.14,", "32.09.14.2004,32.09.99,", "unknown parent"),
    ("districts.csv", "32.09.14,32.09,", "32.09.14,32.10,", "does not lie within its parent"),
    ("regencies.csv", "32.10,32,", "32.09,32,", "appears twice"),
    ("provinces.csv", "code,name", "kode,nama", "the header is kode,nama"),
    ("villages.csv", "code,district_code,name", "code,name", "the header is code,name"),
    ("districts.csv", "32.09.14,32.09,", "32.09.14,32.09,,extra", "4 columns"),
])
def test_malformed_file_stops_the_load_naming_file_line_and_reason(data_dir, file, old, new, reason):
    edit(data_dir / file, old, new)
    # spoil something the loader would otherwise write, to show that nothing is written
    edit(data_dir / "provinces.csv", "32,Jawa Barat", "32,Jawa Barat Changed")
    before = counts()
    with pytest.raises(RegionDataError) as raised:
        regions_load(data_dir=data_dir)
    message = str(raised.value)
    assert message.startswith(file)
    assert reason in message
    if "header" not in reason:
        # the line of the spoilt row (for a duplicate, its second appearance)
        lines = (data_dir / file).read_text().splitlines()
        line = max(n for n, text in enumerate(lines, 1) if text.startswith(new))
        assert f"line {line}:" in message
    assert counts() == before
    assert Province.objects.get(code="32").name == "Jawa Barat"


def test_unreadable_or_missing_file_is_named(data_dir):
    (data_dir / "districts.csv").unlink()
    with pytest.raises(RegionDataError, match="districts.csv"):
        regions_load(data_dir=data_dir)
    (data_dir / "provinces.csv").write_bytes(b"code,name\n32,Jawa \xff Barat\n")
    with pytest.raises(RegionDataError, match="provinces.csv"):
        regions_load(data_dir=data_dir)


def test_command_fails_with_the_problems(data_dir):
    edit(data_dir / "regencies.csv", "32.09,32,", "32.9,32,")
    with pytest.raises(CommandError) as raised:
        call_command("load_regions", data_dir=data_dir)
    assert "Nothing was loaded" in str(raised.value)
    assert "regencies.csv" in str(raised.value)


def test_database_refuses_a_code_outside_its_parent():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.create(code="32.10.01.2999", district_id="32.09.14", name="Wrong parent")
    with pytest.raises(IntegrityError), transaction.atomic():
        Province.objects.create(code="3", name="Bad shape")


def test_problems_are_reported_in_the_active_language(data_dir):
    edit(data_dir / "villages.csv", "32.09.14.2004,32.09.14,", "32.09.14.2004,32.09.99,")
    with translation.override("id"), pytest.raises(RegionDataError) as raised:
        regions_load(data_dir=data_dir)
    assert "unknown parent" not in str(raised.value)
    assert "villages.csv" in str(raised.value) and "32.09.99" in str(raised.value)
