from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Deterministic demo data and demo users for development (``manage.py load_demo``)."""

    name = "demo"
    verbose_name = _("Demo data")
