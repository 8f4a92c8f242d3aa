import json

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.permissions import code_in_area
from accounts.scoping import area_prefix

from .models import Village


class VillageInput(forms.TextInput):
    """A text box with type-ahead: htmx fills a datalist from regions:village_search as the user types.

    The value is the village code followed by its name; without JavaScript a bare code works.
    """

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "placeholder": _("Type a village name or code"), **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{attrs.get('id', name)}-options"
        context["widget"]["attrs"].update({
            "list": list_id,
            "hx-get": str(reverse_lazy("regions:village_search")),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{list_id}",
            "hx-swap": "innerHTML",
            "hx-vals": json.dumps({"field": name}),
        })
        context["widget"]["datalist_id"] = list_id
        return context

    def format_value(self, value):
        if isinstance(value, Village):
            return f"{value.code} {value.name}"
        if isinstance(value, str) and value and " " not in value:
            village = Village.objects.filter(code=value).first()
            return f"{village.code} {village.name}" if village else value
        return super().format_value(value)

    template_name = "regions/widgets/village_input.html"


class VillageField(forms.Field):
    """A village picked by code (``32.09.14.2004`` or ``32.09.14.2004 Kenanga``), within the user's area."""

    widget = VillageInput
    default_error_messages = {
        "invalid": _("Enter a village code such as 32.09.14.2004, or pick a village from the list."),
        "unknown": _("There is no village with the code %(code)s."),
        "outside": _("The village %(code)s is outside your area."),
    }

    def __init__(self, *, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if isinstance(value, Village) or value in self.empty_values:
            return value or None
        code = str(value).strip().split(" ", 1)[0]
        village = Village.objects.filter(code=code).first()
        if village is None:
            if not code.replace(".", "").isdigit():
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        return village

    def validate(self, value):
        super().validate(value)
        if value and self.user is not None and not code_in_area(value.code, area_prefix(self.user)):
            raise forms.ValidationError(self.error_messages["outside"], code="outside", params={"code": value.code})
