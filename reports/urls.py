from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.YearlyReportListView.as_view(), name="yearlyreport_list"),
    path("request/", views.YearlyReportRequestView.as_view(), name="yearlyreport_request"),
    path("<int:pk>/", views.YearlyReportDetailView.as_view(), name="yearlyreport_detail"),
    path("<int:pk>/progress/", views.YearlyReportProgressView.as_view(), name="yearlyreport_progress"),
    path("<int:pk>/workbook/", views.YearlyReportWorkbookView.as_view(), name="yearlyreport_workbook"),
    path("<int:pk>/retry/", views.YearlyReportRetryView.as_view(), name="yearlyreport_retry"),
]
