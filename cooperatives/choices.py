from django.db import models
from django.utils.translation import gettext_lazy as _


class CooperativeKind(models.TextChoices):
    COOPERATIVE = "koperasi", _("Cooperative (koperasi)")
    BUMDES = "bumdes", _("Village-owned enterprise (BUMDes)")


class BusinessType(models.TextChoices):
    SAVINGS_AND_LOANS = "simpan_pinjam", _("Savings and loans")
    MULTI_PURPOSE = "serba_usaha", _("Multi-purpose")
    PRODUCER = "produsen", _("Producers")
    CONSUMER = "konsumen", _("Consumers")
    MARKETING = "pemasaran", _("Marketing")
    SERVICES = "jasa", _("Services")
