from drf_spectacular.utils import extend_schema, extend_schema_view

from desmigratif.api.viewsets import ScopedModelViewSet

from .. import services
from ..filtersets import AgencyFilterSet, EngagementFilterSet
from ..selectors import agency_list, engagement_list
from .serializers import AgencySerializer, EngagementSerializer


@extend_schema_view(
    list=extend_schema(summary="Partner agencies / Instansi mitra"),
    retrieve=extend_schema(summary="One partner agency / Satu instansi mitra"),
)
class AgencyViewSet(ScopedModelViewSet):
    """Ministries, agencies, local governments and banks working with the program: a reference table
    every signed-in user reads (admins edit it on the pages). Without services, the viewset only reads."""

    selector = agency_list
    filterset_class = AgencyFilterSet
    serializer_class = AgencySerializer


@extend_schema_view(
    list=extend_schema(summary="Agencies' engagements you may read / Keterlibatan instansi"),
    create=extend_schema(summary="Record an engagement / Catat keterlibatan instansi"),
    retrieve=extend_schema(summary="One engagement / Satu keterlibatan instansi"),
    update=extend_schema(summary="Edit an engagement / Ubah keterlibatan instansi"),
    partial_update=extend_schema(summary="Edit some fields of an engagement"),
    destroy=extend_schema(summary="Delete an engagement / Hapus keterlibatan instansi"),
)
class EngagementViewSet(ScopedModelViewSet):
    """Engagements of the agencies: national ones, and those of the regencies and villages in your area.

    Admins write any; agency staff their own agency's; regency operators and village officers those
    within their area (never national ones). The services check the record itself (403 otherwise).
    """

    selector = engagement_list
    create_service = services.engagement_create
    update_service = services.engagement_update
    delete_service = services.engagement_delete
    filterset_class = EngagementFilterSet
    serializer_class = EngagementSerializer

    def may_write(self, user) -> bool:
        # agency staff write too (their agency's), which accounts.permissions.can_write does not cover
        return services.engagement_can_write_some(user)
