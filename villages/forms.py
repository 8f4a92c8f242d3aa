from django import forms
from django.utils.translation import gettext as _

from accounts.forms import PortalFormMixin
from desmigratif.versioning import VersionedFormMixin
from regions.forms import VillageField

from .models import DesmigratifVillage, FieldOfficer, PillarActivity
from .selectors import desmigratif_village_list

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class DesmigratifVillageForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    class Meta:
        model = DesmigratifVillage
        fields = ["village", "year_designated", "decree_number", "decree_date", "funding_source", "status",
                  "is_desmigratif", "is_desa_migran_emas", "notes"]
        widgets = {"decree_date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        self.fields["village"] = VillageField(user=self.user, label=field.label, help_text=field.help_text)
        self.fields["village"].widget.attrs["class"] = "form-control"

    def clean_village(self):
        village = self.cleaned_data["village"]
        designated = (DesmigratifVillage.objects.filter(village=village).exclude(pk=self.instance.pk)
                      .values_list("year_designated", flat=True).first()) if village else None
        if designated is not None:
            raise forms.ValidationError(
                _("%(village)s is already in the program (designated in %(year)s).") % {
                    "village": f"{village.code} {village.name}", "year": designated})
        return village


class FieldOfficerForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    class Meta:
        model = FieldOfficer
        fields = ["name", "role", "phone", "active_since", "active_until"]
        widgets = {"active_since": DATE_INPUT, "active_until": DATE_INPUT}


class PillarActivityForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    class Meta:
        model = PillarActivity
        fields = ["desmigratif_village", "pillar", "kind", "date", "title", "participants_women",
                  "participants_men", "services_given", "businesses_started", "children_reached",
                  "partner_agency", "budget", "notes"]
        widgets = {"date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # only the program villages of the user's area can be chosen
        self.fields["desmigratif_village"].queryset = (desmigratif_village_list(user=self.user)
                                                       .select_related(None).select_related("village"))
