"""The villages endpoints under /api/v1/: (prefix, viewset, basename), registered by desmigratif.api.urls."""
from .views import DesmigratifVillageViewSet, PillarActivityViewSet

ROUTES: list[tuple[str, type, str]] = [
    ("desmigratif-villages", DesmigratifVillageViewSet, "desmigratifvillage"),
    ("pillar-activities", PillarActivityViewSet, "pillaractivity"),
]
