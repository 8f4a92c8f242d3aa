"""Imports as jobs: upload → dry run (check) → confirm (write, all or nothing) → summary.

A small file is checked and written in the request; above ``ASYNC_ROWS`` rows both steps run as
Celery tasks (``exchange.tasks``), which call the same functions. Progress goes to the cache (it
must be visible while the write transaction is open) and to the job row when no transaction is.
"""
from __future__ import annotations

import datetime
import logging
import re
import traceback
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import can_read_person_records

from .choices import JobStatus
from .conf import limit
from .engine import Importer, Report, file_problems
from .models import UPLOAD_FOLDER, ImportJob
from .readers import FileRejected, open_table
from .resources import RESOURCES

logger = logging.getLogger(__name__)

DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
PROGRESS_TTL = 6 * 60 * 60
# A running job refreshes this mark with each chunk of rows (a fraction of a second); without it
# for this long, no process is working on the job any more.
HEARTBEAT_TTL = 10 * 60


# --- upload ------------------------------------------------------------------------------------------


def estimate_rows(upload, file_name: str) -> int:
    """Data rows, counted cheaply to decide between the request and a background task.

    CSV: its line breaks. XLSX: the ``<dimension>`` Excel writes at the start of each sheet (the
    largest sheet counts); without one (openpyxl's streamed files, our exports), the ``<row``
    elements, counted until the background threshold is passed.
    """
    upload.seek(0)
    try:
        if file_name.lower().endswith(".csv"):
            return max(sum(chunk.count(b"\n") for chunk in iter(lambda: upload.read(1 << 20), b"")) - 1, 0)
        with zipfile.ZipFile(upload) as archive:
            if sum(info.file_size for info in archive.infolist()) > limit("MAX_UNPACKED_BYTES"):
                return 0  # a zip bomb: the check refuses it, nothing is unpacked here
            return max((_sheet_rows(archive, info) for info in archive.infolist()
                        if info.filename.startswith("xl/worksheets/sheet")), default=0)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return 0  # the check will say what is wrong with the file
    finally:
        upload.seek(0)


def _sheet_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    enough, budget = limit("ASYNC_ROWS") + 2, limit("MAX_UNPACKED_BYTES")  # sizes in the headers may be forged
    with archive.open(info) as stream:
        head = stream.read(4096)
        match = DIMENSION_RE.search(head)
        if match and match[1]:
            return int(match[1]) - 1
        count, tail, chunk, read = 0, b"", head, len(head)
        while chunk and count <= enough and read <= budget:
            count += (tail + chunk).count(b"<row ") - tail.count(b"<row ")
            tail = chunk[-4:]
            chunk = stream.read(1 << 20)
            read += len(chunk)
    return max(count - 1, 0)


def import_job_create(*, user, kind: str, upload: UploadedFile, language: str = "") -> ImportJob:
    """Store an uploaded file as a job waiting for its dry run (its problems in ``language``, by default
    the active one)."""
    if kind not in RESOURCES:
        raise ValidationError({"kind": _("Choose what the file contains.")})
    if not RESOURCES[kind].may_import(user):
        raise PermissionDenied(_("Your role reads this data but does not change it."))
    job = ImportJob(user=user, kind=kind, file_name=upload.name[:200], file_size=upload.size or 0,
                    language=language or translation.get_language() or "")
    job.estimated_rows = estimate_rows(upload, upload.name)
    job.in_background = job.estimated_rows > limit("ASYNC_ROWS")
    job.file.save(upload.name, upload, save=False)
    job.save()
    return job


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Check a small file now; queue the check of a large one."""
    if job.in_background:
        job_pk = job.pk
        transaction.on_commit(lambda: _enqueue("check", job_pk))
        return job
    return import_job_check(job=job)


# --- export --------------------------------------------------------------------------------------------


class ExportRefused(Exception):
    """An export that cannot be made as asked; the message says why, for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExportCaller:
    """What the list filtersets read of a request (``request.user``), for callers without one."""

    user: Any


@dataclass(frozen=True)
class Export:
    """The rows of an export, as the user may see them, ready for a writer (exchange.writers)."""

    resource: Any
    count: int
    rows: Iterator[list]


