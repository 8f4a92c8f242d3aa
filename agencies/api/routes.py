"""The agencies endpoints under /api/v1/: (prefix, viewset, basename), registered by desmigratif.api.urls."""
from .views import AgencyViewSet, EngagementViewSet

ROUTES: list[tuple[str, type, str]] = [
    ("agencies", AgencyViewSet, "agency"),
    ("engagements", EngagementViewSet, "engagement"),
]
