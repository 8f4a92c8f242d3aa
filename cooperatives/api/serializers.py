from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.disclosure import Small, count_shown, hides_small_counts
from desmigratif.api.fields import FIELD_MAPPING, LimitMessagesMixin
from desmigratif.api.versioning import version_field
from villages.models import DesmigratifVillage

from ..models import Cooperative, CooperativeYearlyFigure
from ..selectors import cooperative_list


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": ["<5"]}],
                      "description": "Members who are returned PMI. Written as a whole number; read exact by "
                                     "those who serve the cooperative's area, and by others rounded to the "
                                     "nearest 10 with 0 to 4 as `\"<5\"` (a count of PMI)."})
class ReturnedPmiField(serializers.IntegerField):
    pass


class ReturnedPmiMixin:
    """The model's field for ``members_returned_pmi`` (label, limits), with a schema that says how it reads."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        return (ReturnedPmiField if field_name == "members_returned_pmi" else field_class), kwargs


def _returned_pmi_shown(figure: dict, *, user, village_code: str) -> dict:
    """A figure's count of returned PMI as the caller may see it (accounts.disclosure), as the dashboards show it."""
    protect = hides_small_counts(user, village_code or "")
    if protect and isinstance(figure.get("members_returned_pmi"), int):
        shown = count_shown(figure["members_returned_pmi"], protect=True)
        figure["members_returned_pmi"] = str(shown) if isinstance(shown, Small) else shown
    return figure


class CooperativeYearlyFigureSerializer(ReturnedPmiMixin, LimitMessagesMixin, serializers.ModelSerializer):
    """One book year's figures of a cooperative (amounts in rupiah, whole numbers)."""
    serializer_field_mapping = FIELD_MAPPING  # money as whole rupiah (integers)

    cooperative = serializers.PrimaryKeyRelatedField(
        queryset=Cooperative.objects.none(),  # replaced by the user's cooperatives in get_fields()
        help_text=_("The cooperative's id"))
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    village = serializers.CharField(source="cooperative.desmigratif_village.village_id", read_only=True,
                                    help_text=_("Village code of the cooperative"))
    version = version_field()

    class Meta:
        model = CooperativeYearlyFigure
        fields = ["id", "cooperative", "cooperative_name", "village", "year", "members", "members_returned_pmi",
                  "capital", "assets", "revenue", "shu", "version"]
        # the services' full_clean() checks "once a year" and says so in the model's own words
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        # another area's cooperative does not exist for the user, as on the pages
        fields["cooperative"].queryset = cooperative_list(user=self.context.get("user"))
        return fields

    def to_representation(self, instance):
        return _returned_pmi_shown(super().to_representation(instance), user=self.context.get("user"),
                                   village_code=instance.cooperative.desmigratif_village.village_id)


class NestedYearlyFigureSerializer(ReturnedPmiMixin, serializers.ModelSerializer):
    """Shown within a cooperative (CooperativeDetailSerializer applies the rule for returned PMI)."""
    serializer_field_mapping = FIELD_MAPPING  # money as whole rupiah (integers)

    class Meta:
        model = CooperativeYearlyFigure
        fields = ["id", "year", "members", "members_returned_pmi", "capital", "assets", "revenue", "shu", "version"]
        read_only_fields = fields


class ProgramVillageField(serializers.SlugRelatedField):
    """A Desmigratif village given by its official village code."""

    default_error_messages = {
        "does_not_exist": _("Village {value} is not a Desmigratif program village."),
        "invalid": _("Give a village code, e.g. 32.09.07.2002."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="village_id", queryset=DesmigratifVillage.objects.all(), **kwargs)


class CooperativeSerializer(serializers.ModelSerializer):
    """A cooperative or BUMDes unit of a Desmigratif village. Members are not shown here: they are
    persons, read on the portal's cooperative page."""
    serializer_field_mapping = FIELD_MAPPING  # money as whole rupiah (integers)

    village = ProgramVillageField(source="desmigratif_village",
                                  help_text=_("Code of the Desmigratif village, e.g. 32.09.07.2002"))
    village_name = serializers.CharField(source="desmigratif_village.village.name", read_only=True)
    version = version_field()

    class Meta:
        model = Cooperative
        fields = ["id", "village", "village_name", "name", "kind", "business_type", "year_founded",
                  "legal_entity_number", "is_active", "version", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # the services' full_clean() checks the unique name and legal entity number with the model's messages
        validators = []


class CooperativeDetailSerializer(CooperativeSerializer):
    yearly_figures = NestedYearlyFigureSerializer(many=True, read_only=True)

    class Meta(CooperativeSerializer.Meta):
        fields = [*CooperativeSerializer.Meta.fields, "yearly_figures"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        village = instance.desmigratif_village.village_id
        data["yearly_figures"] = [_returned_pmi_shown(figure, user=self.context.get("user"), village_code=village)
                                  for figure in data["yearly_figures"]]
        return data
