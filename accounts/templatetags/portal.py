import datetime
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format

from accounts.disclosure import Small, count_shown, hides_small_counts
from accounts.permissions import can_write_in
from accounts.personal_data import shown

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """``Rp 1.234.567`` (whole rupiah, grouped as the active language groups numbers)."""
    if value in (None, ""):
        return "—"
    amount = Decimal(value).quantize(Decimal(1))
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {intcomma(abs(int(amount)))}"


@register.filter
def writable_by(village_code: str, user) -> bool:
    """{% if object.village_id|writable_by:user %}: show edit buttons only where the services allow."""
    return can_write_in(user, village_code or "")


@register.simple_tag(takes_context=True)
def personal(context, obj, field: str) -> str:
    """{% personal object "nik" %}: a field of a record as the signed-in user may see it — in full for
    users who serve the person's area (the view is logged), masked as accounts.personal_data says for
    everyone else."""
    request = context["request"]
    value = shown(obj, field, user=request.user, request=request)
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@register.simple_tag(takes_context=True)
def persons(context, value, area_code: str) -> str:
    """A count of persons of the area as the user may see it (accounts.disclosure): exact for those who serve
    the area, else rounded to the nearest 10 and ``<5`` for 0 to 4 (escaped by the template)."""
    if value in (None, ""):
        return "—"
    figure = count_shown(value, protect=hides_small_counts(context["request"].user, area_code or ""))
    return str(figure) if isinstance(figure, Small) else intcomma(figure)
