"""What the admins of the program's records share, so that the admin is one more door under the pages' rules.

The admin site admits administrators only (accounts/admin.py); within it, for each program model:

* **reads** come from the selector its pages use (``AreaScopedAdminMixin``): lists, change pages,
  deletes, actions, autocompletes and the choices of every foreign key are the rows of the user's area;
* **writes** go through the app's services (``ProgramAdmin.services``, ``ProgramInline.services``): add,
  change, delete (one or the bulk action) and inline rows alike, so the summaries are recounted, the
  version moves on and the area is checked as on the pages. What has no service is not offered: a model
  without a delete service cannot be deleted in the admin. A service's ValidationError is shown on the
  form (nothing is saved); its PermissionDenied is a 403;
* **history** is the portal's own page (``record_history``), which applies the role, area and masking
  rules; the admin's revert of django-simple-history is not used: it wrote past every service.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Model, QuerySet
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext


class ServiceRefusal(Exception):
    """A service refused an admin write with a ValidationError. Raised out of the admin's transaction, so
    that everything the request wrote is rolled back; the admin then shows the reasons."""

    def __init__(self, error: ValidationError, *, row: str = ""):
        super().__init__(error)
        self.error = error
        self.row = row  # the inline row refused ("Field officer “Budi”"), '' for the record itself

    def text(self) -> str:
        reasons = " ".join(self.error.messages)
        return f"{self.row}: {reasons}" if self.row else reasons

    def add_to(self, form: forms.BaseForm, field_for: dict[str, str]) -> None:
        """Put the reasons on ``form``: on the fields they name (``field_for`` maps a service's keys to
        the form's fields), the rest, and an inline row's, above the form."""
        if self.row or not hasattr(self.error, "error_dict"):
            form.add_error(None, self.text())
            return
        for key, errors in self.error.message_dict.items():
            field = field_for.get(key, key)
            form.add_error(field if field in form.fields else None, errors)


@contextmanager
def service_call(*, row: str = "") -> Iterator[None]:
    try:
        yield
    except ValidationError as error:
        raise ServiceRefusal(error, row=row) from error


@dataclass(frozen=True)
class AdminServices:
    """The services an admin writes with; None: the admin does not offer that write.

    ``create(*, user, **fields)`` gets the form's fields (a parent as its foreign key's name, e.g.
    ``desmigratif_village=``), ``update(*, user, instance, **fields)`` the stored record and the form's
    fields, ``delete(*, user, instance)``: the shape of the apps' ``<entity>_<action>`` services.
    """

    create: Callable[..., Model] | None = None
    update: Callable[..., Model] | None = None
    delete: Callable[..., None] | None = None


def copy_saved(target: Model, saved: Model) -> None:
    """Make the admin's instance the row a service saved (the admin goes on using it: log, messages)."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def form_fields(form: forms.BaseForm, model: type[Model], *, leave_out: tuple[str, ...] = ()) -> dict:
    """The cleaned values of the form's fields that are fields of the model, for a service."""
    names = {field.name for field in model._meta.concrete_fields if not field.primary_key}
    return {name: value for name, value in form.cleaned_data.items() if name in names and name not in leave_out}


class ScopedChoicesMixin:
    """The choices of a foreign key (a select's options, what an autocomplete or a raw id may submit) are
    the rows the related model's admin shows the user, so they never reach past the user's area. (Django
    would take the related model's whole table, whatever the autocomplete lists.)"""

    def get_field_queryset(self, db, db_field, request):
        try:
            related_admin = self.admin_site.get_model_admin(db_field.remote_field.model)
        except NotRegistered:
            return super().get_field_queryset(db, db_field, request)
        return related_admin.get_queryset(request).using(db)


