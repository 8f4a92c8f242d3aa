"""What import jobs keep of persons: erasing a person takes them out of every job, and an uploaded file
never outlives its retention period (EXCHANGE_UPLOAD_RETENTION_DAYS, purged nightly by Celery beat).
"""
from __future__ import annotations

import datetime
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask

from accounts.models import User
from exchange import services, tasks
from exchange.choices import JobStatus
from exchange.models import ImportJob
from migrants.models import MigrantWorker
from privacy.services import person_erase

from .files import check, cirebon_villages, confirm, csv_bytes, pmi_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def theirs() -> MigrantWorker:
    """A PMI of Kabupaten Indramayu: the Cirebon operator's file may quote them, but not change them."""
    return MigrantWorker.objects.filter(village__code__startswith="32.12.").order_by("pk").first()


def stored(job: ImportJob) -> bool:
    return bool(job.file) and job.file.storage.exists(job.file.name)


def erase(person: MigrantWorker, capture) -> None:
    with capture(execute=True):  # the files go once the erasure is committed
        person_erase(user=User.objects.get(username="admin"), migrant=person, reason="request of 1 May 2025")


def spaced(nik: str) -> str:
    return " ".join(nik[i:i + 4] for i in range(0, 16, 4))


# --- erasure -------------------------------------------------------------------------------------------


def test_erasing_a_person_takes_them_out_of_every_import_job(theirs, django_capture_on_commit_callbacks):
    village = cirebon_villages(1)[0]
    # refused rows quoting them: their NIK (outside the operator's area) with their name beside it
    refused = check("cirebon", xlsx([pmi_row("32.09.99.2999"), pmi_row(village, nik=theirs.nik, name=theirs.name)]),
                    name=f"data {theirs.name}.xlsx")
    assert refused.status == JobStatus.INVALID and any(p["value"] == theirs.nik for p in refused.problems)
    other_rows = [p for p in refused.problems if p["row"] != 3]
    assert other_rows  # row 2's own problem (an unknown village), which says nothing of them
    # files waiting for confirmation: one holds them (typed with spaces, as a CSV), one does not
    mine = MigrantWorker.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    holding = check("admin", csv_bytes([pmi_row(village, nik=spaced(theirs.nik), name=theirs.name,
                                                    registered_on=None)]), name="a.csv")
    unrelated = check("cirebon", xlsx([pmi_row(village, nik=mine.nik, name=mine.name, registered_on=None)]))
    assert holding.status == unrelated.status == JobStatus.READY and stored(holding) and stored(unrelated)
    held_name = holding.file.name

    erase(theirs, django_capture_on_commit_callbacks)

    refused.refresh_from_db()
    assert theirs.nik not in str(refused.problems) and theirs.name not in str(refused.problems)
    row_3 = [p for p in refused.problems if p["row"] == 3]
    assert row_3 and all((p["value"], p["message"]) == ("", "(erased)") for p in row_3)
    assert [p for p in refused.problems if p["row"] != 3] == other_rows  # the other rows as they were
    assert refused.file_name == "(erased)"  # it held their name

    holding.refresh_from_db()
    assert holding.status == JobStatus.CANCELLED and not holding.file
    assert not unrelated.file.storage.exists(held_name)
    assert "a person in it was erased" in holding.problems[0]["message"]
    with pytest.raises(ValidationError):  # nothing left to confirm
        confirm(holding)

    unrelated.refresh_from_db()
    assert unrelated.status == JobStatus.READY and stored(unrelated)  # another person's file is kept


def test_a_number_that_merely_contains_the_nik_is_not_it(theirs):
    assert services._nik_pattern(theirs.nik).search(f"x {theirs.nik} y")
    assert services._nik_pattern(theirs.nik).search(spaced(theirs.nik))
    assert not services._nik_pattern(theirs.nik).search(f"9{theirs.nik}")


# --- retention -----------------------------------------------------------------------------------------


def aged(job: ImportJob, days: float) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    job.refresh_from_db()
    return job


def test_files_of_imports_never_confirmed_are_deleted_after_the_retention_period(
        settings, django_capture_on_commit_callbacks):
    settings.EXCHANGE_UPLOAD_RETENTION_DAYS = 7
    village = cirebon_villages(1)[0]
    old = aged(check("cirebon", xlsx([pmi_row(village)])), 8)
    recent = aged(check("cirebon", xlsx([pmi_row(village)])), 6)
    stalled = aged(check("cirebon", xlsx([pmi_row(village)])), 9)
    ImportJob.objects.filter(pk=stalled.pk).update(status=JobStatus.IMPORTING)  # its worker died long ago
    old_name = old.file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_files_purge() == {"jobs": 2, "orphans": 0}

    for job in (old, stalled):
        job.refresh_from_db()
        assert job.status == JobStatus.CANCELLED and not job.file
        assert "waited more than 7 days" in job.problems[0]["message"]
    assert not recent.file.storage.exists(old_name)
    recent.refresh_from_db()
    assert recent.status == JobStatus.READY and stored(recent)


def test_a_written_cancelled_or_refused_import_keeps_no_file():
    village = cirebon_villages(1)[0]
    written = confirm(check("cirebon", xlsx([pmi_row(village)])))
    cancelled = services.import_job_cancel(job=check("cirebon", xlsx([pmi_row(village)])),
                                           user=User.objects.get(username="cirebon"))
    refused = check("cirebon", xlsx([pmi_row("32.09.99.2999")]))
    assert (written.status, cancelled.status, refused.status) == (JobStatus.DONE, JobStatus.CANCELLED,
                                                                   JobStatus.INVALID)
    assert not (written.file or cancelled.file or refused.file)


def test_files_no_import_refers_to_are_deleted_once_past_the_retention(settings):
    settings.EXCHANGE_UPLOAD_RETENTION_DAYS = 7
    job = check("cirebon", xlsx([pmi_row(cirebon_villages(1)[0])]))
    storage = job.file.storage
    folder = os.path.dirname(storage.path(job.file.name))
    orphans = {}
    for label, days in (("old", 8), ("recent", 1)):
        path = os.path.join(folder, f"orphan-{label}.xlsx")
        with open(path, "wb") as file:
            file.write(b"PK")
        stamp = (timezone.now() - datetime.timedelta(days=days)).timestamp()
        os.utime(path, (stamp, stamp))
        orphans[label] = path

    assert services.import_files_purge() == {"jobs": 0, "orphans": 1}
    assert not os.path.exists(orphans["old"]) and os.path.exists(orphans["recent"]) and stored(job)


def test_the_purge_runs_nightly_as_a_task_and_as_a_command(django_capture_on_commit_callbacks):
    schedule = PeriodicTask.objects.get(task="exchange.import_files_purge")
    assert schedule.enabled and (schedule.crontab.hour, schedule.crontab.minute) == ("3", "15")
    job = aged(check("cirebon", xlsx([pmi_row(cirebon_villages(1)[0])])), 30)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.import_files_purge_task() == {"jobs": 1, "orphans": 0}
    job.refresh_from_db()
    assert not job.file
    out = io.StringIO()
    call_command("purge_import_files", stdout=out)
    assert "0 import(s) older than 7 days" in out.getvalue()
