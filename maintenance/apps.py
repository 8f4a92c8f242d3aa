from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """Operating the portal's database: backups, restores and a checksum of the program data."""

    name = "maintenance"
    verbose_name = _("Maintenance")