def export_prepare(*, user, kind: str, filters: Mapping[str, Any] | None = None) -> Export:
    """The records of ``kind`` the user may read, filtered as the list page filters them, as export rows.

    ``filters``: the list page's query (a QueryDict), or a mapping with a list for each filter that
    takes several values (``{"stage": ["abroad"]}``).

    Refused (PermissionDenied) for person records to a role that reads none; refused (ExportRefused)
    for filters that are not valid and for more rows than an import takes. Handing the rows out logs,
    per person, that the user received their personal data unmasked (``Resource.exported``).
    """
    resource = RESOURCES[kind]
    if resource.person_records and not can_read_person_records(user):
        raise PermissionDenied(_("Your role does not give access to these records."))
    queryset = resource.export_queryset(user=user)
    filterset_class = resource.filterset_class()
    if filterset_class is not None:
        filterset = filterset_class(filters or {}, queryset=queryset, request=ExportCaller(user))
        if not filterset.is_valid():
            fields = filterset.form.fields
            errors = [f"{fields[name].label}: {' '.join(messages)}" if name in fields else " ".join(messages)
                      for name, messages in filterset.form.errors.items()]
            raise ExportRefused(_("The filters are not valid: %(errors)s") % {"errors": "; ".join(errors)})
        queryset = filterset.qs
    count = queryset.count()
    if count > limit("MAX_ROWS"):
        raise ExportRefused(_("The list has %(count)s records; an export holds at most %(max)s, as an import "
                              "does. Narrow the filters (e.g. a regency or a year).")
                            % {"count": f"{count:,}".replace(",", "."),
                               "max": f"{limit('MAX_ROWS'):,}".replace(",", ".")})
    resource.exported(user=user, queryset=queryset)
    rows = (resource.export_values(obj, user=user) for obj in queryset.iterator(chunk_size=2000))
    return Export(resource=resource, count=count, rows=rows)


# --- the two steps -------------------------------------------------------------------------------------


def import_job_check(*, job: ImportJob, task: bool = False) -> ImportJob:
    """The dry run: validate every row; the job ends READY (no problem) or INVALID (all problems listed).

    ``task``: called by a Celery delivery, which may be a re-delivery (``acks_late``) of a check
    whose worker died: it then takes the job over, unless another worker is still on it.
    """
    claimed = _claim(job, JobStatus.QUEUED, JobStatus.CHECKING)
    if not claimed and not (task and _reload(job).status == JobStatus.CHECKING):
        return _reload(job)
    if not _hold(job, exclusive=task):
        return _reload(job)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _check(job)


def _check(job: ImportJob) -> ImportJob:
    resource = RESOURCES[job.kind]
    try:
        _ensure_still_writer(job)
        with job.file.open("rb") as stream:
            table = open_table(stream, file_name=job.file_name, known_headers=_headers(resource))
            report = Importer(resource, user=job.user, progress=_progress_callback(job)).check(table)
    except FileRejected as error:
        return _finish(job, JobStatus.INVALID, problems=file_problems(error))
    except PermissionDenied as error:
        return _finish(job, JobStatus.INVALID, problems=_message(str(error)))
    except Exception as error:  # never a half-finished job: say it failed, log without personal data
        return _failed(job, error)
    status = JobStatus.READY if not report.problem_count else JobStatus.INVALID
    return _finish(job, status, report=report, keep_file=status == JobStatus.READY, checked=True)


def import_job_confirm(*, job: ImportJob, user) -> ImportJob:
    """The user confirms a checked job: write it now (small file) or queue the write."""
    if job.user_id != user.pk or not RESOURCES[job.kind].may_import(user):
        raise PermissionDenied(_("This import is not yours to confirm."))
    if not _claim(job, JobStatus.READY, JobStatus.IMPORTING):
        raise ValidationError(_("This import is not waiting for confirmation (it is “%(status)s”).")
                              % {"status": _reload(job).get_status_display()})
    if job.in_background:
        job_pk = job.pk
        transaction.on_commit(lambda: _enqueue("write", job_pk))
        return job
    return import_job_write(job=job)


def import_job_write(*, job: ImportJob, task: bool = False) -> ImportJob:
    """Validate again (the data may have changed since the dry run) and write everything or nothing.

    ``task``: as for the check, a re-delivered task runs only when no one else is on the job (a
    worker that died left nothing behind: its transaction was rolled back).
    """
    job = _reload(job)
    if job.status != JobStatus.IMPORTING or not _hold(job, exclusive=task):
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _write(job)


