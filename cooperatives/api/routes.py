"""The cooperatives endpoints under /api/v1/: (prefix, viewset, basename), registered by desmigratif.api.urls."""
from .views import CooperativeViewSet, CooperativeYearlyFigureViewSet

ROUTES = [
    ("cooperatives", CooperativeViewSet, "cooperative"),
    ("cooperative-figures", CooperativeYearlyFigureViewSet, "cooperativeyearlyfigure"),
]
