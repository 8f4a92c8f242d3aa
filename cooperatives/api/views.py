from drf_spectacular.utils import extend_schema, extend_schema_view

from desmigratif.api.viewsets import ScopedModelViewSet

from .. import services
from ..filtersets import CooperativeFilterSet
from ..selectors import cooperative_detail_list, cooperative_list, cooperative_yearly_figure_list
from .filtersets import CooperativeYearlyFigureFilterSet
from .serializers import CooperativeDetailSerializer, CooperativeSerializer, CooperativeYearlyFigureSerializer


@extend_schema_view(
    list=extend_schema(summary="Cooperatives and BUMDes units of the program villages / Koperasi"),
    create=extend_schema(summary="Record a cooperative in a Desmigratif village"),
    retrieve=extend_schema(summary="One cooperative with its yearly figures"),
    update=extend_schema(summary="Edit a cooperative"),
    partial_update=extend_schema(summary="Edit some of a cooperative's data"),
    destroy=extend_schema(summary="Delete a cooperative with its members and yearly figures"),
)
class CooperativeViewSet(ScopedModelViewSet):
    """Cooperatives built in the Desmigratif villages of the user's area (pillar 4)."""

    selector = cooperative_list
    create_service = services.cooperative_create
    update_service = services.cooperative_update
    delete_service = services.cooperative_delete
    filterset_class = CooperativeFilterSet
    serializer_class = CooperativeSerializer
    detail_selector = cooperative_detail_list
    detail_serializer_class = CooperativeDetailSerializer


@extend_schema_view(
    list=extend_schema(summary="Yearly figures of the cooperatives / Kinerja tahunan koperasi"),
    create=extend_schema(summary="Record a cooperative's figures for a book year"),
    retrieve=extend_schema(summary="One cooperative's figures of one book year"),
    update=extend_schema(summary="Edit a book year's figures"),
    partial_update=extend_schema(summary="Edit some of a book year's figures"),
    destroy=extend_schema(summary="Delete a book year's figures"),
)
class CooperativeYearlyFigureViewSet(ScopedModelViewSet):
    """Members, capital, assets, revenue and SHU of a cooperative at the close of each book year."""

    selector = cooperative_yearly_figure_list
    create_service = services.cooperative_yearly_figure_create
    update_service = services.cooperative_yearly_figure_update
    delete_service = services.cooperative_yearly_figure_delete
    filterset_class = CooperativeYearlyFigureFilterSet
    serializer_class = CooperativeYearlyFigureSerializer
