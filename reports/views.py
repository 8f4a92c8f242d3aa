from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from accounts.disclosure import hides_small_counts

from . import services
from .choices import ReportStatus
from .forms import ReportRequestForm
from .presenters import report_sections
from .selectors import yearly_report_list, yearly_report_versions
from .workbook import workbook_response


class YearlyReportListView(LoginRequiredMixin, ListView):
    """The current reports of the user's area and the requests under way; a form to request one."""

    template_name = "reports/yearlyreport_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (yearly_report_list(user=self.request.user)
                .filter(Q(is_current=True) | ~Q(status=ReportStatus.DONE))
                .select_related("requested_by").order_by("-year", "area_code", "-version"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if services.report_may_request(user):
            context["form"] = kwargs.get("form") or ReportRequestForm(user=user)
        return context


class YearlyReportRequestView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if not services.report_may_request(request.user):
            raise PermissionDenied
        form = ReportRequestForm(request.POST, user=request.user)
        if not form.is_valid():
            view = YearlyReportListView()
            view.setup(request)
            view.object_list = view.get_queryset()
            return render(request, view.template_name, view.get_context_data(form=form), status=400)
        try:
            report = services.report_request(user=request.user, year=form.cleaned_data["year"],
                                             area_code=form.cleaned_data["area"])
        except services.ReportsUnavailable:
            messages.error(request, services.unavailable_message())
            return redirect("reports:yearlyreport_list")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reports:yearlyreport_list")
        return redirect(report)


class ScopedReportMixin(LoginRequiredMixin):
    selector = staticmethod(yearly_report_list)  # what the permission matrix tries other areas with

    def get_queryset(self):
        return yearly_report_list(user=self.request.user)


class YearlyReportDetailView(ScopedReportMixin, DetailView):
    """The printable report (or its progress while it is computed)."""

    template_name = "reports/yearlyreport_detail.html"
    context_object_name = "report"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        versions = list(yearly_report_versions(report))
        compare = None
        if self.request.GET.get("compare", "").isdigit():
            compare = next((v for v in versions if v.pk == int(self.request.GET["compare"])
                            and v.status == ReportStatus.DONE), None)
        protect = hides_small_counts(self.request.user, report.area_code)
        context.update(versions=versions, compare=compare, small_counts_hidden=protect,
                       may_request=services.report_may_request(self.request.user, report.area_code))
        if report.status == ReportStatus.DONE:
            context["sections"] = report_sections(report, compare=compare, protect=protect)
        return context


class YearlyReportProgressView(ScopedReportMixin, DetailView):
    """The progress bar, polled by htmx while the report is computed; reloads the page when done."""

    template_name = "reports/_progress.html"
    context_object_name = "report"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_running:
            response["HX-Refresh"] = "true"
        return response


class YearlyReportWorkbookView(ScopedReportMixin, View):
    """The .xlsx made from the frozen figures for this reader (counts of persons as they may see them)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(self.get_queryset(), pk=pk, status=ReportStatus.DONE)
        return workbook_response(report, user=request.user)


class YearlyReportRetryView(ScopedReportMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            new = services.report_retry(user=request.user, report=report)
        except services.ReportsUnavailable:
            messages.error(request, _("Background work is unavailable at the moment; try again later."))
            return redirect(report)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(report)
        return redirect(new)
