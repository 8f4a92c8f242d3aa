from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from desmigratif.api.pagination import SummaryCountPagination
from desmigratif.api.viewsets import ScopedModelViewSet

from .. import services
from ..filtersets import MigrantWorkerFilterSet, PlacementFilterSet
from ..models import Placement, Reintegration
from ..selectors import migrant_count_from_summary, migrant_list, placement_list
from .serializers import (
    DepartureSerializer,
    MigrantWorkerDetailSerializer,
    MigrantWorkerSerializer,
    PlacementRecordSerializer,
    ReintegrationInputSerializer,
    ReturnSerializer,
    StageChangeSerializer,
)

# Actions that answer with the PMI as the detail shows it (placements and reintegration included).
DETAIL_ACTIONS = {"retrieve", "stage", "depart", "return_home", "reintegration"}
# The answers of an action besides its success, so clients (and the schema fuzzing) know them. No body
# schema: a 404 for an address that is no PMI id at all comes from Django, not from the API.
ACTION_ERRORS = {
    400: OpenApiResponse(description="The program's rules refuse it: messages per field, e.g. "
                                     "``{\"stage\": [\"A PMI cannot go from …\"]}``."),
    401: OpenApiResponse(description="No valid token."),
    403: OpenApiResponse(description="The role or the token may not write."),
    404: OpenApiResponse(description="No such PMI in your area."),
}


@contextmanager
def _errors_named(**renames: str) -> Iterator[None]:
    """Name a service's error after the request's field: the services say ``date`` for the date of a
    stage change, which the actions receive as ``on``, ``departure_date`` or ``return_date``."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise DjangoValidationError({renames.get(name, name): errors
                                     for name, errors in error.error_dict.items()}) from error


@extend_schema_view(
    list=extend_schema(summary="PMI (pekerja migran) in your area / PMI di wilayah Anda"),
    create=extend_schema(summary="Register a prospective PMI / Daftarkan calon PMI"),
    retrieve=extend_schema(summary="One PMI with placements and reintegration"),
    update=extend_schema(summary="Edit a PMI's personal data (not the stage)"),
    partial_update=extend_schema(summary="Edit some of a PMI's personal data (not the stage)"),
    destroy=extend_schema(summary="Delete a PMI with placements and reintegration"),
)
class MigrantWorkerViewSet(ScopedModelViewSet):
    """Migrant workers (PMI), scoped to the user's area; person data masked outside it.

    The stage moves only through the actions ``stage``, ``depart`` and ``return``, which apply the
    program's transitions (registered → verified → [in training →] ready → abroad → returned).
    """

    selector = migrant_list
    create_service = services.migrant_register
    update_service = services.migrant_update
    delete_service = services.migrant_delete
    person_records = True
    filterset_class = MigrantWorkerFilterSet
    serializer_class = MigrantWorkerSerializer
    pagination_class = SummaryCountPagination

    def summary_count(self, request) -> int | None:
        """The list's total from the stage summary when the filters allow (see migrant_count_from_summary)."""
        return migrant_count_from_summary(user=request.user, query=request.query_params)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in DETAIL_ACTIONS:
            queryset = queryset.select_related("reintegration").prefetch_related(
                Prefetch("placements", queryset=Placement.objects.order_by("-departure_date", "-id")))
        return queryset

    def get_serializer_class(self):
        return MigrantWorkerDetailSerializer if self.action in DETAIL_ACTIONS else MigrantWorkerSerializer

    # --- stage actions: each parses its input, calls the service, answers with the PMI as it now is ----

    def _action_input(self, serializer_class):
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return data.validated_data

    def _answer(self, migrant, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=migrant.pk)  # placements and reintegration as they now are
        return Response(MigrantWorkerDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    @extend_schema(summary="Move a prospective PMI to the next stage / Ubah tahap calon PMI",
                   request=StageChangeSerializer,
                   responses={200: MigrantWorkerDetailSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Registered → verified → in training (may be skipped) → ready; a returned PMI back to registered.
        The date ``on`` (today if left out) may be neither in the future nor before the last change."""
        migrant = self.get_object()
        data = self._action_input(StageChangeSerializer)
        with _errors_named(date="on"):
            services.migrant_change_stage(migrant=migrant, to_stage=data["to_stage"], on=data.get("on"),
                                          user=request.user)
        return self._answer(migrant)

    @extend_schema(summary="A PMI who is ready departs: open a placement / Keberangkatan PMI",
                   request=DepartureSerializer,
                   responses={201: MigrantWorkerDetailSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"])
    def depart(self, request, pk=None):
        """A PMI who is ready leaves: the placement is opened and the stage becomes ``abroad`` (201)."""
        migrant = self.get_object()
        data = self._action_input(DepartureSerializer)
        with _errors_named(date="departure_date"):
            services.migrant_depart(migrant=migrant, user=request.user, **data)
        return self._answer(migrant, status.HTTP_201_CREATED)

    @extend_schema(summary="A PMI abroad returns: close the placement / Kepulangan PMI",
                   request=ReturnSerializer,
                   responses={200: MigrantWorkerDetailSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_home(self, request, pk=None):
        """A PMI abroad comes home: the open placement is closed and the stage becomes ``returned``."""
        migrant = self.get_object()
        data = self._action_input(ReturnSerializer)
        with _errors_named(date="return_date"):
            services.migrant_return(migrant=migrant, user=request.user, **data)
        return self._answer(migrant)

    @extend_schema(summary="Record a returned PMI's reintegration / Catat reintegrasi PMI purna",
                   request=ReintegrationInputSerializer,
                   responses={200: MigrantWorkerDetailSerializer, 201: MigrantWorkerDetailSerializer,
                              **ACTION_ERRORS})
    @action(detail=True, methods=["post", "put"])
    def reintegration(self, request, pk=None):
        """What a returned PMI has built since coming home: created (201) or updated (200); fields left
        out keep their recorded value."""
        migrant = self.get_object()
        data = self._action_input(ReintegrationInputSerializer)
        existed = Reintegration.objects.filter(migrant=migrant).exists()
        version = {"expected_version": data.pop("version")} if "version" in data else {}
        services.reintegration_record(migrant=migrant, user=request.user, **version, **data)
        return self._answer(migrant, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Placements of the PMI of your area / Penempatan PMI di wilayah Anda"),
    retrieve=extend_schema(summary="One placement"),
    update=extend_schema(summary="Correct a placement's employment details"),
    partial_update=extend_schema(summary="Correct some of a placement's employment details"),
)
class PlacementViewSet(ScopedModelViewSet):
    """Placements abroad of the PMI of the user's area. A placement is opened and closed by the PMI's
    ``depart`` and ``return`` actions; here only its employment details are corrected."""

    selector = placement_list
    update_service = services.placement_update
    person_records = True
    filterset_class = PlacementFilterSet
    serializer_class = PlacementRecordSerializer
