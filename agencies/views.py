"""Agency and engagement pages.

Agencies are a reference table: every signed-in role reads it, only admins change it. Engagements
are read within the user's area (national ones by all) and written under the rules of
agencies.services (admins; agency staff for their own agency; operators within their area).
"""
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, UpdateView

from accounts.choices import Role
from accounts.mixins import (
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormMixin,
    WriterRequiredMixin,
)
from accounts.permissions import role_of

from . import selectors, services
from .filtersets import AgencyFilterSet, EngagementFilterSet
from .forms import AgencyForm, EngagementForm

AGENCY_ENGAGEMENTS_SHOWN = 20


class AdminRequiredMixin:
    """Agency pages that write: administrators only (the services check again)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.is_admin(request.user):
            raise PermissionDenied(_("Only administrators change the list of agencies."))
        return super().dispatch(request, *args, **kwargs)


class EngagementWriterMixin(WriterRequiredMixin):
    """Engagement pages that write: the roles of agencies.services, which include agency staff."""

    refused_message = gettext_lazy("Your role does not record engagements.")

    def may_write(self, user) -> bool:
        return services.engagement_can_write_some(user)

    def get_object(self, queryset=None):
        engagement = super().get_object(queryset)
        # an engagement the user reads but may not change (another agency's, a national one …) is a 403
        if not services.engagement_writable_by(engagement, self.request.user):
            raise PermissionDenied(_("You may not record or change this engagement."))
        return engagement


# --- Agencies ---------------------------------------------------------------------------------

class AgencyListView(ScopedListView):
    selector = selectors.agency_list
    filterset_class = AgencyFilterSet
    template_name = "agencies/agency_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = services.is_admin(self.request.user)
        counts = selectors.engagement_counts_by_agency(user=self.request.user)
        for agency in context["object_list"]:
            agency.engagement_count = counts.get(agency.pk, 0)
        return context


class AgencyDetailView(ScopedDetailView):
    selector = selectors.agency_list
    template_name = "agencies/agency_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        engagements = selectors.engagement_list(user=self.request.user).filter(agency=self.object)
        context["engagement_count"] = engagements.count()
        context["engagements"] = engagements.order_by("-year", "pillar", "id")[:AGENCY_ENGAGEMENTS_SHOWN]
        context["predecessors"] = list(self.object.predecessors.order_by("acronym"))
        context["can_edit"] = services.is_admin(self.request.user)
        user = self.request.user
        # agency staff are offered to record engagements on their own agency's page only
        context["can_add_engagement"] = services.engagement_can_write_some(user) and (
            role_of(user) != Role.AGENCY_STAFF or user.agency_id == self.object.pk)
        return context


class AgencyCreateView(AdminRequiredMixin, ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.agency_list
    form_class = AgencyForm
    template_name = "agencies/agency_form.html"
    success_message = gettext_lazy("The agency %(object)s was added.")

    def save(self, form):
        return services.agency_create(user=self.request.user, **form.cleaned_data)


class AgencyUpdateView(AdminRequiredMixin, ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.agency_list
    form_class = AgencyForm
    template_name = "agencies/agency_form.html"
    success_message = gettext_lazy("The agency %(object)s was saved.")

    def save(self, form):
        instance = self.stored_object()
        return services.agency_update(user=self.request.user, instance=instance,
                                      expected_version=form.expected_version(), **form.service_fields())


# --- Engagements ------------------------------------------------------------------------------

class EngagementListView(ScopedListView):
    selector = selectors.engagement_list
    filterset_class = EngagementFilterSet
    template_name = "agencies/engagement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = services.engagement_can_write_some(self.request.user)
        return context


class EngagementDetailView(ScopedDetailView):
    selector = selectors.engagement_list
    template_name = "agencies/engagement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = services.engagement_writable_by(self.object, self.request.user)
        return context


class EngagementCreateView(EngagementWriterMixin, ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.engagement_list
    form_class = EngagementForm
    template_name = "agencies/engagement_form.html"
    success_message = gettext_lazy("The engagement %(object)s was recorded.")

    def get_initial(self):
        initial = {}
        for name in ("agency", "level", "year", "pillar"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.engagement_create(user=self.request.user, agency=data.pop("agency"), **data)


class EngagementUpdateView(EngagementWriterMixin, ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.engagement_list
    form_class = EngagementForm
    template_name = "agencies/engagement_form.html"
    success_message = gettext_lazy("The engagement %(object)s was saved.")

    def save(self, form):
        instance = self.stored_object()
        return services.engagement_update(user=self.request.user, instance=instance,
                                          expected_version=form.expected_version(), **form.service_fields())


class EngagementDeleteView(EngagementWriterMixin, ScopedDeleteView):
    selector = selectors.engagement_list
    delete_service = services.engagement_delete
    template_name = "portal/object_confirm_delete.html"
    success_url = reverse_lazy("agencies:engagement_list")
