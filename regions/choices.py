from django.db import models
from django.utils.translation import gettext_lazy as _


class RegencyKind(models.TextChoices):
    REGENCY = "kabupaten", _("Regency (kabupaten)")
    CITY = "kota", _("City (kota)")


class VillageKind(models.TextChoices):
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    DESA = "desa", _("Village (desa)")
    DESA_ADAT = "desa_adat", _("Customary village (desa adat)")


class AreaLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency/city")
    DISTRICT = "district", _("District")
    VILLAGE = "village", _("Village")
