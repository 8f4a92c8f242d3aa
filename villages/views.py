from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, UpdateView

from accounts.mixins import ScopedDeleteView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormMixin
from accounts.permissions import can_write_in

from . import selectors, services
from .filtersets import DesmigratifVillageFilterSet, PillarActivityFilterSet
from .forms import DesmigratifVillageForm, FieldOfficerForm, PillarActivityForm


class DesmigratifVillageListView(ScopedListView):
    selector = selectors.desmigratif_village_list
    filterset_class = DesmigratifVillageFilterSet
    template_name = "villages/desmigratifvillage_list.html"


class DesmigratifVillageDetailView(ScopedDetailView):
    selector = selectors.desmigratif_village_detail_list
    template_name = "villages/desmigratifvillage_detail.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "can_write_here": can_write_in(self.request.user, self.object.village_id)}


class DesmigratifVillageCreateView(ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.desmigratif_village_list
    form_class = DesmigratifVillageForm
    template_name = "villages/desmigratifvillage_form.html"
    success_message = _("%(object)s was added to the program.")

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.desmigratif_village_create(user=self.request.user, village=data.pop("village"), **data)


class DesmigratifVillageUpdateView(ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.desmigratif_village_list
    form_class = DesmigratifVillageForm
    template_name = "villages/desmigratifvillage_form.html"
    success_message = _("%(object)s was saved.")

    def save(self, form):
        instance = self.stored_object()
        return services.desmigratif_village_update(user=self.request.user, instance=instance,
                                                   expected_version=form.expected_version(), **form.service_fields())


class DesmigratifVillageDeleteView(ScopedDeleteView):
    selector = selectors.desmigratif_village_list
    delete_service = services.desmigratif_village_delete
    template_name = "portal/object_confirm_delete.html"
    success_url = reverse_lazy("villages:desmigratifvillage_list")


class PillarActivityListView(ScopedListView):
    selector = selectors.pillar_activity_list
    filterset_class = PillarActivityFilterSet
    template_name = "villages/pillaractivity_list.html"


class PillarActivityDetailView(ScopedDetailView):
    selector = selectors.pillar_activity_list
    template_name = "villages/pillaractivity_detail.html"


class PillarActivityCreateView(ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.pillar_activity_list
    form_class = PillarActivityForm
    template_name = "villages/pillaractivity_form.html"
    success_message = _("The activity “%(object)s” was recorded.")

    def get_initial(self):
        return {"desmigratif_village": self.request.GET.get("desmigratif_village")}

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.pillar_activity_create(user=self.request.user,
                                               desmigratif_village=data.pop("desmigratif_village"), **data)


class PillarActivityUpdateView(ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.pillar_activity_list
    form_class = PillarActivityForm
    template_name = "villages/pillaractivity_form.html"
    success_message = _("The activity “%(object)s” was saved.")

    def save(self, form):
        instance = self.stored_object()
        return services.pillar_activity_update(user=self.request.user, instance=instance,
                                               expected_version=form.expected_version(), **form.service_fields())


class PillarActivityDeleteView(ScopedDeleteView):
    selector = selectors.pillar_activity_list
    delete_service = services.pillar_activity_delete
    template_name = "portal/object_confirm_delete.html"

    def get_success_url(self):
        return reverse("villages:pillaractivity_list")


class FieldOfficerCreateView(ServiceFormMixin, ScopedMixin, CreateView):
    """An officer added from the page of the Desmigratif village (``pk`` is the village's)."""

    selector = selectors.desmigratif_village_list
    form_class = FieldOfficerForm
    template_name = "villages/fieldofficer_form.html"
    success_message = _("%(object)s was added as an officer.")

    def dispatch(self, request, *args, **kwargs):
        self.desmigratif_village = None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "desmigratif_village": self.get_village()}

    def get_village(self):
        if self.desmigratif_village is None:
            self.desmigratif_village = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return self.desmigratif_village

    def save(self, form):
        return services.field_officer_create(user=self.request.user, desmigratif_village=self.get_village(),
                                             **form.cleaned_data)


class FieldOfficerUpdateView(ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.field_officer_list
    form_class = FieldOfficerForm
    template_name = "villages/fieldofficer_form.html"
    success_message = _("%(object)s was saved.")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "desmigratif_village": self.object.desmigratif_village}

    def save(self, form):
        instance = self.stored_object()
        return services.field_officer_update(user=self.request.user, instance=instance,
                                             expected_version=form.expected_version(), **form.service_fields())


class FieldOfficerDeleteView(ScopedDeleteView):
    selector = selectors.field_officer_list
    delete_service = services.field_officer_delete
    template_name = "portal/object_confirm_delete.html"

    def get_success_url(self):
        return reverse("villages:desmigratifvillage_detail", args=[self.object.desmigratif_village_id])
