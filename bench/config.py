"""What the benchmark measures and the targets of issue 7, in one place."""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_SIZES = (50_000, 5_000_000)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/desmigratif_bench_{size}"
SEED = 1
TARGET_SIZE = 5_000_000  # the size the targets are set for


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    path: str
    auth: str  # "", "session" (kemnaker's cookie) or "token" (kemnaker's API token)


# /healthz first: the baseline every other endpoint is divided by, measured in the same run.
ENDPOINTS = (
    Endpoint("healthz", "/healthz (baseline)", "/healthz", ""),
    Endpoint("national", "National dashboard /", "/", "session"),
    Endpoint("province", "Province dashboard /dashboard/32/", "/dashboard/32/", "session"),
    Endpoint("growth", "API growth statistics", "/api/v1/statistics/growth/", "token"),
    Endpoint("pmi_list", "API PMI list (area 32, abroad, 50 rows)",
              "/api/v1/migrant-workers/?area=32&stage=abroad&page_size=50", "token"),
    Endpoint("typeahead", "Village type-ahead ?q=kali", "/regions/villages/search/?q=kali", "session"),
)
USERNAME = "kemnaker"  # ministry staff: the whole country
IMPORT_USERNAME = "cirebon"  # a regency operator: the imported PMI are put in their regency


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    database_url: str
    duration: int  # seconds of load per endpoint
    connections: int
    threads: int
    import_rows: int
    # rows of the same file imported by django-import-export (its first rows; 0: skip). Not all 100,000 by
    # default: row by row with each model validated it manages ~60–100 rows/s here, ~25 min for the whole file.
    iie_rows: int
    workers: int


def from_environment() -> Settings:
    sizes = tuple(int(s.replace("_", "")) for s in os.environ.get("BENCH_SIZES", "").split()) or DEFAULT_SIZES
    import_rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    return Settings(
        sizes=sizes,
        database_url=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        duration=int(os.environ.get("BENCH_DURATION", "12")),
        connections=int(os.environ.get("BENCH_CONNECTIONS", "8")),
        threads=int(os.environ.get("BENCH_THREADS", "2")),
        import_rows=import_rows,
        iie_rows=min(import_rows, int(os.environ.get("BENCH_IIE_ROWS", "10000"))),
        workers=int(os.environ.get("BENCH_WORKERS", "2")),
    )


def database_url(base: str, size: int) -> str:
    """The database of one size: ``{size}`` in the base is replaced, or ``_<size>`` is appended to its name."""
    if "{size}" in base:
        return base.format(size=size)
    head, _, query = base.partition("?")
    return f"{head}_{size}" + (f"?{query}" if query else "")
