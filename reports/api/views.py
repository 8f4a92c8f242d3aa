from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from .. import services
from ..choices import ReportStatus
from ..selectors import yearly_report_list
from ..workbook import workbook_response
from .serializers import YearlyReportDetailSerializer, YearlyReportRequestSerializer, YearlyReportSerializer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ServiceUnavailable(APIException):
    status_code = 503
    default_code = "unavailable"


@extend_schema_view(
    list=extend_schema(summary="Yearly growth reports of your area / Laporan tahunan wilayah Anda"),
    retrieve=extend_schema(summary="One report with its figures / Satu laporan dengan angkanya",
                           description="Counts of persons in `figures` as the caller may see them: for a caller "
                                       "who does not serve the report's area, rounded to the nearest 10 and "
                                       "\"<5\" for 0 to 4 (`small_counts_hidden`, `count_rounding`). / Angka "
                                       "orang dibulatkan ke kelipatan 10 dan 0–4 tampil \"<5\" bagi pengguna "
                                       "yang tidak melayani wilayah laporan."),
    create=extend_schema(summary="Request a report (a new version) / Minta laporan (versi baru)",
                         request=YearlyReportRequestSerializer, responses={202: YearlyReportSerializer}),
)
class YearlyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """Reports computed in the background; poll a requested report until its status is `done`."""

    filterset_fields = ["year", "area_code", "status", "is_current", "scope"]

    def may_write(self, user) -> bool:
        return services.report_may_request(user)

    def get_queryset(self):
        return yearly_report_list(user=self.request.user).order_by("-year", "area_code", "-version")

    def get_serializer_class(self):
        if self.action == "create":
            return YearlyReportRequestSerializer
        return YearlyReportDetailSerializer if self.action == "retrieve" else YearlyReportSerializer

    def create(self, request, *args, **kwargs):
        data = YearlyReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = services.report_request(user=request.user, year=data.validated_data["year"],
                                             area_code=data.validated_data["area_code"])
        except services.ReportsUnavailable as error:
            raise ServiceUnavailable(services.unavailable_message()) from error
        report.refresh_from_db()
        return Response(YearlyReportSerializer(report, context={"request": request}).data,
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="The report's .xlsx / Berkas .xlsx laporan",
                   responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def workbook(self, request, pk=None):
        report = self.get_object()
        if report.status != ReportStatus.DONE:
            raise Http404
        return workbook_response(report, user=request.user)
