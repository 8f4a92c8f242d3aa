from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from desmigratif import limits
from desmigratif.summaries import SummaryRow
from desmigratif.versioning import VersionedModel

from .choices import BusinessType, CooperativeKind

MONEY = {"max_digits": 18, "decimal_places": 0}


class Cooperative(VersionedModel):
    """A cooperative or BUMDes unit built in a Desmigratif village (pillar 4)."""

    desmigratif_village = models.ForeignKey("villages.DesmigratifVillage", models.PROTECT,
                                            related_name="cooperatives", verbose_name=_("Desmigratif village"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=CooperativeKind.choices,
                            default=CooperativeKind.COOPERATIVE)
    legal_entity_number = models.CharField(_("legal entity number"), max_length=100, blank=True,
                                           help_text=_("Nomor badan hukum, once the cooperative is registered."))
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), validators=[MinValueValidator(limits.EARLIEST_YEAR), MaxValueValidator(limits.LAST_YEAR)])
    business_type = models.CharField(_("business type"), max_length=20, choices=BusinessType.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        constraints = [
            models.UniqueConstraint(fields=["legal_entity_number"], condition=~models.Q(legal_entity_number=""),
                                    name="cooperative_legal_entity_number_unique",
                                    violation_error_message=_("Another cooperative has this legal entity "
                                                              "number.")),
            models.UniqueConstraint(fields=["desmigratif_village", "name"], name="cooperative_name_unique_in_village",
                                    violation_error_message=_("This village already has a cooperative of "
                                                              "this name.")),
            models.CheckConstraint(condition=models.Q(year_founded__gte=1945, year_founded__lte=2100),
                                   name="cooperative_year_founded_plausible"),
            models.CheckConstraint(condition=models.Q(kind__in=CooperativeKind.values), name="cooperative_kind_valid"),
            models.CheckConstraint(condition=models.Q(business_type__in=BusinessType.values),
                                   name="cooperative_business_type_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:cooperative_detail", args=[self.pk])


class CooperativeMember(VersionedModel):
    """A member known by name; linked to the PMI record where the member is a (returned) PMI."""

    cooperative = models.ForeignKey(Cooperative, models.CASCADE, related_name="members",
                                    verbose_name=_("cooperative"))
    name = models.CharField(_("name"), max_length=150)
    migrant = models.ForeignKey("migrants.MigrantWorker", models.SET_NULL, null=True, blank=True,
                                related_name="cooperative_memberships", verbose_name=_("PMI record"))
    is_returned_pmi = models.BooleanField(_("returned PMI"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True, validators=limits.PAST)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["cooperative_id", "name"]
        verbose_name = _("cooperative member")
        verbose_name_plural = _("cooperative members")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "migrant"], name="cooperative_member_once",
                                    violation_error_message=_("This PMI is already a member of this "
                                                              "cooperative.")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # a member has no page of its own: it is shown on its cooperative's page
        return reverse("cooperatives:cooperative_detail", args=[self.cooperative_id]) + "#members"


class CooperativeYearlyFigure(VersionedModel):
    """A cooperative's figures at the close of one book year (the amounts' floor of 0 is clean()'s, with its
    own message; their ceiling and the counts' are desmigratif.limits')."""

    cooperative = models.ForeignKey(Cooperative, models.CASCADE, related_name="yearly_figures",
                                    verbose_name=_("cooperative"))
    year = models.PositiveSmallIntegerField(_("year"), validators=limits.PROGRAM_YEAR)
    members = models.PositiveIntegerField(_("members"), validators=limits.COUNT)
    members_returned_pmi = models.PositiveIntegerField(_("of whom returned PMI"), default=0, validators=limits.COUNT)
    capital = models.DecimalField(_("capital (Rp)"), default=Decimal(0), validators=[limits.MaxRupiah()], **MONEY)
    assets = models.DecimalField(_("assets (Rp)"), default=Decimal(0), validators=[limits.MaxRupiah()], **MONEY)
    revenue = models.DecimalField(_("revenue (Rp)"), default=Decimal(0), validators=[limits.MaxRupiah()], **MONEY)
    shu = models.DecimalField(_("surplus (SHU, Rp)"), default=Decimal(0), validators=limits.RUPIAH_SIGNED, **MONEY,
                              help_text=_("Sisa hasil usaha; negative for a loss."))

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["cooperative_id", "-year"]
        verbose_name = _("cooperative yearly figures")
        verbose_name_plural = _("cooperative yearly figures")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="cooperative_figures_once_a_year",
                                    violation_error_message=_("This cooperative already has figures for "
                                                              "this year.")),
            models.CheckConstraint(condition=models.Q(members_returned_pmi__lte=models.F("members")),
                                   name="cooperative_figures_pmi_within_members",
                                   violation_error_message=_("Returned PMI members cannot exceed all "
                                                             "members.")),
            models.CheckConstraint(condition=models.Q(capital__gte=0, assets__gte=0, revenue__gte=0),
                                   name="cooperative_figures_not_negative",
                                   violation_error_message=_("Capital, assets and revenue cannot be "
                                                             "negative.")),
            models.CheckConstraint(condition=models.Q(year__gte=2016, year__lte=2100),
                                   name="cooperative_figures_year_in_program"),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:cooperative_detail", args=[self.cooperative_id]) + "#figures"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.members is not None and self.members_returned_pmi is not None \
                and self.members_returned_pmi > self.members:
            errors["members_returned_pmi"] = _("Returned PMI members cannot exceed all members.")
        for field in ("capital", "assets", "revenue"):
            if getattr(self, field) is not None and getattr(self, field) < 0:
                errors[field] = _("This amount cannot be negative.")
        if self.cooperative_id and self.year and self.year < self.cooperative.year_founded:
            errors["year"] = _("These figures are from before the cooperative was founded.")
        if errors:
            raise ValidationError(errors)


class CooperativeSummary(SummaryRow):
    """The yearly figures of the cooperatives of an area, added up per book year."""

    year = models.PositiveSmallIntegerField(_("year"))
    cooperatives = models.PositiveIntegerField(_("cooperatives reporting"))
    members = models.PositiveIntegerField(_("members"))
    members_returned_pmi = models.PositiveIntegerField(_("of whom returned PMI"))
    capital = models.DecimalField(_("capital (Rp)"), max_digits=20, decimal_places=0)
    assets = models.DecimalField(_("assets (Rp)"), max_digits=20, decimal_places=0)
    revenue = models.DecimalField(_("revenue (Rp)"), max_digits=20, decimal_places=0)
    shu = models.DecimalField(_("surplus (SHU, Rp)"), max_digits=20, decimal_places=0)

    class Meta:
        verbose_name = _("cooperative summary")
        verbose_name_plural = _("cooperative summaries")
        indexes = [models.Index(fields=["level", "year"])]
        constraints = [models.UniqueConstraint(fields=["level", "area_code", "year"],
                                               name="cooperative_summary_unique")]
