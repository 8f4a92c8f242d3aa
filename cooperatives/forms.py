import json
import re

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import PortalFormMixin
from desmigratif.versioning import VersionedFormMixin
from migrants.models import MigrantWorker
from migrants.selectors import migrant_list
from villages.forms import DATE_INPUT
from villages.selectors import desmigratif_village_list

from .models import Cooperative, CooperativeMember, CooperativeYearlyFigure


class CooperativeForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Cooperative
        fields = ["desmigratif_village", "name", "kind", "business_type", "year_founded", "legal_entity_number",
                  "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a cooperative is built in a program village of the user's area, never elsewhere
        self.fields["desmigratif_village"].queryset = (desmigratif_village_list(user=self.user)
                                                       .select_related(None).select_related("village"))


class MigrantInput(forms.TextInput):
    """Type-ahead over the PMI records of the user's area, by NIK prefix or name.

    The search is a POST (htmx sends the CSRF token), so no NIK, not even a prefix, ends up in a URL
    or an access log. An option's value is ``#<record id> <name>``: the NIK is not sent back.
    """

    template_name = "cooperatives/widgets/migrant_input.html"

    def __init__(self, attrs=None, village_code: str = ""):
        self.village_code = village_code
        super().__init__({"autocomplete": "off", "placeholder": _("Type a name or the first digits of a NIK"),
                          **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{attrs.get('id', name)}-options"
        context["widget"]["attrs"].update({
            "list": list_id,
            "hx-post": str(reverse_lazy("cooperatives:member_migrant_search")),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{list_id}",
            "hx-swap": "innerHTML",
            "hx-vals": json.dumps({"field": name, "village": self.village_code}),
        })
        context["widget"]["datalist_id"] = list_id
        return context

    def format_value(self, value):
        if isinstance(value, MigrantWorker):
            return migrant_option_value(value)
        if isinstance(value, int):
            migrant = MigrantWorker.objects.filter(pk=value).only("id", "name").first()
            return migrant_option_value(migrant) if migrant else ""
        return super().format_value(value)


def migrant_option_value(migrant: MigrantWorker) -> str:
    return f"#{migrant.pk} {migrant.name}"


class MigrantField(forms.Field):
    """A PMI record of the user's area: ``#<id> …`` from the list, a full NIK, or a name only one PMI has."""

    widget = MigrantInput
    default_error_messages = {
        "unknown": _("There is no such PMI record in your area."),
        "ambiguous": _("Several PMI in your area have this name: pick one from the list."),
    }
    OPTION_RE = re.compile(r"^#(\d+)\b")

    def __init__(self, *, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if isinstance(value, MigrantWorker) or value in self.empty_values:
            return value or None
        text = " ".join(str(value).split())
        records = migrant_list(user=self.user).select_related(None).only("id", "name", "village_id", "stage")
        match = self.OPTION_RE.match(text)
        if match:
            found = list(records.filter(pk=int(match.group(1))))
        elif text.isdigit():
            found = list(records.filter(nik=text))
        else:
            found = list(records.filter(name__iexact=text)[:2])
        if not found:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if len(found) > 1:
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        return found[0]


class CooperativeMemberForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    class Meta:
        model = CooperativeMember
        fields = ["name", "migrant", "is_returned_pmi", "joined_on"]
        widgets = {"joined_on": DATE_INPUT}

    def __init__(self, *args, cooperative: Cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cooperative = cooperative
        field = self.fields["migrant"]
        widget = MigrantInput(attrs={"class": "form-control"}, village_code=cooperative.desmigratif_village.village_id)
        self.fields["migrant"] = MigrantField(
            user=self.user, required=False, label=field.label, widget=widget,
            help_text=_("Where the member is a PMI of your area: pick the PMI record (by name or NIK)."))
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Leave empty to take the name of the linked PMI record.")

    def clean(self):
        cleaned = super().clean()
        migrant = cleaned.get("migrant")
        if not cleaned.get("name"):
            if migrant:
                cleaned["name"] = migrant.name
            elif "migrant" not in self.errors:
                self.add_error("name", _("Enter the member's name, or link a PMI record."))
        return cleaned


class CooperativeYearlyFigureForm(VersionedFormMixin, PortalFormMixin, forms.ModelForm):
    class Meta:
        model = CooperativeYearlyFigure
        fields = ["year", "members", "members_returned_pmi", "capital", "assets", "revenue", "shu"]

    def __init__(self, *args, cooperative: Cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        # the model's clean() compares the year with the year the cooperative was founded
        self.instance.cooperative = cooperative
        for name in ("capital", "assets", "revenue", "shu"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "step": "1"})

    def clean_year(self):
        year = self.cleaned_data["year"]
        # the database constraint holds too; this names the field instead of a general error
        taken = self.cooperative.yearly_figures.filter(year=year).exclude(pk=self.instance.pk)
        if year and taken.exists():
            raise forms.ValidationError(_("This cooperative already has figures for %(year)s."),
                                        params={"year": year}, code="unique")
        return year
