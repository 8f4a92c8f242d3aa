"""Admin of PMI records. Writes go through ``migrants.services``, as every other entry does
(desmigratif.program_admin).

- A PMI is added with ``migrant_register``, edited with ``migrant_update`` and deleted with
  ``migrant_delete``; the NIK rules run in the model's clean(), so a bad NIK is an error on the form
  and a doubtful one is flagged.
- The stage is never a form field: it moves with the actions below (``migrant_change_stage``),
  with a departure (adding a placement: ``migrant_depart``) or a return (giving an open placement
  its return date: ``migrant_return``).
- Reintegration is recorded with ``reintegration_record``, for returned PMI only. Placements and
  reintegration have no delete service, so the admin offers no delete for them.
- The change pages show the person unmasked: each showing goes to the access log (privacy).
"""
from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import note_shown
from desmigratif.program_admin import AdminServices, ProgramAdmin, ProgramInline
from regions.admin import province_filter, year_filter

from . import services
from .choices import Stage
from .forms import NikTakenFormMixin
from .models import MigrantWorker, Placement, Reintegration
from .selectors import DIGITS_RE, migrant_list, placement_list, reintegration_list, search_migrants

# At most this many per-row errors are listed after an action; the rest are counted.
MAX_ROW_MESSAGES = 10


def add_service_errors(form: forms.Form, error: ValidationError, field_for: dict[str, str]) -> None:
    """Put a service's ValidationError on the form's fields (``field_for`` maps its keys to fields)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        field = field_for.get(key, key)
        form.add_error(field if field in form.fields else None, errors)


class PersonalDataAdminMixin:
    """The admin shows persons unmasked: its change pages and lists note them for the access log, as the
    pages do (accounts.personal_data.note_shown; privacy.middleware writes the rows, door "admin")."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            note_shown(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        for obj in getattr(changelist, "result_list", ()):
            note_shown(request, obj)
        return response


# --- the services in the admin's shape (AdminServices) ----------------------------------------


def placement_admin_create(*, user, migrant: MigrantWorker, departure_date: datetime.date, **fields) -> Placement:
    """Adding a placement is the PMI's departure."""
    return services.migrant_depart(migrant=migrant, departure_date=departure_date, user=user, **fields)


def reintegration_admin_create(*, user, migrant: MigrantWorker, **fields) -> Reintegration:
    return services.reintegration_record(migrant=migrant, user=user, **fields)


def reintegration_admin_update(*, user, instance: Reintegration, **fields) -> Reintegration:
    return services.reintegration_record(migrant=instance.migrant, user=user, **fields)


REINTEGRATION_SERVICES = AdminServices(create=reintegration_admin_create, update=reintegration_admin_update)


# --- PMI ---------------------------------------------------------------------------------------


class MigrantWorkerAdminForm(NikTakenFormMixin, forms.ModelForm):
    # Longer than 16: the model's clean_fields() strips the dots, spaces and dashes people type,
    # then checks the 16 digits.
    nik = forms.CharField(label=MigrantWorker._meta.get_field("nik").verbose_name, max_length=30)

    class Meta:
        model = MigrantWorker
        fields = [*services.EDITABLE_FIELDS, "registered_on"]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance._state.adding and cleaned_data.get("registered_on"):
            # As migrant_register does: a new PMI starts 'registered' on the day of registration.
            # Set before the model's validation, which checks the stage date against it (and the
            # registration date and the age at registration: desmigratif.limits).
            self.instance.stage = Stage.REGISTERED
            self.instance.stage_changed_on = cleaned_data["registered_on"]
        return cleaned_data


class PlacementInline(ProgramInline, admin.TabularInline):
    """The PMI's stays abroad, read only here (no services): departures and returns change the stage, so
    they are recorded on the placement's own page."""

    model = Placement
    extra = 0
    fields = ["destination_country", "sector", "job", "scheme", "p3mi_name", "departure_date",
              "contract_end_date", "return_date", "return_reason"]
    readonly_fields = fields
    show_change_link = True
    ordering = ["-departure_date"]


