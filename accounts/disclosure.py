"""Counts of persons as a viewer may see them: the small-count rule, in one place (UU 27/2022).

A count of PMI in a small area can point at a person. Viewers who do not serve the area (everyone
but the admin and the regency operator or village officer inside their own area) see every such
count rounded to the nearest ``ROUNDING_BASE``, halves up, and any count below ``SMALL_BELOW`` —
zero included — as ``<5``. Every output calls ``count_shown``: dashboards, charts and their CSV,
the statistics API, the yearly reports' page, workbook and API.

Why rounding and not hiding the small cells only: a hidden cell is recovered by subtraction from
its total and the visible cells beside it, and an exact zero beside it narrows it further.
Complementary suppression (hiding a second cell so that no group has one hidden cell) cannot be
kept consistent across pages: the cell hidden on the parent's page shows its own total on its own
page, whose breakdowns add up to it. Rounding is a property of each cell alone, the same on every
door. Each shown value stands for a band of true values, ``<5`` for 0–4 and ``10k`` for 10k−5 … 10k+4,
and one sum relation (a total and its parts) never closes on a single value: every band's upper end
is 4 mod 5 and its lower end 0 mod 5, so "upper end of the total minus the lower ends of the other
parts" never meets a part's lower end; and the upper ends are even while a lower end is odd (or 0,
below every sum of upper ends), so "lower end of the total minus the upper ends of the others" never
meets a part's upper end. (Chains of relations are tried on the demo data by
tests/dashboards/test_small_count_attack.py.)

This module sits in the lowest shared layer (accounts): the domain apps, dashboards and reports
import it; it imports none of them.
"""
from __future__ import annotations

from .permissions import UNMASKED_ROLES, code_in_area, role_of
from .scoping import area_prefix

SMALL_BELOW = 5  # counts from 0 to 4 read "<5"
ROUNDING_BASE = 10  # the others: to the nearest 10, halves up (5–14 → 10, 15–24 → 20, …)


class Small:
    """A count from 0 to 4 shown to a viewer who may not see it: ``<5``. It holds no number, on purpose."""

    _instance: Small | None = None

    def __new__(cls) -> Small:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return "<5"

    def __repr__(self) -> str:
        return "SMALL"

    def __reduce__(self) -> str:
        return "SMALL"  # a cached board unpickles to the same singleton


SMALL = Small()
Shown = int | Small | None


def hides_small_counts(user, area_code: str) -> bool:
    """Whether counts of persons of the area ``area_code`` ('' = the country) are rounded for this user.

    Exact counts are for the roles that serve the persons (the admin; a regency operator or village
    officer) and only inside their own area; everyone else reads them rounded.
    """
    prefix = area_prefix(user)
    serves_area = prefix == "" or (prefix is not None and code_in_area(area_code, prefix))
    return not (role_of(user) in UNMASKED_ROLES and serves_area)


def count_rounding(*, protect: bool) -> int:
    """The multiple shown counts are rounded to: 1 (exact) for viewers who may see exact counts."""
    return ROUNDING_BASE if protect else 1


def count_shown(count: int | None, *, protect: bool) -> Shown:
    """``count`` as the viewer sees it: exact, or (``protect``) ``SMALL`` below 5, else rounded to the nearest 10."""
    if count is None or not protect:
        return count
    count = int(count)
    if count < SMALL_BELOW:
        return SMALL
    return (count + ROUNDING_BASE // 2) // ROUNDING_BASE * ROUNDING_BASE


def _number(value) -> bool:
    return value is not None and not isinstance(value, Small | bool | str)


def difference_shown(now, before):
    """``now - before`` of two figures as shown; None when either is ``<5`` or missing (it would narrow them)."""
    if not _number(now) or not _number(before):
        return None
    return now - before


def growth_shown(now, before) -> float | None:
    """The percent change between two figures as shown (rounded ones for a protected viewer, so that it says
    no more than they do); None when either is ``<5`` or missing, or there is nothing to grow from."""
    if not _number(now) or not _number(before) or not before:
        return None
    return round((now - before) * 100 / before, 1)
