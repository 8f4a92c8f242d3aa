"""Kemendagri's administrative regions, keyed by their official dotted codes.

The code is the primary key: it is what every data file, NIK and import speaks, and a code
prefix (``32``, ``32.09``) selects an area on any table that points at a village without a join.
"""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from .choices import RegencyKind, VillageKind

PROVINCE_CODE_RE = r"^[0-9]{2}$"
REGENCY_CODE_RE = r"^[0-9]{2}\.[0-9]{2}$"
DISTRICT_CODE_RE = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$"
VILLAGE_CODE_RE = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[1-3][0-9]{3}$"


def code_checks(label: str, pattern: str, parent_field: str = "") -> list[models.BaseConstraint]:
    """Database checks of a level's code: its official shape, and that it extends its parent's."""
    checks = [
        models.CheckConstraint(condition=models.Q(code__regex=pattern), name=f"{label}_code_shape",
                               violation_error_message=_("The code does not have the official shape.")),
    ]
    if parent_field:
        checks.append(models.CheckConstraint(
            condition=models.Q(code__startswith=Concat(models.F(f"{parent_field}_id"), models.Value("."))),
            name=f"{label}_code_within_parent",
            violation_error_message=_("The code does not start with its parent's code."),
        ))
    return checks


class Region(models.Model):
    """Fields and checks shared by the four levels."""

    parent_field = ""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.parent_field:
            parent_code = getattr(self, f"{self.parent_field}_id")
            if parent_code and not self.code.startswith(f"{parent_code}."):
                raise ValidationError({"code": _("The code %(code)s does not belong to %(parent)s.")
                                       % {"code": self.code, "parent": parent_code}})


class Province(Region):
    class Meta(Region.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = code_checks("province", PROVINCE_CODE_RE)


class Regency(Region):
    parent_field = "province"

    province = models.ForeignKey(Province, models.PROTECT, related_name="regencies",
                                 verbose_name=_("province"))

    class Meta(Region.Meta):
        verbose_name = _("regency/city")
        verbose_name_plural = _("regencies/cities")
        constraints = code_checks("regency", REGENCY_CODE_RE, "province")

    @property
    def kind(self) -> str:
        return RegencyKind.CITY if int(self.code[3:5]) >= 71 else RegencyKind.REGENCY


class District(Region):
    parent_field = "regency"

    regency = models.ForeignKey(Regency, models.PROTECT, related_name="districts",
                                verbose_name=_("regency/city"))

    class Meta(Region.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = code_checks("district", DISTRICT_CODE_RE, "regency")


class Village(Region):
    parent_field = "district"

    district = models.ForeignKey(District, models.PROTECT, related_name="villages",
                                 verbose_name=_("district"))

    class Meta(Region.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = code_checks("village", VILLAGE_CODE_RE, "district")

    @property
    def kind(self) -> str:
        return {"1": VillageKind.KELURAHAN, "2": VillageKind.DESA,
                "3": VillageKind.DESA_ADAT}[self.code[9]]

    @property
    def regency_code(self) -> str:
        return self.code[:5]

    @property
    def province_code(self) -> str:
        return self.code[:2]
