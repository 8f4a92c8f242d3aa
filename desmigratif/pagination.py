"""Pages of a list that never repeat or skip a row.

A list ordered by a key that is not unique (engagements by year and agency, any ``?o=`` sort by a date)
has no defined order among equal keys: PostgreSQL may return them differently for each page, so that
page 2 repeats a row of page 1 and another row is on no page at all. Every paginated list, pages and
API alike, goes through ``StablePaginator``, which ends such an order with the primary key.
"""
from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet


def stable_order(queryset: QuerySet) -> QuerySet:
    """``queryset`` ordered as it is, then by its primary key when its order does not already end with it."""
    query = queryset.query
    if queryset._fields is not None or query.group_by is not None:
        return queryset  # rows of values or groups: a key added to the order would change the grouping
    order = list(query.order_by or (queryset.model._meta.ordering if query.default_ordering else []))
    keys = {"pk", queryset.model._meta.pk.name, queryset.model._meta.pk.attname}
    if any(isinstance(term, str) and term.lstrip("-") in keys for term in order):
        return queryset
    return queryset.order_by(*order, "pk")


class StablePaginator(Paginator):
    def __init__(self, object_list, *args, **kwargs):
        if isinstance(object_list, QuerySet):
            object_list = stable_order(object_list)
        super().__init__(object_list, *args, **kwargs)
