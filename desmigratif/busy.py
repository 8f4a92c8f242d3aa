"""A database too busy to take a write in time is answered "busy, try again" (503 with Retry-After),
never as a server error.

On the embedded SQLite database one writer at a time holds the file (the settings make writers queue
for it, see DATABASES' OPTIONS in desmigratif.settings.base); when the queue is longer than the wait,
SQLite says "database is locked". PostgreSQL's counterparts are a deadlock, a serialization failure
or a lock timeout, after which it has rolled the transaction back. In every case nothing of the
request was saved (the services' transactions are atomic) and the same request, sent again a moment
later, is expected to succeed: the answer says so, and says when.

The API answers it in desmigratif.api.exceptions; pages in ``DatabaseBusyMiddleware``
(desmigratif.middleware) and, for a write outside a view (the session saved after it), in the
portal's 500 handler (desmigratif.views.server_error).
"""
from __future__ import annotations

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

BUSY_RETRY_AFTER = 5  # seconds: a few writes' time on SQLite, and the client's cue to send again
SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
# deadlock_detected, serialization_failure, lock_not_available
POSTGRESQL_BUSY = frozenset({"40P01", "40001", "55P03"})


def is_database_busy(exc: BaseException | None) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "pgcode", None) in POSTGRESQL_BUSY:
        return True
    message = str(exc).lower()
    return any(text in message for text in SQLITE_BUSY)


def busy_message() -> str:
    return _("The portal is busy with other officials' saves right now, so nothing was saved. Please try again "
             "in a few seconds.")


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, otherwise a plain page that needs no database to render."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": busy_message()}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": busy_message(),
                                                              "retry_after": BUSY_RETRY_AFTER}), status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response
