from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from desmigratif.history import record_history
from desmigratif.views import healthz, home, readyz

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboard/", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("desmigratif.api.urls")),
    path("regions/", include("regions.urls")),
    path("villages/", include("villages.urls")),
    path("migrants/", include("migrants.urls")),
    path("cooperatives/", include("cooperatives.urls")),
    path("agencies/", include("agencies.urls")),
    path("exchange/", include("exchange.urls")),
    path("privacy/", include("privacy.urls")),
    path("history/<str:label>/<int:pk>/", record_history, name="record_history"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

handler404 = "desmigratif.views.page_not_found"
handler500 = "desmigratif.views.server_error"
