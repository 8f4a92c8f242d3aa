"""The personal-data policy (UU 27/2022), declared once for every door.

``POLICY`` names, per model, the fields that are personal data and what a reader who may not see
them in full (``accounts.permissions.sees_personal_data``: every role but admin, and regency and
village staff inside their own area) is shown instead. Serializers, template tags, the history tab,
exports, the admin and the access log all read it; ``tests/privacy/test_policy.py`` fails for a field
of these models that the declaration does not classify, so a new personal field cannot slip through
unmasked.

What a masked reader sees is chosen so that no identifier can be rebuilt from the rest of what is
shown beside it: a NIK is ``PP KK CC DDMMYY SSSS`` (region of registration, birth date with day + 40
for women, serial), and the village, gender and birth date are shown to masked readers — so the
masked NIK shows no digit at all, and the birth date only its year. Phone, address and free-text
notes are hidden whole, with a mask of fixed length (the length of a value says something too).

Showing a PMI's personal data unmasked is logged (privacy.PersonalDataAccess): ``shown`` notes the
person on the request, and ``privacy.middleware`` writes one row per person when the answer leaves.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from .permissions import sees_personal_data

MASK = "•"
HIDDEN = MASK * 6  # every hidden text field looks the same, whatever its length
NIK_MASK = MASK * 16


def hide(value: Any) -> str | None:
    """A text field hidden whole (an empty one stays empty: there is nothing to hide)."""
    return HIDDEN if value not in (None, "") else value


def hide_nik(value: Any) -> str | None:
    return NIK_MASK if value else value


def year_only(value: datetime.date | None) -> int | None:
    """A birth date as its year: the age is kept, the NIK's DDMM part is not given away."""
    return value.year if value else None


@dataclass(frozen=True)
class PersonalRecord:
    """The policy for one model.

    ``village``: attribute path from a record to its village code — whose area decides who sees it;
    ``person``: attribute path to the id of the PMI whose unmasked view is logged ('' for records
    that are not about a PMI); ``masked``: the personal fields, each with what masked readers see;
    ``public``: the record's other fields, shown to whoever may read the record.
    """

    village: str
    person: str
    masked: Mapping[str, Callable[[Any], Any]]
    public: frozenset[str] = field(default_factory=frozenset)

    def village_code(self, obj) -> str:
        return attrgetter(self.village)(obj) or ""

    def person_id(self, obj) -> int | None:
        return attrgetter(self.person)(obj) if self.person else None


POLICY: dict[str, PersonalRecord] = {
    "migrants.migrantworker": PersonalRecord(
        village="village_id", person="pk",
        masked={"nik": hide_nik, "birth_date": year_only, "phone": hide, "address": hide},
        # the NIK checks' verdict says whether the NIK agrees with the record, not what its digits are
        public=frozenset({"id", "name", "gender", "village", "education", "marital_status", "stage",
                          "registered_on", "stage_changed_on", "nik_needs_verification", "nik_flags",
                          "version", "created_at", "updated_at"})),
    "migrants.placement": PersonalRecord(
        village="migrant.village_id", person="migrant_id", masked={},
        public=frozenset({"id", "migrant", "destination_country", "sector", "job", "scheme", "p3mi_name",
                          "departure_date", "contract_end_date", "return_date", "return_reason", "version",
                          "created_at", "updated_at"})),
    "migrants.reintegration": PersonalRecord(
        village="migrant.village_id", person="migrant_id",
        # free text about a person's livelihood, family or health
        masked={"notes": hide},
        public=frozenset({"id", "migrant", "training_received", "has_business", "business_type",
                          "business_started_on", "is_cooperative_member", "has_kur_credit", "credit_bank",
                          "has_bpjs_ketenagakerjaan", "version", "updated_at"})),
    "villages.fieldofficer": PersonalRecord(
        village="desmigratif_village.village_id", person="",
        masked={"phone": hide},
        public=frozenset({"id", "desmigratif_village", "name", "role", "active_since", "active_until",
                          "version"})),
    "cooperatives.cooperativemember": PersonalRecord(
        village="cooperative.desmigratif_village.village_id", person="migrant_id", masked={},
        # member names are person-level data: the cooperative pages show them only to person-record
        # readers (accounts.scoping), never to agency staff
        public=frozenset({"id", "cooperative", "name", "migrant", "is_returned_pmi", "joined_on", "version"})),
}


def policy_for(obj_or_label) -> PersonalRecord | None:
    label = obj_or_label if isinstance(obj_or_label, str) else obj_or_label._meta.label_lower
    return POLICY.get(label)


def is_personal(obj_or_label, name: str) -> bool:
    policy = policy_for(obj_or_label)
    return policy is not None and name in policy.masked


def sees_unmasked(user, obj) -> bool:
    """Whether ``user`` sees this record's personal fields in full."""
    policy = policy_for(obj)
    return policy is None or sees_personal_data(user, policy.village_code(obj))


def masked_value(obj_or_label, name: str, value: Any) -> Any:
    """What a masked reader sees of ``value``, the value of the field ``name`` of such a record."""
    policy = policy_for(obj_or_label)
    if policy is None or name not in policy.masked:
        return value
    return policy.masked[name](value)


def shown(obj, name: str, *, user, request=None, value: Any = None) -> Any:
    """The field ``name`` of ``obj`` as ``user`` may see it; an unmasked personal value is noted on
    ``request`` for the access log. ``value``: the value to show, when it is not ``obj``'s own."""
    value = getattr(obj, name) if value is None else value
    policy = policy_for(obj)
    if policy is None or name not in policy.masked:
        return value
    if not sees_personal_data(user, policy.village_code(obj)):
        return policy.masked[name](value)
    if value not in (None, ""):
        note_shown(request, obj)
    return value


# --- the access log's side: which persons a request showed unmasked -----------------------------------

REQUEST_ATTRIBUTE = "_personal_data_shown"
LIST_DOOR = "list"  # privacy.choices.AccessDoor.LIST: a page showing many persons at once


def note_list(request) -> None:
    """This answer is a list or a search: its views are logged as such."""
    if request is not None:
        getattr(request, "_request", request).personal_data_door = LIST_DOOR


def note_shown(request, obj) -> None:
    """Remember that this answer shows the personal data of ``obj``'s PMI unmasked (written once per
    person by privacy.middleware, when the answer leaves)."""
    if request is None:
        return
    policy = policy_for(obj)
    person = policy.person_id(obj) if policy else None
    if person is None:
        return
    noted = getattr(request, REQUEST_ATTRIBUTE, None)
    if noted is None:
        # the attribute lives on the Django request: a DRF Request hands attributes on to it
        noted = {}
        setattr(getattr(request, "_request", request), REQUEST_ATTRIBUTE, noted)
    noted.setdefault(person, policy.village_code(obj))


def shown_persons(request) -> dict[int, str]:
    """PMI id → village code of the persons this request showed unmasked."""
    return getattr(getattr(request, "_request", request), REQUEST_ATTRIBUTE, None) or {}
