from django.urls import path

from . import views
from .choices import ImportKind

app_name = "exchange"
urlpatterns = [
    path("", views.ImportListView.as_view(), name="import_list"),
    path("new/", views.ImportUploadView.as_view(), name="import_upload"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("<int:pk>/progress/", views.ImportProgressView.as_view(), name="import_progress"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("<int:pk>/cancel/", views.ImportCancelView.as_view(), name="import_cancel"),
    path("<int:pk>/problems.csv", views.ImportProblemsView.as_view(), name="import_problems"),
]
# One template and one export per kind of record: exchange:<kind>_template, exchange:<kind>_export
# (e.g. exchange:migrants_export?stage=returned&format=csv takes the list page's filters).
for kind in ImportKind.values:
    urlpatterns += [
        path(f"{kind}/template/", views.TemplateDownloadView.as_view(kind=kind), name=f"{kind}_template"),
        path(f"{kind}/export/", views.ExportView.as_view(kind=kind), name=f"{kind}_export"),
    ]
