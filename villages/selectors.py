from django.db.models import Count, Prefetch, QuerySet

from accounts.scoping import area_q

from .models import DesmigratifVillage, FieldOfficer, PillarActivity


def desmigratif_village_list(*, user) -> QuerySet[DesmigratifVillage]:
    return (DesmigratifVillage.objects.filter(area_q(user, "village"))
            .select_related("village__district__regency__province"))


def desmigratif_village_detail_list(*, user) -> QuerySet[DesmigratifVillage]:
    """As the list, with what the detail page shows: officers and counts of what hangs on it."""
    return (desmigratif_village_list(user=user)
            .prefetch_related(Prefetch("officers", queryset=FieldOfficer.objects.order_by("name")))
            .annotate(activity_count=Count("activities", distinct=True),
                      cooperative_count=Count("cooperatives", distinct=True)))


def desmigratif_village_counts(*, user) -> dict:
    """Villages in the program within the user's area: the total and per year designated."""
    per_year = dict(desmigratif_village_list(user=user).order_by()
                    .values_list("year_designated").annotate(n=Count("pk")).order_by("year_designated"))
    cumulative, running = {}, 0
    for year, count in per_year.items():
        running += count
        cumulative[year] = running
    return {"total": running, "per_year": per_year, "cumulative": cumulative}


def pillar_activity_list(*, user) -> QuerySet[PillarActivity]:
    return (PillarActivity.objects.filter(area_q(user, "desmigratif_village__village"))
            .select_related("desmigratif_village__village", "partner_agency"))


def field_officer_list(*, user) -> QuerySet[FieldOfficer]:
    return (FieldOfficer.objects.filter(area_q(user, "desmigratif_village__village"))
            .select_related("desmigratif_village__village"))
