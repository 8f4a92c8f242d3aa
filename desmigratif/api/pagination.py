from functools import cached_property, partial

from rest_framework.pagination import PageNumberPagination

from desmigratif.pagination import StablePaginator


class PortalPagination(PageNumberPagination):
    """``?page=2&page_size=50``: a total count with every page; at most 100 rows a page."""

    django_paginator_class = StablePaginator  # equal sort keys never repeat a row on the next page
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class KnownCountPaginator(StablePaginator):
    """A paginator told its total (e.g. from a summary table) instead of counting the rows."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count if self.known_count is not None else super().count


class SummaryCountPagination(PortalPagination):
    """The portal's pagination, with the total from the view's ``summary_count(request)`` when it has one."""

    def paginate_queryset(self, queryset, request, view=None):
        known = view.summary_count(request) if view is not None and hasattr(view, "summary_count") else None
        self.django_paginator_class = partial(KnownCountPaginator, count=known)
        return super().paginate_queryset(queryset, request, view)
