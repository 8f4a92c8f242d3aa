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
with no version to compare): a form opened before any of them is then refused. A save that changes
nothing writes nothing (``versioned_write``): the version, the history and the summaries stay as they
were.
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


def stored_changes(instance: models.Model, stored: dict) -> list[str]:
    """The fields whose value on ``instance`` differs from ``stored`` (the row's values by attname), leaving
    out what a save sets by itself (the key, the version, auto_now dates)."""
    return [field.name for field in _compared_fields(type(instance))
            if getattr(instance, field.attname) != stored[field.attname]]


def _compared_fields(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields
            if not field.primary_key and field.attname != VERSION_FIELD
            and not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)]


def versioned_write(instance: VersionedModel, fields: dict, *, expected_version: int | None = None) -> bool:
    """Set ``fields`` on the record, validate it with the model's rules and save it with its next version
    (``version_claim``); True when it was written.

    Nothing changed — the validated values are the stored ones, whatever door sent them (an empty PATCH,
    a PUT or a form sent back unchanged, an admin save) — means nothing is written: no history row, no
    new version, ``updated_at`` and the summaries as they were. A stale ``expected_version`` is refused
    (StaleRecordError) even then: the user did not see the record as it is, and the answer to "save what
    I saw" does not depend on whether someone else's change happens to equal theirs. The caller holds the
    transaction.
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    if instance.pk is None:
        instance.full_clean()
        instance.save()
        return True
    compared = _compared_fields(type(instance))
    stored = (type(instance)._base_manager.filter(pk=instance.pk)
              .values(VERSION_FIELD, *(field.attname for field in compared)).first())
    if stored is None:  # deleted meanwhile: never re-created by a save
        raise StaleRecordError(instance, expected_version=expected_version)
    if expected_version is not None and stored[VERSION_FIELD] != expected_version:
        raise StaleRecordError(instance, expected_version=expected_version)
    instance.full_clean()  # first: it normalises values (a NIK typed with dots) before they are compared
    if not stored_changes(instance, stored):
        instance.version = stored[VERSION_FIELD]
        return False
    version_claim(instance, expected_version=expected_version)
    instance.save()
    return True


def versioned_save(instance: VersionedModel, fields: dict, *, expected_version: int | None = None):
    """``versioned_write``, returning the record."""
    versioned_write(instance, fields, expected_version=expected_version)
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
