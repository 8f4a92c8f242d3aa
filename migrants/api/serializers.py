from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from desmigratif.api.fields import PersonalDataMixin
from desmigratif.api.versioning import version_field
from regions.models import Village

from ..choices import ReturnReason, Stage
from ..models import MigrantWorker, Placement, Reintegration
from ..services import EDITABLE_FIELDS, PLACEMENT_EDITABLE_FIELDS


class PlacementSerializer(serializers.ModelSerializer):
    version = version_field()

    class Meta:
        model = Placement
        fields = ["id", "destination_country", "sector", "job", "scheme", "p3mi_name", "departure_date",
                  "contract_end_date", "return_date", "return_reason", "version"]


class ReintegrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reintegration
        fields = ["training_received", "has_business", "business_type", "business_started_on",
                  "is_cooperative_member", "has_kur_credit", "credit_bank", "has_bpjs_ketenagakerjaan", "version"]


class MigrantWorkerSerializer(PersonalDataMixin, serializers.ModelSerializer):
    """A PMI. To users who do not serve the person's area the NIK comes as 16 dots, phone and address as
    ``••••••``, and the birth date as null (``birth_year`` says the year): see SECURITY.md, "Personal
    data". The stage changes only through the stage actions, never by an edit."""

    personal_fields = {"nik": "nik", "birth_date": "birth_date", "phone": "phone", "address": "address"}

    village = serializers.SlugRelatedField(slug_field="code", queryset=Village.objects.all(),
                                           help_text="Kode desa asal / village of origin, e.g. 32.09.07.2002")
    village_name = serializers.CharField(source="village.name", read_only=True)
    nik = serializers.CharField(max_length=20, help_text="NIK, 16 digits (masked for readers outside the area)")
    # null in answers to readers who see the person masked (the year is in birth_year); required to write
    birth_date = serializers.DateField(allow_null=True, help_text=_(
        "Birth date; null for readers outside the person's area, who get birth_year only."))
    birth_year = serializers.IntegerField(source="birth_date.year", read_only=True)
    version = version_field()

    class Meta:
        model = MigrantWorker
        fields = ["id", "nik", "nik_needs_verification", "nik_flags", "name", "gender", "birth_date", "birth_year",
                  "village", "village_name", "address", "education", "marital_status", "phone", "stage",
                  "registered_on", "stage_changed_on", "version", "created_at", "updated_at"]
        read_only_fields = ["nik_needs_verification", "nik_flags", "stage", "stage_changed_on", "created_at",
                            "updated_at"]
        extra_kwargs = {"registered_on": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if isinstance(data.get("birth_date"), int):  # the policy's year only: the year has its own field
            data["birth_date"] = None
        return data

    def validate_birth_date(self, value):
        if value is None:
            raise serializers.ValidationError(_("Give the birth date."), code="null")
        return value

    def validate(self, attrs):
        if self.instance is not None:  # an edit: the person's data only (the registration date is not edited)
            attrs = {name: value for name, value in attrs.items() if name in (*EDITABLE_FIELDS, "version")}
        return attrs


class MigrantWorkerDetailSerializer(MigrantWorkerSerializer):
    placements = PlacementSerializer(many=True, read_only=True)
    reintegration = ReintegrationSerializer(read_only=True, allow_null=True)

    class Meta(MigrantWorkerSerializer.Meta):
        fields = [*MigrantWorkerSerializer.Meta.fields, "placements", "reintegration"]


# --- the stage actions' input ------------------------------------------------------------------------

# The stages a PMI moves to by the ``stage`` action; ``abroad`` and ``returned`` carry a placement and
# have the ``depart`` and ``return`` actions.
STAGE_ACTION_STAGES = (Stage.REGISTERED, Stage.VERIFIED, Stage.IN_TRAINING, Stage.READY)


class StageChangeSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(
        choices=[(stage.value, stage.label) for stage in STAGE_ACTION_STAGES],
        help_text=_("The next stage: registered → verified → in_training → ready (in_training may be skipped); "
                    "a returned PMI goes back to registered."))
    on = serializers.DateField(required=False, help_text=_("The date of the change (YYYY-MM-DD); today if left "
                                                           "out. Not in the future, not before the last change."))


class DepartureSerializer(serializers.ModelSerializer):
    """The placement a PMI who is ready leaves with; the PMI's stage becomes ``abroad``."""

    class Meta:
        model = Placement
        fields = ["destination_country", "sector", "job", "scheme", "p3mi_name", "departure_date",
                  "contract_end_date"]
        extra_kwargs = {"departure_date": {"help_text": _("Not in the future, not before the last change of "
                                                          "stage.")},
                        "p3mi_name": {"help_text": _("Required for a P to P placement.")}}


class ReturnSerializer(serializers.ModelSerializer):
    """The return that closes the PMI's open placement; the PMI's stage becomes ``returned``."""

    class Meta:
        model = Placement
        fields = ["return_date", "return_reason"]
        extra_kwargs = {"return_date": {"required": True, "allow_null": False,
                                        "help_text": _("Not in the future, not before the departure.")},
                        "return_reason": {"required": True, "allow_blank": False}}


class ReintegrationInputSerializer(serializers.ModelSerializer):
    """What a returned PMI has done since coming home; fields left out keep their recorded value.
    ``version``: the reintegration's version as read (``reintegration.version`` of the PMI)."""

    version = version_field()

    class Meta:
        model = Reintegration
        fields = ReintegrationSerializer.Meta.fields
        extra_kwargs = {name: {"required": False} for name in ReintegrationSerializer.Meta.fields}


# --- placements ------------------------------------------------------------------------------------


class PlacementRecordSerializer(PersonalDataMixin, PlacementSerializer):
    """A placement with its PMI, as the ``placements`` endpoint lists it. The PMI's NIK comes masked to
    users who do not serve the person's area. Only the employment details are edited here: the departure
    and the return are the PMI's stage actions."""

    migrant = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("The PMI's record id."))
    migrant_nik = serializers.CharField(source="migrant.nik", read_only=True,
                                        help_text=_("NIK (masked for readers outside the area)"))
    migrant_name = serializers.CharField(source="migrant.name", read_only=True)
    village = serializers.CharField(source="migrant.village_id", read_only=True,
                                    help_text=_("Village of origin of the PMI"))
    village_name = serializers.CharField(source="migrant.village.name", read_only=True)
    # declared: as a read-only model field it would lose the blank choice a placement abroad has
    return_reason = serializers.ChoiceField(choices=ReturnReason.choices, allow_blank=True, read_only=True,
                                            help_text=_("Empty while the PMI is abroad"))

    personal_fields = {"migrant_nik": "migrant.nik"}

    class Meta(PlacementSerializer.Meta):
        fields = [*PlacementSerializer.Meta.fields, "migrant", "migrant_nik", "migrant_name", "village",
                  "village_name", "created_at", "updated_at"]
        read_only_fields = [name for name in fields if name not in PLACEMENT_EDITABLE_FIELDS]
