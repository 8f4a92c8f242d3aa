"""UU 27/2022 breach notification: who was affected in an area, from the records and their history."""
import csv
import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from migrants.models import MigrantWorker
from migrants.nik import nik_for
from migrants.services import migrant_register
from privacy.selectors import MEMBER, OFFICER, PMI, PMI_DELETED, USER, breach_affected, breach_query

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The commands speak the portal's language (Indonesian by default); these tests read their English."""
    with translation.override("en"):
        yield

D = datetime.date
TODAY = timezone.localdate()


def register(name: str, village: str, serial: int) -> MigrantWorker:
    return migrant_register(nik=nik_for(district_code=village[:8], birth_date=D(1990, 5, 6), female=True,
                                        serial=serial),
                            name=name, gender="F", birth_date=D(1990, 5, 6), village_id=village,
                            phone=f"0812{serial:08d}", registered_on=D(2020, 1, 2))


@pytest.fixture
def people():
    """A PMI of Cirebon registered today, one whose record changed only in March 2020, one of Indramayu."""
    today = register("Baru Hari Ini", "32.09.14.2004", 8701)
    old = register("Lama Maret", "32.09.14.2004", 8702)
    MigrantWorker.history.filter(id=old.pk).update(
        history_date=timezone.make_aware(datetime.datetime(2020, 3, 15, 10, 0)))
    elsewhere = register("Indramayu Saja", "32.12.16.2004", 8703)
    return today, old, elsewhere


def affected(area, **window) -> list:
    return list(breach_affected(query=breach_query(area=area, **window)))


def test_everyone_held_in_the_area_with_what_is_held(people):
    today, old, elsewhere = people
    rows = affected("32.09")
    pmi = {p.record_id: p for p in rows if p.kind == PMI}
    assert pmi.keys() == set(MigrantWorker.objects.filter(village__code__startswith="32.09.").values_list("pk",
                                                                                                       flat=True))
    assert {today.pk, old.pk} <= pmi.keys() and elsewhere.pk not in pmi
    person = pmi[today.pk]
    assert (person.nik, person.name, person.phone, person.village_code, person.regency_code) == (
        today.nik, "Baru Hari Ini", "081200008701", "32.09.14.2004", "32.09")
    assert person.village and "Cirebon".casefold() in person.regency.casefold()
    users = {p.username for p in rows if p.kind == USER}
    assert {"cirebon", "petugas"} <= users and not {"indramayu", "jabar", "admin", "kemnaker"} & users
    # cooperative members and field officers of Cirebon's program villages, none from elsewhere
    assert all(p.village_code.startswith("32.09.") for p in rows if p.kind in (MEMBER, OFFICER))


def test_a_window_lists_only_who_changed_in_it(people):
    today, old, elsewhere = people
    march = affected("32.09", since=D(2020, 3, 1), until=D(2020, 3, 31))
    assert [(p.kind, p.record_id) for p in march if p.kind.startswith("pmi")] == [(PMI, old.pk)]
    assert march[0].last_changed.date() == D(2020, 3, 15)
    recent = {(p.kind, p.record_id) for p in affected("32.09", since=TODAY) if p.kind.startswith("pmi")}
    assert (PMI, today.pk) in recent and (PMI, old.pk) not in recent
    assert not {pk for kind, pk in recent if pk == elsewhere.pk}
    # the users of the area are listed whatever the window: accounts have no history
    assert {p.kind for p in march} >= {USER}


def test_a_pmi_deleted_or_moved_away_in_the_window_is_still_listed(people):
    today, old, _ = people
    old_pk = old.pk
    old.delete()  # deleted, not erased: the history keeps what was held
    deleted = [p for p in affected("32.09", since=TODAY) if p.kind == PMI_DELETED]
    assert [(p.record_id, p.nik, p.name) for p in deleted] == [(old_pk, old.nik, "Lama Maret")]
    today.village_id = "32.12.16.2004"
    today.save()  # moved to Indramayu today: its version in Cirebon was written today too
    assert today.pk in {p.record_id for p in affected("32.09", since=TODAY) if p.kind == PMI}
    assert today.pk in {p.record_id for p in affected("32.12", since=TODAY) if p.kind == PMI}


def test_bad_questions_are_refused():
    with translation.override("en"):  # the messages are matched in English (the portal's default is Indonesian)
        with pytest.raises(ValidationError, match="not a region code"):
            breach_query(area="99.99")
        with pytest.raises(ValidationError, match="starts"):
            breach_query(area="32.09", since=D(2024, 2, 1), until=D(2024, 1, 1))


def test_command_writes_a_private_csv(tmp_path, people):
    today, _, _ = people
    output = tmp_path / "affected.csv"
    err = StringIO()
    call_command("breach_affected", "--area", "32.09.14.2004", "--since", TODAY.strftime("%d/%m/%Y"),
                 "--output", str(output), stderr=err)
    assert oct(output.stat().st_mode & 0o777) == "0o600"
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert rows[0]["kind"] == PMI and rows[0]["nik"] == today.nik and rows[0]["regency_code"] == "32.09"
    assert "Area 32.09.14.2004 changed" in err.getvalue() and "pmi" in err.getvalue()
    assert list(tmp_path.glob(".*partial")) == []


def test_command_shows_its_sql_and_refuses_bad_input():
    out = StringIO()
    call_command("breach_affected", "--area", "32.09", "--since", "2024-01-01", "--show-sql", stdout=out)
    sql = out.getvalue()
    assert "-- pmi\n" in sql and "-- user\n" in sql and "history_date" in sql
    # the values in place, quoted as the database reads them (SQLite keeps times in UTC: midnight in Jakarta)
    assert "'32.09.%'" in sql and ("2024-01-01T00:00:00+07:00" in sql or "2023-12-31 17:00:00" in sql)
    with pytest.raises(CommandError, match="not a region code"):
        call_command("breach_affected", "--area", "32.99")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("breach_affected", "--area", "32.09", "--since", "yesterday")
    with pytest.raises(CommandError, match="starts"):
        call_command("breach_affected", "--area", "32.09", "--since", "2024-02-01", "--until", "2024-01-01")
