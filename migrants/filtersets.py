import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.permissions import UNMASKED_ROLES, role_of
from regions.filters import ChoicesFilter, PortalFilterSet, YearFilter, YearRangeFilter
from villages.filtersets import AreaCodeFilter

from .choices import Country, Gender, PlacementScheme, ReturnReason, Sector, Stage
from .models import MigrantWorker, Placement
from .selectors import DIGITS_RE, search_migrants

# Users who see NIKs masked may search by the digits they are shown (the regency part), or by a
# whole NIK; a longer prefix would let them uncover a NIK digit by digit.
MASKED_SEARCH_DIGITS = 4
# Province, regency and district: the part of a NIK that says where, not who.
REGION_DIGITS = 6


class NikSearchForm(forms.Form):
    """The filter form: refuses a long partial NIK from a user who sees NIKs masked."""

    request = None  # set by the FilterSet

    def clean_q(self):
        value = self.cleaned_data.get("q") or ""
        digits = value.strip().replace(" ", "").replace("-", "")
        if not DIGITS_RE.match(digits):
            return value
        if len(digits) > REGION_DIGITS:
            # beyond the region part a NIK is personal data, and this search travels in the address
            raise forms.ValidationError(
                _("Search by at most the first %(n)d digits of a NIK (its region); to find one person, use "
                  "the “Open by NIK” box, which keeps the NIK out of page addresses."),
                code="nik_in_url", params={"n": REGION_DIGITS})
        user = getattr(self.request, "user", None)
        if len(digits) > MASKED_SEARCH_DIGITS and role_of(user) not in UNMASKED_ROLES:
            raise forms.ValidationError(
                _("Search by the first %(n)d digits of a NIK: your role sees NIKs masked."),
                code="nik_prefix", params={"n": MASKED_SEARCH_DIGITS})
        return value


class NikSearchFormMixin:
    @property
    def form(self):
        form = super().form
        form.request = self.request
        return form


class NikSearchFilter(django_filters.CharFilter):
    """The search box: NIK prefix (digits), village code prefix (with dots) or words of the name."""

    def __init__(self, *, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return search_migrants(qs, value or "", prefix=self.prefix)


class MigrantWorkerFilterSet(NikSearchFormMixin, PortalFilterSet):
    q = NikSearchFilter(help_text=_("Name, or the first digits of the NIK"))
    area = AreaCodeFilter(village_path="village")
    stage = ChoicesFilter(choices=Stage.choices, label=_("Stage"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"), empty_label=_("Any"))
    nik_needs_verification = django_filters.BooleanFilter(
        label=_("NIK needs verification"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]))
    destination_country = ChoicesFilter(
        choices=Country.choices, method="filter_destination", label=_("Destination (any placement)"))
    registered_on = django_filters.DateFromToRangeFilter(
        label=_("Registered between"),
        # the date range's own widget (``_after``/``_before``, as the API schema documents), with the page's hints
        widget=django_filters.widgets.DateRangeWidget(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}))
    registered_year = YearFilter(field_name="registered_on", lookup_expr="year",
                                                  label=_("Year registered"))
    o = django_filters.OrderingFilter(
        fields=(("name", "name"), ("registered_on", "registered"), ("stage_changed_on", "stage_changed"),
                ("village__code", "village")),
        field_labels={"name": _("Name"), "registered_on": _("Registered on"),
                      "stage_changed_on": _("Stage changed on"), "village__code": _("Village code")},
        label=_("Sort by"),
    )

    class Meta:
        model = MigrantWorker
        fields = ["q", "area", "stage", "gender", "nik_needs_verification", "destination_country",
                  "registered_on", "registered_year"]
        form = NikSearchForm


    def filter_destination(self, queryset, name, value):
        if not value:
            return queryset
        # EXISTS, not a join: a PMI with several stays in the country stays one row
        return queryset.filter(Exists(Placement.objects.filter(migrant=OuterRef("pk"), destination_country__in=value)))


class PlacementFilterSet(NikSearchFormMixin, PortalFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"),
                                  help_text=_("Name of the PMI, first digits of the NIK, P3MI or job"))
    area = AreaCodeFilter(village_path="migrant__village")
    destination_country = ChoicesFilter(choices=Country.choices,
                                                              label=_("Destination country"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"), empty_label=_("Any"))
    scheme = ChoicesFilter(choices=PlacementScheme.choices, label=_("Placement scheme"))
    departure_year = YearRangeFilter(field_name="departure_date__year", label=_("Year of departure"))
    returned = django_filters.BooleanFilter(
        field_name="return_date", lookup_expr="isnull", exclude=True, label=_("Returned"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Returned")), ("false", _("Still abroad"))]))
    return_year = YearRangeFilter(field_name="return_date__year", label=_("Year of return"))
    return_reason = ChoicesFilter(choices=ReturnReason.choices, label=_("Return reason"))
    o = django_filters.OrderingFilter(
        fields=(("departure_date", "departure"), ("return_date", "return"), ("destination_country", "country"),
                ("migrant__name", "name")),
        field_labels={"departure_date": _("Departure date"), "return_date": _("Return date"),
                      "destination_country": _("Destination country"), "migrant__name": _("Name")},
        label=_("Sort by"),
    )

    class Meta:
        model = Placement
        fields = ["q", "area", "destination_country", "sector", "scheme", "departure_year", "returned",
                  "return_year", "return_reason"]
        form = NikSearchForm


    def search(self, queryset, name, value):
        term = value.strip()
        if not term or DIGITS_RE.match(term.replace(" ", "").replace("-", "")):
            return search_migrants(queryset, term, prefix="migrant__")
        condition = Q()
        for word in term.split():
            condition &= Q(migrant__name__icontains=word) | Q(p3mi_name__icontains=word) | Q(job__icontains=word)
        return queryset.filter(condition)
