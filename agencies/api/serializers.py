from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from desmigratif.api.fields import FIELD_MAPPING, LimitMessagesMixin
from desmigratif.api.versioning import version_field
from regions.models import Regency, Village

from ..models import Agency, Engagement


class AgencySerializer(serializers.ModelSerializer):
    successor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True,
                                                   help_text="id of the agency that succeeded it")
    # allow_null without a default: a default is skipped in a PATCH's answer, which would then lack the key
    successor_acronym = serializers.CharField(source="successor.acronym", read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = ["id", "acronym", "name", "kind", "valid_from", "valid_until", "successor", "successor_acronym",
                  "source", "version"]


class EngagementSerializer(LimitMessagesMixin, serializers.ModelSerializer):
    """An agency's contribution to a pillar in a year: national (no area), in a regency, or in a village.
    The agency is given by its acronym, the regency and village by their codes."""
    serializer_field_mapping = FIELD_MAPPING  # money as whole rupiah (integers)

    agency = serializers.SlugRelatedField(
        slug_field="acronym", queryset=Agency.objects.all(),
        help_text="Singkatan instansi / agency's acronym, e.g. BPJS TK (see /agencies/)",
        error_messages={"does_not_exist": _("No agency has the acronym {value}.")})
    agency_id = serializers.IntegerField(read_only=True, help_text="the agency's id (the ?agency= filter takes it)")
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    regency = serializers.SlugRelatedField(
        slug_field="code", queryset=Regency.objects.all(), required=False, allow_null=True,
        help_text="Kode kabupaten/kota, e.g. 32.09 — for a regency engagement only",
        error_messages={"does_not_exist": _("No regency or city has the code {value}.")})
    regency_name = serializers.CharField(source="regency.name", read_only=True, allow_null=True)
    village = serializers.SlugRelatedField(
        slug_field="code", queryset=Village.objects.all(), required=False, allow_null=True,
        help_text="Kode desa, e.g. 32.09.07.2002 — for a village engagement only",
        error_messages={"does_not_exist": _("No village has the code {value}.")})
    village_name = serializers.CharField(source="village.name", read_only=True, allow_null=True)
    version = version_field()

    class Meta:
        model = Engagement
        fields = ["id", "agency", "agency_id", "agency_name", "level", "regency", "regency_name", "village",
                  "village_name", "pillar", "kind", "year", "budget", "description", "version", "created_at",
                  "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
