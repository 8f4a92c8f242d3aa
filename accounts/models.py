from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Role

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
    token never writes, whatever its user's role.
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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"
