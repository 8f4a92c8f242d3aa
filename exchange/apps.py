from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Excel/CSV templates, imports (dry run, then all or nothing) and exports of program records."""

    name = "exchange"
    verbose_name = _("Imports and exports")
