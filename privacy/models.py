from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AccessAction, AccessDoor


class PersonalDataAccess(models.Model):
    """Who was shown, looked up, exported or erased a person's unmasked data, where, and when.

    The person is kept as an id, not a foreign key, so the trail survives the person's erasure;
    no NIK, name or phone is stored here. A look-up by NIK that found nobody has no person.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("user"))
    migrant_id = models.BigIntegerField(_("PMI record id"), null=True, blank=True, db_index=True)
    village_code = models.CharField(_("village code"), max_length=13, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    door = models.CharField(_("where"), max_length=10, choices=AccessDoor.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [models.Index(fields=["user", "at"]),
                   # the look-up limit counts a user's look-ups of the last day
                   models.Index(fields=["user", "action", "at"], name="privacy_lookups")]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=AccessAction.values), name="privacy_action_valid"),
            models.CheckConstraint(condition=models.Q(migrant_id__isnull=False) | models.Q(action="lookup"),
                                   name="privacy_person_unless_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} #{self.migrant_id or '—'}"
