from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import PortalFormMixin
from accounts.scoping import area_prefix
from regions.models import Province, Regency
from villages.models import PROGRAM_START_YEAR


class ReportRequestForm(PortalFormMixin, forms.Form):
    """Which report: a year, and an area within the user's own (the country, a province, a regency)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, PROGRAM_START_YEAR - 1, -1)]
        self.fields["year"].initial = this_year - 1
        self.fields["area"].choices = self.area_choices()

    def area_choices(self) -> list[tuple[str, str]]:
        prefix = area_prefix(self.user)
        if prefix is None:
            return []
        choices = []
        if prefix == "":
            choices.append(("", str(_("Indonesia (national)"))))
            provinces = Province.objects.order_by("code")
            regencies = Regency.objects.order_by("code")
        else:
            provinces = Province.objects.filter(code=prefix[:2]) if len(prefix) == 2 else Province.objects.none()
            regencies = Regency.objects.filter(code__startswith=prefix[:5]).order_by("code")
        choices += [(p.code, f"{p.code} {p.name}") for p in provinces]
        choices += [(r.code, f"{r.code} {r.name}") for r in regencies]
        return choices
