"""The one table of the benchmark: every figure at every size, its ratio to the baseline measured in the
same run, and issue 7's target beside it (checked at the largest size of the run)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import ENDPOINTS, TARGET_SIZE

MB_LIMIT = 1024


@dataclass(frozen=True)
class Row:
    label: str
    value: Callable[[dict], float | None]  # from one size's results
    fmt: str  # format of the value
    baseline: Callable[[dict], float | None] | None = None  # the same run's baseline to divide by
    target: str = ""
    # (the results at the largest size, the results at every size) -> met or not (None: cannot tell)
    check: Callable[[dict, list[dict]], bool | None] | None = None


def _get(*path: str) -> Callable[[dict], float | None]:
    def value(result: dict) -> float | None:
        for key in path:
            if not isinstance(result, dict) or result.get(key) is None:
                return None
            result = result[key]
        return result
    return value


def _at_most(getter, limit):
    return lambda last, _all: None if getter(last) is None else getter(last) <= limit


def _national_p95(last: dict, every: list[dict]) -> bool | None:
    p95 = _get("http", "national", "p95_ms")
    if p95(last) is None:
        return None
    if p95(last) > 150:
        return False
    smaller = [r for r in every if r["size"] <= 50_000 and p95(r) is not None and r is not last]
    if not smaller:
        return None if last["size"] > 50_000 else True
    return p95(last) <= 1.5 * p95(smaller[-1])


def _growth_share(last: dict, _every: list[dict]) -> bool | None:
    growth, healthz = _get("http", "growth", "rps")(last), _get("http", "healthz", "rps")(last)
    return None if not growth or not healthz else growth >= 0.4 * healthz


def rows() -> list[Row]:
    table: list[Row] = []
    targets = {
        ("national", "p95_ms"): ("≤ 150 ms and ≤ 1.5× its 50 k value", _national_p95),
        ("growth", "rps"): ("≥ 40 % of /healthz's (≥ 0.40×)", _growth_share),
        ("pmi_list", "p95_ms"): ("≤ 100 ms", _at_most(_get("http", "pmi_list", "p95_ms"), 100)),
        ("typeahead", "p95_ms"): ("≤ 50 ms", _at_most(_get("http", "typeahead", "p95_ms"), 50)),
    }
    for endpoint in ENDPOINTS:
        for metric, name, fmt in (("p50_ms", "p50 ms", "{:,.1f}"), ("p95_ms", "p95 ms", "{:,.1f}"),
                                  ("rps", "requests/s", "{:,.0f}")):
            target, check = targets.get((endpoint.key, metric), ("", None))
            table.append(Row(f"{endpoint.label} — {name}", _get("http", endpoint.key, metric), fmt,
                             _get("http", "healthz", metric), target, check))
    iie_rps = _get("iie", "rows_per_second")
    table += [
        Row("National yearly report (figures + .xlsx) — s", _get("report", "seconds"), "{:,.1f}", None,
            "≤ 60 s", _at_most(_get("report", "seconds"), 60)),
        Row("National yearly report — peak RSS MB", _get("report", "peak_rss_mb"), "{:,.0f}", None,
            "< 1 GB", _at_most(_get("report", "peak_rss_mb"), MB_LIMIT - 0.01)),
        Row("Full summary rebuild — s", _get("rebuild", "seconds"), "{:,.1f}", None,
            "≤ 120 s", _at_most(_get("rebuild", "seconds"), 120)),
        Row("Import .xlsx, portal — dry run s", _get("import", "dry_run_seconds"), "{:,.1f}"),
        Row("Import .xlsx, portal — confirm s", _get("import", "confirm_seconds"), "{:,.1f}"),
        Row("Import .xlsx, portal — end to end rows/s (× django-import-export)", _get("import", "rows_per_second"),
            "{:,.0f}", iie_rps, "≥ 5,000 rows/s", lambda last, _e: None if _get("import", "rows_per_second")(last)
            is None else _get("import", "rows_per_second")(last) >= 5000),
        Row("Import .xlsx, portal — peak RSS MB", _get("import", "peak_rss_mb"), "{:,.0f}", None,
            "< 1 GB", _at_most(_get("import", "peak_rss_mb"), MB_LIMIT - 0.01)),
        Row("Import .xlsx, django-import-export — dry run s", _get("iie", "dry_run_seconds"), "{:,.1f}"),
        Row("Import .xlsx, django-import-export — confirm s", _get("iie", "confirm_seconds"), "{:,.1f}"),
        Row("Import .xlsx, django-import-export — end to end rows/s", iie_rps, "{:,.0f}"),
        Row("Import .xlsx, django-import-export — peak RSS MB", _get("iie", "peak_rss_mb"), "{:,.0f}"),
    ]
    return table


def _cell(fmt: str, value) -> str:
    return "—" if value is None else fmt.format(value)


def _ratio(row: Row, result: dict) -> str:
    if row.baseline is None:
        return ""
    value, base = row.value(result), row.baseline(result)
    return "—" if value is None or not base else f"{value / base:.2f}×"


def markdown(results: dict) -> str:
    sizes = results["sizes"]
    last = sizes[-1] if sizes else {"size": 0}
    header = ["Figure"]
    for result in sizes:
        header += [f"{result['size']:,} PMI", "× baseline"]
    at = "" if last["size"] == TARGET_SIZE else f" (set for {TARGET_SIZE:,}; checked at {last['size']:,})"
    header += [f"Target{at}", "Met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (2 * len(sizes))
                                                               + ["---", ":---:"]) + "|"]
    for row in rows():
        cells = [row.label]
        for result in sizes:
            cells += [_cell(row.fmt, row.value(result)), _ratio(row, result)]
        met = row.check(last, sizes) if row.check and sizes else None
        cells += [row.target, "" if not row.target else {True: "✓", False: "✗", None: "?"}[met]]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [
        "",
        f"Run {results.get('started', '')} on {results.get('machine', '')}; "
        f"{results.get('load', '')}.",
        "× baseline: for the pages and the API, the figure divided by /healthz's in the same run (for requests/s "
        "a share of /healthz's throughput; for latencies how many times slower); for the portal's import, its "
        "rows/s divided by django-import-export's on the same file in the same run. "
        "✓/✗ at the largest size of the run; ? where the run cannot tell (e.g. the 1.5× rule without a 50 k run).",
    ]
    for result in sizes:
        detail = (f"{result['size']:,}: database {result.get('database', '?')}, data by "
                  f"`{result.get('generator', '?')}` ({result.get('pmi', 0):,} PMI)")
        if result.get("import"):
            detail += f", import of {result['import'].get('rows', 0):,} rows"
        if result.get("iie"):
            detail += f", django-import-export on {result['iie'].get('rows', 0):,} rows of the same file"
        notes.append(f"- {detail}.")
        notes += [f"  - {note}" for note in result.get("notes", [])]
    return "\n".join(lines + notes) + "\n"


def write(results: dict, path: Path) -> str:
    text = "# Benchmark: latest run\n\nWritten by `make bench` (bench/run.py); see README, Performance.\n\n"
    text += markdown(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text
