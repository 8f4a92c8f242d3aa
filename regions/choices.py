from django.db import models
from django.utils.translation import gettext_lazy as _


class RegencyKind(models.TextChoices):
    REGENCY = "kabupaten", _("Regency (kabupaten)")
    CITY = "kota", _("City (kota)")


class VillageKind(models.TextChoices):
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    DESA = "desa", _("Village (desa)")
    DESA_ADAT = "desa_adat", _("Customary village (desa adat)")

