import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.http import require_GET

from dashboards.selectors import area_home
from dashboards.views import DashboardView

from .busy import busy_response, is_database_busy


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving (no dependency checked: that is /readyz's job)."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database answers, and Redis too when one is configured (503 otherwise)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means not ready; say which one
        checks["database"] = f"unavailable: {error.__class__.__name__}"
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
            checks["redis"] = "ok"
        except redis.RedisError as error:
            checks["redis"] = f"unavailable: {error.__class__.__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page is the dashboard of the user's own area (the country for ministry staff)."""
    return DashboardView.as_view()(request, code=area_home(request.user))


def page_not_found(request: HttpRequest, exception) -> HttpResponse:
    """A 404 in the API's own shape under /api/ (JSON, like its other errors); the portal's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Not found."))}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The portal's 500 page, except for a database too busy to take a write (desmigratif.busy): that one is
    "busy, try again" (503), also when it happened outside a view (saving the session after it). Django
    calls this handler while it handles the exception, so the exception is the one being handled."""
    if is_database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request)
