from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cooperatives.selectors import cooperative_counts
from migrants.selectors import migrant_stage_counts
from villages.selectors import desmigratif_village_counts


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
    user = request.user
    return render(request, "home.html", {
        "villages": desmigratif_village_counts(user=user),
        "stages": migrant_stage_counts(user=user),
        "cooperatives": cooperative_counts(user=user),
    })
