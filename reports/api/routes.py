"""The reports' endpoints under /api/v1/: (prefix, viewset, basename), registered by desmigratif.api.urls."""
from .views import YearlyReportViewSet

ROUTES = [("yearly-reports", YearlyReportViewSet, "yearlyreport")]
