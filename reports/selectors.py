from django.db.models import Q, QuerySet

from accounts.scoping import area_prefix

from .models import YearlyReport


def yearly_report_list(*, user) -> QuerySet[YearlyReport]:
    """Reports of the user's area and the areas within it (the country's for national roles)."""
    prefix = area_prefix(user)
    if prefix is None:
        return YearlyReport.objects.none()
    if prefix == "":
        return YearlyReport.objects.all()
    return YearlyReport.objects.filter(Q(area_code=prefix) | Q(area_code__startswith=f"{prefix}."))


def yearly_report_versions(report: YearlyReport) -> QuerySet[YearlyReport]:
    return YearlyReport.objects.filter(year=report.year, area_code=report.area_code).order_by("-version")
