"""Page-view building blocks that keep every page inside the user's area.

A page declares its ``selector`` (a function of the user returning the records they may read) and,
for writes, the services to call. Objects are always looked up through the selector, so an id
from another area is a 404, the same as an id that does not exist.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DeleteView, DetailView
from django_filters.views import FilterView

from desmigratif.pagination import StablePaginator

from .forms import bootstrap_widgets
from .permissions import can_read_person_records, can_write
from .personal_data import note_list

PAGE_SIZE_CHOICES = (25, 50, 100)


class ScopedMixin(LoginRequiredMixin):
    """Records come from ``selector(user=...)``; ``person_records`` pages exclude agency staff."""

    selector = None
    person_records = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.person_records and not can_read_person_records(request.user):
            raise PermissionDenied(_("Your role does not give access to these records."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


class WriterRequiredMixin:
    """Pages that write: only roles that enter data (the services check the area again).

    A page whose writers differ (agency staff recording their agency's engagements) overrides
    ``may_write``.
    """

    refused_message = gettext_lazy("Your role reads this data but does not change it.")

    def may_write(self, user) -> bool:
        return can_write(user)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_write(request.user):
            raise PermissionDenied(self.refused_message)
        return super().dispatch(request, *args, **kwargs)


class ScopedListView(ScopedMixin, FilterView):
    """A list with the app's FilterSet, sorting (the FilterSet's ``o``), search and pagination."""

    paginate_by = 25
    paginator_class = StablePaginator  # equal sort keys never repeat a row on the next page
    # An invalid filter shows its error over an empty list: listing everything instead would
    # pass off unfiltered records as the answer to the question asked.
    strict = True

    def get(self, request, *args, **kwargs):
        note_list(request)  # the persons a list shows unmasked are logged as seen in a list
        return super().get(request, *args, **kwargs)

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("per_page", self.paginate_by))
        except ValueError:
            return self.paginate_by
        return size if size in PAGE_SIZE_CHOICES else self.paginate_by

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bootstrap_widgets(context["filter"].form)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["page_size_choices"] = PAGE_SIZE_CHOICES
        context["can_add"] = can_write(self.request.user)
        return context


class ScopedDetailView(ScopedMixin, DetailView):
    pass


class ServiceFormMixin(WriterRequiredMixin):
    """Create and edit pages: the form validates, ``save(form)`` calls the service, and the page
    goes on to the saved record (``get_absolute_url``, as Django's model form views do).

    A ValidationError from the service lands on the form; PermissionDenied is a 403.
    """

    success_message = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        raise NotImplementedError

    def stored_object(self):
        """The record as stored: the form has already written its values on ``self.object``, and
        a service should start from the row it changes."""
        return type(self).selector(user=self.request.user).get(pk=self.object.pk)

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())


class ScopedDeleteView(WriterRequiredMixin, ScopedMixin, DeleteView):
    """Delete after confirmation, through ``delete_service``; records still in use are kept, with a reason."""

    delete_service = None

    def form_valid(self, form):
        obj = self.get_object()
        history = self.history_url(obj)  # before the deletion clears the primary key
        try:
            type(self).delete_service(user=self.request.user, instance=obj)
        except ProtectedError as error:
            related = sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects})
            messages.error(self.request, _("%(object)s was not deleted: it still has %(related)s.")
                           % {"object": obj, "related": ", ".join(related)})
            return HttpResponseRedirect(obj.get_absolute_url())
        if history:
            messages.success(self.request, format_html(
                '{} <a href="{}">{}</a>', _("%(object)s was deleted.") % {"object": obj}, history,
                _("Its history is kept.")))
        else:
            messages.success(self.request, _("%(object)s was deleted.") % {"object": obj})
        return HttpResponseRedirect(self.get_success_url())

    @staticmethod
    def history_url(obj) -> str:
        """The history tab of a deleted record, where the portal keeps one."""
        from desmigratif.history import TRACKED  # the project's page registry, above the apps

        if obj._meta.label_lower not in TRACKED:
            return ""
        return reverse("record_history", args=[obj._meta.label_lower, obj.pk])
