from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from desmigratif import limits
from desmigratif.summaries import SummaryRow
from desmigratif.versioning import VersionedModel

from .choices import (
    Country,
    Education,
    Gender,
    MaritalStatus,
    PlacementEvent,
    PlacementScheme,
    ReturnReason,
    Sector,
    Stage,
)
from .nik import NikFlag, check_nik, nik_compact, nik_taken_message


class MigrantWorker(VersionedModel):
    """A PMI from a village of origin, through the lifecycle prospective → abroad → returned.

    The stage is changed only by the services in ``migrants.services``, which know the allowed
    transitions and keep the placements consistent with it.
    """

    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    nik_needs_verification = models.BooleanField(_("NIK needs verification"), default=False)
    nik_flags = models.CharField(_("reasons for verification"), max_length=100, blank=True,
                                 help_text=_("Comma-separated codes of the NIK checks that raised a flag."))
    name = models.CharField(_("name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    village = models.ForeignKey("regions.Village", models.PROTECT, related_name="+",
                                verbose_name=_("village of origin"))
    address = models.CharField(_("address"), max_length=250, blank=True)
    education = models.CharField(_("education"), max_length=10, choices=Education.choices, blank=True)
    marital_status = models.CharField(_("marital status"), max_length=10, choices=MaritalStatus.choices,
                                      blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.REGISTERED)
    registered_on = models.DateField(_("registered on"))
    stage_changed_on = models.DateField(_("stage changed on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The history grows as large as the register (every import writes a row per PMI): it is read by
    # record (id) and by time (history_date), so the NIK and village keep no index of their own there,
    # and the user is not checked by a foreign key per row (each of the 100,000 rows of an import
    # checked the same user; the ORM still clears it when a user is deleted).
    history = HistoricalRecords(excluded_fields=["updated_at", "version"], no_db_index=["nik", "village"],
                                user_db_constraint=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("migrant worker (PMI)")
        verbose_name_plural = _("migrant workers (PMI)")
        # Each index is written by every insert: an import of 100,000 PMI into 5 M pays for each. The
        # village key's own index (and its pattern twin, for area prefixes) serves the village filters;
        # (stage, name, id) serves the stage filter as well as its order.
        indexes = [
            # the list's order (name, id): a page of 50 is read in order instead of sorting millions
            models.Index(fields=["name", "id"], name="migrant_name_order"),
            models.Index(fields=["stage", "name", "id"], name="migrant_stage_name_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(nik__regex=r"^[0-9]{16}$"), name="migrant_nik_16_digits",
                                   violation_error_message=_("A NIK has exactly 16 digits.")),
            models.CheckConstraint(condition=models.Q(stage__in=Stage.values), name="migrant_stage_valid"),
            models.CheckConstraint(condition=models.Q(gender__in=Gender.values), name="migrant_gender_valid"),
            models.CheckConstraint(
                condition=models.Q(nik_needs_verification=True) & ~models.Q(nik_flags="")
                | models.Q(nik_needs_verification=False, nik_flags=""),
                name="migrant_nik_flag_has_reason",
            ),
            models.CheckConstraint(condition=models.Q(stage_changed_on__gte=models.F("registered_on")),
                                   name="migrant_stage_change_after_registration",
                                   violation_error_message=_("A stage cannot change before registration.")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("migrants:migrantworker_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        # The NIK rules live in one place (migrants.nik), the plausible dates here (desmigratif.limits); the
        # admin, forms, services, imports and the API all reach them through full_clean().
        errors = {name: [error] for name, error in self.date_errors().items()}
        if self.nik:  # else the field's own "required" error says it
            try:
                result = check_nik(self.nik, birth_date=self.birth_date, gender=self.gender)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            else:
                self.nik = result.nik
                self.nik_needs_verification = bool(result.flags)
                self.nik_flags = ",".join(result.flags)
        if errors:
            raise ValidationError(errors)

    def date_errors(self) -> dict[str, ValidationError]:
        """The registration date when the PMI is registered (it never changes afterwards, and a record
        stored before these limits stays editable), and the birth date against it."""
        errors = {}
        today = limits.today()
        registered_on = self.registered_on
        if self._state.adding and registered_on:
            if registered_on > today:
                errors["registered_on"] = ValidationError(_("The registration date cannot be in the future."),
                                                          code="future")
            elif registered_on < limits.PROGRAM_START:
                errors["registered_on"] = ValidationError(
                    _("The registration date cannot be before %(date)s: the program started in %(year)s."),
                    code="before_program",
                    params={"date": limits.PROGRAM_START.strftime("%d/%m/%Y"), "year": limits.PROGRAM_START_YEAR})
        if self.birth_date:
            if self.birth_date > today:
                errors["birth_date"] = ValidationError(_("The birth date cannot be in the future."), code="future")
            elif registered_on and "registered_on" not in errors:
                # on a registration date in the future (a record stored before the limits), the age of today
                age = limits.age_on(self.birth_date, min(registered_on, today))
                if age < limits.MIN_AGE:
                    errors["birth_date"] = ValidationError(
                        _("A PMI is at least %(min)s years old at registration (UU 18/2017, article 5): this "
                          "birth date makes them %(age)s."), code="too_young",
                        params={"min": limits.MIN_AGE, "age": age})
                elif age > limits.MAX_AGE:
                    errors["birth_date"] = ValidationError(
                        _("A PMI is at most %(max)s years old at registration: this birth date makes them "
                          "%(age)s. Check the year."), code="too_old", params={"max": limits.MAX_AGE, "age": age})
        return errors

    def clean_fields(self, exclude=None) -> None:
        # Normalise the NIK (spaces, dots, dashes) before the field checks see it.
        if self.nik:
            self.nik = nik_compact(str(self.nik))
        super().clean_fields(exclude=exclude)

    def unique_error_message(self, model_class, unique_check):
        # The doors that know the writer say first what the writer may know of the record holding the NIK
        # (migrants.selectors.migrant_nik_taken); this is the answer of any other, naming nothing of it.
        if tuple(unique_check) == ("nik",):
            return ValidationError(nik_taken_message(), code="unique")
        return super().unique_error_message(model_class, unique_check)

    @property
    def nik_flag_labels(self) -> list[str]:
        return [str(NikFlag(code).label) for code in self.nik_flags.split(",") if code]


class Placement(VersionedModel):
    """One stay abroad: departure, destination, employment, and the return when it happens."""

    migrant = models.ForeignKey(MigrantWorker, models.CASCADE, related_name="placements",
                                verbose_name=_("migrant worker"))
    destination_country = models.CharField(_("destination country"), max_length=2, choices=Country.choices)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    job = models.CharField(_("job"), max_length=100)
    scheme = models.CharField(_("placement scheme"), max_length=10, choices=PlacementScheme.choices)
    p3mi_name = models.CharField(_("P3MI (placement agency)"), max_length=200, blank=True)
    departure_date = models.DateField(_("departure date"))
    contract_end_date = models.DateField(_("contract end date"), null=True, blank=True)
    return_date = models.DateField(_("return date"), null=True, blank=True)
    return_reason = models.CharField(_("return reason"), max_length=20, choices=ReturnReason.choices,
                                     blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["-departure_date", "id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["destination_country", "departure_date"]),
            models.Index(fields=["return_date"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["migrant"], condition=models.Q(return_date__isnull=True),
                                    name="placement_one_open_per_migrant",
                                    violation_error_message=_("This PMI already has a placement without "
                                                              "a return.")),
            models.CheckConstraint(
                condition=models.Q(return_date__isnull=True) | models.Q(return_date__gte=models.F("departure_date")),
                name="placement_return_after_departure",
                violation_error_message=_("The return date cannot be before the departure date."),
            ),
            models.CheckConstraint(
                condition=models.Q(contract_end_date__isnull=True)
                | models.Q(contract_end_date__gt=models.F("departure_date")),
                name="placement_contract_ends_after_departure",
                violation_error_message=_("The contract must end after the departure date."),
            ),
            models.CheckConstraint(
                condition=models.Q(return_date__isnull=True, return_reason="")
                | models.Q(return_date__isnull=False, return_reason__in=ReturnReason.values),
                name="placement_return_reason_with_return",
                violation_error_message=_("A return has a date and a reason; no return has neither."),
            ),
            models.CheckConstraint(
                condition=~models.Q(scheme=PlacementScheme.P_TO_P) | ~models.Q(p3mi_name=""),
                name="placement_p2p_names_p3mi",
                violation_error_message=_("A P to P placement names its P3MI."),
            ),
            models.CheckConstraint(condition=models.Q(destination_country__in=Country.values),
                                   name="placement_country_valid"),
            models.CheckConstraint(condition=models.Q(sector__in=Sector.values), name="placement_sector_valid"),
            models.CheckConstraint(condition=models.Q(scheme__in=PlacementScheme.values),
                                   name="placement_scheme_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_destination_country_display()} {self.departure_date:%Y}"

    def get_absolute_url(self) -> str:
        """A placement is shown on its PMI's page."""
        return reverse("migrants:migrantworker_detail", args=[self.migrant_id])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.return_date and self.departure_date and self.return_date < self.departure_date:
            errors["return_date"] = _("The return date cannot be before the departure date.")
        if self.contract_end_date and self.departure_date and self.contract_end_date <= self.departure_date:
            errors["contract_end_date"] = _("The contract must end after the departure date.")
        elif self.contract_end_date and self.departure_date \
                and self.contract_end_date > limits.contract_end_latest(self.departure_date):
            errors["contract_end_date"] = ValidationError(
                _("The contract cannot end more than %(years)s years after the departure (%(date)s at the latest)."),
                code="too_long", params={"years": limits.CONTRACT_MAX_YEARS,
                                         "date": limits.contract_end_latest(self.departure_date).strftime("%d/%m/%Y")})
        if self.return_date and not self.return_reason:
            errors["return_reason"] = _("Give the reason for the return.")
        if self.return_reason and not self.return_date:
            errors["return_date"] = _("Give the date of the return.")
        if self.scheme == PlacementScheme.P_TO_P and not self.p3mi_name:
            errors["p3mi_name"] = _("A P to P placement names its P3MI.")
        if errors:
            raise ValidationError(errors)


class Reintegration(VersionedModel):
    """How a returned PMI is rebuilding a livelihood at home."""

    migrant = models.OneToOneField(MigrantWorker, models.CASCADE, related_name="reintegration",
                                   verbose_name=_("migrant worker"))
    training_received = models.CharField(_("training received"), max_length=200, blank=True)
    has_business = models.BooleanField(_("business started"), default=False)
    business_type = models.CharField(_("type of business"), max_length=100, blank=True)
    business_started_on = models.DateField(_("business started on"), null=True, blank=True,
                                           validators=limits.PAST)
    is_cooperative_member = models.BooleanField(_("cooperative member"), default=False)
    has_kur_credit = models.BooleanField(_("bank / KUR credit"), default=False)
    credit_bank = models.CharField(_("bank"), max_length=100, blank=True)
    has_bpjs_ketenagakerjaan = models.BooleanField(_("BPJS Ketenagakerjaan member"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("reintegration")
        verbose_name_plural = _("reintegrations")
        constraints = [
            models.CheckConstraint(condition=models.Q(has_business=True) | models.Q(business_type=""),
                                   name="reintegration_business_type_needs_business",
                                   violation_error_message=_("A type of business needs a business.")),
            models.CheckConstraint(condition=models.Q(has_kur_credit=True) | models.Q(credit_bank=""),
                                   name="reintegration_bank_needs_credit",
                                   violation_error_message=_("A bank is named only with a credit.")),
        ]

    def __str__(self) -> str:
        return str(self.migrant)

    def clean(self) -> None:
        super().clean()
        if self.business_type and not self.has_business:
            raise ValidationError({"business_type": _("A type of business needs a business.")})
        if self.credit_bank and not self.has_kur_credit:
            raise ValidationError({"credit_bank": _("A bank is named only with a credit.")})


# --- summaries (see desmigratif.summaries): what dashboards and statistics read ----------------------


class MigrantStageSummary(SummaryRow):
    """PMI per area × year of registration × current stage × gender."""

    registered_year = models.PositiveSmallIntegerField(_("year registered"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    count = models.PositiveIntegerField(_("PMI"))

    class Meta:
        verbose_name = _("PMI summary by stage")
        verbose_name_plural = _("PMI summaries by stage")
        indexes = [
            models.Index(fields=["level", "registered_year"]),
            # the PMI list's total (migrant_count_from_summary): a stage within an area prefix, read from
            # the index alone — a province's total in under a millisecond at national scale, not 13 ms
            models.Index(fields=["level", "stage", "area_code"], include=["count"],
                         opclasses=["varchar_ops", "varchar_ops", "varchar_pattern_ops"],
                         name="migrant_stage_summary_total"),
        ]
        constraints = [models.UniqueConstraint(fields=["level", "area_code", "registered_year", "stage", "gender"],
                                               name="migrant_stage_summary_unique")]


class PlacementSummary(SummaryRow):
    """Departures and returns per area × year × destination × sector (× reason, for returns)."""

    year = models.PositiveSmallIntegerField(_("year"))
    event = models.CharField(_("event"), max_length=8, choices=PlacementEvent.choices)
    destination_country = models.CharField(_("destination country"), max_length=2, choices=Country.choices)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    return_reason = models.CharField(_("return reason"), max_length=20, choices=ReturnReason.choices, blank=True)
    count = models.PositiveIntegerField(_("placements"))

    class Meta:
        verbose_name = _("placement summary")
        verbose_name_plural = _("placement summaries")
        indexes = [models.Index(fields=["level", "year", "event"])]
        constraints = [models.UniqueConstraint(
            fields=["level", "area_code", "year", "event", "destination_country", "sector", "return_reason"],
            name="placement_summary_unique")]


class ReintegrationSummary(SummaryRow):
    """Returned PMI with a reintegration record, per area × what they have built since."""

    has_business = models.BooleanField(_("business started"))
    is_cooperative_member = models.BooleanField(_("cooperative member"))
    has_kur_credit = models.BooleanField(_("bank / KUR credit"))
    has_bpjs_ketenagakerjaan = models.BooleanField(_("BPJS Ketenagakerjaan member"))
    count = models.PositiveIntegerField(_("PMI"))

    class Meta:
        verbose_name = _("reintegration summary")
        verbose_name_plural = _("reintegration summaries")
        constraints = [models.UniqueConstraint(
            fields=["level", "area_code", "has_business", "is_cooperative_member", "has_kur_credit",
                    "has_bpjs_ketenagakerjaan"], name="reintegration_summary_unique")]
