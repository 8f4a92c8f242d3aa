from rest_framework import serializers
from rest_framework.reverse import reverse

from accounts.disclosure import Small, count_rounding, hides_small_counts

from ..figures import figures_shown
from ..models import YearlyReport


def _json(value):
    """The figures with ``<5`` written as the string, as the statistics API writes it."""
    if isinstance(value, Small):
        return str(value)
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


class YearlyReportSerializer(serializers.ModelSerializer):
    workbook_url = serializers.SerializerMethodField(help_text="The .xlsx, once the report is done.")

    class Meta:
        model = YearlyReport
        fields = ["id", "year", "area_code", "area_name", "scope", "version", "status", "is_current", "as_of",
                  "progress", "error", "requested_at", "started_at", "finished_at", "workbook_url"]
        read_only_fields = fields

    def get_workbook_url(self, report) -> str | None:
        if report.status != "done":
            return None
        return reverse("api:yearlyreport-workbook", args=[report.pk], request=self.context.get("request"))


class YearlyReportDetailSerializer(YearlyReportSerializer):
    """A report with its figures as the caller may see them: the report keeps them exact, and the
    counts of persons are rounded here for a caller who does not serve the report's area."""

    figures = serializers.SerializerMethodField(help_text="The report's figures (codes, not labels).")
    small_counts_hidden = serializers.SerializerMethodField(
        help_text='Whether counts of persons are rounded for the caller (0 to 4 read "<5")')
    count_rounding = serializers.SerializerMethodField(
        help_text="What counts of persons are rounded to: 10 when `small_counts_hidden`, else 1 (exact)")

    class Meta(YearlyReportSerializer.Meta):
        fields = [*YearlyReportSerializer.Meta.fields, "small_counts_hidden", "count_rounding", "figures"]
        read_only_fields = fields

    def _protect(self, report) -> bool:
        request = self.context.get("request")
        return hides_small_counts(getattr(request, "user", None), report.area_code)

    def get_figures(self, report) -> dict:
        return _json(figures_shown(report.figures, protect=self._protect(report)))

    def get_small_counts_hidden(self, report) -> bool:
        return self._protect(report)

    def get_count_rounding(self, report) -> int:
        return count_rounding(protect=self._protect(report))


class YearlyReportRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year of the report / tahun laporan")
    area_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=5,
                                      help_text="'' national, a province (32) or a regency (32.09)")