class ReintegrationInline(ProgramInline, admin.StackedInline):
    """What a returned PMI has done since coming home; editable while the PMI is 'returned'."""

    model = Reintegration
    services = REINTEGRATION_SERVICES
    extra = 0
    max_num = 1
    can_delete = False
    fields = ["training_received", ("has_business", "business_type", "business_started_on"),
              "is_cooperative_member", ("has_kur_credit", "credit_bank"), "has_bpjs_ketenagakerjaan", "notes"]

    def has_add_permission(self, request, obj=None):
        return (super().has_add_permission(request, obj) and obj is not None
                and services.migrant_may_have_reintegration(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or services.migrant_may_have_reintegration(obj))


@admin.register(MigrantWorker)
class MigrantWorkerAdmin(PersonalDataAdminMixin, ProgramAdmin):
    form = MigrantWorkerAdminForm
    selector = staticmethod(migrant_list)
    services = AdminServices(create=services.migrant_register, update=services.migrant_update,
                             delete=services.migrant_delete)
    list_display = ["name", "nik", "gender", "village", "stage", "stage_changed_on", "nik_needs_verification",
                    "registered_on"]
    list_select_related = ["village"]
    list_filter = ["stage", "nik_needs_verification", "gender", "education", "marital_status",
                   year_filter("registered_on__year", _("year registered")), province_filter("village__code")]
    search_fields = ["nik", "name"]
    search_help_text = _("NIK (or its first digits), village code (e.g. 32.09) or name.")
    ordering = ["name", "id"]
    autocomplete_fields = ["village"]
    show_full_result_count = False
    list_per_page = 50
    actions = ["mark_verified", "mark_in_training", "mark_ready", "register_again"]
    inlines = [PlacementInline, ReintegrationInline]

    def get_fieldsets(self, request, obj=None):
        person = ["nik", "name", "gender", "birth_date", "education", "marital_status", "phone"]
        stage = ["registered_on"]
        if obj is not None:  # what the rules computed: nothing to show before the first save
            person[1:1] = ["nik_needs_verification", "nik_flag_list"]
            stage = ["stage", "registered_on", "stage_changed_on"]
        fieldsets = [
            (_("Person"), {"fields": person}),
            (_("Origin"), {"fields": ["village", "address"]}),
            (_("Stage"), {"fields": stage,
                          "description": _("The stage changes with the actions of the PMI list, a departure "
                                           "(add a placement) or a return (the placement's return date).")}),
        ]
        if obj is not None:
            fieldsets.append((_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = ["stage", "stage_changed_on", "nik_needs_verification", "nik_flag_list", "created_at",
                  "updated_at"]
        if obj is not None:
            fields.append("registered_on")  # migrant_update does not move the registration
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # a class made for this request: a taken NIK is said for this user
        return form

    def get_changeform_initial_data(self, request):
        return {"registered_on": timezone.localdate(), **super().get_changeform_initial_data(request)}

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        return search_migrants(queryset, search_term), False

    @admin.display(description=_("reasons for verification"))
    def nik_flag_list(self, obj: MigrantWorker):
        labels = obj.nik_flag_labels if obj and obj.pk else []
        if not labels:
            return "—"
        return format_html_join("", "<div>{}</div>", ((label,) for label in labels))

    # Actions: one service call per PMI; a PMI the rules refuse is reported, the others go on.

    def _change_stage(self, request, queryset, to_stage: str) -> None:
        moved, refused = 0, []
        for migrant in queryset.order_by("pk"):
            try:
                services.migrant_change_stage(migrant=migrant, to_stage=to_stage, user=request.user)
            except ValidationError as error:
                refused.append((migrant, error))
            else:
                moved += 1
        if moved:
            self.message_user(request, ngettext(
                "%(count)d PMI moved to “%(stage)s”.", "%(count)d PMI moved to “%(stage)s”.", moved)
                % {"count": moved, "stage": Stage(to_stage).label}, messages.SUCCESS)
        for migrant, error in refused[:MAX_ROW_MESSAGES]:
            # The name and record number identify the row; the NIK stays out of messages (cookies).
            self.message_user(request, gettext("%(name)s (#%(id)s) was not changed: %(reason)s") % {
                "name": migrant.name, "id": migrant.pk, "reason": " ".join(error.messages)}, messages.ERROR)
        if len(refused) > MAX_ROW_MESSAGES:
            more = len(refused) - MAX_ROW_MESSAGES
            self.message_user(request, ngettext("%(count)d more PMI was not changed.",
                                                "%(count)d more PMI were not changed.", more) % {"count": more},
                              messages.ERROR)

    @admin.action(description=_("Mark verified"), permissions=["change"])
    def mark_verified(self, request, queryset):
        self._change_stage(request, queryset, Stage.VERIFIED)

    @admin.action(description=_("Mark in training"), permissions=["change"])
    def mark_in_training(self, request, queryset):
        self._change_stage(request, queryset, Stage.IN_TRAINING)

    @admin.action(description=_("Mark ready to depart"), permissions=["change"])
    def mark_ready(self, request, queryset):
        self._change_stage(request, queryset, Stage.READY)

    @admin.action(description=_("Register again (returned PMI leaving again)"), permissions=["change"])
    def register_again(self, request, queryset):
        self._change_stage(request, queryset, Stage.REGISTERED)


# --- Placements -------------------------------------------------------------------------------


class OpenPlacementFilter(admin.SimpleListFilter):
    title = _("return")
    parameter_name = "returned"

    def lookups(self, request, model_admin):
        return [("no", _("Abroad (no return yet)")), ("yes", _("Returned"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(return_date__isnull=self.value() == "no")
        return queryset


class PlacementAdminForm(forms.ModelForm):
    """Checks a departure or a return against the PMI's stage as the services will, so that a refusal
    is an error on the form (the services check again when saving)."""

    class Meta:
        model = Placement
        fields = ["migrant", "destination_country", "sector", "job", "scheme", "p3mi_name", "departure_date",
                  "contract_end_date", "return_date", "return_reason"]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance._state.adding:
            migrant, departure = cleaned_data.get("migrant"), cleaned_data.get("departure_date")
            if migrant:
                self._check(migrant, Stage.ABROAD, departure, {"stage": "migrant", "date": "departure_date"})
        elif self.instance.return_date is None and cleaned_data.get("return_date"):
            self._check(self.instance.migrant, Stage.RETURNED, cleaned_data["return_date"],
                        {"stage": "return_date", "date": "return_date"})
        return cleaned_data

    def _check(self, migrant: MigrantWorker, to_stage: str, on: datetime.date | None, field_for: dict) -> None:
        try:
            services.migrant_check_stage_change(migrant=migrant, to_stage=to_stage, on=on)
        except ValidationError as error:
            add_service_errors(self, error, field_for)


@admin.register(Placement)
class PlacementAdmin(PersonalDataAdminMixin, ProgramAdmin):
    form = PlacementAdminForm
    selector = staticmethod(placement_list)
    services = AdminServices(create=placement_admin_create, update=services.placement_correct)
    list_display = ["migrant", "destination_country", "sector", "job", "scheme", "p3mi_name", "departure_date",
                    "contract_end_date", "return_date", "return_reason"]
    list_select_related = ["migrant"]
    list_filter = [OpenPlacementFilter, "destination_country", "sector", "scheme", "return_reason",
                   year_filter("departure_date__year", _("year of departure")),
                   province_filter("migrant__village__code")]
    search_fields = ["migrant__nik", "migrant__name", "p3mi_name", "job"]
    search_help_text = _("NIK (or its first digits) or name of the PMI, P3MI or job.")
    ordering = ["-departure_date", "id"]
    autocomplete_fields = ["migrant"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False
    list_per_page = 50

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["migrant", "departure_date"],
                    "description": _("Adding a placement records the departure of a PMI who is ready to "
                                     "depart; the PMI's stage becomes “working abroad”.")}),
            (_("Employment"), {"fields": ["destination_country", "sector", "job", "scheme", "p3mi_name",
                                          "contract_end_date"]}),
        ]
        if obj is not None:
            fieldsets[0][1]["description"] = _("Giving the return date and reason records the return; the "
                                               "PMI's stage becomes “returned”.")
            fieldsets += [
                (_("Return"), {"fields": ["return_date", "return_reason"]}),
                (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
            ]
        return fieldsets

    # No delete (no service): a placement is the PMI's departure (and return), deleting it would leave a
    # PMI "abroad" with no stay abroad. Erasing a person's data removes the PMI, placements included.

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields += ["migrant", "departure_date"]  # they are the departure: the PMI's stage date
            if obj.return_date is not None:
                fields += ["return_date", "return_reason"]
        return fields

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term or DIGITS_RE.match(term.replace(" ", "")):
            return search_migrants(queryset, term, prefix="migrant__"), False
        condition = Q()
        for word in term.split():
            condition &= (Q(migrant__name__icontains=word) | Q(p3mi_name__icontains=word)
                          | Q(job__icontains=word))
        return queryset.filter(condition), False



# --- Reintegration ----------------------------------------------------------------------------


class ReintegrationAdminForm(forms.ModelForm):
    class Meta:
        model = Reintegration
        fields = ["migrant", "training_received", "has_business", "business_type", "business_started_on",
                  "is_cooperative_member", "has_kur_credit", "credit_bank", "has_bpjs_ketenagakerjaan", "notes"]

    def clean_migrant(self):
        migrant = self.cleaned_data["migrant"]
        if migrant:
            services.migrant_check_reintegration(migrant=migrant)
        return migrant


@admin.register(Reintegration)
class ReintegrationAdmin(PersonalDataAdminMixin, ProgramAdmin):
    """No delete (no service): what a returnee has done stays on record, corrected rather than removed."""

    form = ReintegrationAdminForm
    selector = staticmethod(reintegration_list)
    services = REINTEGRATION_SERVICES
    list_display = ["migrant", "training_received", "has_business", "business_type", "is_cooperative_member",
                    "has_kur_credit", "credit_bank", "has_bpjs_ketenagakerjaan", "updated_at"]
    list_select_related = ["migrant"]
    list_filter = ["has_business", "is_cooperative_member", "has_kur_credit", "has_bpjs_ketenagakerjaan",
                   province_filter("migrant__village__code")]
    search_fields = ["migrant__nik", "migrant__name", "business_type", "credit_bank"]
    ordering = ["-updated_at", "id"]
    autocomplete_fields = ["migrant"]
    readonly_fields = ["updated_at"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["migrant", "training_received"]}),
        (_("Business"), {"fields": ["has_business", "business_type", "business_started_on"]}),
        (_("Memberships and credit"), {"fields": ["is_cooperative_member", "has_kur_credit", "credit_bank",
                                                  "has_bpjs_ketenagakerjaan"]}),
        (None, {"fields": ["notes", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "migrant"] if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # Once the PMI has left the 'returned' stage (registered again), the record is history.
        return super().has_change_permission(request, obj) and (
            obj is None or services.migrant_may_have_reintegration(obj.migrant))

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term or DIGITS_RE.match(term.replace(" ", "")):
            return search_migrants(queryset, term, prefix="migrant__"), False
        return super().get_search_results(request, queryset, search_term)