def _write(job: ImportJob) -> ImportJob:
    resource = RESOURCES[job.kind]
    try:
        _ensure_still_writer(job)
        with job.file.open("rb") as stream:
            table = open_table(stream, file_name=job.file_name, known_headers=_headers(resource))
            report = Importer(resource, user=job.user, progress=_progress_callback(job)).write(
                table, reason=f"Import #{job.pk}")
    except FileRejected as error:
        return _finish(job, JobStatus.INVALID, problems=file_problems(error))
    except PermissionDenied as error:
        return _finish(job, JobStatus.INVALID, problems=_message(str(error)))
    except IntegrityError:
        return _finish(job, JobStatus.INVALID, problems=_message(_(
            "Someone changed the same records while this file was being imported, so nothing was written. "
            "Upload the file again to check it against the current data.")))
    except Exception as error:
        return _failed(job, error)
    return _finish(job, JobStatus.DONE if report.written else JobStatus.INVALID, report=report)


def import_job_cancel(*, job: ImportJob, user) -> ImportJob:
    """Drop a job that waits (for its check or for confirmation), or one whose worker stopped, with its file."""
    if job.user_id != user.pk:
        raise PermissionDenied(_("This import is not yours to cancel."))
    job = _reload(job)
    cancellable = [JobStatus.QUEUED, JobStatus.READY] + ([job.status] if import_job_stalled(job) else [])
    if job.status not in cancellable or not _claim(job, job.status, JobStatus.CANCELLED):
        raise ValidationError(_("Only an import that waits, or one that stopped, can be cancelled."))
    return _finish(job, JobStatus.CANCELLED)


def import_job_stalled(job: ImportJob) -> bool:
    """A check or write that no process is working on (its worker died, or it waits for one)."""
    return job.status in (JobStatus.CHECKING, JobStatus.IMPORTING) and cache.get(_alive_key(job.pk)) is None


def import_job_progress(job: ImportJob) -> int:
    if not job.is_running:
        return 100 if job.is_final or job.status == JobStatus.READY else job.progress
    return int(cache.get(_progress_key(job.pk), job.progress))


# --- helpers -------------------------------------------------------------------------------------------


def _headers(resource) -> list[str]:
    return [name for column in resource.columns for name in column.names()]


def _reload(job: ImportJob) -> ImportJob:
    job.refresh_from_db()
    return job


