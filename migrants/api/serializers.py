from rest_framework import serializers

from accounts.permissions import mask_middle, mask_nik, mask_phone, sees_personal_data
from regions.models import Village

from ..models import MigrantWorker, Placement, Reintegration
from ..services import EDITABLE_FIELDS


class PlacementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Placement
        fields = ["id", "destination_country", "sector", "job", "scheme", "p3mi_name", "departure_date",
                  "contract_end_date", "return_date", "return_reason"]


class ReintegrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reintegration
        fields = ["training_received", "has_business", "business_type", "business_started_on",
                  "is_cooperative_member", "has_kur_credit", "credit_bank", "has_bpjs_ketenagakerjaan"]


class MigrantWorkerSerializer(serializers.ModelSerializer):
    """A PMI. NIK, phone and address come masked (``3209••••••••0001``) to users who do not serve the
    person's area. The stage changes only through the stage actions, never by an edit."""

    village = serializers.SlugRelatedField(slug_field="code", queryset=Village.objects.all(),
                                           help_text="Kode desa asal / village of origin, e.g. 32.09.07.2002")
    village_name = serializers.CharField(source="village.name", read_only=True)
    nik = serializers.CharField(max_length=20, help_text="NIK, 16 digits (masked for readers outside the area)")

    class Meta:
        model = MigrantWorker
        fields = ["id", "nik", "nik_needs_verification", "nik_flags", "name", "gender", "birth_date", "village",
                  "village_name", "address", "education", "marital_status", "phone", "stage", "registered_on",
                  "stage_changed_on", "created_at", "updated_at"]
        read_only_fields = ["nik_needs_verification", "nik_flags", "stage", "stage_changed_on", "created_at",
                            "updated_at"]
        extra_kwargs = {"registered_on": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not sees_personal_data(self.context["user"], instance.village_id):
            data["nik"] = mask_nik(instance.nik)
            data["phone"] = mask_phone(instance.phone) if instance.phone else ""
            data["address"] = mask_middle(instance.address, keep_start=0, keep_end=0) if instance.address else ""
        return data

    def validate(self, attrs):
        if self.instance is not None:  # an edit: the person's data only (the registration date is not edited)
            attrs = {name: value for name, value in attrs.items() if name in EDITABLE_FIELDS}
        return attrs


class MigrantWorkerDetailSerializer(MigrantWorkerSerializer):
    placements = PlacementSerializer(many=True, read_only=True)
    reintegration = ReintegrationSerializer(read_only=True, allow_null=True)

    class Meta(MigrantWorkerSerializer.Meta):
        fields = [*MigrantWorkerSerializer.Meta.fields, "placements", "reintegration"]
