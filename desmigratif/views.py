from django.contrib.auth.decorators import login_required
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


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "home.html", {
        "villages": desmigratif_village_counts(user=user),
        "stages": migrant_stage_counts(user=user),
        "cooperatives": cooperative_counts(user=user),
    })
