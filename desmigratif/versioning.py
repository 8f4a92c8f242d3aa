"""Optimistic versioning of the records officials edit: two people editing the same record never
overwrite each other unknowingly.

Every editable record carries a ``version`` (1 when created). An edit page and the API hand out the
version the user starts from; the ``*_update`` services take it back as ``expected_version`` and claim
the next version with one conditional ``UPDATE … SET version = version + 1 WHERE pk = … AND version =
expected`` in their transaction, before they save. No row updated means someone else saved (or
deleted) the record meanwhile: ``StaleRecordError`` says who and when (from the record's history) and
nothing is written. The row stays locked by that UPDATE until the service's transaction ends, so of
two saves sent at the same moment the second waits, then finds the version moved on.

Every write bumps the version, also those that do not check it (stage actions, the admin, imports
with no version to compare): a form opened before any of them is then refused.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "version"


class VersionedModel(models.Model):
    """A record edited by officials: ``version`` counts its saves (see the module's docstring).

    ``db_default`` as well as ``default``: rows written outside the ORM (COPY in ``generate_national``,
    the imports' bulk writes) start at 1 too.
    """

    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False,
                                          help_text=_("Counts the saves of the record; an edit must start "
                                                      "from the current version."))

    class Meta:
        abstract = True


@dataclass(frozen=True)
class LastChange:
    who: str  # empty when the history does not know (a system write)
    when: datetime.datetime | None
    deleted: bool


def last_change(instance: models.Model) -> LastChange:
    """Who changed the record last and when, from its django-simple-history rows."""
    history = getattr(type(instance), "history", None)
    record = None
    if history is not None:
        record = (history.model.objects.filter(**{instance._meta.pk.attname: instance.pk})
                  .select_related("history_user").order_by("-history_date", "-history_id").first())
    if record is None:
        return LastChange(who="", when=None, deleted=False)
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user is not None else ""
    return LastChange(who=who, when=record.history_date, deleted=record.history_type == "-")


class StaleRecordError(ValidationError):
    """The record was saved (or deleted) by someone else since the user read it: nothing was written.

    A ValidationError, so that page forms show it as an error on the form (the user's input stays on
    the page); the API answers it with 409 Conflict.
    """

    def __init__(self, instance: models.Model, *, expected_version: int | None):
        self.change = last_change(instance)
        self.expected_version = expected_version
        self.current_version = (type(instance)._base_manager.filter(pk=instance.pk)
                                .values_list(VERSION_FIELD, flat=True).first())
        super().__init__(self.page_message(), code="stale")

    def _params(self) -> dict[str, str]:
        when = self.change.when
        return {"user": self.change.who or gettext("another user"),
                "time": timezone.localtime(when).strftime("%d/%m/%Y %H:%M") if when else "?"}

    def page_message(self) -> str:
        if self.current_version is None:
            return gettext("This record was deleted by %(user)s on %(time)s since you opened it; your input has "
                           "not been saved.") % self._params()
        return gettext("This record was changed by %(user)s on %(time)s since you opened it. Reload the page to "
                       "see the latest changes; your input has not been saved.") % self._params()

    def api_message(self) -> str:
        if self.current_version is None:
            return gettext("This record was deleted by %(user)s on %(time)s since you read it; nothing was "
                           "saved.") % self._params()
        return gettext("This record was changed by %(user)s on %(time)s since you read it (version %(sent)s, now "
                       "%(current)s). Read it again and send your change with the current version; nothing was "
                       "saved.") % {**self._params(), "sent": self.expected_version, "current": self.current_version}


def version_claim(instance: VersionedModel, *, expected_version: int | None = None) -> int:
    """Claim the record's next version in the caller's transaction and put it on ``instance``.

    ``expected_version``: the version the user started from (refused with StaleRecordError when the
    stored one differs); None for writes that have none to compare (last write wins, as before
    versioning), which still bump the version so that forms opened earlier are refused.
    """
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if expected_version is not None:
        if not rows.filter(version=expected_version).update(version=F(VERSION_FIELD) + 1):
            raise StaleRecordError(instance, expected_version=expected_version)
        instance.version = expected_version + 1
        return instance.version
    if not rows.update(version=F(VERSION_FIELD) + 1):  # deleted meanwhile: never re-created by a save
        raise StaleRecordError(instance, expected_version=None)
    instance.version = rows.values_list(VERSION_FIELD, flat=True).get()
    return instance.version


def versioned_save(instance: VersionedModel, fields: dict, *, expected_version: int | None = None):
    """Set ``fields`` on the record, validate it with the model's rules and save it; a stored record first
    claims its next version (``version_claim``: refused with StaleRecordError when ``expected_version``,
    the version the user started from, is no longer the stored one). The caller holds the transaction."""
    if instance.pk is not None:
        version_claim(instance, expected_version=expected_version)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


# --- page forms -----------------------------------------------------------------------------------


class VersionedFormMixin:
    """An edit form carries, hidden, the version of the record the user opened.

    After a refusal the page shows the form again with the user's input and the version they started
    from, so saving again is refused again until they reload the page and see the other's change.
    Forms of a record that may not exist yet (a reintegration) set ``version_when_new = 0``: "nobody
    has recorded it yet".
    """

    version_when_new: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            initial = self.instance.version
        elif self.version_when_new is not None:
            initial = self.version_when_new
        else:
            return
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, initial=initial,
            error_messages={"invalid": _("The page's record version is damaged: reload the page."),
                            "min_value": _("The page's record version is damaged: reload the page.")})

    def non_field_errors(self):
        # the hidden version's errors have no place on the page of their own
        errors = super().non_field_errors()
        if VERSION_FIELD in self.fields and self.has_error(VERSION_FIELD):
            errors = errors.copy()
            errors.extend(self.errors[VERSION_FIELD])
        return errors

    def expected_version(self) -> int | None:
        """The version the user started from (None: a request without one, e.g. a hand-made POST)."""
        return self.cleaned_data.get(VERSION_FIELD)

    def service_fields(self) -> dict:
        """The cleaned fields for the service, without the version (given as ``expected_version``)."""
        return {name: value for name, value in self.cleaned_data.items() if name != VERSION_FIELD}


# --- the admin ------------------------------------------------------------------------------------


class VersionedAdminMixin:
    """Admin saves of versioned records (and of their inline rows) move the version on, so that a page
    form opened before an administrator's correction is refused instead of overwriting it. (The admin's
    change view runs in a transaction, as the services do.)"""

    def save_model(self, request, obj, form, change):
        if change and obj.pk is not None:
            version_claim(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        deleted = set(getattr(formset, "deleted_forms", []))
        for inline_form in formset.forms:
            instance = inline_form.instance
            if (isinstance(instance, VersionedModel) and instance.pk is not None and inline_form.has_changed()
                    and inline_form not in deleted):
                version_claim(instance)
        super().save_formset(request, form, formset, change)
