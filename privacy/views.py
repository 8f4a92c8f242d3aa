import json

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.choices import Role
from accounts.forms import bootstrap_widgets
from accounts.permissions import role_of
from migrants.selectors import migrant_list

from . import services


class EraseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300,
                             help_text=gettext_lazy("E.g. the person's written request and its date."))
    confirm = forms.BooleanField(label=gettext_lazy("I understand that this cannot be undone."))


class AdminPersonView(LoginRequiredMixin, View):
    """Pages on one person for administrators; the person is found through the PMI selector."""

    selector = migrant_list

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) != Role.ADMIN:
            raise PermissionDenied(_("Only an administrator exports or erases a person's data."))
        return super().dispatch(request, *args, **kwargs)

    def person(self):
        return get_object_or_404(type(self).selector(user=self.request.user), pk=self.kwargs["pk"])


class PersonExportView(AdminPersonView):
    """All data held on one person, as a JSON file (the export is logged)."""

    def get(self, request, pk):
        migrant = self.person()
        data = services.person_export(user=request.user, migrant=migrant)
        response = HttpResponse(json.dumps(data, cls=services.JSON_ENCODER, indent=2, ensure_ascii=False),
                                content_type="application/json; charset=utf-8")
        # the file name carries the record id, never the NIK or the name
        response["Content-Disposition"] = f'attachment; filename="person-{migrant.pk}.json"'
        return response


class PersonEraseView(AdminPersonView):
    template_name = "privacy/person_erase.html"

    def get(self, request, pk):
        form = bootstrap_widgets(EraseForm())
        return render(request, self.template_name, {"object": self.person(), "form": form})

    def post(self, request, pk):
        migrant = self.person()
        form = bootstrap_widgets(EraseForm(request.POST))
        if not form.is_valid():
            return render(request, self.template_name, {"object": migrant, "form": form})
        services.person_erase(user=request.user, migrant=migrant, reason=form.cleaned_data["reason"])
        messages.success(request, _("The person's data was erased; the erasure is logged."))
        return HttpResponseRedirect(reverse("home"))
