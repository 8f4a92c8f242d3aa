import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Agency
from desmigratif.api.fields import FIELD_MAPPING, LimitMessagesMixin
from desmigratif.api.versioning import version_field
from regions.models import VILLAGE_CODE_RE, Village

from ..models import DesmigratifVillage, PillarActivity

VILLAGE_CODE_HELP = "Kode desa / village code, e.g. 32.09.07.2002"
AGENCY_HELP = "Singkatan instansi mitra / partner agency's acronym, e.g. BPJS TK (see /agencies/)"


def village_code_field(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Village.objects.all(), help_text=VILLAGE_CODE_HELP,
        error_messages={"does_not_exist": _("No village has the code {value}."),
                        "invalid": _("Give a village code, e.g. 32.09.07.2002.")}, **kwargs)


class DesmigratifVillageSerializer(serializers.ModelSerializer):
    """A village designated into the program, given and shown by the village's code."""
    serializer_field_mapping = FIELD_MAPPING  # money as whole rupiah (integers)

    village = village_code_field()
    village_name = serializers.CharField(source="village.name", read_only=True)
    district_name = serializers.CharField(source="village.district.name", read_only=True)
    regency_name = serializers.CharField(source="village.district.regency.name", read_only=True)
    province_name = serializers.CharField(source="village.district.regency.province.name", read_only=True)
    version = version_field()

    class Meta:
        model = DesmigratifVillage
        fields = ["id", "village", "village_name", "district_name", "regency_name", "province_name",
                  "year_designated", "decree_number", "decree_date", "funding_source", "status", "is_desmigratif",
                  "is_desa_migran_emas", "notes", "version", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class DesmigratifVillageDetailSerializer(DesmigratifVillageSerializer):
    activity_count = serializers.IntegerField(read_only=True)
    cooperative_count = serializers.IntegerField(read_only=True)

    class Meta(DesmigratifVillageSerializer.Meta):
        fields = [*DesmigratifVillageSerializer.Meta.fields, "activity_count", "cooperative_count"]


@extend_schema_field(OpenApiTypes.STR)
class DesmigratifVillageCodeField(serializers.RelatedField):
    """A Desmigratif village given by its village's code (``32.09.07.2002``), which clients know,
    rather than by the program record's id."""

    default_error_messages = {
        "invalid": _("Give a village code, e.g. 32.09.07.2002."),
        "no_village": _("No village has the code {code}."),
        "not_in_program": _("Village {code} is not a Desmigratif village."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.match(VILLAGE_CODE_RE, data.strip()):
            self.fail("invalid")
        code = data.strip()
        program_village = self.get_queryset().select_related("village").filter(village_id=code).first()
        if program_village is None:
            self.fail("not_in_program" if Village.objects.filter(code=code).exists() else "no_village", code=code)
        return program_village

    def to_representation(self, value):
        return value.village_id

    def display_value(self, instance):  # the browsable API's choices: no query per option
        return instance.village_id


class PillarActivitySerializer(LimitMessagesMixin, serializers.ModelSerializer):
    """An activity under one of the four pillars; its Desmigratif village is given by the village's code."""
    serializer_field_mapping = FIELD_MAPPING  # money as whole rupiah (integers)

    village = DesmigratifVillageCodeField(source="desmigratif_village", queryset=DesmigratifVillage.objects.all(),
                                          help_text=f"{VILLAGE_CODE_HELP} (a Desmigratif village)")
    desmigratif_village = serializers.IntegerField(source="desmigratif_village_id", read_only=True,
                                                   help_text="id of the Desmigratif village (/desmigratif-villages/)")
    village_name = serializers.CharField(source="desmigratif_village.village.name", read_only=True)
    partner_agency = serializers.SlugRelatedField(
        slug_field="acronym", queryset=Agency.objects.all(), required=False, allow_null=True, help_text=AGENCY_HELP,
        error_messages={"does_not_exist": _("No agency has the acronym {value}.")})
    version = version_field()

    class Meta:
        model = PillarActivity
        fields = ["id", "village", "desmigratif_village", "village_name", "pillar", "kind", "date", "title",
                  "participants_women", "participants_men", "services_given", "businesses_started",
                  "children_reached", "partner_agency", "budget", "notes", "version", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
