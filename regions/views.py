from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import village_search


@require_GET
@login_required
def village_search_view(request: HttpRequest) -> HttpResponse:
    """Villages in the user's area matching ?q= (or the value of the field named by ?field=).

    htmx gets <option> elements for the input's datalist; other callers get JSON.
    """
    term = request.GET.get("q") or request.GET.get(request.GET.get("field", ""), "")
    villages = village_search(user=request.user, term=term)
    if request.htmx:
        return render(request, "regions/village_options.html", {"villages": villages})
    return JsonResponse({"results": [
        {"code": v.code, "name": v.name, "district": v.district.name, "regency": v.district.regency.name}
        for v in villages]})
