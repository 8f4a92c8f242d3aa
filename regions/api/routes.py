"""The regions endpoints under /api/v1/: (prefix, viewset, basename), registered by desmigratif.api.urls."""
from .views import DistrictViewSet, ProvinceViewSet, RegencyViewSet, VillageViewSet

ROUTES: list[tuple[str, type, str]] = [
    ("provinces", ProvinceViewSet, "province"),
    ("regencies", RegencyViewSet, "regency"),
    ("districts", DistrictViewSet, "district"),
    ("villages", VillageViewSet, "village"),
]
