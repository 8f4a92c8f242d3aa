from rest_framework import serializers
from rest_framework.reverse import reverse

from ..models import YearlyReport


class YearlyReportSerializer(serializers.ModelSerializer):
    workbook_url = serializers.SerializerMethodField(help_text="The .xlsx, once the report is done.")

    class Meta:
        model = YearlyReport
        fields = ["id", "year", "area_code", "area_name", "scope", "version", "status", "is_current", "as_of",
                  "progress", "error", "requested_at", "started_at", "finished_at", "workbook_url"]
        read_only_fields = fields

    def get_workbook_url(self, report) -> str | None:
        if report.status != "done" or not report.workbook:
            return None
        return reverse("api:yearlyreport-workbook", args=[report.pk], request=self.context.get("request"))


class YearlyReportDetailSerializer(YearlyReportSerializer):
    class Meta(YearlyReportSerializer.Meta):
        fields = [*YearlyReportSerializer.Meta.fields, "figures"]
        read_only_fields = fields


class YearlyReportRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year of the report / tahun laporan")
    area_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=5,
                                      help_text="'' national, a province (32) or a regency (32.09)")
