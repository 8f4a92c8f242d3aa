"""Forms of the PMI pages. The stage is never a field: it moves with the small action forms below,
each checking the move as the service will (``migrant_check_stage_change``) so that a refusal is an
error on the form; the services check again under a row lock when saving."""
from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import PortalFormMixin
from desmigratif.versioning import VersionedFormMixin
from regions.forms import VillageField
from villages.forms import DATE_INPUT

from . import services
from .choices import ReturnReason, Stage
from .models import MigrantWorker, Placement, Reintegration
from .selectors import migrant_nik_taken_said


def add_service_errors(form: forms.Form, error: ValidationError, field_for: dict[str, str | None]) -> None:
    """Put a service's ValidationError on the form's fields (``field_for`` maps its keys to fields)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = field_for.get(key, key)
        form.add_error(field if field in form.fields else None, messages)


class NikTakenFormMixin:
    """A PMI's model form says of a NIK already registered what its user (``self.user``) may know of the
    record holding it, as every other door does (migrants.selectors.migrant_nik_taken_said)."""

    user = None

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(migrant_nik_taken_said(error, user=self.user, migrant=self.instance, link=True))


class MigrantWorkerForm(NikTakenFormMixin, VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    """A PMI's person data; ``registered_on`` only when adding (the registration does not move)."""

    # Longer than 16: the model's clean_fields() strips the dots, spaces and dashes people type,
    # then the NIK rules (migrants.nik) put their errors on this field.
    nik = forms.CharField(label=_("NIK"), max_length=30,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                          help_text=_("16 digits, as on the KTP or family card (KK)."))
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE_INPUT)

    class Meta:
        model = MigrantWorker
        fields = ["nik", "name", "gender", "birth_date", "village", "address", "education", "marital_status",
                  "phone"]
        widgets = {"birth_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        self.fields["village"] = VillageField(user=self.user, label=village.label, help_text=village.help_text)
        self.fields["village"].widget.attrs["class"] = "form-control"
        if self.instance.pk:
            del self.fields["registered_on"]
        else:
            self.fields["registered_on"].initial = timezone.localdate()

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk and cleaned_data.get("registered_on"):
            # As migrant_register does, so that the model's rules (desmigratif.limits: the registration
            # date, the age at registration) are errors on this form before the service is called.
            self.instance.stage = Stage.REGISTERED
            self.instance.registered_on = self.instance.stage_changed_on = cleaned_data["registered_on"]
        return cleaned_data


class StageActionMixin(PortalFormMixin):
    """What the action forms share: the PMI, the stage the action leads to, and the check of the move."""

    to_stage: str = ""
    date_field = "date"

    def __init__(self, *args, migrant: MigrantWorker, **kwargs):
        self.migrant = migrant
        super().__init__(*args, **kwargs)

    def check_move(self, on: datetime.date | None) -> None:
        try:
            services.migrant_check_stage_change(migrant=self.migrant, to_stage=self.to_stage, on=on)
        except ValidationError as error:
            add_service_errors(self, error, {"stage": None, "date": self.date_field})

    def clean(self):
        cleaned_data = super().clean()
        if self.date_field not in self.errors:
            self.check_move(cleaned_data.get(self.date_field))
        return cleaned_data


class StageChangeForm(StageActionMixin, forms.Form):
    """Verified, in training, ready, or registered again: the date of the change."""

    date = forms.DateField(label=_("Date of the change"), widget=DATE_INPUT)

    def __init__(self, *args, to_stage: str, **kwargs):
        self.to_stage = to_stage
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class DepartureForm(StageActionMixin, forms.ModelForm):
    """A PMI who is ready leaves: the placement abroad."""

    to_stage = Stage.ABROAD
    date_field = "departure_date"

    class Meta:
        model = Placement
        fields = ["destination_country", "sector", "job", "scheme", "p3mi_name", "departure_date",
                  "contract_end_date"]
        widgets = {"departure_date": DATE_INPUT, "contract_end_date": DATE_INPUT}
        help_texts = {"p3mi_name": _("Required for a P to P placement.")}

    def __init__(self, *args, migrant: MigrantWorker, **kwargs):
        super().__init__(*args, migrant=migrant, **kwargs)
        self.instance.migrant = migrant
        self.fields["departure_date"].initial = timezone.localdate()


class ReturnForm(StageActionMixin, forms.Form):
    """A PMI abroad comes home: the date and the reason close the open placement."""

    to_stage = Stage.RETURNED
    date_field = "return_date"
    return_date = forms.DateField(label=_("Return date"), widget=DATE_INPUT)
    return_reason = forms.ChoiceField(label=_("Return reason"), choices=[("", "---------"), *ReturnReason.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_date"].initial = timezone.localdate()

    def clean(self):
        cleaned_data = super().clean()
        placement = next((p for p in self.migrant.placements.all() if p.return_date is None), None)
        return_date = cleaned_data.get("return_date")
        if placement and return_date and return_date < placement.departure_date:
            self.add_error("return_date", _("The return date cannot be before the departure date (%(date)s).")
                           % {"date": placement.departure_date.strftime("%d/%m/%Y")})
        return cleaned_data


class ReintegrationForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    version_when_new = 0  # opened while none was recorded: someone else recording it meanwhile is a conflict

    class Meta:
        model = Reintegration
        fields = ["training_received", "has_business", "business_type", "business_started_on",
                  "is_cooperative_member", "has_kur_credit", "credit_bank", "has_bpjs_ketenagakerjaan", "notes"]
        widgets = {"business_started_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}


class PlacementForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    """Corrections to a placement's employment; the departure and return dates are stage events."""

    class Meta:
        model = Placement
        fields = list(services.PLACEMENT_EDITABLE_FIELDS)
        widgets = {"contract_end_date": DATE_INPUT}
        help_texts = {"p3mi_name": _("Required for a P to P placement.")}
