from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("", views.AgencyListView.as_view(), name="agency_list"),
    path("add/", views.AgencyCreateView.as_view(), name="agency_add"),
    path("<int:pk>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("<int:pk>/edit/", views.AgencyUpdateView.as_view(), name="agency_edit"),
    path("engagements/", views.EngagementListView.as_view(), name="engagement_list"),
    path("engagements/add/", views.EngagementCreateView.as_view(), name="engagement_add"),
    path("engagements/<int:pk>/", views.EngagementDetailView.as_view(), name="engagement_detail"),
    path("engagements/<int:pk>/edit/", views.EngagementUpdateView.as_view(), name="engagement_edit"),
    path("engagements/<int:pk>/delete/", views.EngagementDeleteView.as_view(), name="engagement_delete"),
]
