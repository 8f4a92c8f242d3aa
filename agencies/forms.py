from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.forms import PortalFormMixin
from accounts.permissions import role_of
from accounts.scoping import area_prefix
from desmigratif.versioning import VersionedFormMixin
from regions.forms import VillageField
from regions.models import Regency
from villages.forms import DATE_INPUT

from .choices import EngagementLevel
from .models import Agency, Engagement


class AgencyForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["acronym", "name", "kind", "valid_from", "valid_until", "successor", "source"]
        widgets = {"valid_from": DATE_INPUT, "valid_until": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        successors = Agency.objects.order_by("acronym")
        if self.instance.pk:
            successors = successors.exclude(pk=self.instance.pk)
        self.fields["successor"].queryset = successors


class EngagementForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    """Where the engagement is: the level, then the regency (regency level) or the village (village level).

    Agency staff record their own agency's engagements: the agency is fixed. Regency operators and
    village officers choose places in their area only, and no national level.
    """

    class Meta:
        model = Engagement
        fields = ["agency", "year", "pillar", "kind", "level", "regency", "village", "budget", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        role = role_of(self.user)
        prefix = area_prefix(self.user) or ""
        if role == Role.AGENCY_STAFF:
            agency = self.fields["agency"]
            agency.queryset = Agency.objects.filter(pk=self.user.agency_id)
            agency.initial = self.user.agency_id
            agency.disabled = True
            agency.help_text = _("Agency staff record the engagements of their own agency.")
        if role not in (Role.ADMIN, Role.AGENCY_STAFF):
            self.fields["level"].choices = [c for c in self.fields["level"].choices
                                            if c[0] != EngagementLevel.NATIONAL]
        regencies = Regency.objects.order_by("code")
        if prefix:
            regencies = regencies.filter(code__startswith=prefix[:len("32.09")])
        self.fields["regency"].queryset = regencies
        self.fields["regency"].help_text = _("For a regency engagement only.")
        village = self.fields["village"]
        self.fields["village"] = VillageField(user=self.user, required=False, label=village.label,
                                              help_text=_("For a village engagement only."))
        self.fields["village"].widget.attrs["class"] = "form-control"
        self.fields["budget"].widget.attrs.update({"inputmode": "numeric", "step": "1"})

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        # the model explains a mismatch of level and place; these say which field to fill
        if level == EngagementLevel.REGENCY and not cleaned.get("regency") and "regency" not in self.errors:
            self.add_error("regency", _("Choose the regency of a regency engagement."))
        if level == EngagementLevel.VILLAGE and not cleaned.get("village") and "village" not in self.errors:
            self.add_error("village", _("Choose the village of a village engagement."))
        return cleaned
