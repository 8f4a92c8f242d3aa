from django.urls import path

from . import views

app_name = "villages"
urlpatterns = [
    path("", views.DesmigratifVillageListView.as_view(), name="desmigratifvillage_list"),
    path("add/", views.DesmigratifVillageCreateView.as_view(), name="desmigratifvillage_add"),
    path("<int:pk>/", views.DesmigratifVillageDetailView.as_view(), name="desmigratifvillage_detail"),
    path("<int:pk>/edit/", views.DesmigratifVillageUpdateView.as_view(), name="desmigratifvillage_edit"),
    path("<int:pk>/delete/", views.DesmigratifVillageDeleteView.as_view(), name="desmigratifvillage_delete"),
    path("<int:pk>/officers/add/", views.FieldOfficerCreateView.as_view(), name="fieldofficer_add"),
    path("officers/<int:pk>/edit/", views.FieldOfficerUpdateView.as_view(), name="fieldofficer_edit"),
    path("officers/<int:pk>/delete/", views.FieldOfficerDeleteView.as_view(), name="fieldofficer_delete"),
    path("activities/", views.PillarActivityListView.as_view(), name="pillaractivity_list"),
    path("activities/add/", views.PillarActivityCreateView.as_view(), name="pillaractivity_add"),
    path("activities/<int:pk>/", views.PillarActivityDetailView.as_view(), name="pillaractivity_detail"),
    path("activities/<int:pk>/edit/", views.PillarActivityUpdateView.as_view(), name="pillaractivity_edit"),
    path("activities/<int:pk>/delete/", views.PillarActivityDeleteView.as_view(), name="pillaractivity_delete"),
]
