from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from accounts.permissions import can_write_in, mask_nik, mask_phone, sees_personal_data

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
def personal(context, value: str, village_code: str, kind: str = "nik") -> str:
    """A NIK or phone in full for users who serve the person's area, masked for everyone else."""
    if not value:
        return "—"
    if sees_personal_data(context["request"].user, village_code):
        return value
    return mask_nik(value) if kind == "nik" else mask_phone(value)
