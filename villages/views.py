from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, UpdateView

from accounts.mixins import ScopedDeleteView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormMixin

from . import selectors, services
from .filtersets import DesmigratifVillageFilterSet, PillarActivityFilterSet
from .forms import DesmigratifVillageForm, PillarActivityForm


class DesmigratifVillageListView(ScopedListView):
    selector = selectors.desmigratif_village_list
    filterset_class = DesmigratifVillageFilterSet
    template_name = "villages/desmigratifvillage_list.html"


class DesmigratifVillageDetailView(ScopedDetailView):
    selector = selectors.desmigratif_village_detail_list
    template_name = "villages/desmigratifvillage_detail.html"


class DesmigratifVillageCreateView(ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.desmigratif_village_list
    form_class = DesmigratifVillageForm
    template_name = "villages/desmigratifvillage_form.html"
    success_message = _("%(object)s was added to the program.")

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.desmigratif_village_create(user=self.request.user, village=data.pop("village"), **data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class DesmigratifVillageUpdateView(ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.desmigratif_village_list
    form_class = DesmigratifVillageForm
    template_name = "villages/desmigratifvillage_form.html"
    success_message = _("%(object)s was saved.")

    def save(self, form):
        # the form has already put the values on the instance; re-read them from the database copy
        instance = type(self).selector(user=self.request.user).get(pk=self.object.pk)
        return services.desmigratif_village_update(user=self.request.user, instance=instance, **form.cleaned_data)

    def get_success_url(self):
        return self.object.get_absolute_url()


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

    def get_success_url(self):
        return self.object.get_absolute_url()


class PillarActivityUpdateView(ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.pillar_activity_list
    form_class = PillarActivityForm
    template_name = "villages/pillaractivity_form.html"
    success_message = _("The activity “%(object)s” was saved.")

    def save(self, form):
        instance = type(self).selector(user=self.request.user).get(pk=self.object.pk)
        return services.pillar_activity_update(user=self.request.user, instance=instance, **form.cleaned_data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class PillarActivityDeleteView(ScopedDeleteView):
    selector = selectors.pillar_activity_list
    delete_service = services.pillar_activity_delete
    template_name = "portal/object_confirm_delete.html"

    def get_success_url(self):
        return reverse("villages:pillaractivity_list")
