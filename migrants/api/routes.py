"""The PMI endpoints under /api/v1/: (prefix, viewset, basename), registered by desmigratif.api.urls."""
from .views import MigrantWorkerViewSet, PlacementViewSet

ROUTES = [
    ("migrant-workers", MigrantWorkerViewSet, "migrantworker"),
    ("placements", PlacementViewSet, "placement"),
]
