"""Filter widgets the apps' FilterSets share."""
import django_filters
from django.utils.translation import gettext_lazy as _

# "from – to" years: two short inputs with a placeholder each, instead of a bare "-" between them
YEAR_RANGE = django_filters.widgets.RangeWidget(attrs={"placeholder": _("year"), "inputmode": "numeric"})
