from django.db.models import Count, QuerySet

from accounts.scoping import area_q

from .choices import Stage
from .models import MigrantWorker


def migrant_list(*, user) -> QuerySet[MigrantWorker]:
    return MigrantWorker.objects.filter(area_q(user, "village")).select_related("village")


def migrant_stage_counts(*, user) -> list[tuple[str, str, int]]:
    """(stage, label, count) for every stage, in lifecycle order, within the user's area."""
    counts = dict(migrant_list(user=user).order_by().values_list("stage").annotate(n=Count("pk")))
    return [(stage.value, stage.label, counts.get(stage.value, 0)) for stage in Stage]
