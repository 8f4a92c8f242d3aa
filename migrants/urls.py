from django.urls import path

from . import views

app_name = "migrants"
urlpatterns = [
    path("", views.MigrantWorkerListView.as_view(), name="migrantworker_list"),
    path("add/", views.MigrantWorkerCreateView.as_view(), name="migrantworker_add"),
    path("find/", views.MigrantWorkerFindView.as_view(), name="migrantworker_find"),
    path("<int:pk>/", views.MigrantWorkerDetailView.as_view(), name="migrantworker_detail"),
    path("<int:pk>/edit/", views.MigrantWorkerUpdateView.as_view(), name="migrantworker_edit"),
    path("<int:pk>/delete/", views.MigrantWorkerDeleteView.as_view(), name="migrantworker_delete"),
    # stage actions, each a small form of its own
    path("<int:pk>/verify/", views.stage_change_view("migrantworker_verify"), name="migrantworker_verify"),
    path("<int:pk>/train/", views.stage_change_view("migrantworker_train"), name="migrantworker_train"),
    path("<int:pk>/ready/", views.stage_change_view("migrantworker_ready"), name="migrantworker_ready"),
    path("<int:pk>/depart/", views.MigrantDepartView.as_view(), name="migrantworker_depart"),
    path("<int:pk>/return/", views.MigrantReturnView.as_view(), name="migrantworker_return"),
    path("<int:pk>/register-again/", views.stage_change_view("migrantworker_register_again"),
         name="migrantworker_register_again"),
    path("<int:pk>/reintegration/", views.ReintegrationEditView.as_view(), name="reintegration_edit"),
    path("placements/", views.PlacementListView.as_view(), name="placement_list"),
    path("placements/<int:pk>/edit/", views.PlacementUpdateView.as_view(), name="placement_edit"),
]
