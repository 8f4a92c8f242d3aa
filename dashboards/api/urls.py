"""/api/v1/statistics/…: the dashboards' figures (included by desmigratif.api.urls)."""
from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("growth/", views.GrowthView.as_view(), name="growth"),
    path("areas/", views.AreasView.as_view(), name="areas"),
    path("pillars/", views.PillarsView.as_view(), name="pillars"),
    path("migrants/", views.MigrantsView.as_view(), name="migrants"),
    path("cooperatives/", views.CooperativesView.as_view(), name="cooperatives"),
    path("agencies/", views.AgenciesView.as_view(), name="agencies"),
]
