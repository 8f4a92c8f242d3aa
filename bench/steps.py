"""The benchmark's steps that run inside Django: credentials for the load test, and the timed report,
summary rebuild and imports. Each is a plain function (the smoke test calls them in-process) and a
command of ``python -m bench.steps`` (``make bench`` runs each timed step in a child process of its
own and reads the child's peak memory).

The imports are rolled back: a re-run of the bench finds the database as the data step left it.
"""
from __future__ import annotations

import argparse
import datetime
import json
import resource
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from .config import IMPORT_USERNAME, USERNAME

STATE_TABLE = "bench_state"


class _Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pmi_count() -> int:
    from migrants.models import MigrantWorker

    return MigrantWorker.objects.count()


# --- the data step's record of what a bench database holds ------------------------------------------------

def state_get() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (size bigint NOT NULL, generator text NOT NULL, "
                       "finished_at timestamp with time zone NOT NULL)")
        cursor.execute(f"SELECT size, generator FROM {STATE_TABLE} ORDER BY finished_at DESC LIMIT 1")
        row = cursor.fetchone()
    return {"size": row[0], "generator": row[1]} if row else None


def state_clear() -> None:
    """Forget what the database held (before a data step, so that an interrupted one is not reused)."""
    state_get()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STATE_TABLE}")


def state_set(*, size: int, generator: str) -> dict:
    """After the data step: the demo users (kemnaker, cirebon…), fresh planner statistics, the record."""
    from demo.services import demo_users_ensure

    demo_users_ensure()
    state_clear()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        cursor.execute(f"INSERT INTO {STATE_TABLE} (size, generator, finished_at) VALUES (%s, %s, %s)",
                       [size, generator, timezone.now()])
    return {"size": size, "generator": generator, "pmi": pmi_count()}


# --- credentials for the load test ----------------------------------------------------------------------------

def credentials(username: str = USERNAME) -> dict:
    """A signed-in session cookie and an API token of ``username`` (the ministry's kemnaker)."""
    from django.conf import settings
    from django.test import Client

    from accounts.services import api_token_issue

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    _, key = api_token_issue(user=user, name=f"bench {datetime.datetime.now():%Y-%m-%d %H:%M}")
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
            "token": key}


# --- timed steps ------------------------------------------------------------------------------------------------

def time_report(*, year: int | None = None) -> dict:
    """The national yearly report as its build makes it: the figures, then the .xlsx (nothing saved)."""
    from reports.choices import ReportScope
    from reports.figures import report_figures
    from reports.models import YearlyReport
    from reports.workbook import report_workbook

    year = year or timezone.localdate().year - 1
    report = YearlyReport(year=year, area_code="", area_name="Indonesia", scope=ReportScope.NATIONAL, version=1,
                          as_of=datetime.date(year, 12, 31))
    start = time.perf_counter()
    figures = report_figures(year=year, area="", as_of=report.as_of)
    middle = time.perf_counter()
    content = report_workbook(report, figures)
    end = time.perf_counter()
    return {"year": year, "seconds": end - start, "figures_seconds": middle - start, "workbook_seconds": end - middle,
            "workbook_bytes": len(content), "peak_rss_mb": peak_rss_mb()}


def time_rebuild() -> dict:
    from dashboards.tasks import summaries_rebuild

    start = time.perf_counter()
    rows = summaries_rebuild()
    return {"seconds": time.perf_counter() - start, "rows": sum(rows.values()), "peak_rss_mb": peak_rss_mb()}


def import_file(path: Path, *, rows: int, username: str = IMPORT_USERNAME) -> dict:
    """An .xlsx of ``rows`` new PMI of the user's regency (exchange.bench's generator: same seed, same rows)."""
    from exchange.bench import generate_migrants_xlsx

    user = get_user_model().objects.get(username=username)
    start = time.perf_counter()
    written = generate_migrants_xlsx(Path(path), rows=rows, area=user.area_code)
    return {"rows": written, "seconds": time.perf_counter() - start, "bytes": Path(path).stat().st_size}


