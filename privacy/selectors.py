"""Reads for the portal's duties towards persons (UU 27/2022): who is affected by a breach of an area.

"Who was affected: a query, not a guess" (DESIGN.md §2). For an area (a region code: province,
regency, district or village) the people whose personal data the portal holds there:

- PMI of the area (NIK, name, phone, village, regency; the village is the current one);
- cooperative members of the area's cooperatives, and field officers of its Desmigratif villages;
- the portal's users who work in the area (their accounts).

With a window (``since``/``until``, dates, both ends included) the list narrows to the people whose
records changed in it, as the history tables (django-simple-history) tell: a PMI whose record was
changed in the area (even if they have moved away since), or whose placement or reintegration
changed; a member or officer whose record changed. A PMI deleted since (not erased) is listed from
their last history row. Users have no history: every account of the
area is always listed.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cooperatives.models import CooperativeMember
from migrants.models import MigrantWorker, Placement, Reintegration
from regions.models import District, Province, Regency, Village
from villages.models import FieldOfficer

# What each kind of person is called in the list
PMI, PMI_DELETED, MEMBER, OFFICER, USER = "pmi", "pmi_deleted", "cooperative_member", "field_officer", "user"


@dataclass(frozen=True)
class AffectedPerson:
    kind: str
    record_id: int
    nik: str
    name: str
    phone: str
    village_code: str
    village: str
    regency_code: str
    regency: str
    username: str  # users only
    email: str  # users only
    last_changed: datetime.datetime | None  # the last change in the window (None without a window)

    @classmethod
    def columns(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass(frozen=True)
class BreachQuery:
    area: str
    since: datetime.date | None = None
    until: datetime.date | None = None

    @property
    def windowed(self) -> bool:
        return bool(self.since or self.until)


def _area_exists(code: str) -> bool:
    return any(model.objects.filter(code=code).exists() for model in (Province, Regency, District, Village))


def breach_query(*, area: str, since: datetime.date | None = None, until: datetime.date | None = None) -> BreachQuery:
    """Check the question before asking it: an area that exists, a window that is one."""
    area = (area or "").strip()
    if not area or not _area_exists(area):
        raise ValidationError(_("“%(area)s” is not a region code: give a province (32), regency (32.09), district "
                                "(32.09.14) or village (32.09.14.2004) code.") % {"area": area})
    if since and until and since > until:
        raise ValidationError(_("The window starts (%(since)s) after it ends (%(until)s).")
                              % {"since": since.isoformat(), "until": until.isoformat()})
    return BreachQuery(area=area, since=since, until=until)


def _in_area(query: BreachQuery, village_path: str) -> Q:
    """Rows whose village (the relation ``village_path``) lies in the area (the code or below it)."""
    return (Q(**{f"{village_path}__code": query.area})
            | Q(**{f"{village_path}__code__startswith": f"{query.area}."}))


def _window(query: BreachQuery) -> Q:
    condition = Q()
    if query.since:
        condition &= Q(history_date__gte=_start_of(query.since))
    if query.until:
        condition &= Q(history_date__lt=_start_of(query.until + datetime.timedelta(days=1)))
    return condition


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


PMI_FIELDS = ("id", "nik", "name", "phone", "village_id", "village__name", "village__district__regency_id",
              "village__district__regency__name")


def breach_querysets(query: BreachQuery) -> dict[str, QuerySet]:
    """One queryset per kind of person (``str(qs.query)`` is the SQL it runs)."""
    window = _window(query)
    pmi = MigrantWorker.objects.filter(_in_area(query, "village"))
    members = CooperativeMember.objects.filter(_in_area(query, "cooperative__desmigratif_village__village"))
    officers = FieldOfficer.objects.filter(_in_area(query, "desmigratif_village__village"))
    querysets: dict[str, QuerySet] = {}
    if query.windowed:
        # a version in the area written in the window (also of a PMI who has moved away since), or a
        # placement or reintegration of a PMI of the area changed in the window
        changed_here = MigrantWorker.history.filter(window, _in_area(query, "village"))
        pmi = MigrantWorker.objects.filter(
            Q(pk__in=changed_here.values("id"))
            | _in_area(query, "village") & (Q(pk__in=Placement.history.filter(window).values("migrant_id"))
                                           | Q(pk__in=Reintegration.history.filter(window).values("migrant_id"))))
        members = members.filter(pk__in=CooperativeMember.history.filter(window).values("id"))
        officers = officers.filter(pk__in=FieldOfficer.history.filter(window).values("id"))
        # deleted since (not erased: an erasure removes the history too): their last version in the area
        last_versions = (MigrantWorker.history.filter(window, _in_area(query, "village"))
                         .exclude(id__in=MigrantWorker.objects.values("id"))
                         .values("id").annotate(last=Max("history_id")).values("last"))
        querysets[PMI_DELETED] = (MigrantWorker.history.filter(history_id__in=last_versions)
                                  .values(*PMI_FIELDS, "history_date").order_by("village_id", "name", "id"))
    querysets[PMI] = pmi.values(*PMI_FIELDS).order_by("village_id", "name", "id")
    querysets[MEMBER] = members.values(
        "id", "name", "cooperative__desmigratif_village__village_id", "cooperative__desmigratif_village__village__name",
        "cooperative__desmigratif_village__village__district__regency_id",
        "cooperative__desmigratif_village__village__district__regency__name").order_by("name", "id")
    querysets[OFFICER] = officers.values(
        "id", "name", "phone", "desmigratif_village__village_id", "desmigratif_village__village__name",
        "desmigratif_village__village__district__regency_id",
        "desmigratif_village__village__district__regency__name").order_by("name", "id")
    area_users = (Q(province__code=query.area) | Q(regency__code=query.area) | Q(village__code=query.area)
                  | Q(regency__code__startswith=f"{query.area}.") | Q(village__code__startswith=f"{query.area}."))
    querysets[USER] = User.objects.filter(area_users).values(
        "id", "username", "first_name", "last_name", "email", "village_id", "regency_id", "province_id"
    ).order_by("username")
    return querysets


def breach_sql(query: BreachQuery) -> dict[str, str]:
    """The SQL of each query as the database receives it, its values in place (for the record of a notification)."""
    from django.db import connection

    statements = {}
    for kind, queryset in breach_querysets(query).items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                statements[kind] = cursor.cursor.mogrify(sql, params).decode()
            else:
                statements[kind] = connection.ops.last_executed_query(cursor, sql, params)
    return statements


def _changed_at(query: BreachQuery, history_model, key: str) -> dict[int, datetime.datetime]:
    if not query.windowed:
        return {}
    rows = history_model.filter(_window(query)).values(key).annotate(last=Max("history_date"))
    return {row[key]: row["last"] for row in rows.iterator()}


def breach_affected(*, query: BreachQuery) -> Iterator[AffectedPerson]:
    """Everyone the portal holds personal data on in the area (changed in the window, if one is given)."""
    querysets = breach_querysets(query)
    pmi_changed: dict[int, datetime.datetime] = {}
    for history, key in ((MigrantWorker.history, "id"), (Placement.history, "migrant_id"),
                         (Reintegration.history, "migrant_id")):
        for pk, at in _changed_at(query, history, key).items():
            pmi_changed[pk] = max(at, pmi_changed.get(pk, at))
    for kind in (PMI, PMI_DELETED):
        if kind not in querysets:
            continue
        for row in querysets[kind].iterator(chunk_size=2000):
            yield AffectedPerson(kind, row["id"], row["nik"], row["name"], row["phone"], row["village_id"],
                                 row["village__name"] or "", row["village__district__regency_id"] or "",
                                 row["village__district__regency__name"] or "", "", "",
                                 row.get("history_date") or pmi_changed.get(row["id"]))
    member_changed = _changed_at(query, CooperativeMember.history, "id")
    prefix = "cooperative__desmigratif_village__village"
    for row in querysets[MEMBER].iterator(chunk_size=2000):
        yield AffectedPerson(MEMBER, row["id"], "", row["name"], "", row[f"{prefix}_id"], row[f"{prefix}__name"],
                             row[f"{prefix}__district__regency_id"], row[f"{prefix}__district__regency__name"], "", "",
                             member_changed.get(row["id"]))
    officer_changed = _changed_at(query, FieldOfficer.history, "id")
    prefix = "desmigratif_village__village"
    for row in querysets[OFFICER].iterator(chunk_size=2000):
        yield AffectedPerson(OFFICER, row["id"], "", row["name"], row["phone"], row[f"{prefix}_id"],
                             row[f"{prefix}__name"], row[f"{prefix}__district__regency_id"],
                             row[f"{prefix}__district__regency__name"], "", "", officer_changed.get(row["id"]))
    regencies = dict(Regency.objects.filter(Q(code=query.area) | Q(code__startswith=f"{query.area}.")
                                            | Q(code=query.area[:5])).values_list("code", "name"))
    for row in querysets[USER].iterator():
        village, regency = row["village_id"] or "", row["regency_id"] or (row["village_id"] or "")[:5]
        name = " ".join(part for part in (row["first_name"], row["last_name"]) if part) or row["username"]
        yield AffectedPerson(USER, row["id"], "", name, "", village, "", regency or row["province_id"] or "",
                             regencies.get(regency, ""), row["username"], row["email"], None)
