"""Cooperative pages: list, detail with yearly figures and members, and their writes.

Every object is looked up through a selector of the user's area, so another area's ids are 404s.
The yearly figures can be added and edited in place with htmx (the table section is swapped);
the same URLs serve plain pages when JavaScript is off.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, UpdateView

from accounts.mixins import ScopedDeleteView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormMixin
from accounts.permissions import can_read_person_records, can_write
from accounts.personal_data import note_list

from . import selectors, services
from .filtersets import CooperativeFilterSet
from .forms import CooperativeForm, CooperativeMemberForm, CooperativeYearlyFigureForm, migrant_option_value

FIGURES_PARTIAL = "cooperatives/partials/yearly_figures.html"


class CooperativeListView(ScopedListView):
    selector = selectors.cooperative_table_list
    filterset_class = CooperativeFilterSet
    template_name = "cooperatives/cooperative_list.html"


class CooperativeDetailView(ScopedDetailView):
    selector = selectors.cooperative_detail_list
    template_name = "cooperatives/cooperative_detail.html"

    def get_template_names(self):
        # htmx asks for the figures section alone (e.g. when an inline form is cancelled)
        if self.request.htmx and self.request.GET.get("section") == "figures":
            return [FIGURES_PARTIAL]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cooperative"] = self.object
        context["figures"] = self.object.yearly_figures.all()
        # member names are person-level data: agency staff see the count only
        context["shows_members"] = can_read_person_records(self.request.user)
        return context


class CooperativeCreateView(ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.cooperative_list
    form_class = CooperativeForm
    template_name = "cooperatives/cooperative_form.html"
    success_message = gettext_lazy("The cooperative %(object)s was recorded.")

    def get_initial(self):
        return {"desmigratif_village": self.request.GET.get("desmigratif_village")}

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.cooperative_create(user=self.request.user,
                                           desmigratif_village=data.pop("desmigratif_village"), **data)


class CooperativeUpdateView(ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.cooperative_list
    form_class = CooperativeForm
    template_name = "cooperatives/cooperative_form.html"
    success_message = gettext_lazy("The cooperative %(object)s was saved.")

    def save(self, form):
        instance = self.stored_object()
        return services.cooperative_update(user=self.request.user, instance=instance,
                                           expected_version=form.expected_version(), **form.service_fields())


class CooperativeDeleteView(ScopedDeleteView):
    selector = selectors.cooperative_list
    delete_service = services.cooperative_delete
    template_name = "cooperatives/cooperative_confirm_delete.html"
    success_url = reverse_lazy("cooperatives:cooperative_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member_count"] = self.object.members.count()
        context["figure_count"] = self.object.yearly_figures.count()
        return context


# --- Members and yearly figures: pages under a cooperative -------------------------------------

class CooperativeChildMixin:
    """Pages of a cooperative's member or yearly figure: the cooperative comes from the user's area.

    On add pages the URL's ``pk`` is the cooperative's, looked up through the page's ``selector``
    (cooperative_list: a 404 outside the area); on edit and delete pages it is the object's own
    cooperative (the object was already looked up through a scoped selector).
    """

    @cached_property
    def cooperative(self):
        if self.object is None:
            return get_object_or_404(type(self).selector(user=self.request.user), pk=self.kwargs["pk"])
        return self.object.cooperative

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cooperative": self.cooperative}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cooperative": self.cooperative}

    def get_success_url(self):
        return self.object.get_absolute_url()


class CooperativeMemberCreateView(CooperativeChildMixin, ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.cooperative_list  # the URL names the cooperative
    person_records = True
    form_class = CooperativeMemberForm
    template_name = "cooperatives/cooperativemember_form.html"
    success_message = gettext_lazy("%(object)s was added as a member.")

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.cooperative_member_add(user=self.request.user, cooperative=self.cooperative, **data)


class CooperativeMemberUpdateView(CooperativeChildMixin, ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.cooperative_member_list
    person_records = True
    form_class = CooperativeMemberForm
    template_name = "cooperatives/cooperativemember_form.html"
    success_message = gettext_lazy("The member %(object)s was saved.")

    def save(self, form):
        instance = self.stored_object()
        return services.cooperative_member_update(user=self.request.user, instance=instance,
                                                  expected_version=form.expected_version(), **form.service_fields())


class CooperativeMemberDeleteView(ScopedDeleteView):
    selector = selectors.cooperative_member_list
    person_records = True
    delete_service = services.cooperative_member_remove
    template_name = "cooperatives/cooperativemember_confirm_delete.html"

    def get_success_url(self):
        return self.object.get_absolute_url()


class YearlyFigureFormMixin(CooperativeChildMixin):
    """With htmx the figures section comes back (with the form while it has errors); otherwise pages."""

    form_class = CooperativeYearlyFigureForm
    template_name = "cooperatives/cooperativeyearlyfigure_form.html"
    saved_message = ""

    def get_template_names(self):
        return [FIGURES_PARTIAL] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = self.cooperative.yearly_figures.order_by("-year")
        context["form_action"] = self.request.path
        if self.object is not None:
            context["editing"] = self.object.pk
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code != 302:
            return response  # the service refused: the form shows why
        message = self.saved_message % {"year": self.object.year}
        if not self.request.htmx:
            messages.success(self.request, message)
            return response
        return render(self.request, FIGURES_PARTIAL, {
            "cooperative": self.cooperative, "figures": self.cooperative.yearly_figures.order_by("-year"),
            "saved_message": message})


class CooperativeYearlyFigureCreateView(YearlyFigureFormMixin, ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.cooperative_list  # the URL names the cooperative
    saved_message = gettext_lazy("The figures of %(year)s were recorded.")

    def save(self, form):
        return services.cooperative_yearly_figure_create(user=self.request.user, cooperative=self.cooperative,
                                                         **form.cleaned_data)


class CooperativeYearlyFigureUpdateView(YearlyFigureFormMixin, ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.cooperative_yearly_figure_list
    saved_message = gettext_lazy("The figures of %(year)s were saved.")

    def save(self, form):
        instance = self.stored_object()
        return services.cooperative_yearly_figure_update(user=self.request.user, instance=instance,
                                                         expected_version=form.expected_version(),
                                                         **form.service_fields())


class CooperativeYearlyFigureDeleteView(ScopedDeleteView):
    selector = selectors.cooperative_yearly_figure_list
    delete_service = services.cooperative_yearly_figure_delete
    template_name = "portal/object_confirm_delete.html"

    def get_success_url(self):
        return self.object.get_absolute_url()


@require_POST
@login_required
def member_migrant_search_view(request: HttpRequest) -> HttpResponse:
    """PMI records of the user's area for the member form's type-ahead, by NIK prefix or name.

    A POST so that no NIK (not even its first digits) is written into a URL or an access log.
    """
    if not can_write(request.user):
        raise PermissionDenied(_("Your role reads this data but does not change it."))
    term = request.POST.get("q") or request.POST.get(request.POST.get("field", ""), "")
    note_list(request)
    migrants = selectors.member_migrant_search(user=request.user, term=term,
                                               village_code=request.POST.get("village", ""))
    if request.htmx:
        return render(request, "cooperatives/partials/migrant_options.html", {"migrants": migrants})
    return JsonResponse({"results": [{"value": migrant_option_value(m), "name": m.name, "village": m.village.name}
                                     for m in migrants]})

