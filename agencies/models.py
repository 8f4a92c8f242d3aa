from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from desmigratif import limits
from desmigratif.versioning import VersionedModel
from villages.choices import Pillar

from .choices import AgencyKind, EngagementKind, EngagementLevel


class Agency(VersionedModel):
    """A collaborating ministry, agency, local government or bank: an editable reference table.

    Ministries are renamed with cabinets, so an agency has validity dates and may name the
    agency that succeeded it.
    """

    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    name = models.CharField(_("full name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True, validators=limits.VALID_FROM)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, validators=limits.VALID_UNTIL)
    successor = models.ForeignKey("self", models.SET_NULL, null=True, blank=True,
                                  related_name="predecessors", verbose_name=_("succeeded by"))
    source = models.CharField(_("source"), max_length=300, blank=True,
                              help_text=_("Where the program documents this partner."))

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="agency_validity_ordered",
                violation_error_message=_("'Valid until' cannot be before 'valid from'."),
            ),
            models.CheckConstraint(condition=models.Q(kind__in=AgencyKind.values), name="agency_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("agencies:agency_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("'Valid until' cannot be before 'valid from'.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("An agency cannot succeed itself.")})


class Engagement(VersionedModel):
    """An agency's contribution to a pillar in one year, nationally, in a regency or a village."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="engagements", verbose_name=_("agency"))
    level = models.CharField(_("level"), max_length=10, choices=EngagementLevel.choices)
    regency = models.ForeignKey("regions.Regency", models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("regency/city"))
    village = models.ForeignKey("regions.Village", models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("village"))
    pillar = models.PositiveSmallIntegerField(_("pillar"), choices=Pillar.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=EngagementKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=limits.PROGRAM_YEAR)
    budget = models.DecimalField(_("budget (Rp)"), max_digits=16, decimal_places=0, default=Decimal(0),
                                 validators=limits.RUPIAH)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-year", "agency__acronym"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [models.Index(fields=["year", "pillar"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(level=EngagementLevel.NATIONAL, regency__isnull=True, village__isnull=True)
                           | models.Q(level=EngagementLevel.REGENCY, regency__isnull=False,
                                      village__isnull=True)
                           | models.Q(level=EngagementLevel.VILLAGE, regency__isnull=True,
                                      village__isnull=False)),
                name="engagement_target_matches_level",
                violation_error_message=_("A national engagement has no area, a regency engagement "
                                          "a regency only, a village engagement a village only."),
            ),
            models.CheckConstraint(condition=models.Q(year__gte=2016, year__lte=2100),
                                   name="engagement_year_in_program"),
            models.CheckConstraint(condition=models.Q(pillar__in=Pillar.values), name="engagement_pillar_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=EngagementKind.values),
                                   name="engagement_kind_valid"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="engagement_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} ({self.get_pillar_display()})"

    def get_absolute_url(self) -> str:
        return reverse("agencies:engagement_detail", args=[self.pk])

    @property
    def area_code(self) -> str:
        """The code of the area the engagement is in ('' when national)."""
        return self.village_id or self.regency_id or ""

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.level == EngagementLevel.NATIONAL:
            if self.regency_id or self.village_id:
                errors["level"] = _("A national engagement has no regency or village.")
        elif self.level == EngagementLevel.REGENCY:
            if not self.regency_id:
                errors["regency"] = _("Choose the regency of a regency engagement.")
            if self.village_id:
                errors["village"] = _("A regency engagement has no village.")
        elif self.level == EngagementLevel.VILLAGE:
            if not self.village_id:
                errors["village"] = _("Choose the village of a village engagement.")
            if self.regency_id:
                errors["regency"] = _("A village engagement has no separate regency.")
        if errors:
            raise ValidationError(errors)
