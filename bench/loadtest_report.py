"""The load test's figures: Locust's CSV statistics read back, and the results table (Markdown + JSON)."""
from __future__ import annotations

import csv
import json
from pathlib import Path


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def locust_read(prefix: Path) -> dict:
    """Locust's ``--csv`` files: one row per request kind (count, failures, p50/p95/p99 ms, req/s), the total,
    and the failures and exceptions as Locust grouped them."""
    rows, total = [], None
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stream:
        for line in csv.DictReader(stream):
            row = {"kind": line["Name"], "method": line["Type"], "count": int(line["Request Count"]),
                   "failures": int(line["Failure Count"]), "p50_ms": _number(line["50%"]),
                   "p95_ms": _number(line["95%"]), "p99_ms": _number(line["99%"]),
                   "max_ms": _number(line["Max Response Time"]), "rps": _number(line["Requests/s"])}
            if line["Name"] == "Aggregated":
                total = row | {"kind": "total"}
            else:
                rows.append(row)
    with open(f"{prefix}_failures.csv", newline="", encoding="utf-8") as stream:
        failures = [{"method": line["Method"], "kind": line["Name"], "error": line["Error"],
                     "occurrences": int(line["Occurrences"])} for line in csv.DictReader(stream)]
    with open(f"{prefix}_exceptions.csv", newline="", encoding="utf-8") as stream:
        exceptions = [{"count": int(line["Count"]), "message": line["Message"]} for line in csv.DictReader(stream)]
    rows.sort(key=lambda row: row["kind"])
    total = total or {"kind": "total", "method": "", "count": 0, "failures": 0, "p50_ms": 0.0, "p95_ms": 0.0,
                      "p99_ms": 0.0, "max_ms": 0.0, "rps": 0.0}
    return {"rows": rows, "total": total, "failures": failures, "exceptions": exceptions}


def errors_of(stats: dict, locust_exit: int) -> int:
    """Failed requests (any unexpected status, timeout or connection error) plus exceptions in the clients;
    a Locust that exited non-zero without either counts as one error."""
    errors = stats["total"]["failures"] + sum(e["count"] for e in stats["exceptions"])
    return errors or (1 if locust_exit else 0)


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def markdown(result: dict) -> str:
    stats, writes, setup = result["stats"], result["writes"], result["setup"]
    verdict = "PASS" if result["passed"] else "FAIL"
    lines = [
        f"# Load test: {setup['clients']} logged-in clients × {setup['seconds']} s — {verdict}",
        "",
        f"Run `{result['run']}` started {result['started']} (Asia/Jakarta: {result['started_local']}).",
        "",
        f"- **Result:** {result['errors']} errors in {stats['total']['count']:,} requests; "
        f"writes made {writes['made']:,}, found in the database {writes['found']:,}, missing {writes['missing']}.",
        f"- **Clients:** {setup['mix_text']}; each waits {setup['wait']} s between two tasks; Locust "
        f"{setup['locust']} (`FastHttpUser`), headless, spawning {setup['spawn_rate']}/s, on loopback.",
        f"- **Server:** {setup['server']}.",
        f"- **Data:** {setup['data']}.",
        f"- **Machine:** {setup['machine']}.",
    ]
    lines += [f"- {note}" for note in result["notes"]]
    lines += ["", "| request | count | failures | p50 ms | p95 ms | p99 ms | req/s |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for row in [*stats["rows"], stats["total"]]:
        label = f"**{row['kind']}**" if row["kind"] == "total" else f"{row['method']} {row['kind']}"
        lines.append(f"| {label} | {row['count']:,} | {row['failures']} | {_ms(row['p50_ms'])} | {_ms(row['p95_ms'])} "
                     f"| {_ms(row['p99_ms'])} | {row['rps']:.2f} |")
    lines += ["", "| write | made | found in the database | missing |", "|---|---:|---:|---:|"]
    for kind, figures in writes["kinds"].items():
        lines.append(f"| {kind} | {figures['made']:,} | {figures['found']:,} | {figures['made'] - figures['found']} |")
    lines.append(f"| **total** | {writes['made']:,} | {writes['found']:,} | {writes['missing']} |")
    lines += ["", f"Rows carrying this run's marker in the database: {writes['in_database']['pmi']:,} PMI, "
              f"{writes['in_database']['activity']:,} activities (a row more than recorded is a request the server "
              "completed after its client was stopped)."]
    if stats["failures"] or stats["exceptions"]:
        lines += ["", "## Failures", ""]
        lines += [f"- {f['occurrences']}× {f['method']} {f['kind']}: {f['error']}" for f in stats["failures"]]
        lines += [f"- {e['count']}× exception: {e['message']}" for e in stats["exceptions"]]
    missing = {kind: figures["missing"] for kind, figures in writes["kinds"].items() if figures["missing"]}
    if missing:
        lines += ["", "## Writes not found", "", "```", json.dumps(missing, indent=1), "```"]
    lines += ["", "Percentiles are Locust's (its response-time buckets keep two significant digits above 100 ms). "
              "req/s is over the whole run, ramp-up included. Reproduce with `python -m bench.loadtest` "
              "(`LOADTEST_SECONDS`, `LOADTEST_CLIENTS`; see the top of `bench/loadtest.py`).", ""]
    return "\n".join(lines)


def write(result: dict, path: Path) -> str:
    """The table to ``path`` (.md) and the raw figures beside it (.json); returns the Markdown."""
    text = markdown(result)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return text
