"""An import interrupted in the middle of its write leaves nothing half-written.

The write goes in chunks; here the database fails (as a dropped connection or a full disk would make
it) after the first chunk was already sent. Nothing of the file may remain: no record, no history row
naming the import, and the dashboards' summary tables as they were. The failure is injected in the
low-level bulk insert the import uses (infrastructure), not in the services' rules.

(Interrupted reports are covered by tests/reports/test_services.py — a failure mid-build — and
tests/reports/test_worker.py — a worker killed mid-report.)
"""
from __future__ import annotations

import pytest
from django.db import OperationalError
from django.utils import translation

from exchange import resources
from exchange.choices import JobStatus
from migrants.models import MigrantStageSummary, MigrantWorker

from ..exchange.files import check, cirebon_villages, confirm, pmi_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def summaries() -> list[tuple]:
    return list(MigrantStageSummary.objects.order_by("level", "area_code", "registered_year", "stage", "gender")
                .values_list("level", "area_code", "registered_year", "stage", "gender", "count"))


def test_a_write_failing_after_the_first_chunk_leaves_nothing(settings, monkeypatch):
    settings.EXCHANGE_CHUNK_ROWS = 2  # five rows: three chunks, the first written before the failure
    villages = cirebon_villages(2)
    rows = [pmi_row(villages[i % 2], name=f"Terputus {i}") for i in range(5)]
    niks = [row[0] for row in rows]
    with translation.override("en"):
        job = check("cirebon", xlsx(rows))
    assert job.status == JobStatus.READY, job.problems
    before = summaries()
    people_before = MigrantWorker.objects.count()

    real_insert = resources.base.insert_with_history
    chunks_written = []

    def insert_then_fail(model, objs, **kwargs):
        if model is MigrantWorker and chunks_written:
            raise OperationalError("server closed the connection unexpectedly")
        real_insert(model, objs, **kwargs)
        if model is MigrantWorker:
            chunks_written.append(len(objs))
            # the first chunk really is in the database at this point
            assert MigrantWorker.objects.filter(nik__in=[obj.nik for obj in objs]).count() == len(objs)

    monkeypatch.setattr(resources.base, "insert_with_history", insert_then_fail)
    with translation.override("en"):
        job = confirm(job)

    assert chunks_written == [2]  # the failure came after a chunk had been written
    assert job.status == JobStatus.FAILED
    assert "nothing was written" in job.problems[0]["message"]
    assert job.created_count == 0
    assert not MigrantWorker.objects.filter(nik__in=niks).exists()
    assert MigrantWorker.objects.count() == people_before
    assert not MigrantWorker.history.filter(history_change_reason=f"Import #{job.pk}").exists()
    assert summaries() == before

    # the same file goes through once the database is back
    monkeypatch.undo()
    with translation.override("en"):
        again = confirm(check("cirebon", xlsx(rows)))
    assert again.status == JobStatus.DONE and again.created_count == 5
    assert MigrantWorker.objects.filter(nik__in=niks).count() == 5
    assert summaries() != before
