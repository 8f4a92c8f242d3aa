from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from agencies.api.routes import ROUTES as AGENCY_ROUTES
from cooperatives.api.routes import ROUTES as COOPERATIVE_ROUTES
from migrants.api.routes import ROUTES as MIGRANT_ROUTES
from regions.api.routes import ROUTES as REGION_ROUTES
from reports.api.routes import ROUTES as REPORT_ROUTES
from villages.api.routes import ROUTES as VILLAGE_ROUTES

from .views import ApiRootView, TokenObtainView

app_name = "api"

router = SimpleRouter()
for prefix, viewset, basename in (*REGION_ROUTES, *VILLAGE_ROUTES, *MIGRANT_ROUTES, *COOPERATIVE_ROUTES,
                                  *AGENCY_ROUTES, *REPORT_ROUTES):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
         name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[AllowAny],
                                                 authentication_classes=[]), name="docs"),
    path("statistics/", include("dashboards.api.urls")),
    path("", include(router.urls)),
]
