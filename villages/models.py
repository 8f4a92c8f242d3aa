from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from desmigratif import limits
from desmigratif.limits import PROGRAM_START_YEAR  # noqa: F401 - read from here by the dashboards and reports
from desmigratif.summaries import SummaryRow
from desmigratif.versioning import VersionedModel

from .choices import ActivityKind, DesmigratifStatus, FundingSource, OfficerRole, Pillar


class DesmigratifVillage(VersionedModel):
    """An official village designated into the program by a Kemnaker decree (SK)."""

    village = models.OneToOneField("regions.Village", models.PROTECT, related_name="desmigratif",
                                   verbose_name=_("village"))
    year_designated = models.PositiveSmallIntegerField(_("year designated"), validators=limits.PROGRAM_YEAR)
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree (SK) date"), null=True, blank=True, validators=limits.PROGRAM_PAST)
    funding_source = models.CharField(_("funding source"), max_length=12, choices=FundingSource.choices)
    status = models.CharField(_("status"), max_length=10, choices=DesmigratifStatus.choices,
                              default=DesmigratifStatus.ACTIVE)
    is_desmigratif = models.BooleanField(_("Desmigratif label"), default=True)
    is_desa_migran_emas = models.BooleanField(_("Desa Migran Emas label"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("Desmigratif village")
        verbose_name_plural = _("Desmigratif villages")
        indexes = [models.Index(fields=["year_designated", "funding_source"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(year_designated__gte=PROGRAM_START_YEAR,
                                                      year_designated__lte=2100),
                                   name="desmigratif_year_in_program",
                                   violation_error_message=_("The program started in 2016.")),
            models.CheckConstraint(condition=models.Q(funding_source__in=FundingSource.values),
                                   name="desmigratif_funding_source_valid"),
            models.CheckConstraint(condition=models.Q(status__in=DesmigratifStatus.values),
                                   name="desmigratif_status_valid"),
            models.CheckConstraint(condition=models.Q(is_desmigratif=True) | models.Q(is_desa_migran_emas=True),
                                   name="desmigratif_has_a_label",
                                   violation_error_message=_("A program village carries at least one label.")),
        ]

    def __str__(self) -> str:
        return str(self.village)

    def get_absolute_url(self) -> str:
        return reverse("villages:desmigratifvillage_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.decree_date and self.year_designated and self.decree_date.year > self.year_designated + 1:
            raise ValidationError({"decree_date": _("The decree date is long after the year of designation.")})
        if not (self.is_desmigratif or self.is_desa_migran_emas):
            raise ValidationError(_("A program village carries at least one label."))


class FieldOfficer(VersionedModel):
    """A Petugas Desmigratif (two per village, chosen by village deliberation) or regency contact."""

    desmigratif_village = models.ForeignKey(DesmigratifVillage, models.CASCADE, related_name="officers",
                                            verbose_name=_("Desmigratif village"))
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=OfficerRole.choices,
                            default=OfficerRole.FIELD_OFFICER)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    active_since = models.DateField(_("active since"), null=True, blank=True, validators=limits.PROGRAM_PLANNED)
    active_until = models.DateField(_("active until"), null=True, blank=True, validators=limits.PROGRAM_TERM_END)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["desmigratif_village_id", "name"]
        verbose_name = _("field officer")
        verbose_name_plural = _("field officers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True) | models.Q(active_since__isnull=True)
                | models.Q(active_until__gte=models.F("active_since")),
                name="officer_active_period_ordered",
                violation_error_message=_("'Active until' cannot be before 'active since'."),
            ),
            models.CheckConstraint(condition=models.Q(role__in=OfficerRole.values), name="officer_role_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # officers are listed on their village's page
        return reverse("villages:desmigratifvillage_detail", args=[self.desmigratif_village_id])


def _activity_kind_matches_pillar() -> models.Q:
    condition = models.Q()
    for pillar in Pillar.values:
        condition |= models.Q(pillar=pillar, kind__in=ActivityKind.for_pillar(pillar))
    return condition


class PillarActivity(VersionedModel):
    """One activity under one of the four pillars in a Desmigratif village.

    Pillar 3 (community parenting) records children only as a count: children's data is
    specific personal data (UU 27/2022).
    """

    desmigratif_village = models.ForeignKey(DesmigratifVillage, models.PROTECT, related_name="activities",
                                            verbose_name=_("Desmigratif village"))
    pillar = models.PositiveSmallIntegerField(_("pillar"), choices=Pillar.choices)
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    # a planned activity may be entered up to a year ahead (desmigratif.limits)
    date = models.DateField(_("date"), validators=limits.PROGRAM_PLANNED)
    title = models.CharField(_("title"), max_length=200)
    participants_women = models.PositiveIntegerField(_("participants (women)"), default=0, validators=limits.COUNT)
    participants_men = models.PositiveIntegerField(_("participants (men)"), default=0, validators=limits.COUNT)
    services_given = models.PositiveIntegerField(_("services given"), default=0, validators=limits.COUNT,
                                                 help_text=_("Pillar 1: number of services given."))
    businesses_started = models.PositiveIntegerField(_("businesses started"), default=0, validators=limits.COUNT,
                                                     help_text=_("Pillar 2: businesses started."))
    children_reached = models.PositiveIntegerField(_("children reached"), default=0, validators=limits.COUNT,
                                                   help_text=_("Pillar 3: a count, never names."))
    partner_agency = models.ForeignKey("agencies.Agency", models.PROTECT, null=True, blank=True,
                                       related_name="activities", verbose_name=_("partner agency"))
    budget = models.DecimalField(_("budget (Rp)"), max_digits=16, decimal_places=0, default=Decimal(0),
                                 validators=limits.RUPIAH)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("pillar activity")
        verbose_name_plural = _("pillar activities")
        indexes = [models.Index(fields=["pillar", "date"])]
        constraints = [
            models.CheckConstraint(condition=_activity_kind_matches_pillar(), name="activity_kind_matches_pillar",
                                   violation_error_message=_("The kind of activity belongs to another pillar.")),
            models.CheckConstraint(
                condition=models.Q(pillar=Pillar.COMMUNITY_PARENTING) | models.Q(children_reached=0),
                name="activity_children_only_parenting",
                violation_error_message=_("Children reached are counted only in community parenting."),
            ),
            models.CheckConstraint(
                condition=models.Q(pillar=Pillar.PRODUCTIVE_BUSINESS) | models.Q(businesses_started=0),
                name="activity_businesses_only_productive",
                violation_error_message=_("Businesses started are counted only under productive business."),
            ),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="activity_budget_not_negative"),
            models.CheckConstraint(condition=models.Q(date__gte="2016-01-01"), name="activity_date_in_program",
                                   violation_error_message=_("The program started in 2016.")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("villages:pillaractivity_detail", args=[self.pk])

    @property
    def participants(self) -> int:
        return self.participants_women + self.participants_men

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.pillar and self.kind and ActivityKind.pillar_of(self.kind) != self.pillar:
            errors["kind"] = _("This kind of activity belongs to another pillar.")
        if self.children_reached and self.pillar != Pillar.COMMUNITY_PARENTING:
            errors["children_reached"] = _("Children reached are counted only in community parenting.")
        if self.businesses_started and self.pillar != Pillar.PRODUCTIVE_BUSINESS:
            errors["businesses_started"] = _("Businesses started are counted only under productive business.")
        if errors:
            raise ValidationError(errors)


class ActivitySummary(SummaryRow):
    """Pillar activities per area × year × kind (and so pillar): counts, participants, budget."""

    year = models.PositiveSmallIntegerField(_("year"))
    pillar = models.PositiveSmallIntegerField(_("pillar"), choices=Pillar.choices)
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    activities = models.PositiveIntegerField(_("activities"))
    participants_women = models.PositiveIntegerField(_("participants (women)"))
    participants_men = models.PositiveIntegerField(_("participants (men)"))
    services_given = models.PositiveIntegerField(_("services given"))
    businesses_started = models.PositiveIntegerField(_("businesses started"))
    children_reached = models.PositiveIntegerField(_("children reached"))
    budget = models.DecimalField(_("budget (Rp)"), max_digits=18, decimal_places=0)

    class Meta:
        verbose_name = _("activity summary")
        verbose_name_plural = _("activity summaries")
        indexes = [models.Index(fields=["level", "year"])]
        constraints = [models.UniqueConstraint(fields=["level", "area_code", "year", "kind"],
                                               name="activity_summary_unique")]
