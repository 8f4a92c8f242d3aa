"""`make bench` at a tiny size, in-process, so that its code cannot rot: the endpoints through Django's
test client instead of gunicorn + wrk, the timed steps on the demo data, the table to a temporary file.
No test asserts a time."""
import copy

import pytest
from django.test import Client

from bench import load, steps, table
from bench.config import ENDPOINTS, TARGET_SIZE, database_url
from bench.run import data_commands

pytestmark = pytest.mark.django_db


def test_the_building_blocks_fill_every_row_of_the_table(tmp_path):
    credentials = steps.credentials()
    client = Client()
    http = {endpoint.key: load.probe_in_process(client, endpoint, credentials, requests=2) for endpoint in ENDPOINTS}
    assert {key: figures["errors"] for key, figures in http.items()} == {endpoint.key: 0 for endpoint in ENDPOINTS}

    report = steps.time_report()
    assert report["workbook_bytes"] > 0
    rebuild = steps.time_rebuild()
    assert rebuild["rows"] > 0
    path = tmp_path / "pmi.xlsx"
    assert steps.import_file(path, rows=15)["rows"] == 15
    before = steps.pmi_count()
    portal = steps.time_import(path)
    side_by_side = steps.time_import_export(path)
    assert portal["rows"] == side_by_side["rows"] == 15
    assert steps.pmi_count() == before  # both rolled back

    result = {"size": 2000, "database": "test", "generator": "demo", "pmi": before, "http": http, "report": report,
              "rebuild": rebuild, "import": portal, "iie": side_by_side, "notes": []}
    largest = copy.deepcopy(result) | {"size": TARGET_SIZE}
    text = table.write({"started": "now", "sizes": [result, largest]}, tmp_path / "latest.md")
    assert (tmp_path / "latest.md").read_text(encoding="utf-8") == text
    lines = text.splitlines()
    for row in table.rows():
        line = next(line for line in lines if line.startswith(f"| {row.label} |"))
        assert "—" not in line.removeprefix(f"| {row.label} |"), line  # every figure at both sizes, every ratio
        if row.target:
            assert line.rstrip(" |").endswith(("✓", "✗")), line


def test_wrk_output_and_the_data_step_plan():
    figures = load.parse_wrk('Running 1s test\nBENCH-WRK {"requests":200,"duration_us":2000000,"bytes":10,'
                             '"p50_us":1500,"p95_us":4000,"p99_us":5000,"max_us":6000,"errors_connect":0,'
                             '"errors_read":0,"errors_write":0,"errors_status":2,"errors_timeout":1}\n')
    assert figures == {"p50_ms": 1.5, "p95_ms": 4.0, "p99_ms": 5.0, "rps": 100.0, "requests": 200, "errors": 3}
    assert data_commands(50_000, "national")[-1] == ["generate_national", "--migrants", "50000", "--seed", "1",
                                                     "--replace-program-data"]
    assert data_commands(50_000, "demo")[-1][0] == "load_demo"
    assert database_url("postgres://postgres@127.0.0.1:5432/desmigratif_bench_{size}", 2000).endswith("_bench_2000")
    assert database_url("postgres://u@h/b?sslmode=disable", 5).endswith("/b_5?sslmode=disable")


def test_the_data_step_record(django_user_model):
    assert steps.state_set(size=2000, generator="demo")["pmi"] == steps.pmi_count()
    assert steps.state_get() == {"size": 2000, "generator": "demo"}
    steps.state_clear()
    assert steps.state_get() is None
