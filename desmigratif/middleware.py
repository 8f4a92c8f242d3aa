import logging
import time

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .busy import busy_response, is_database_busy

request_logger = logging.getLogger("desmigratif.request")
QUIET_PATHS = frozenset({"/healthz", "/readyz"})


class PortalLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the user switched language.

    A government portal speaks the national language first; the browser's Accept-Language (often
    English on office machines) is not consulted, only the choice stored by the language switch.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestLogMiddleware:
    """One log line per request: method, path WITHOUT the query string, status, duration, user id.

    A search puts names (and sometimes NIKs) in the query string, so it is never logged; the user is
    logged by id, never by name. The request id comes with every record (desmigratif.logging).
    Placed right after django-guid's middleware, so it sees the final status of every answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # load balancers probe every few seconds: their lines only at DEBUG
        level = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
        request_logger.log(
            level,
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"method": request.method, "path": request.path, "status": response.status_code,
                   "duration_ms": round((time.monotonic() - started) * 1000, 1),
                   "user_id": user.pk if user is not None and user.is_authenticated else None})
        return response


class DatabaseBusyMiddleware:
    """A page whose write found the database busy answers "busy, try again" (503 with Retry-After, see
    desmigratif.busy) instead of a server error; also with DEBUG on, where Django's 500 handler is not used."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if is_database_busy(exception):
            request_logger.warning("Database busy on %s %s", request.method, request.path)
            return busy_response(request)
        return None
