"""The Celery application of the portal.

Settings come from Django's settings under the ``CELERY_`` namespace; with no
``REDIS_URL`` they make tasks run eagerly in the calling process (the embedded default).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "desmigratif.settings.local")

app = Celery("desmigratif")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
