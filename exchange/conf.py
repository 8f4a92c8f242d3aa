"""Limits of the imports and exports, each overridable in settings as ``EXCHANGE_<NAME>``.

They protect the server (a 20 MB file can unpack to gigabytes, a cell can hold a novel) and keep
requests short: above ``ASYNC_ROWS`` rows a file is checked and imported by a Celery task.
"""
from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "MAX_FILE_BYTES": 20 * 1024 * 1024,  # what an official uploads on a slow link; 200,000 PMI rows fit
    "MAX_UNPACKED_BYTES": 600 * 1024 * 1024,  # an .xlsx is a zip: refuse bombs before reading
    "MAX_ROWS": 200_000,
    "MAX_COLUMNS": 100,
    "MAX_CELL_CHARS": 2_000,
    "ASYNC_ROWS": 5_000,  # files with more data rows than this run as a Celery task
    "MAX_STORED_PROBLEMS": 5_000,  # problems kept on a job (the count of all of them is kept too)
    "CHUNK_ROWS": 2_000,  # rows validated (and written) together: one lookup query per chunk
    # days an uploaded file waits for confirmation before it is deleted with its job (it holds personal data)
    "UPLOAD_RETENTION_DAYS": 7,
}


def limit(name: str) -> int:
    return int(getattr(settings, f"EXCHANGE_{name}", DEFAULTS[name]))
