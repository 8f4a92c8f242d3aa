from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.IntegerChoices):
    """The four pillars of Permenaker 2/2019."""

    MIGRATION_SERVICE = 1, _("Migration services")
    PRODUCTIVE_BUSINESS = 2, _("Productive business")
    COMMUNITY_PARENTING = 3, _("Community parenting")
    COOPERATIVE = 4, _("Cooperatives / BUMDes")


class FundingSource(models.TextChoices):
    APBN = "apbn", _("National budget (APBN)")
    APBD = "apbd", _("Regional budget (APBD)")
    DANA_DESA = "dana_desa", _("Village funds (Dana Desa)")
    OTHER = "other", _("Other")


class DesmigratifStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    GRADUATED = "graduated", _("Graduated")


class OfficerRole(models.TextChoices):
    FIELD_OFFICER = "petugas", _("Desmigratif field officer")
    REGENCY_COORDINATOR = "koordinator", _("Regency coordinator")
    PERSON_IN_CHARGE = "penanggung_jawab", _("Person in charge (Disnaker)")


class ActivityKind(models.TextChoices):
    """What was done; the value's prefix is the pillar it belongs to."""

    # pillar 1: migration services
    JOB_INFORMATION = "1_job_info", _("Job-market information")
    GUIDANCE = "1_guidance", _("Migration guidance")
    DATA_VERIFICATION = "1_verification", _("Verification of prospective PMI data")
    DOCUMENT_FACILITATION = "1_documents", _("Document facilitation")
    FAMILY_ASSISTANCE = "1_family_help", _("Help for families of PMI in trouble")
    MIGRATION_RECORDING = "1_recording", _("Recording of departures and returns")
    # pillar 2: productive business
    ENTREPRENEURSHIP_TRAINING = "2_training", _("Entrepreneurship training")
    APPROPRIATE_TECHNOLOGY = "2_technology", _("Appropriate technology")
    EQUIPMENT_AID = "2_equipment", _("Equipment aid")
    INCUBATION = "2_incubation", _("Business incubation")
    MARKETING = "2_marketing", _("Marketing")
    # pillar 3: community parenting (groups and counts only, never named children)
    PARENTING_SESSION = "3_parenting", _("Parenting session")
    CHILDREN_LEARNING = "3_learning", _("Children's learning activity")
    COUNSELLING = "3_counselling", _("Counselling")
    # pillar 4: cooperatives / BUMDes
    COOPERATIVE_FORMATION = "4_formation", _("Cooperative formation")
    COOPERATIVE_TRAINING = "4_training", _("Cooperative management training")
    MEMBER_MEETING = "4_meeting", _("Members' meeting")
    SAVINGS_AND_CREDIT = "4_savings_credit", _("Savings and credit service")

    @classmethod
    def for_pillar(cls, pillar: int) -> list[str]:
        return [value for value in cls.values if value.startswith(f"{pillar}_")]

    @classmethod
    def pillar_of(cls, value: str) -> int:
        return int(value.split("_", 1)[0])
