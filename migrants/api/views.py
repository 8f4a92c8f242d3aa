from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from desmigratif.api.viewsets import ScopedModelViewSet

from .. import services
from ..filtersets import MigrantWorkerFilterSet
from ..models import Placement
from ..selectors import migrant_list
from .serializers import MigrantWorkerDetailSerializer, MigrantWorkerSerializer


def _update(*, user, instance, **fields):
    return services.migrant_update(migrant=instance, user=user, **fields)


@extend_schema_view(
    list=extend_schema(summary="PMI (pekerja migran) in your area / PMI di wilayah Anda"),
    create=extend_schema(summary="Register a prospective PMI / Daftarkan calon PMI"),
    retrieve=extend_schema(summary="One PMI with placements and reintegration"),
    update=extend_schema(summary="Edit a PMI's personal data (not the stage)"),
    partial_update=extend_schema(summary="Edit some of a PMI's personal data (not the stage)"),
    destroy=extend_schema(summary="Delete a PMI with placements and reintegration"),
)
class MigrantWorkerViewSet(ScopedModelViewSet):
    """Migrant workers (PMI), scoped to the user's area; person data masked outside it."""

    selector = migrant_list
    create_service = services.migrant_register
    update_service = _update
    delete_service = services.migrant_delete
    person_records = True
    filterset_class = MigrantWorkerFilterSet
    serializer_class = MigrantWorkerSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.select_related("reintegration").prefetch_related(
                Prefetch("placements", queryset=Placement.objects.order_by("-departure_date", "-id")))
        return queryset

    def get_serializer_class(self):
        return MigrantWorkerDetailSerializer if self.action == "retrieve" else MigrantWorkerSerializer
