from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Duties towards the persons in the data (UU 27/2022): access log, export, erasure."""

    name = "privacy"
    verbose_name = _("Personal data")
