import re

from django.db.models import Q, QuerySet

from accounts.scoping import area_prefix

from .models import District, Province, Regency, Village

CODE_PREFIX_RE = re.compile(r"^\d{2}(\.\d{0,2}){0,2}(\.\d{0,4})?$")
SEARCH_LIMIT = 20


def _within_area(queryset: QuerySet, user) -> QuerySet:
    # a region lies within the area when its code starts with the area's (codes are fixed-width per level)
    prefix = area_prefix(user)
    if prefix is None:
        return queryset.none()
    return queryset.filter(code__startswith=prefix) if prefix else queryset


def province_list(*, user) -> QuerySet[Province]:
    """Provinces within the user's area (a regency's or village's area holds none)."""
    return _within_area(Province.objects.all(), user)


def regency_list(*, user) -> QuerySet[Regency]:
    return _within_area(Regency.objects.select_related("province"), user)


def district_list(*, user) -> QuerySet[District]:
    return _within_area(District.objects.select_related("regency"), user)


def village_list(*, user) -> QuerySet[Village]:
    """Villages within the user's area (all 83,762 for a national role)."""
    return _within_area(Village.objects.select_related("district__regency"), user)


def village_search(*, user, term: str, limit: int = SEARCH_LIMIT) -> list[Village]:
    """Type-ahead: villages in the user's area whose code starts with ``term`` or whose name holds it.

    A code prefix uses the primary key's index; a name needs at least three letters.
    """
    term = " ".join(term.split())
    if not term:
        return []
    queryset = village_list(user=user)
    if CODE_PREFIX_RE.match(term):
        queryset = queryset.filter(code__startswith=term)
    elif len(term) >= 3:
        condition = Q()
        for word in term.split():
            condition &= Q(name__icontains=word)
        queryset = queryset.filter(condition)
    else:
        return []
    return list(queryset.order_by("name", "code")[:limit])