def _immediate_constraints() -> None:
    # The run rolls back, and PostgreSQL checks deferred foreign keys at commit: check them as rows are
    # written so that the time includes them (as exchange.bench does).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def time_import(path: Path, *, username: str = IMPORT_USERNAME) -> dict:
    """The portal's import of the file: dry run (read + every rule) and confirm (again + write with history),
    through the services the pages and the Celery tasks use; rolled back."""
    from exchange import services
    from exchange.choices import ImportKind, JobStatus

    user = get_user_model().objects.get(username=username)
    path = Path(path)
    result: dict = {}
    try:
        with transaction.atomic():
            _immediate_constraints()
            upload = SimpleUploadedFile(path.name, path.read_bytes())
            job = services.import_job_create(user=user, kind=ImportKind.MIGRANTS, upload=upload)
            job.in_background = False  # the task bodies run here, in this process
            job.save(update_fields=["in_background"])
            start = time.perf_counter()
            job = services.import_job_check(job=job)
            result["dry_run_seconds"] = time.perf_counter() - start
            if job.status != JobStatus.READY:
                raise RuntimeError(f"the dry run found problems: {job.problems[:3]}")
            start = time.perf_counter()
            job = services.import_job_confirm(job=job, user=user)
            result["confirm_seconds"] = time.perf_counter() - start
            if job.status != JobStatus.DONE:
                raise RuntimeError(f"the confirm did not finish: {job.status} {job.problems[:3]}")
            result["rows"] = job.created_count
            raise _Rollback
    except _Rollback:
        pass
    result["rows_per_second"] = result["rows"] / (result["dry_run_seconds"] + result["confirm_seconds"])
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def time_import_export(path: Path, *, username: str = IMPORT_USERNAME) -> dict:
    """django-import-export's import of the same file, as its admin does it: a dry run, then the import
    (row by row, each row's model validated); rolled back."""
    import tablib

    from .iie import MigrantWorkerIieResource

    user = get_user_model().objects.get(username=username)
    path = Path(path)
    result: dict = {}
    try:
        with transaction.atomic():
            _immediate_constraints()
            for step, dry_run in (("dry_run", True), ("confirm", False)):
                start = time.perf_counter()
                with path.open("rb") as stream:  # the admin reads the uploaded file again to confirm
                    dataset = tablib.Dataset().load(stream.read(), format="xlsx")
                outcome = MigrantWorkerIieResource().import_data(dataset, dry_run=dry_run, raise_errors=False,
                                                                 use_transactions=True, user=user)
                result[f"{step}_seconds"] = time.perf_counter() - start
                if outcome.has_errors() or outcome.has_validation_errors():
                    problems = [str(e.error) for e in outcome.base_errors[:2]] + [
                        str(r.error_dict if hasattr(r, "error_dict") else r) for r in outcome.invalid_rows[:2]]
                    raise RuntimeError(f"django-import-export refused the file: {problems}")
                result["rows"] = outcome.totals["new"]
            raise _Rollback
    except _Rollback:
        pass
    result["rows_per_second"] = result["rows"] / (result["dry_run_seconds"] + result["confirm_seconds"])
    result["peak_rss_mb"] = peak_rss_mb()
    return result


# --- python -m bench.steps <command> ------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.steps")
    parser.add_argument("command", choices=("state", "state-clear", "state-set", "credentials", "report", "rebuild",
                                            "import-file", "import", "import-export"))
    parser.add_argument("--size", type=int)
    parser.add_argument("--generator")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--file")
    args = parser.parse_args(argv)

    import django

    django.setup()
    commands = {
        "state": lambda: {"state": state_get(), "pmi": pmi_count()},
        "state-clear": lambda: state_clear() or {},
        "state-set": lambda: state_set(size=args.size, generator=args.generator),
        "credentials": credentials,
        "report": time_report,
        "rebuild": time_rebuild,
        "import-file": lambda: import_file(Path(args.file), rows=args.rows),
        "import": lambda: time_import(Path(args.file)),
        "import-export": lambda: time_import_export(Path(args.file)),
    }
    result = commands[args.command]()
    sys.stdout.write("\nBENCH-RESULT " + json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
