"""The small-count rule (accounts.disclosure): who sees counts of persons exact, and how the others see them."""
import itertools
import pickle

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.disclosure import (
    SMALL,
    count_rounding,
    count_shown,
    difference_shown,
    growth_shown,
    hides_small_counts,
)
from accounts.models import User


def band(shown) -> range:
    """The true counts a protected viewer's figure stands for."""
    return range(5) if shown is SMALL else range(shown - 5, shown + 5)


def test_counts_are_rounded_to_the_nearest_10_halves_up_and_0_to_4_read_lt5():
    assert [count_shown(n, protect=True) for n in (0, 1, 4, 5, 9, 14, 15, 24, 25, 104, 105)] == [
        SMALL, SMALL, SMALL, 10, 10, 10, 20, 20, 30, 100, 110]
    assert count_shown(None, protect=True) is None
    assert [count_shown(n, protect=False) for n in (0, 3, 14)] == [0, 3, 14]
    assert count_rounding(protect=True) == 10 and count_rounding(protect=False) == 1
    # every true count lies in the band its shown value stands for, and the bands do not overlap
    for n in range(500):
        assert n in band(count_shown(n, protect=True))
    assert pickle.loads(pickle.dumps(SMALL)) is SMALL and str(SMALL) == "<5"


def test_no_single_sum_relation_pins_a_cell():
    """The argument in the module's docstring, tried exhaustively on small groups: for a total and its
    parts as shown, interval arithmetic never narrows a part (or the total) to one value."""
    shown_values = [SMALL, 10, 20, 30]
    for parts in range(1, 5):
        for part_values in itertools.product(shown_values, repeat=parts):
            bands = [band(v) for v in part_values]
            low, high = sum(b.start for b in bands), sum(b.stop - 1 for b in bands)
            for total in shown_values:
                total_band = band(total)
                if total_band.start > high or total_band.stop - 1 < low:
                    continue  # no true counts give these shown values together
                # the total from the parts, and each part from the total and the others
                assert max(low, total_band.start) < min(high, total_band.stop - 1), (total, part_values)
                for i, own in enumerate(bands):
                    others = bands[:i] + bands[i + 1:]
                    lo = total_band.start - sum(b.stop - 1 for b in others)
                    hi = total_band.stop - 1 - sum(b.start for b in others)
                    assert max(lo, own.start) < min(hi, own.stop - 1), (total, part_values, i)


def test_a_change_is_of_the_shown_figures_and_none_beside_lt5():
    assert difference_shown(30, 10) == 20 and difference_shown(SMALL, 10) is None and difference_shown(10, None) is None
    assert growth_shown(20, 10) == 100.0 and growth_shown(SMALL, 10) is None and growth_shown(10, SMALL) is None
    assert growth_shown(10, 0) is None


@pytest.mark.django_db
@pytest.mark.parametrize("username, area, hidden", [
    ("admin", "", False), ("admin", "33.07.10.2004", False),
    ("cirebon", "32.09", False), ("cirebon", "32.09.07", False), ("cirebon", "32.09.07.2002", False),
    ("cirebon", "32", True), ("cirebon", "", True), ("cirebon", "32.12", True),
    ("petugas", None, False), ("petugas", "32.09", True),
    ("kemnaker", "", True), ("kemnaker", "32.09.07.2002", True),
    ("jabar", "32", True), ("jabar", "32.09", True), ("bpjs", "", True), ("bpjs", "32.09", True),
])
def test_exact_counts_are_for_the_roles_that_serve_the_area_inside_it(username, area, hidden):
    user = User.objects.get(username=username)
    assert hides_small_counts(user, user.area_code if area is None else area) is hidden


def test_anonymous_or_no_user_sees_counts_rounded():
    assert hides_small_counts(AnonymousUser(), "") is True
    assert hides_small_counts(None, "32.09") is True
