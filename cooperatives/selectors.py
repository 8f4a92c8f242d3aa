from django.db.models import Count, QuerySet

from accounts.scoping import area_q

from .models import Cooperative


def cooperative_list(*, user) -> QuerySet[Cooperative]:
    return (Cooperative.objects.filter(area_q(user, "desmigratif_village__village"))
            .select_related("desmigratif_village__village"))


def cooperative_counts(*, user) -> dict:
    """Cooperatives in the user's area and the members recorded by name in them."""
    qs = cooperative_list(user=user).order_by()
    return qs.aggregate(total=Count("pk", distinct=True), members=Count("members"))
