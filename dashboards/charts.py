"""Charts for the dashboards: server-side SVG, the same data as a table, and as a CSV.

No JavaScript library and no CDN: the portal runs on a government intranet, and an SVG drawn here
works without scripts, prints, and is tested like any other output. A view builds a ``Chart`` from
its selectors and shows it with ``{% chart chart csv_url %}`` (templatetags/dashboard_charts.py);
its CSV view returns ``chart_csv_response(chart, filename=...)``.

Privacy: a chart draws the values it is given. Counts of persons arrive already as the viewer may
see them (``accounts.disclosure.count_shown``): rounded, and ``SMALL`` (``<5``) for 0 to 4 — never the
number, so no output (SVG, table or CSV) can contain it.

Layout sizes (font sizes included) are set in the SVG so that the text fits however the page is
styled; colours come from static/css/charts.css, one class per series (``chart-s0`` …).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.disclosure import SMALL, Small  # noqa: F401 - SMALL: what callers and tests put in a chart
from exchange.cells import neutralise
from exchange.writers import CSV_DELIMITER

Value = int | float | Decimal | Small | None

KINDS = {
    "bar": gettext_lazy("Bar chart"),
    "hbar": gettext_lazy("Horizontal bar chart"),
    "line": gettext_lazy("Line chart"),
    "stacked": gettext_lazy("Stacked bar chart"),
}
PALETTE_SIZE = 8  # colours in charts.css; further series take them again
WIDTH = 560
FONT = 13
SMALL_FONT = 12
CHAR = 0.6  # average glyph width of a sans-serif, as a share of the font size: a safe over-estimate
STUB = 4  # length of the stub that stands for a hidden count: fixed, so it says nothing of the number
PLOT_HEIGHT = 230
MAX_BAR = 48
MAX_LABEL_CHARS = 24
# Not "M": in Indonesian that is "miliar" (billion), so an untranslated page must not show it for a million.
SHORT_UNITS = [
    (Decimal(10) ** 12, pgettext_lazy("short for trillion (Indonesian: T)", "tn")),
    (Decimal(10) ** 9, pgettext_lazy("short for billion (Indonesian: M, miliar)", "bn")),
    (Decimal(10) ** 6, pgettext_lazy("short for million (Indonesian: jt)", "mn")),
    (Decimal(10) ** 3, pgettext_lazy("short for thousand (Indonesian: rb)", "k")),
]


@dataclass
class Series:
    label: str
    values: list[Value]


@dataclass
class Chart:
    """One chart. ``links[i]`` is the address of the list behind category ``i`` (or None).

    ``unit`` names what is counted ("PMI", "villages"): it heads the value axis. ``money``: values
    are rupiah; ``percent``: values are percentages. ``key`` must be unique on a page (it makes
    the SVG's ids). ``category_label`` heads the first column of the table and the CSV.
    """

    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[Series]
    links: list[str | None] | None = None
    unit: str = ""
    money: bool = False
    note: str = ""
    percent: bool = False
    category_label: str = ""

    def __post_init__(self) -> None:
        # labels often are lazy translations (choices' labels): fix them in the active language
        self.title, self.unit, self.note = str(self.title), str(self.unit), str(self.note)
        self.category_label = str(self.category_label)
        self.categories = [str(category) for category in self.categories]
        for series in self.series:
            series.label = str(series.label)
        if self.kind not in KINDS:
            raise ValueError(f"Unknown chart kind {self.kind!r}: one of {sorted(KINDS)}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"Series {series.label!r} has {len(series.values)} values "
                                 f"for {len(self.categories)} categories")
        if self.links is not None and len(self.links) != len(self.categories):
            raise ValueError("links must have one entry per category")
        if self.kind == "stacked" and any(_numeric(v) and v < 0 for s in self.series for v in s.values):
            raise ValueError("A stacked chart cannot show negative values")

    @property
    def has_data(self) -> bool:
        return any(isinstance(v, Small) or (v is not None and v != 0) for s in self.series for v in s.values)

    @property
    def has_small(self) -> bool:
        return any(isinstance(v, Small) for s in self.series for v in s.values)

    @property
    def dom_id(self) -> str:
        return "chart-" + (slugify(self.key) or "x")

    def link(self, index: int) -> str | None:
        """The category's link if it is a plain web address (labels and links may come from data)."""
        url = self.links[index] if self.links else None
        if url and urlsplit(url).scheme in ("", "http", "https"):
            return url
        return None


# Formatting ------------------------------------------------------------------------------------

def _numeric(value: Value) -> bool:
    return value is not None and not isinstance(value, Small)


def _decimal(value: int | float | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _grouped(value: int | float | Decimal, decimals: int | None = None) -> str:
    """1.234.567 in Indonesian, 1,234,567 in English; whole numbers without decimals."""
    number = _decimal(value)
    if number == number.to_integral_value():
        return number_format(int(number), use_l10n=True, force_grouping=True)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        if number == number.to_integral_value():
            return number_format(int(number), use_l10n=True, force_grouping=True)
        number = number.normalize()  # 1,50 mn reads as 1,5 mn
    return number_format(number, use_l10n=True, force_grouping=True)


def _short(value: int | float | Decimal, decimals: int = 1) -> str:
    number = _decimal(value)
    for size, suffix in SHORT_UNITS:
        if abs(number) >= size:
            return f"{_grouped(number / size, decimals)} {suffix}"
    return _grouped(number, decimals)


def format_value(value: Value, *, money: bool = False, percent: bool = False, short: bool = False,
                 decimals: int | None = None) -> str:
    """A value as a person reads it: ``<5`` for a hidden count, "" for none, rupiah or a percentage.

    ``short``: money as "Rp 1,2 bn" for the chart's labels; the table shows whole rupiah.
    """
    if value is None:
        return ""
    if isinstance(value, Small):
        return str(value)
    if money:
        amount = _decimal(value)
        sign = "-" if amount < 0 else ""
        text = _short(abs(amount)) if short else _grouped(abs(amount).quantize(Decimal(1), ROUND_HALF_UP))
        return f"{sign}Rp {text}"
    text = _grouped(value, decimals)
    return f"{text}%" if percent else text


def nice_ticks(low: Value, high: Value, *, integer: bool, target: int = 5) -> list[Decimal]:
    """Round tick values from at most ``low`` to at least ``high``: steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    low, high = _decimal(low or 0), _decimal(high or 0)
    span = high - low
    if span <= 0:
        span = abs(high) or Decimal(1)
    raw = span / target
    magnitude = Decimal(1).scaleb(raw.adjusted())
    steps = [m * magnitude for m in (1, 2, Decimal("2.5"), 5, 10)]
    if integer:  # a count axis has no 2,5 steps
        steps = [s for s in steps if s == s.to_integral_value() and s >= 1] or [Decimal(1)]
    step = next((s for s in steps if s >= raw), steps[-1])
    first = (low / step).to_integral_value(ROUND_FLOOR) * step
    last = (high / step).to_integral_value(ROUND_CEILING) * step
    if last <= first:
        last = first + step
    return [first + i * step for i in range(int((last - first) / step) + 1)]


def _tick_labels(chart: Chart, ticks: list[Decimal]) -> list[str]:
    if chart.money:
        return [format_value(t, money=True, short=True) for t in ticks]
    if max(abs(t) for t in ticks) >= 10**6:  # all in one style: 500 k, 1 mn, 1,5 mn
        return [_short(t, 2) for t in ticks]
    return [format_value(t, percent=chart.percent) for t in ticks]


def _label(chart: Chart, value: Value) -> str:
    return format_value(value, money=chart.money, percent=chart.percent, short=True, decimals=1)


def _exact(chart: Chart, value: Value) -> str:
    return format_value(value, money=chart.money, percent=chart.percent, decimals=2)


# Drawing ---------------------------------------------------------------------------------------

def _width(text: str, size: int = FONT) -> float:
    return len(text) * size * CHAR


def _truncate(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, cls: str, size: int = FONT, anchor: str = "middle",
          full: str | None = None, transform: str = "") -> str:
    tooltip = f"<title>{escape(full)}</title>" if full and full != text else ""
    transform = f' transform="{transform}"' if transform else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}" font-size="{size}" text-anchor="{anchor}"{transform}>'
            f"{tooltip}{escape(text)}</text>")


def _linked(chart: Chart, index: int, inner: str) -> str:
    url = chart.link(index)
    # The table under the chart carries the same links for keyboard and screen-reader users;
    # inside role="img" they would be nameless tab stops.
    return f'<a href="{escape(url)}" class="chart-link" tabindex="-1">{inner}</a>' if url else inner


def _tooltip(chart: Chart, index: int, series: Series, value: Value) -> str:
    name = chart.categories[index] if len(chart.series) == 1 else f"{chart.categories[index]} · {series.label}"
    return f"<title>{escape(name)}: {escape(_exact(chart, value))}</title>"


def _rect(x: float, y: float, w: float, h: float, cls: str, title: str, hatch: str = "") -> str:
    fill = f' fill="url(#{hatch})"' if hatch else ""
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" '
            f'class="{cls}"{fill}>{title}</rect>')


def _series_class(index: int) -> str:
    return f"chart-s{index % PALETTE_SIZE}"


def _legend(chart: Chart, hatch: str, y: float) -> tuple[list[str], float]:
    """Legend items left to right, wrapped; returns the parts and the height used."""
    items = [(_series_class(i), s.label, "") for i, s in enumerate(chart.series)] if len(chart.series) > 1 else []
    if chart.has_small:
        items.append(("chart-small-key", _("fewer than 5, not shown"), hatch))
    parts, x, row = [], 0.0, 0
    for cls, label, fill in items:
        label = _truncate(label, 40)
        width = 18 + _width(label, SMALL_FONT) + 18
        if x and x + width > WIDTH:
            x, row = 0.0, row + 1
        top = y + row * 20
        if not fill:
            swatch = f'<rect x="{_n(x)}" y="{_n(top)}" width="12" height="12" rx="2" class="chart-swatch {cls}"/>'
        else:
            swatch = (f'<rect x="{_n(x + .5)}" y="{_n(top + .5)}" width="11" height="11" class="chart-small"'
                      f' fill="url(#{fill})"/>')
        parts.append(f'<g class="chart-legend">{swatch}'
                     f'{_text(x + 17, top + 10, label, cls="chart-legend-label", size=SMALL_FONT, anchor="start")}</g>')
        x += width
    return parts, (row + 1) * 20 + 6 if items else 0


def _svg(chart: Chart, height: float, body: list[str]) -> SafeString:
    uid = chart.dom_id
    description = _describe(chart)
    defs = (f'<defs><pattern id="{uid}-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="5" height="5" class="chart-hatch-bg"/>'
            f'<line x1="0" y1="0" x2="0" y2="5" class="chart-hatch-line"/></pattern></defs>') if chart.has_small else ""
    # Safe: every text and attribute value above went through escape().
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" width="{WIDTH}" '
        f'height="{_n(height)}" class="chart-svg chart-{chart.kind}" role="img" id="{uid}" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="system-ui, -apple-system, \'Segoe UI\', '
        f'Roboto, Arial, sans-serif">'
        f'<title id="{uid}-title">{escape(chart.title)}</title><desc id="{uid}-desc">{escape(description)}</desc>'
        f"{defs}{''.join(body)}</svg>"
    )


def _describe(chart: Chart) -> str:
    if not chart.has_data:
        return _("No data yet")
    text = _("%(kind)s, %(count)d categories; series: %(series)s.") % {
        "kind": KINDS[chart.kind], "count": len(chart.categories),
        "series": ", ".join(s.label for s in chart.series),
    }
    if chart.note:
        text += f" {chart.note}"
    return text


def _empty(chart: Chart) -> SafeString:
    return _svg(chart, 90, [_text(WIDTH / 2, 50, _("No data yet"), cls="chart-empty", size=15)])


def _value_range(chart: Chart) -> tuple[Value, Value, bool]:
    values = [v for s in chart.series for v in s.values if _numeric(v)]
    if chart.kind == "stacked":
        values = [sum((v for s in chart.series if _numeric(v := s.values[i])), 0)
                  for i in range(len(chart.categories))]
    integer = not chart.percent and all(_decimal(v) == _decimal(v).to_integral_value() for v in values)
    low, high = min([0, *values]), max([0, *values])
    if high == low == 0:
        high = 5  # only hidden counts: a 0–5 axis, against which the fixed stub reads as "a few"
    return low, high, integer


def _wrap(text: str, chars: int) -> list[str] | None:
    """``text`` on at most two lines of ``chars`` characters, breaking between words, or None."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines if len(lines) <= 2 and all(len(line) <= chars for line in lines) else None


def _category_axis(chart: Chart, slot: float) -> tuple[bool, int, float, int]:
    """How vertical charts write categories: (rotated, characters kept, room below, show every n-th).

    Side by side when they fit, on two lines when that is enough, else turned 40°.
    """
    longest = max((len(c) for c in chart.categories), default=0)
    fit = int((slot - 6) / (FONT * CHAR))
    if longest <= fit:
        return False, longest, 26, 1
    if all(_wrap(c, fit) for c in chart.categories):
        return False, fit, 26 + FONT * 1.2, 1
    chars = min(longest, MAX_LABEL_CHARS)
    every = max(1, int(-(-FONT * 1.5 // slot)))
    # A label turned 40° takes sin 40° ≈ 0.64 of its length downwards.
    return True, chars, 18 + _width("x" * chars) * 0.64 + FONT * 0.77, every


def _vertical(chart: Chart) -> SafeString:
    uid = chart.dom_id
    hatch = f"{uid}-hatch"
    body, legend_h = _legend(chart, hatch, 4)
    low, high, integer = _value_range(chart)
    ticks = nice_ticks(low, high, integer=integer)
    labels = _tick_labels(chart, ticks)
    top = 8 + legend_h + (28 if chart.unit else 10)
    left = max(_width(label, SMALL_FONT) for label in labels) + 12
    right = 14
    count = len(chart.categories)
    slot = (WIDTH - left - right) / count
    rotated, chars, bottom, every = _category_axis(chart, slot)
    if rotated:  # the first label, turned, reaches cos 40° ≈ 0.77 of its length to the left
        reach = _width(_truncate(chart.categories[0], chars)) * 0.77 - slot / 2
        if reach > left:
            left = reach
            slot = (WIDTH - left - right) / count
    base = top + PLOT_HEIGHT
    height = base + bottom

    def y(value: Value) -> float:
        return top + (float(ticks[-1]) - float(value)) / float(ticks[-1] - ticks[0]) * PLOT_HEIGHT

    if chart.unit:
        body.append(_text(4, top - 16, chart.unit, cls="chart-unit", size=SMALL_FONT, anchor="start"))
    for tick, label in zip(ticks, labels, strict=True):
        body.append(f'<line x1="{_n(left)}" x2="{_n(WIDTH - right)}" y1="{_n(y(tick))}" y2="{_n(y(tick))}" '
                    f'class="{"chart-axis" if tick == 0 else "chart-grid"}"/>')
        body.append(_text(left - 6, y(tick) + 4, label, cls="chart-tick", size=SMALL_FONT, anchor="end"))
    zero = y(0)
    for i, category in enumerate(chart.categories):
        cx = left + slot * (i + 0.5)
        if i % every == 0:
            text = _truncate(category, chars)
            if rotated:
                label = _text(cx + 4, base + 14, text, cls="chart-category", anchor="end", full=category,
                              transform=f"rotate(-40 {_n(cx + 4)} {_n(base + 14)})")
            elif len(category) > chars:
                first, *rest = _wrap(category, chars)
                label = _text(cx, base + 17, first, cls="chart-category")
                second = f'<tspan x="{_n(cx)}" dy="{FONT * 1.2:g}">{escape(rest[0])}</tspan>'
                label = label.replace("</text>", f"{second}</text>")
            else:
                label = _text(cx, base + 17, text, cls="chart-category", full=category)
            body.append(_linked(chart, i, label))
        if chart.kind != "line":
            body.append(_linked(chart, i, _draw_category(chart, i, cx, slot, y, zero, hatch)))
    if chart.kind == "line":
        body.extend(_lines(chart, left, slot, y))
    return _svg(chart, height, body)


def _draw_category(chart: Chart, i: int, cx: float, slot: float, y, zero: float, hatch: str) -> str:
    parts = []
    if chart.kind == "bar":
        m = len(chart.series)
        width = min(slot * 0.72 / m, MAX_BAR)
        room = slot / m
        for j, series in enumerate(chart.series):
            value = series.values[i]
            x = cx - width * m / 2 + j * width
            gap = 1.5 if m > 1 else 0
            if value is None:
                continue
            tip = _tooltip(chart, i, series, value)
            if isinstance(value, Small):
                parts.append(_rect(x + gap / 2, zero - STUB, width - gap, STUB, f"chart-small {_series_class(j)}",
                                   tip, hatch))
                top = zero - STUB
            else:
                top, bottom = sorted((y(value), zero))
                parts.append(_rect(x + gap / 2, top, width - gap, bottom - top, f"chart-bar {_series_class(j)}", tip))
                top = top if value >= 0 else bottom + SMALL_FONT + 2
            label = _label(chart, value)
            if _width(label, SMALL_FONT) <= room - 6:
                parts.append(_text(x + width / 2, top - 4, label, cls="chart-value", size=SMALL_FONT))
    elif chart.kind == "stacked":
        width = min(slot * 0.6, MAX_BAR + 8)
        level, hidden, total = zero, False, 0
        for j, series in enumerate(chart.series):
            value = series.values[i]
            tip = _tooltip(chart, i, series, value)
            if isinstance(value, Small):
                parts.append(_rect(cx - width / 2, level - STUB, width, STUB, f"chart-small {_series_class(j)}",
                                   tip, hatch))
                level, hidden = level - STUB, True
            elif value:
                height = zero - y(value)
                parts.append(_rect(cx - width / 2, level - height, width, height, f"chart-bar {_series_class(j)}", tip))
                label = _label(chart, value)
                if height >= SMALL_FONT + 4 and _width(label, SMALL_FONT) <= width - 4:
                    parts.append(_text(cx, level - height / 2 + 4, label, cls="chart-value-inside", size=SMALL_FONT))
                level, total = level - height, total + value
        # A total that left out a hidden count would be wrong, and one that included it would reveal it.
        label = "" if hidden else _label(chart, total) if total else ""
        if label and _width(label, SMALL_FONT) <= slot - 2:
            parts.append(_text(cx, level - 4, label, cls="chart-value chart-total", size=SMALL_FONT))
    return "".join(parts)


def _lines(chart: Chart, left: float, slot: float, y) -> list[str]:
    parts: list[str] = []
    zero = y(0)
    for j, series in enumerate(chart.series):
        cls = _series_class(j)
        run: list[str] = []
        for i, value in enumerate(series.values + [None]):
            if _numeric(value):
                run.append(f"{_n(left + slot * (i + 0.5))},{_n(y(value))}")
                continue
            if len(run) > 1:  # a gap (no figure or a hidden one) breaks the line instead of inventing a value
                parts.insert(0, f'<polyline points="{" ".join(run)}" class="chart-line {cls} chart-line-{j}"/>')
            run = []
        for i, value in enumerate(series.values):
            if value is None:
                continue
            cx = left + slot * (i + 0.5)
            tip = _tooltip(chart, i, series, value)
            small = isinstance(value, Small)
            cy = zero - STUB if small else y(value)
            dot = (f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{4 if small else 3.5}" '
                   f'class="{"chart-dot-small" if small else "chart-dot"} {cls}">{tip}</circle>')
            label = _label(chart, value)
            if len(chart.series) == 1 and _width(label, SMALL_FONT) <= slot - 2:
                dot += _text(cx, cy - 8, label, cls="chart-value", size=SMALL_FONT)
            parts.append(_linked(chart, i, dot))
    return parts


def _horizontal(chart: Chart) -> SafeString:
    uid = chart.dom_id
    hatch = f"{uid}-hatch"
    body, legend_h = _legend(chart, hatch, 4)
    low, high, integer = _value_range(chart)
    ticks = nice_ticks(low, high, integer=integer, target=4)
    labels = _tick_labels(chart, ticks)
    m = len(chart.series)
    bar = 18 if m == 1 else 13
    row = bar * m + 12
    top = 8 + legend_h + (18 if chart.unit else 4)
    chars = min(max((len(c) for c in chart.categories), default=1), 32)
    left = min(_width("x" * chars), 210) + 14
    chars = int((left - 14) / (FONT * CHAR))
    values = [_label(chart, v) for s in chart.series for v in s.values]
    right = max([_width(v, SMALL_FONT) for v in values] + [_width(labels[-1], SMALL_FONT) / 2]) + 12
    plot = WIDTH - left - right
    base = top + row * len(chart.categories)
    height = base + 24

    def x(value: Value) -> float:
        return left + (float(value) - float(ticks[0])) / float(ticks[-1] - ticks[0]) * plot

    if chart.unit:
        body.append(_text(left, top - 6, chart.unit, cls="chart-unit", size=SMALL_FONT, anchor="start"))
    for tick, label in zip(ticks, labels, strict=True):
        body.append(f'<line x1="{_n(x(tick))}" x2="{_n(x(tick))}" y1="{_n(top)}" y2="{_n(base)}" '
                    f'class="{"chart-axis" if tick == 0 else "chart-grid"}"/>')
        body.append(_text(x(tick), base + 16, label, cls="chart-tick", size=SMALL_FONT))
    zero = x(0)
    for i, category in enumerate(chart.categories):
        y0 = top + row * i + 6
        label = _text(left - 8, y0 + bar * m / 2 + 4, _truncate(category, chars), cls="chart-category",
                      anchor="end", full=category)
        parts = []
        for j, series in enumerate(chart.series):
            value = series.values[i]
            if value is None:
                continue
            y = y0 + j * bar
            tip = _tooltip(chart, i, series, value)
            if isinstance(value, Small):
                parts.append(_rect(zero, y + 1, STUB, bar - 2, f"chart-small {_series_class(j)}", tip, hatch))
                end, anchor = zero + STUB + 4, "start"
            else:
                start, stop = sorted((x(value), zero))
                parts.append(_rect(start, y + 1, stop - start, bar - 2, f"chart-bar {_series_class(j)}", tip))
                end, anchor = (stop + 4, "start") if value >= 0 else (start - 4, "end")
            parts.append(_text(end, y + bar / 2 + 4, _label(chart, value), cls="chart-value", size=SMALL_FONT,
                               anchor=anchor))
        body.append(_linked(chart, i, label + "".join(parts)))
    return _svg(chart, height, body)


def render_svg(chart: Chart) -> SafeString:
    """The chart as a self-contained, responsive ``<svg>``; "No data yet" when there is nothing to draw."""
    if not chart.categories or not chart.series or not chart.has_data:
        return _empty(chart)
    return _horizontal(chart) if chart.kind == "hbar" else _vertical(chart)


# Tables and CSV --------------------------------------------------------------------------------

def chart_rows(chart: Chart) -> list[list]:
    """The chart's data as rows: a header (category label, series labels), then one row per category.

    Values stay as given (``SMALL``, None, numbers); callers format them.
    """
    header = [chart.category_label or _("Category"), *(s.label for s in chart.series)]
    return [header, *([category, *(s.values[i] for s in chart.series)] for i, category in enumerate(chart.categories))]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)  # a number, so a negative one stays a number
    return neutralise(str(value))


def chart_csv_response(chart: Chart, *, filename: str) -> HttpResponse:
    """The chart's rows as a CSV download: UTF-8 with a BOM so Excel reads it right, ``;`` as Excel
    with Indonesian settings expects, like the portal's other exports."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    writer.writerows([_csv_cell(v) for v in row] for row in chart_rows(chart))
    if not filename.lower().endswith(".csv"):
        filename += ".csv"
    return HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": content_disposition_header(True, filename)})
