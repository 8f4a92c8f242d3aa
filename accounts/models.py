from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role, TokenOrigin, TokenRevocation

# The area field each role must have set, and only that one.
ROLE_AREA_FIELD = {
    Role.ADMIN: None,
    Role.MINISTRY: None,
    Role.PROVINCE_OFFICER: "province",
    Role.REGENCY_OPERATOR: "regency",
    Role.VILLAGE_OFFICER: "village",
    Role.AGENCY_STAFF: "agency",
}
AREA_FIELDS = ("province", "regency", "village", "agency")


def _role_area_condition() -> models.Q:
    condition = models.Q()
    for role, field in ROLE_AREA_FIELD.items():
        fields = {f"{name}__isnull": name != field for name in AREA_FIELDS}
        condition |= models.Q(role=role, **fields)
    return condition


class User(AbstractUser):
    """A portal user: a role, and the one area (or agency) the role works in."""

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MINISTRY)
    province = models.ForeignKey("regions.Province", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("province"))
    regency = models.ForeignKey("regions.Regency", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("regency/city"))
    village = models.ForeignKey("regions.Village", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"))
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, null=True, blank=True, related_name="users",
                               verbose_name=_("agency"))

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=_role_area_condition(), name="user_area_matches_role",
                                   violation_error_message=_("The area must match the role: a province "
                                                             "for a province officer, a regency for a "
                                                             "regency operator, a village for a village "
                                                             "officer, an agency for agency staff, none "
                                                             "for national roles.")),
        ]

    @property
    def area_code(self) -> str:
        """The region code prefix the user works within ('' = the whole country)."""
        return self.province_id or self.regency_id or self.village_id or ""

    def save(self, *args, **kwargs) -> None:
        # A new password ends the API tokens obtained with the old one, whichever door set it: the
        # password pages, the admin's password form, a reset, `changepassword`, or set_password()
        # from code. set_password() keeps the raw password in `_password` until the save; a hash
        # upgrade by check_password() clears it first (no change of password), and disabling
        # password sign-in (set_unusable_password(), the admin's form) leaves an unusable hash.
        update_fields = kwargs.get("update_fields")
        changed = (not self._state.adding and (update_fields is None or "password" in update_fields)
                   and (self._password is not None or not self.has_usable_password()))
        if not changed:
            super().save(*args, **kwargs)
            return
        from .services import api_token_revoke_for_password_change  # services build on this module

        with transaction.atomic():
            super().save(*args, **kwargs)
            api_token_revoke_for_password_change(user=self)

    def clean(self) -> None:
        super().clean()
        wanted = ROLE_AREA_FIELD.get(self.role)
        errors = {}
        for name in AREA_FIELDS:
            is_set = getattr(self, f"{name}_id") is not None
            if name == wanted and not is_set:
                errors[name] = _("This role needs this area.")
            elif name != wanted and is_set:
                errors[name] = _("This role does not use this area.")
        if errors:
            raise ValidationError(errors)


class ApiToken(models.Model):
    """A key for the REST API (``Authorization: Token <key>``), for a user or a client system's account.

    Only a hash of the key is stored: the key itself is shown once, when it is issued. A read-only
    token never writes, whatever its user's role. A token obtained with a username and password
    expires (``API_TOKEN_LIFETIME``) and ends with that password; one an administrator issues lasts
    until it is revoked (accounts.services).
    """

    key = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False,
                              help_text=_("The first characters of the key, to tell tokens apart."))
    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("The client system or purpose, e.g. “Dashboard BPS Jawa Barat”."))
    read_only = models.BooleanField(_("read only"), default=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    obtained_with = models.CharField(_("obtained"), max_length=10, choices=TokenOrigin.choices,
                                     default=TokenOrigin.ISSUED, editable=False)
    issued_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
                                  verbose_name=_("issued by"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, editable=False,
                                      help_text=_("Empty: until it is revoked."))
    revoked_reason = models.CharField(_("why revoked"), max_length=10, choices=TokenRevocation.choices, blank=True,
                                      editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=models.Q(obtained_with=TokenOrigin.ISSUED)
                                   | models.Q(expires_at__isnull=False),
                                   name="apitoken_password_token_expires"),
            models.CheckConstraint(condition=models.Q(revoked_at__isnull=True, revoked_reason="")
                                   | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason="")),
                                   name="apitoken_revoked_with_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    def has_expired(self, at=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (at or timezone.now())
