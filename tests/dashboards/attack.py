"""A reader's attack on small counts: every figure a door shows is an interval of true values, every
fact a reader knows about the figures is a linear relation between them, and interval propagation
over all the relations (to a fixpoint) narrows each figure as far as arithmetic allows.

Generic on purpose: it does not know the portal's rule, only what a door says of itself — a figure
``<5`` stands for 0–4, and a number ``n`` shown "rounded to the nearest ``r``" for
``n - r/2 … n + r/2 - 1`` (``r = 1``: exactly ``n``). The same attack run on the portal as it was
before counts were rounded pins the hidden cells a subtraction recovers.

Relations are ``Σ cᵢ·mᵢ·xᵢ = k`` (or ``≥ k``) with ``cᵢ = ±1`` and a multiplicity ``mᵢ``: ``m`` areas
whose figures are alike (every child area without a PMI shows the same) are one variable taken ``m``
times, narrowed as each of the ``m`` would be (the others' copies count with their bounds) — the
fixpoint of interval propagation is unique, and alike variables keep alike bounds in it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

INFINITY = 10**12


def is_small(value) -> bool:
    return str(value) == "<5"


def interval(shown, rounding: int) -> tuple[int, int]:
    """The true counts a shown figure stands for."""
    if is_small(shown):
        return 0, 4
    if isinstance(shown, str):
        shown = int(shown.replace(",", "").replace(".", ""))
    low = shown - rounding // 2
    return max(low, 0), low + rounding - 1


@dataclass
class Relation:
    terms: tuple[tuple[int, int, int], ...]  # (variable, coefficient ±1, multiplicity)
    constant: int
    equal: bool  # False: Σ ≥ constant
    label: str


@dataclass
class Attack:
    names: list = field(default_factory=list)
    ids: dict = field(default_factory=dict)
    low: list = field(default_factory=list)
    high: list = field(default_factory=list)
    relations: list = field(default_factory=list)
    doors: dict = field(default_factory=lambda: defaultdict(set))  # variable → the doors that showed it

    def var(self, name) -> int:
        index = self.ids.get(name)
        if index is None:
            index = self.ids[name] = len(self.names)
            self.names.append(name)
            self.low.append(0)
            self.high.append(INFINITY)
        return index

    def observe(self, name, shown, rounding: int, door: str) -> None:
        low, high = interval(shown, rounding)
        index = self.var(name)
        self.low[index], self.high[index] = max(self.low[index], low), min(self.high[index], high)
        self.doors[index].add(door)

    def relate(self, label: str, plus=(), minus=(), *, constant: int = 0, equal: bool = True,
               times: dict | None = None) -> None:
        """``Σ plus − Σ minus = constant`` (or ``≥``); ``times[name]``: how many alike areas a name stands for."""
        times = times or {}
        terms = [(self.var(n), 1, times.get(n, 1)) for n in plus] + [(self.var(n), -1, times.get(n, 1)) for n in minus]
        self.relations.append(Relation(tuple(terms), constant, equal, label))

    def sum_of(self, label: str, total, parts, *, times: dict | None = None) -> None:
        self.relate(label, plus=[total], minus=parts, times=times)

    def at_most(self, label: str, part, whole) -> None:
        self.relate(label, plus=[whole], minus=[part], equal=False)

    # --- propagation ---------------------------------------------------------------------------------

    def propagate(self) -> int:
        """Narrow every variable to the fixpoint; returns how many relations were evaluated."""
        low, high = self.low, self.high
        using = defaultdict(list)
        for index, relation in enumerate(self.relations):
            for variable, _c, _m in relation.terms:
                using[variable].append(index)
        queue, queued = list(range(len(self.relations))), [True] * len(self.relations)
        evaluated = 0
        while queue:
            index = queue.pop()
            queued[index] = False
            relation = self.relations[index]
            evaluated += 1
            # the sum's range over every copy of every term
            smin = smax = 0
            for variable, c, m in relation.terms:
                if c > 0:
                    smin += m * low[variable]
                    smax += m * high[variable]
                else:
                    smin -= m * high[variable]
                    smax -= m * low[variable]
            if smin > relation.constant and relation.equal or smax < relation.constant:
                raise AssertionError(f"no true values satisfy {relation.label}: the doors disagree with it")
            for variable, c, _m in relation.terms:
                # one copy of the term against the rest (the other copies included)
                copy_min, copy_max = (low[variable], high[variable]) if c > 0 else (-high[variable], -low[variable])
                rest_min, rest_max = smin - copy_min, smax - copy_max
                new_min = relation.constant - rest_max  # c·x ≥ …
                new_max = relation.constant - rest_min if relation.equal else INFINITY  # c·x ≤ …
                if c > 0:
                    lo, hi = max(low[variable], new_min), min(high[variable], new_max)
                else:
                    lo, hi = max(low[variable], -new_max), min(high[variable], -new_min)
                if lo > hi:
                    raise AssertionError(f"no true values satisfy {relation.label} for {self.names[variable]}")
                if (lo, hi) != (low[variable], high[variable]):
                    low[variable], high[variable] = lo, hi
                    for other in using[variable]:
                        if not queued[other]:
                            queued[other] = True
                            queue.append(other)
                    # the sum's range changed with it
                    smin, smax = 0, 0
                    for v2, c2, m2 in relation.terms:
                        if c2 > 0:
                            smin += m2 * low[v2]
                            smax += m2 * high[v2]
                        else:
                            smin -= m2 * high[v2]
                            smax -= m2 * low[v2]
        return evaluated

    def bounds(self, name) -> tuple[int, int]:
        index = self.ids[name]
        return self.low[index], self.high[index]
