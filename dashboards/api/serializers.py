"""The statistics' query parameters and the rows they answer with (also the OpenAPI schema).

Rows are flat so that every table is a CSV as it is. Counts of persons arrive as the caller may see
them (``accounts.disclosure``): for callers who do not serve the area, rounded to the nearest 10 and
the string ``"<5"`` for 0 to 4, never the number. Amounts of money are whole rupiah, JSON integers.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from accounts.disclosure import Small
from villages.choices import Pillar
from villages.models import PROGRAM_START_YEAR

from ..forms import DashboardPeriodForm

AREA_CODE = re.compile(r"^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?$")
PILLAR_COLUMNS = [f"pillar_{p}" for p in Pillar.values]


# --- query parameters ------------------------------------------------------------------------------


class StatisticsQuerySerializer(serializers.Serializer):
    area = serializers.CharField(required=False, allow_blank=True, max_length=13, default="")
    year = serializers.IntegerField(required=False, min_value=PROGRAM_START_YEAR, max_value=9999)
    start = serializers.IntegerField(required=False, min_value=PROGRAM_START_YEAR, max_value=9999)

    def validate_area(self, value: str) -> str:
        value = value.strip()
        if not AREA_CODE.match(value):
            raise serializers.ValidationError(_("Not a region code: give e.g. 32, 32.09, 32.09.14 or 32.09.14.2004."))
        return value

    def validate(self, data: dict) -> dict:
        # the dashboards' defaults: the last complete year (the current one is still being recorded), from 2016
        default_year, default_start = DashboardPeriodForm().period()
        data["year"] = data.get("year") or default_year
        data["start"] = data.get("start") or default_start
        if data["year"] > timezone.localdate().year:
            raise serializers.ValidationError({"year": _("The year cannot be in the future.")})
        if data["start"] > data["year"]:
            raise serializers.ValidationError({"start": _("The series cannot start after the year shown.")})
        return data


# --- fields ------------------------------------------------------------------------------------------


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["<5"]}],
                      "description": "A count of persons. For a caller who does not serve the area "
                                     "(`small_counts_hidden`), rounded to the nearest `count_rounding` (10), "
                                     "and `\"<5\"` for 0 to 4."})
class CountField(serializers.Field):
    """A count of persons as the caller may see it: the number (exact or rounded), or ``"<5"``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value) if isinstance(value, Small) else value