def _claim(job: ImportJob, from_status: str, to_status: str) -> bool:
    """Move the job on only from the expected status: a double click or a re-delivered task does nothing."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=from_status).update(status=to_status, progress=0)
    if claimed:
        job.status, job.progress = to_status, 0
        cache.set(_progress_key(job.pk), 0, PROGRESS_TTL)
    return bool(claimed)


def _ensure_still_writer(job: ImportJob) -> None:
    job.user.refresh_from_db()  # the role or area may have changed since the upload
    if not job.user.is_active or not RESOURCES[job.kind].may_import(job.user):
        raise PermissionDenied(_("Your role reads this data but does not change it."))


def _message(text: str) -> list[dict]:
    return [{"row": None, "column": "", "value": "", "message": text}]


def _progress_key(pk: int) -> str:
    return f"exchange:job:{pk}:progress"


def _alive_key(pk: int) -> str:
    return f"exchange:job:{pk}:alive"


def _hold(job: ImportJob, *, exclusive: bool) -> bool:
    """Mark the job as worked on (kept fresh by the progress reports); ``exclusive``: unless it already is."""
    if exclusive:
        return cache.add(_alive_key(job.pk), 1, HEARTBEAT_TTL)
    cache.set(_alive_key(job.pk), 1, HEARTBEAT_TTL)
    return True


def _progress_callback(job: ImportJob):
    last = {"percent": -1}

    def report(done: int, total: int) -> None:
        percent = min(int(done * 100 / max(total, 1)), 99)
        if percent == last["percent"]:
            cache.touch(_alive_key(job.pk), HEARTBEAT_TTL)
            return
        last["percent"] = percent
        cache.set_many({_progress_key(job.pk): percent, _alive_key(job.pk): 1}, HEARTBEAT_TTL)
        if not transaction.get_connection().in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(progress=percent)

    return report


def _finish(job: ImportJob, status: str, *, report: Report | None = None, problems: list[dict] | None = None,
            keep_file: bool = False, checked: bool = False) -> ImportJob:
    now = timezone.now()
    job.status, job.progress = status, 100
    if report is not None:
        job.total_rows, job.created_count, job.updated_count = report.total, report.created, report.updated
        job.unchanged_count, job.problem_count, job.problems = report.unchanged, report.problem_count, report.problems
    if problems is not None:
        job.problems, job.problem_count = problems, len(problems)
        job.created_count = job.updated_count = job.unchanged_count = 0
    if checked:
        job.checked_at = now
    if status != JobStatus.READY:
        job.finished_at = now
    if not keep_file and job.file:
        job.file.delete(save=False)  # personal data: the upload is not kept once it has served
    job.save()
    cache.delete_many([_progress_key(job.pk), _alive_key(job.pk)])
    return job


def _failed(job: ImportJob, error: Exception) -> ImportJob:
    # The message of an error may quote a cell (a NIK, a name): log where it happened, not what it said.
    logger.error("Import job %s failed with %s:\n%s", job.pk, type(error).__name__,
                 "".join(traceback.format_tb(error.__traceback__)))
    return _finish(job, JobStatus.FAILED, problems=_message(_(
        "The import failed on the server; nothing was written. Try again later, or tell the portal's "
        "administrators (import #%(id)s).") % {"id": job.pk}))


def _enqueue(step: str, job_pk: int) -> None:
    """Hand the step to a worker; with the broker down the job fails at once, saying why (nothing was written)."""
    from kombu.exceptions import OperationalError

    from . import tasks

    task = tasks.import_job_check_task if step == "check" else tasks.import_job_write_task
    try:
        result = task.delay(job_pk)
    except OperationalError as error:
        logger.warning("Import job %s could not be queued: %s", job_pk, type(error).__name__)
        job = ImportJob.objects.get(pk=job_pk)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            _finish(job, JobStatus.FAILED, problems=_message(_(
                "Background work is unavailable at the moment, so this large file could not be processed; "
                "nothing was written. Try again later.")))
        return
    ImportJob.objects.filter(pk=job_pk).update(task_id=(result.id or "")[:50])


# --- what import jobs keep of persons ------------------------------------------------------------------
# An uploaded file holds the personal data of every row; a job's problems quote the offending cells. The
# file is deleted as soon as the job no longer needs it (_finish): only a job waiting for confirmation
# keeps it, and never beyond the retention period (``UPLOAD_RETENTION_DAYS``, import_files_purge, run
# daily by Celery beat). Erasing a person (privacy.services.person_erase) also takes them out of every
# job: the held files that carry their NIK, and the problems quoting it.

SCAN_CHUNK = 1 << 20
NIK_BETWEEN = "[ .-]?"  # (the dash last: a literal in Python's and PostgreSQL's brackets alike)
NIK_AROUND = (r"(?<![0-9])", r"(?![0-9])")


def _nik_pattern(nik: str, *, as_bytes: bool = False):
    """The NIK as people type it: its digits, with a space, dot or dash between any two, and no digit
    around it (a longer number that merely contains it is not it)."""
    pattern = NIK_AROUND[0] + NIK_BETWEEN.join(nik) + NIK_AROUND[1]
    return re.compile(pattern.encode() if as_bytes else pattern)


def _file_quotes_nik(job: ImportJob, nik_re) -> bool:
    """Whether the job's file holds the NIK: a .csv read as it is, an .xlsx part by part unpacked (within
    MAX_UNPACKED_BYTES). A file that cannot be read is taken to hold it: it serves no import anyway."""
    budget = limit("MAX_UNPACKED_BYTES")

    def scan(stream) -> bool:
        nonlocal budget
        tail = b""
        while chunk := stream.read(SCAN_CHUNK):
            budget -= len(chunk)
            if budget < 0 or nik_re.search(tail + chunk):
                return True
            tail = chunk[-64:]
        return False

    try:
        with job.file.open("rb") as stream:
            if job.file_name.lower().endswith(".csv"):
                return scan(stream)
            with zipfile.ZipFile(stream) as archive:
                for info in archive.infolist():
                    with archive.open(info) as part:
                        if scan(part):
                            return True
    except (OSError, ValueError, EOFError, RuntimeError, zipfile.BadZipFile):
        return True
    return False


def _drop_file(job: ImportJob, message: str, *, stalled: bool = False) -> None:
    """Delete the job's file; a job that waited for it (its check or its confirmation, or ``stalled``: a check
    or write no worker is on) is cancelled, saying why. A running one is left to its worker, which fails
    without the file."""
    if job.file:
        # the file goes once the job's new state is committed: a rolled-back erasure leaves both as they were
        name, storage = job.file.name, job.file.storage
        job.file = ""
        transaction.on_commit(lambda: storage.delete(name))
    waiting = [JobStatus.QUEUED, JobStatus.READY] + ([JobStatus.CHECKING, JobStatus.IMPORTING] if stalled else [])
    if job.status in waiting and _claim(job, job.status, JobStatus.CANCELLED):
        job.finished_at = timezone.now()
        job.problems, job.problem_count = _message(message), 1
    job.save()


def import_jobs_forget_person(*, nik: str, name: str = "") -> int:
    """Take an erased person out of every import job: the held files that carry their NIK are deleted (their
    jobs cancelled), and in the problems every row quoting the NIK loses its values and messages (the row
    number and column stay: without the file they say nothing of the person). A file name holding the
    person's name is erased too. Returns how many jobs were changed.

    The name alone does not select a job (many people share a name): only with the NIK in the file or on
    the same row."""
    nik_re, nik_bytes_re = _nik_pattern(nik), _nik_pattern(nik, as_bytes=True)
    erased = _("(erased)")
    changed: set[int] = set()

    def forget_file_name(job: ImportJob) -> None:
        if name and name.casefold() in job.file_name.casefold():
            ImportJob.objects.filter(pk=job.pk).update(file_name=erased)

    for job in ImportJob.objects.exclude(file="").order_by("pk"):
        if _file_quotes_nik(job, nik_bytes_re):
            with translation.override(job.language or settings.LANGUAGE_CODE):
                _drop_file(job, _("This import was cancelled and its file deleted: a person in it was erased from "
                                  "the portal at their request. Upload the file again without that person."))
            forget_file_name(job)
            changed.add(job.pk)
    quoting = (ImportJob.objects.annotate(problems_text=Cast("problems", TextField()))
               .filter(problems_text__regex=NIK_BETWEEN.join(nik))  # the database's first cut; re decides
               .only("pk", "problems", "file_name"))
    for job in quoting:
        def quotes(problem: dict, *, by_name: bool = False) -> bool:
            text = f"{problem['value']} {problem['message']}"
            return bool(nik_re.search(text)) or (by_name and bool(name) and name.casefold() in text.casefold())

        rows = {problem["row"] for problem in job.problems if quotes(problem)}
        if not rows:
            continue
        for problem in job.problems:
            # a row of the file: all of it; a problem of the whole file (no row): only one that quotes them
            if problem["row"] in rows and (problem["row"] is not None or quotes(problem, by_name=True)):
                problem["value"], problem["message"] = "", erased
        ImportJob.objects.filter(pk=job.pk).update(problems=job.problems)
        forget_file_name(job)
        changed.add(job.pk)
    return len(changed)


def import_files_purge(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the uploaded files kept longer than ``UPLOAD_RETENTION_DAYS``: those of jobs never confirmed
    (the jobs are cancelled, saying why), and files no job refers to any more (a job deleted with its user,
    an upload that failed half-way). Run daily by Celery beat (exchange.import_files_purge)."""
    days = limit("UPLOAD_RETENTION_DAYS")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    jobs = 0
    for job in ImportJob.objects.exclude(file="").filter(created_at__lt=cutoff).order_by("pk"):
        if job.is_running and job.status != JobStatus.QUEUED and not import_job_stalled(job):
            continue  # a worker is on it right now
        with translation.override(job.language or settings.LANGUAGE_CODE):
            _drop_file(job, ngettext(
                "The file waited more than %(days)d day without being imported, so it was deleted (it holds "
                "personal data); nothing was written. Upload it again to import it.",
                "The file waited more than %(days)d days without being imported, so it was deleted (it holds "
                "personal data); nothing was written. Upload it again to import it.", days) % {"days": days},
                stalled=True)
        jobs += 1
    return {"jobs": jobs, "orphans": _orphan_files_purge(cutoff)}


def _orphan_files_purge(cutoff: datetime.datetime) -> int:
    storage = ImportJob._meta.get_field("file").storage
    held = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    folders = [UPLOAD_FOLDER]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        folders.extend(f"{folder}/{name}" for name in subfolders)
        for name in files:
            path = f"{folder}/{name}"
            if path not in held and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
    return removed
