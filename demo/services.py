"""Writing the demo data and the demo users (development only; DESIGN.md §5).

The plan is built in memory first (``demo.builders``), then every object is validated with
``full_clean()`` and written with ``bulk_create`` in one transaction: the program's per-row
services would be correct but take minutes for a few thousand PMI, and the demo needs no history
rows. A second run finds the first pilot village in the program and writes nothing but the users.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Count

from agencies.models import Agency
from cooperatives.summaries import cooperative_summaries_refresh
from migrants.models import MigrantWorker
from migrants.summaries import migrant_summaries_refresh
from regions.models import Regency, Village
from villages.models import DesmigratifVillage
from villages.summaries import activity_summaries_refresh

from . import data
from .builders import DemoDataError, DemoPlan, build_demo, demo_context_load

BATCH_SIZE = 1000


class RegionsNotLoaded(DemoDataError):
    """The region tables lack the villages and regencies the demo is placed in."""


def demo_regions_check() -> None:
    """Raise RegionsNotLoaded unless the pilots and the sending regencies are in the region tables."""
    pilots = Village.objects.filter(code__in=data.PILOT_VILLAGES).count()
    regencies = Regency.objects.filter(code__in=list(data.REGENCY_WEIGHTS)).count()
    if pilots < len(data.PILOT_VILLAGES) or regencies < len(data.REGENCY_WEIGHTS):
        raise RegionsNotLoaded("The regions are not loaded: run `manage.py load_regions` first.")


def demo_is_loaded() -> bool:
    return DesmigratifVillage.objects.filter(village_id=data.MARKER_VILLAGE).exists()


@transaction.atomic
def demo_load(*, seed: int = data.DEFAULT_SEED) -> dict[str, Any]:
    """Load the demo data unless it is there, and create or refresh the demo users.

    Returns ``already_loaded`` and the number of rows created per table, plus the users created
    and refreshed.
    """
    demo_regions_check()
    result: dict[str, Any] = {"already_loaded": demo_is_loaded()}
    if not result["already_loaded"]:
        result.update(_write(build_demo(seed=seed, context=demo_context_load())))
    result.update(demo_users_ensure())
    return result


def _write(plan: DemoPlan) -> dict[str, int]:
    # (count key, objects, foreign keys to parents written in an earlier step)
    steps: list[tuple[str, list[models.Model], tuple[str, ...]]] = [
        ("desmigratif_villages", plan.villages, ()),
        ("field_officers", plan.officers, ("desmigratif_village",)),
        ("pillar_activities", plan.activities, ("desmigratif_village",)),
        ("cooperatives", plan.cooperatives, ("desmigratif_village",)),
        ("engagements", plan.engagements, ()),
        ("migrant_workers", plan.migrants, ()),
        ("placements", plan.placements, ("migrant",)),
        ("reintegrations", plan.reintegrations, ("migrant",)),
        ("cooperative_members", plan.members, ("cooperative", "migrant")),
        ("cooperative_yearly_figures", plan.figures, ("cooperative",)),
    ]
    counts = {key: _validate_and_create(objects, parents=parents) for key, objects, parents in steps}
    # written in bulk, past the services: the summaries are counted once, at the end
    activity_summaries_refresh()
    cooperative_summaries_refresh()
    migrant_summaries_refresh()
    return counts


def _validate_and_create(objects: list[models.Model], *, parents: tuple[str, ...]) -> int:
    if not objects:
        return 0
    for obj in objects:
        # The parent was unsaved when the child was built; assigning it again copies its new pk
        # into the foreign key column, which full_clean() checks.
        for name in parents:
            setattr(obj, name, getattr(obj, name))
        # Field checks and the model's clean() (the NIK rules among them) run for every object.
        # Uniqueness and the Meta constraints would cost several queries per row; the database
        # enforces them on insert, and the builder keeps NIKs and villages unique itself.
        obj.full_clean(validate_unique=False, validate_constraints=False)
    type(objects[0]).objects.bulk_create(objects, batch_size=BATCH_SIZE)
    return len(objects)


# --- demo users ----------------------------------------------------------------------------


def demo_petugas_village() -> str:
    """The village of the demo village officer: the Desmigratif village of Kabupaten Cirebon with
    the most PMI records (then the lowest code), so that the user sees data."""
    codes = list(DesmigratifVillage.objects.filter(village__code__startswith=f"{data.CIREBON}.")
                 .order_by("village_id").values_list("village_id", flat=True))
    if not codes:
        raise DemoDataError("No Desmigratif village in Kabupaten Cirebon for the demo village officer.")
    pmi = Counter(dict(MigrantWorker.objects.filter(village_id__in=codes).order_by()
                       .values_list("village_id").annotate(n=Count("pk"))))
    return max(codes, key=lambda code: (pmi[code], -codes.index(code)))


@transaction.atomic
def demo_users_ensure() -> dict[str, int]:
    """Create the demo users of DESIGN.md §5, or bring them back to their demo role, area and password.

    Only ``admin`` is staff (the Django admin is for administrators only); the admin groups earlier
    demos gave the other roles are deleted (data.RETIRED_GROUPS).
    """
    User = get_user_model()
    Group.objects.filter(name__in=data.RETIRED_GROUPS).delete()
    # PBKDF2 is slow on purpose; the seven users share one hash of the same demo password.
    password = make_password(data.DEMO_PASSWORD)
    created = updated = 0
    for spec in data.DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user, created = User(username=spec.username), created + 1
        else:
            updated += 1
        agency = None
        if spec.agency:
            agency = Agency.objects.filter(acronym=spec.agency).first()
            if agency is None:
                raise DemoDataError(f"The agency {spec.agency} is missing (run `manage.py migrate`).")
        user.role, user.first_name, user.last_name = spec.role, spec.first_name, spec.last_name
        user.email = f"{spec.username}@demo.invalid"  # .invalid never delivers (RFC 2606)
        user.province_id = spec.province or None
        user.regency_id = spec.regency or None
        user.village_id = demo_petugas_village() if spec.village_in_regency else None
        user.agency = agency
        user.is_staff, user.is_superuser, user.is_active = spec.is_staff, spec.is_superuser, True
        user.password = password
        user.full_clean()
        user.save()
        user.groups.clear()  # the demo roles' rights come from their role, not from model permissions
        user.user_permissions.clear()
    return {"users_created": created, "users_updated": updated}


def demo_users_table() -> list[dict[str, str]]:
    """The demo users as they are in the database: username, role, area."""
    User = get_user_model()
    rows = []
    users = (User.objects.filter(username__in=[spec.username for spec in data.DEMO_USERS])
             .select_related("province", "regency", "village", "agency"))
    by_name = {user.username: user for user in users}
    for spec in data.DEMO_USERS:
        user = by_name.get(spec.username)
        if user is None:
            continue
        area = user.province or user.regency or user.village or user.agency or "national"
        rows.append({"username": user.username, "role": str(user.get_role_display()), "area": str(area)})
    return rows
