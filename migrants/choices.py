from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior secondary (SMP)")
    SMA = "sma", _("Senior secondary (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    BACHELOR = "s1", _("Bachelor (S1)")
    POSTGRADUATE = "s2", _("Postgraduate (S2/S3)")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Stage(models.TextChoices):
    """Where a PMI is in the migration lifecycle."""

    REGISTERED = "registered", _("Registered (prospective)")
    VERIFIED = "verified", _("Verified (prospective)")
    IN_TRAINING = "in_training", _("In training (prospective)")
    READY = "ready", _("Ready to depart (prospective)")
    ABROAD = "abroad", _("Working abroad")
    RETURNED = "returned", _("Returned (PMI purna)")


PROSPECTIVE_STAGES = (Stage.REGISTERED, Stage.VERIFIED, Stage.IN_TRAINING, Stage.READY)


class Country(models.TextChoices):
    """Destination countries (ISO 3166-1 alpha-2), the main ones of recent years first."""

    TW = "TW", _("Taiwan")
    MY = "MY", _("Malaysia")
    HK = "HK", _("Hong Kong")
    KR = "KR", _("South Korea")
    JP = "JP", _("Japan")
    SG = "SG", _("Singapore")
    SA = "SA", _("Saudi Arabia")
    IT = "IT", _("Italy")
    BN = "BN", _("Brunei")
    TR = "TR", _("Turkey")
    AE = "AE", _("United Arab Emirates")
    QA = "QA", _("Qatar")
    KW = "KW", _("Kuwait")
    OM = "OM", _("Oman")
    BH = "BH", _("Bahrain")
    PL = "PL", _("Poland")
    DE = "DE", _("Germany")
    NL = "NL", _("Netherlands")
    AU = "AU", _("Australia")
    NZ = "NZ", _("New Zealand")
    US = "US", _("United States")
    MO = "MO", _("Macau")
    CN = "CN", _("China")
    TH = "TH", _("Thailand")
    OTHER = "ZZ", _("Other country")


class Sector(models.TextChoices):
    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Informal (domestic work)")


class PlacementScheme(models.TextChoices):
    G_TO_G = "g2g", _("Government to government (G to G)")
    G_TO_P = "g2p", _("Government to private (G to P)")
    P_TO_P = "p2p", _("Private to private via a P3MI (P to P)")
    INDEPENDENT = "mandiri", _("Independent (perseorangan/mandiri)")


class ReturnReason(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    UNPAID_WAGES = "unpaid_wages", _("Problem: unpaid wages")
    ABUSE = "abuse", _("Problem: abuse")
    ILLNESS = "illness", _("Problem: illness")
    DEPORTED = "deported", _("Deported")
    DEATH = "death", _("Death")
    OTHER = "other", _("Other")


class PlacementEvent(models.TextChoices):
    """What a placement summary row counts."""

    DEPARTED = "departed", _("Departures")
    RETURNED = "returned", _("Returns")