@extend_schema_field({"type": "integer", "format": "int64", "description": "Whole rupiah"})
class RupiahTotalField(serializers.Field):
    """A sum of amounts in whole rupiah, as a JSON integer (1500000, not 1500000.0), as the record
    endpoints write them (desmigratif.api.fields.RupiahField)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        # the amounts are whole rupiah; a database's sum may still come back as 1500000.00 or a float
        return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))


def Money(**kwargs) -> RupiahTotalField:  # noqa: N802 - reads as a field class
    return RupiahTotalField(**kwargs)


def Percent(**kwargs) -> serializers.FloatField:  # noqa: N802
    return serializers.FloatField(allow_null=True, read_only=True, **kwargs)


class StatisticsAreaSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Region code ('' = Indonesia) / kode wilayah ('' = nasional)")
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=["national", "province", "regency", "district", "village"])


# --- rows --------------------------------------------------------------------------------------------


class StatisticsSummaryRowSerializer(serializers.Serializer):
    villages_total = serializers.IntegerField(help_text="Desmigratif villages designated up to the year")
    villages_new = serializers.IntegerField(help_text="Designated in the year")
    villages_previous_total = serializers.IntegerField(help_text="Up to the year before")
    villages_growth = Percent(help_text="Growth of the total in the year, %")
    provinces = serializers.IntegerField(help_text="Provinces with a Desmigratif village")
    regencies = serializers.IntegerField(help_text="Regencies / cities with a Desmigratif village")
    pmi_total = CountField(help_text="PMI recorded (all stages)")
    pmi_prospective = CountField()
    pmi_abroad = CountField()
    pmi_returned = CountField(help_text="PMI whose stage is 'returned'")
    pmi_departed_in_year = CountField()
    pmi_returned_in_year = CountField()
    activities = serializers.IntegerField(help_text="Pillar activities in the year")
    participants = serializers.IntegerField()
    participants_women = serializers.IntegerField()
    participants_men = serializers.IntegerField()
    activity_budget = Money()
    cooperatives = serializers.IntegerField()
    cooperatives_active = serializers.IntegerField()
    cooperative_members = serializers.IntegerField(help_text="Members in the year's figures")
    agencies_engaged = serializers.IntegerField()
    agencies_previous_engaged = serializers.IntegerField()
    agencies_program = serializers.IntegerField(help_text="The agencies the program speaks of (16)")


class StatisticsGrowthRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    new = serializers.IntegerField()
    cumulative = serializers.IntegerField()
    growth = Percent(help_text="Growth of the cumulative count on the year before, %")


class StatisticsFundingRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    villages = serializers.IntegerField(help_text="Designated up to the year with this funding")


class StatisticsAreaRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    villages = serializers.IntegerField()
    new_villages = serializers.IntegerField()
    activities = serializers.IntegerField()
    participants = serializers.IntegerField()
    pmi = CountField()
    abroad = CountField()
    departed = CountField()
    returned = CountField()
    cooperative_members = serializers.IntegerField()


class StatisticsPillarRowSerializer(serializers.Serializer):
    pillar = serializers.IntegerField()
    label = serializers.CharField()
    activities = serializers.IntegerField()
    participants = serializers.IntegerField()
    budget = Money()
    previous_activities = serializers.IntegerField()
    previous_participants = serializers.IntegerField()


class StatisticsPillarYearRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    pillar_1 = serializers.IntegerField(help_text="Activities of pillar 1")
    pillar_2 = serializers.IntegerField()
    pillar_3 = serializers.IntegerField()
    pillar_4 = serializers.IntegerField()


class StatisticsActivityTotalRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    activities = serializers.IntegerField()
    participants = serializers.IntegerField()
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    services_given = serializers.IntegerField()
    businesses_started = serializers.IntegerField()
    children_reached = serializers.IntegerField()
    budget = Money()


class StatisticsMigrantYearRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    registered = CountField()
    departed = CountField()
    returned = CountField()


class StatisticsMigrantTotalRowSerializer(serializers.Serializer):
    total = CountField()
    prospective = CountField()
    abroad = CountField()
    returned = CountField()
    women = CountField()
    men = CountField()
    departed = CountField(help_text="Departures in the year")
    returned_in_year = CountField()
    previous_departed = CountField()
    previous_returned = CountField()
    departed_growth = Percent(help_text="From the counts as shown; null when either reads \"<5\" or there is no base")


class StatisticsStageRowSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = CountField()


class StatisticsCodeCountRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = CountField(help_text="In the year")
    previous = CountField(help_text="In the year before")


class StatisticsReintegrationRowSerializer(serializers.Serializer):
    figure = serializers.CharField()
    label = serializers.CharField()
    count = CountField()


class StatisticsCooperativeYearRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cooperatives = serializers.IntegerField()
    members = serializers.IntegerField()
    members_returned_pmi = CountField()
    capital = Money()
    assets = Money()
    revenue = Money()
    shu = Money(help_text="Sisa hasil usaha (surplus)")


class StatisticsCooperativeTotalRowSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    active = serializers.IntegerField()
    founded_by_year = serializers.IntegerField()


class StatisticsAgencyRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    acronym = serializers.CharField()
    name = serializers.CharField()
    pillar_1 = serializers.IntegerField(help_text="Engagements in pillar 1")
    pillar_2 = serializers.IntegerField()
    pillar_3 = serializers.IntegerField()
    pillar_4 = serializers.IntegerField()
    engagements = serializers.IntegerField()
    budget = Money()


class StatisticsAgencyTotalRowSerializer(serializers.Serializer):
    engaged = serializers.IntegerField()
    previous_engaged = serializers.IntegerField()
    program_agencies = serializers.IntegerField(help_text="The agencies the program speaks of (16)")
    engagements = serializers.IntegerField()
    budget = Money()


def envelope(name: str, tables: dict[str, type[serializers.Serializer]]) -> serializers.Serializer:
    """The response of one endpoint: the area, the period and its tables (``results`` first)."""
    return inline_serializer(f"Statistics{name}", fields={
        "area": StatisticsAreaSerializer(),
        "year": serializers.IntegerField(),
        "start": serializers.IntegerField(help_text="First year of the series"),
        "small_counts_hidden": serializers.BooleanField(
            help_text='Whether counts of persons are rounded for the caller (0 to 4 read "<5")'),
        "count_rounding": serializers.IntegerField(
            help_text="What counts of persons are rounded to: 10 when `small_counts_hidden`, else 1 (exact)"),
        **{table: row(many=True) for table, row in tables.items()},
    })