class AreaScopedAdminMixin(ScopedChoicesMixin):
    """The admin's rows of a model are those its pages' selector gives the user: one mechanism
    (accounts.scoping through the apps' selectors) for pages, API, exports and the admin.

    ``selector``: ``staticmethod(<entity>_list)``; the admin's ordering is applied on top.
    """

    selector: Callable[..., QuerySet] | None = None

    def get_queryset(self, request):
        if self.selector is None:
            return super().get_queryset(request)
        queryset = self.selector(user=request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset


class ProgramInline(ScopedChoicesMixin):
    """An inline of a ProgramAdmin: its rows are written with ``services`` (see AdminServices), and the
    writes without a service are not offered."""

    services = AdminServices()

    def has_add_permission(self, request, obj=None):
        return self.services.create is not None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.services.update is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.services.delete is not None and super().has_delete_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.admin_services = self.services  # a new class per call: read by ProgramAdmin.save_formset
        return formset


class ProgramAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """The admin of a program model: reads through ``selector``, writes through ``services``, history on the
    portal's page (see the module's docstring)."""

    services = AdminServices()
    # where a service's error keys are not the form's field names: {"stage": "migrant"}
    service_error_fields: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for inline in cls.inlines:
            if not issubclass(inline, ProgramInline):
                raise TypeError(f"{cls.__name__}: the inline {inline.__name__} must be a ProgramInline, so that "
                                f"its rows are written through the services")

    # --- what the services offer ----------------------------------------------------------------

    def has_add_permission(self, request):
        return self.services.create is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.services.update is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.services.delete is not None and super().has_delete_permission(request, obj)

    # --- writes -----------------------------------------------------------------------------------

    def service_fields(self, form) -> dict:
        return form_fields(form, self.model)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # nothing changed: nothing written (no version moved, no history row)
        fields = self.service_fields(form)
        with service_call():
            if change:
                stored = self.model._default_manager.get(pk=obj.pk)  # the services compare with what is stored
                saved = self.services.update(user=request.user, instance=stored, **fields)
            else:
                saved = self.services.create(user=request.user, **fields)
        copy_saved(obj, saved)

    def save_formset(self, request, form, formset, change):
        services = getattr(formset, "admin_services", None)
        if services is None:
            raise PermissionDenied  # an inline the services do not write (see __init_subclass__)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        model, parent = formset.model, formset.fk.name
        label = model._meta.verbose_name
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            if instance.pk is None:
                continue
            row = gettext("%(kind)s “%(row)s”") % {"kind": label, "row": instance}
            deleted = inline_form in formset.deleted_forms
            if not deleted and not inline_form.has_changed():
                continue
            # the services check the record as stored (the form has already put its input on ``instance``)
            stored = model._default_manager.get(pk=instance.pk)
            if deleted:
                with service_call(row=row):
                    self._inline_service(services.delete)(user=request.user, instance=stored)
                formset.deleted_objects.append(stored)
            else:
                with service_call(row=row):
                    saved = self._inline_service(services.update)(
                        user=request.user, instance=stored, **form_fields(inline_form, model, leave_out=(parent,)))
                formset.changed_objects.append((saved, inline_form.changed_data))
        for inline_form in formset.extra_forms:
            if not inline_form.has_changed() or (formset.can_delete and formset._should_delete_form(inline_form)):
                continue
            fields = {**form_fields(inline_form, model, leave_out=(parent,)), parent: form.instance}
            with service_call(row=gettext("New %(kind)s") % {"kind": label}):
                saved = self._inline_service(services.create)(user=request.user, **fields)
            formset.new_objects.append(saved)

    @staticmethod
    def _inline_service(service):
        if service is None:  # the inline's permissions do not offer it: a hand-made POST
            raise PermissionDenied
        return service

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        # What the delete service removes with the record (a PMI's placements) goes as part of it: that their
        # admins offer no delete of their own (they have no delete service) does not forbid this one.
        return to_delete, model_count, set(), protected

    def delete_model(self, request, obj):
        with service_call():
            self.services.delete(user=request.user, instance=obj)

    def delete_queryset(self, request, queryset):
        # one service call per record: each checks its area and recounts its village
        for obj in queryset.order_by("pk"):
            self.delete_model(request, obj)

    # --- a refusal is shown, never a 500 ----------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "admin_service_refusal", None)
        if refusal is None:
            return form
        field_for = self.service_error_fields

        class RefusedForm(form):
            def full_clean(self):
                super().full_clean()
                if self.is_bound:
                    refusal.add_to(self, field_for)

        RefusedForm.__name__ = form.__name__
        return RefusedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefusal as refusal:
            # the view's transaction is rolled back; the same POST again, with the service's reasons on
            # the form: the user's input stays on the page and nothing is saved
            request.admin_service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefusal as refusal:
            self.message_user(request, refusal.text(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def response_action(self, request, queryset):
        # an action (the bulk delete among them) writes all of its records or none
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset)
        except ServiceRefusal as refusal:
            self.message_user(request, refusal.text(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ServiceRefusal as refusal:  # list_editable saves
            self.message_user(request, refusal.text(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # --- history ------------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """A record's history is the portal's page (who changed which field, masked as the record's page
        masks it); Django's own log of admin actions for the models that page does not cover."""
        from desmigratif.history import TRACKED

        label = self.model._meta.label_lower
        if label in TRACKED and str(object_id).isdigit():
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            return redirect("record_history", label, int(object_id))
        return super().history_view(request, object_id, extra_context)
