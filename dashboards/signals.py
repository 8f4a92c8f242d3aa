"""Cached dashboard figures follow the records: any saved or deleted program record changes the data
version (``desmigratif.summaries.data_changed``). Writes in bulk, which send no signals, recount the
summaries, which changes it too."""
from django.db.models.signals import post_delete, post_save

from agencies.models import Agency, Engagement
from cooperatives.models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from desmigratif.summaries import data_changed
from migrants.models import MigrantWorker, Placement, Reintegration
from villages.models import DesmigratifVillage, PillarActivity

PROGRAM_MODELS = (DesmigratifVillage, PillarActivity, MigrantWorker, Placement, Reintegration, Cooperative,
                  CooperativeMember, CooperativeYearlyFigure, Agency, Engagement)


def _changed(sender, **kwargs) -> None:
    data_changed()


def connect() -> None:
    for model in PROGRAM_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboards-{model._meta.label}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboards-{model._meta.label}-delete")
