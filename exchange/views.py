"""Pages of the imports (upload → dry run → confirm → summary) and the template and export downloads.

Jobs are looked up through ``selectors.import_job_list``: another user's job is a 404. Every import
page is for roles that write; exports are for every role that may read the records (masked where
the role sees personal data masked).
"""
from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from accounts.mixins import ScopedMixin, WriterRequiredMixin
from accounts.permissions import can_write

from . import selectors, services
from .cells import neutralise
from .forms import ImportUploadForm
from .resources import RESOURCES, importable_for
from .writers import XLSX_CONTENT_TYPE, export_csv, export_xlsx, template_workbook

FILE_STEMS = {"migrants": "pmi", "villages": "desa-desmigratif", "cooperative_figures": "koperasi-angka-tahunan"}


def _file_name(kind: str, suffix: str, extension: str) -> str:
    return f"{FILE_STEMS.get(kind, kind)}-{suffix}.{extension}"


class ImporterRequiredMixin(WriterRequiredMixin):
    """Import pages: roles that may import some kind of record (agency staff: engagements)."""

    def may_write(self, user) -> bool:
        return bool(importable_for(user))


class ImportListView(ImporterRequiredMixin, ScopedMixin, ListView):
    """The user's imports, newest first, and what can be imported or exported."""

    selector = selectors.import_job_list
    template_name = "exchange/import_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "resources": importable_for(self.request.user)}


class ImportUploadView(ImporterRequiredMixin, LoginRequiredMixin, FormView):
    form_class = ImportUploadForm
    template_name = "exchange/import_upload.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"kind": self.request.GET.get("kind")}

    def form_valid(self, form):
        try:
            job = services.import_job_create(user=self.request.user, kind=form.cleaned_data["kind"],
                                             upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        services.import_job_start(job=job)
        return HttpResponseRedirect(reverse("exchange:import_detail", args=[job.pk]))


class ImportDetailView(ImporterRequiredMixin, ScopedMixin, DetailView):
    """The dry run's findings (or its progress), the confirm button, and the summary once imported."""

    selector = selectors.import_job_detail_list
    template_name = "exchange/import_detail.html"
    context_object_name = "job"

    def get_context_data(self, **kwargs):
        job = self.object
        return {**super().get_context_data(**kwargs), "resource": RESOURCES[job.kind],
                "progress": services.import_job_progress(job), "stalled": services.import_job_stalled(job)}


class ImportProgressView(ImporterRequiredMixin, ScopedMixin, DetailView):
    """The progress bar, polled by htmx; once the job has moved on, the page reloads itself."""

    selector = selectors.import_job_list
    template_name = "exchange/_progress.html"
    context_object_name = "job"

    def get(self, request, *args, **kwargs):
        self.object = job = self.get_object()
        response = self.render_to_response({"job": job, "progress": services.import_job_progress(job)})
        if not job.is_running and request.htmx:
            response["HX-Refresh"] = "true"
        return response


class JobActionView(ImporterRequiredMixin, ScopedMixin, SingleObjectMixin, View):
    """A POST on a job through a service; its refusal becomes a message."""

    selector = selectors.import_job_list
    http_method_names = ["post"]

    def act(self, job):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        job = self.get_object()
        try:
            self.act(job)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return HttpResponseRedirect(reverse("exchange:import_detail", args=[job.pk]))


class ImportConfirmView(JobActionView):
    def act(self, job):
        services.import_job_confirm(job=job, user=self.request.user)


class ImportCancelView(JobActionView):
    def act(self, job):
        services.import_job_cancel(job=job, user=self.request.user)
        messages.info(self.request, _("The import was cancelled; nothing was written."))


class ImportProblemsView(ImporterRequiredMixin, ScopedMixin, DetailView):
    """The problems of a job as a .csv, to work through beside the file."""

    selector = selectors.import_job_detail_list

    def get(self, request, *args, **kwargs):
        job = self.get_object()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="masalah-impor-{job.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem")])
        for problem in job.problems:  # the values are the uploader's cells: neutralise formulas here too
            writer.writerow([problem["row"] or "", problem["column"], neutralise(problem["value"]),
                             neutralise(problem["message"])])
        return response


class TemplateDownloadView(ImporterRequiredMixin, LoginRequiredMixin, View):
    """The .xlsx template of a kind of record, with the codes of the user's area."""

    kind = ""

    def may_write(self, user) -> bool:
        return RESOURCES[self.kind].may_import(user)

    def get(self, request, *args, **kwargs):
        resource = RESOURCES[self.kind]
        workbook = template_workbook(resource, user=request.user)
        response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{_file_name(self.kind, "templat", "xlsx")}"'
        workbook.save(response)
        return response


class ExportView(LoginRequiredMixin, View):
    """A list as .xlsx (default) or .csv (``?format=csv``), with the list page's filters; re-importable."""

    kind = ""

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("format", "xlsx")
        if export_format not in ("xlsx", "csv"):
            return self.refuse(_("Choose the format xlsx or csv."))
        try:
            export = services.export_prepare(user=request.user, kind=self.kind, filters=request.GET)
        except services.ExportRefused as refused:
            return self.refuse(refused.message)
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        if export_format == "csv":
            response = StreamingHttpResponse(export_csv(export.resource, export.rows),
                                             content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{_file_name(self.kind, stamp, "csv")}"'
            return response
        return FileResponse(export_xlsx(export.resource, export.rows), as_attachment=True,
                            content_type=XLSX_CONTENT_TYPE, filename=_file_name(self.kind, stamp, "xlsx"))

    def refuse(self, message: str):
        # back to the list the export was asked from (its filters kept), when the browser says which it was
        back = self.request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={self.request.get_host()},
                                               require_https=self.request.is_secure()):
            back = reverse("home")
        return render(self.request, "exchange/export_refused.html",
                      {"message": message, "can_write": can_write(self.request.user), "back": back}, status=400)
