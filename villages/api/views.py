from drf_spectacular.utils import extend_schema, extend_schema_view

from desmigratif.api.viewsets import ScopedModelViewSet

from .. import services
from ..filtersets import DesmigratifVillageFilterSet, PillarActivityFilterSet
from ..selectors import desmigratif_village_detail_list, desmigratif_village_list, pillar_activity_list
from .serializers import DesmigratifVillageDetailSerializer, DesmigratifVillageSerializer, PillarActivitySerializer

# The services' signatures are those ScopedModelViewSet calls (the village and the Desmigratif village
# come as the serializers' ``village`` / ``desmigratif_village``): no adapters are needed.


@extend_schema_view(
    list=extend_schema(summary="Desmigratif villages in your area / Desa Desmigratif di wilayah Anda"),
    create=extend_schema(summary="Designate a village into the program / Tetapkan desa Desmigratif"),
    retrieve=extend_schema(summary="One Desmigratif village with counts of its activities and cooperatives"),
    update=extend_schema(summary="Edit a Desmigratif village / Ubah desa Desmigratif"),
    partial_update=extend_schema(summary="Edit some fields of a Desmigratif village"),
    destroy=extend_schema(summary="Remove a village from the program (409 while it has activities or "
                                  "cooperatives)"),
)
class DesmigratifVillageViewSet(ScopedModelViewSet):
    """Villages designated into Desmigratif, scoped to the user's area."""

    selector = desmigratif_village_list
    create_service = services.desmigratif_village_create
    update_service = services.desmigratif_village_update
    delete_service = services.desmigratif_village_delete
    filterset_class = DesmigratifVillageFilterSet
    serializer_class = DesmigratifVillageSerializer
    detail_selector = desmigratif_village_detail_list
    detail_serializer_class = DesmigratifVillageDetailSerializer


@extend_schema_view(
    list=extend_schema(summary="Pillar activities in your area / Kegiatan pilar di wilayah Anda"),
    create=extend_schema(summary="Record a pillar activity / Catat kegiatan pilar"),
    retrieve=extend_schema(summary="One pillar activity / Satu kegiatan pilar"),
    update=extend_schema(summary="Edit a pillar activity / Ubah kegiatan pilar"),
    partial_update=extend_schema(summary="Edit some fields of a pillar activity"),
    destroy=extend_schema(summary="Delete a pillar activity / Hapus kegiatan pilar"),
)
class PillarActivityViewSet(ScopedModelViewSet):
    """Activities under the four pillars in Desmigratif villages, scoped to the user's area."""

    selector = pillar_activity_list
    create_service = services.pillar_activity_create
    update_service = services.pillar_activity_update
    delete_service = services.pillar_activity_delete
    filterset_class = PillarActivityFilterSet
    serializer_class = PillarActivitySerializer
