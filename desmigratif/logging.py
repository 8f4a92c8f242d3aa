"""Logs: one JSON object a line in production, a readable line in development; never personal data.

Every record carries ``request_id`` — the id django-guid gives each request (a UUID taken from a
valid incoming ``X-Request-ID`` header or generated, echoed in the response's ``X-Request-ID``) and
hands on to the Celery tasks the request queues — and, in a Celery worker, the ``task_id`` and
``task_name`` of the task being run.

Personal data stays out of logs by construction (paths are logged without their query string: a
search puts names there; SQL with its parameters is never logged) and, as a safety net, the
message, its arguments, string extras and tracebacks of every record are masked: a run of 16 digits
(a NIK) and an Indonesian phone number become ``[NIK]`` and ``[PHONE]``. Names cannot be recognised
by a pattern: the only defence for them is not to log what may carry them.

This module must stay importable without Django being set up: gunicorn's master process loads the
formatter from ``deploy/gunicorn.conf.py`` before any Django code runs.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

# A NIK: 16 digits, possibly grouped by spaces or dashes ("3209 1412 3456 0001"); a longer
# run of digits is masked whole. Not the fraction of a decimal number ("0.0377149999999346 s").
NIK_PATTERN = re.compile(r"(?<!\d)(?<!\d\.)\d(?:[ \-]?\d){15,}(?!\d)(?!\.\d)")
# An Indonesian mobile number: 08…, 628… or +628…, 9 to 13 digits after the prefix's 0/62, possibly
# grouped ("0812-3456-7890", "+62 812 3456 7890").
PHONE_PATTERN = re.compile(r"(?<![\w+])(?<!\d\.)(?:\+62|62|0)[ \-.]?8\d(?:[ \-.]?\d){6,11}(?!\d)")
# A request line of an HTTP server's log ("GET /migrants/?q=Siti HTTP/1.1"): the query string goes.
QUERY_IN_REQUEST_LINE = re.compile(r"(\b[A-Z]+ [^\s?]*)\?\S*")

NO_CONTEXT = "-"


def redact(text: str) -> str:
    """``text`` with NIKs and phone numbers masked."""
    if not text:
        return text
    return PHONE_PATTERN.sub("[PHONE]", NIK_PATTERN.sub("[NIK]", text))


def redact_value(value: Any) -> Any:
    """``value`` with NIKs and phone numbers masked in every string it holds (dicts, lists, tuples)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    return value


def _request_id() -> str:
    try:
        from django_guid.context import guid
    except ImportError:  # pragma: no cover - django-guid is a requirement
        return NO_CONTEXT
    return guid.get() or NO_CONTEXT


def _current_task() -> tuple[str, str]:
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - celery is a requirement
        return NO_CONTEXT, NO_CONTEXT
    task = current_task._get_current_object() if current_task else None
    request = getattr(task, "request", None)
    task_id = getattr(request, "id", None)
    if not task_id:
        return NO_CONTEXT, NO_CONTEXT
    return task_id, task.name


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``task_id`` and ``task_name`` to every record (``-`` when none applies)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) in (None, NO_CONTEXT):
            record.request_id = _request_id()
        if getattr(record, "task_id", None) in (None, NO_CONTEXT):
            record.task_id, record.task_name = _current_task()
        return True


class RedactPersonalDataFilter(logging.Filter):
    """Masks NIKs and phone numbers in the message, its arguments and the traceback of a record.

    The message is rendered with its arguments once and the arguments dropped, so that nothing
    formatted later can bring the raw values back. A server's request line loses its query string.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            return True  # formatted from chosen atoms only (see JsonFormatter._access_fields)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep the template, never the raw arguments
            message = str(record.msg)
        if record.name == "django.server":
            message = QUERY_IN_REQUEST_LINE.sub(r"\1", message)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._redacted = True
        return True


class SafeFormatting:
    """The request context and the masking applied by the formatter itself, so that any handler using it
    is safe even without the filters."""

    _context = RequestContextFilter()
    _redact = RedactPersonalDataFilter()

    def format(self, record: logging.LogRecord) -> str:
        self._context.filter(record)
        self._redact.filter(record)
        return super().format(record)


class TextFormatter(SafeFormatting, logging.Formatter):
    """Development: a readable line with the request (or task) id; context and masking built in."""

    default_format = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"

    def __init__(self, fmt: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(fmt or self.default_format, *args, **kwargs)


class JsonFormatter(SafeFormatting, BaseJsonFormatter):
    """One JSON object a line: time, level, logger, message, request and task ids, safe extras.

    The context and masking filters run here as well, so any handler with this formatter is safe
    even without the filters. Extras that hold a request object (Django's ``django.request`` and
    ``django.server`` loggers attach one, and its repr carries the query string) are dropped;
    string extras are masked. gunicorn's access records become method, path (without the query
    string), status, bytes, duration and the request id from the response's ``X-Request-ID``.
    """

    DROPPED_EXTRAS = frozenset({"request", "server_time", "_redacted", "color_message"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_data, record, message_dict)
        for key in self.DROPPED_EXTRAS:
            log_data.pop(key, None)
        for key, value in list(log_data.items()):
            if value.__class__.__name__.endswith("Request"):  # any request object an extra holds
                log_data.pop(key)
            elif key not in ("timestamp", "request_id", "task_id"):
                log_data[key] = redact_value(value)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            log_data.update(self._access_fields(record.args))

    @staticmethod
    def _access_fields(atoms: dict) -> dict[str, Any]:
        """The parts of gunicorn's access atoms worth keeping; never the query string, referrer or
        cookies (any of which may carry a name or a NIK)."""
        def atom(key: str) -> Any:
            value = atoms.get(key, NO_CONTEXT)
            return NO_CONTEXT if value is None else value

        duration = atom("D")
        request_id = atom("{x-request-id}o")
        return {
            "message": f"{atom('m')} {atom('U')} {atom('s')}",
            "method": atom("m"),
            "path": atom("U"),
            "status": int(atom("s")) if str(atom("s")).isdigit() else atom("s"),
            "bytes": atom("B") if isinstance(atom("B"), int) else 0,
            "duration_ms": round(duration / 1000, 1) if isinstance(duration, int) else None,
            "remote_addr": _client_address(atom("h"), atoms.get("{x-forwarded-for}i")),
            "request_id": request_id,
        }


def _client_address(peer: Any, forwarded_for: Any) -> Any:
    """The client as ``TRUSTED_PROXIES`` vouches for it (behind the proxy, the peer is the proxy)."""
    try:
        from django.core.exceptions import ImproperlyConfigured

        from desmigratif.net import client_address
    except ImportError:  # pragma: no cover - Django is installed wherever gunicorn serves the portal
        return peer
    try:
        return client_address(str(peer), forwarded_for if isinstance(forwarded_for, str) else None) or peer
    except ImproperlyConfigured:  # the master process, before Django's settings are loaded
        return peer
