"""The load test's steps that run inside Django: the clients it drives (users, tokens, what each may
open and write) and, afterwards, the check that every write the clients recorded is in the database.

Each is a plain function (the smoke test calls them in-process, inside its test transaction) and a
command of ``python -m bench.loadtest_plan`` (``python -m bench.loadtest`` runs them in a child process
against the load-test database, as ``bench.run`` does with ``bench.steps``).

The clients are portal users made for the load test (``loadtest_…``), never the demo users: regency
operators spread over the demo regencies with the most Desmigratif villages, ministry and province
readers, and API-token clients. Running it again refreshes them and issues new tokens (the old ones are
revoked).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

PASSWORD = "loadtest-Desmigratif-2024"  # load-test users only, on the load-test (or a test) database
USER_PREFIX = "loadtest_"
PAGE_SIZE = 25  # the pages' and the API's default page size
MAX_PAGES = 40  # clients open the first pages of a list, as people do
REGENCIES = 10  # operators are spread over this many regencies (those with the most Desmigratif villages)
MARKER = "Uji beban"  # starts every title and address the load test writes, with the run's id


def client_mix(count: int) -> dict[str, int]:
    """Half regency operators, a fifth API-token clients, the rest ministry/province readers (50: 25/10/15);
    at least one operator (someone must write), one API client from three clients on."""
    if count < 1:
        raise ValueError("The load test needs at least one client.")
    operators = max(1, count // 2)
    api = min(count - operators, max(1 if count >= 3 else 0, count // 5))
    return {"operator": operators, "api": api, "reader": count - operators - api}


def _pages(count: int) -> int:
    return max(1, min(MAX_PAGES, math.ceil(count / PAGE_SIZE)))


def _free_serials(district_digits: str, taken: set[str]) -> list[int]:
    """NIK serials (last 4 digits) that no PMI registered in this district has: any birth date is then free."""
    from migrants.models import MigrantWorker

    used = {nik[-4:] for nik in MigrantWorker.objects.filter(nik__startswith=district_digits)
            .values_list("nik", flat=True)}
    return [serial for serial in range(9999, 999, -1)
            if f"{serial:04d}" not in used and f"{district_digits}:{serial}" not in taken]


def _regencies() -> list[dict]:
    """The demo regencies with the most Desmigratif villages: their villages (id, code) and districts."""
    from villages.models import DesmigratifVillage

    by_regency: dict[str, list[dict]] = {}
    for pk, code in DesmigratifVillage.objects.order_by("village_id").values_list("id", "village_id"):
        by_regency.setdefault(code[:5], []).append({"id": pk, "code": code})
    ranked = Counter({code: len(villages) for code, villages in by_regency.items()}).most_common(REGENCIES)
    if not ranked:
        raise RuntimeError("No Desmigratif village in the database: load the demo data first (load_demo).")
    ranked.sort(key=lambda row: (-row[1], row[0]))
    return [{"code": code, "villages": by_regency[code]} for code, _count in ranked]


def _user(username: str, role: str, *, hashed: str, province: str = "", regency: str = ""):
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role, user.province_id, user.regency_id = role, province or None, regency or None
    user.village_id, user.agency = None, None
    user.first_name, user.last_name, user.email = "Uji", f"beban {username}", f"{username}@loadtest.invalid"
    user.password, user.is_active, user.is_staff, user.is_superuser = hashed, True, False, False
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def clients_ensure(*, count: int, run: str) -> dict:
    """The ``count`` load-test users and their plan: role, area, what to open, where to write, a fresh
    NIK district + serial per writer (unused in the database, so its registrations cannot clash), and the
    API token of each API client (shown once: it is only in the plan)."""
    from accounts.choices import Role
    from accounts.models import ApiToken
    from accounts.services import api_token_issue, api_token_revoke
    from migrants.selectors import migrant_list
    from villages.selectors import desmigratif_village_list, pillar_activity_list

    mix = client_mix(count)
    regencies = _regencies()
    provinces = sorted({regency["code"][:2] for regency in regencies})
    hashed = make_password(PASSWORD)
    taken_serials: set[str] = set()
    User = get_user_model()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()

    def writer_fields(index: int, regency: dict) -> dict:
        villages = regency["villages"]
        first = villages[index % len(villages)]
        district = first["code"][:8].replace(".", "")
        serial = _free_serials(district, taken_serials)[0]
        taken_serials.add(f"{district}:{serial}")
        return {"desmigratif_villages": villages, "nik_district": district, "nik_serial": serial}

    def reads(user) -> dict:
        return {"pmi_pages": _pages(migrant_list(user=user).count()),
                "village_pages": _pages(desmigratif_village_list(user=user).count()),
                "activity_pages": _pages(pillar_activity_list(user=user).count())}

    clients = []
    for index in range(mix["operator"]):
        regency = regencies[index % len(regencies)]
        user = _user(f"{USER_PREFIX}op{index + 1:02d}", Role.REGENCY_OPERATOR, hashed=hashed,
                     regency=regency["code"])
        clients.append({"kind": "operator", "username": user.username, "area": regency["code"], "writes": True,
                        "districts": sorted({v["code"][:8] for v in regency["villages"]}),
                        **writer_fields(index, regency), **reads(user)})
    for index in range(mix["reader"]):
        # a third ministry staff (the whole country), the rest province officers of the operators' provinces
        if index % 3 == 0:
            user = _user(f"{USER_PREFIX}read{index + 1:02d}", Role.MINISTRY, hashed=hashed)
            area = ""
        else:
            area = provinces[index % len(provinces)]
            user = _user(f"{USER_PREFIX}read{index + 1:02d}", Role.PROVINCE_OFFICER, hashed=hashed,
                         province=area)
        clients.append({"kind": "reader", "username": user.username, "area": area, "writes": False,
                        "provinces": [area] if area else provinces,
                        "regencies": [r["code"] for r in regencies if r["code"].startswith(area)], **reads(user)})
    for index in range(mix["api"]):
        # half write through the API (regency operators' tokens), half read (ministry staff's, read-only)
        username = f"{USER_PREFIX}api{index + 1:02d}"
        if index % 2 == 0:
            regency = regencies[(index // 2) % len(regencies)]
            user = _user(username, Role.REGENCY_OPERATOR, hashed=hashed, regency=regency["code"])
            area, extra, read_only = regency["code"], {"desmigratif_villages": regency["villages"]}, False
        else:
            user = _user(username, Role.MINISTRY, hashed=hashed)
            area, extra, read_only = "", {}, True
        for old in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
            api_token_revoke(token=old, revoked_by=admin or user)
        _token, key = api_token_issue(user=user, name=f"{MARKER} {run}", read_only=read_only, issued_by=admin)
        areas = [area] if area else [*provinces, *(r["code"] for r in regencies[:3])]
        clients.append({"kind": "api", "username": username, "area": area, "writes": not read_only, "token": key,
                        "areas": areas, **extra, **reads(user)})
    return {"run": run, "today": timezone.localdate().isoformat(), "password": PASSWORD, "marker": f"{MARKER} {run}",
            "mix": mix, "clients": clients}


# --- afterwards ------------------------------------------------------------------------------------------------

def writes_read(folder: Path) -> list[dict]:
    """The writes the Locust clients recorded (one JSON object a line, a file per Locust process)."""
    records = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records


def writes_verify(*, records: list[dict], marker: str) -> dict:
    """Which recorded writes are in the database: PMI by NIK, activities by title, stage moves as the
    PMI's stage now (each PMI moved by the one client that registered it, so its last move is its stage).
    ``in_database`` counts the rows carrying this run's marker: more than recorded means a request the
    server completed but whose client was stopped before it read the answer."""
    from migrants.choices import Stage
    from migrants.models import MigrantWorker, Placement
    from villages.models import PillarActivity

    kinds: dict[str, dict] = {}

    def tally(kind: str, made: int, found: int, missing: list) -> None:
        kinds[kind] = {"made": made, "found": found, "missing": missing[:20]}

    niks = [r["nik"] for r in records if r["kind"] == "pmi"]
    present = set(MigrantWorker.objects.filter(nik__in=niks).values_list("nik", flat=True))
    tally("pmi", len(niks), len(present), sorted(set(niks) - present))

    for via in ("page", "api"):
        titles = [r["title"] for r in records if r["kind"] == "activity" and r["via"] == via]
        present_titles = set(PillarActivity.objects.filter(title__in=titles).values_list("title", flat=True))
        tally(f"activity ({via})", len(titles), len(present_titles), sorted(set(titles) - present_titles))

    moves = sorted((r for r in records if r["kind"] == "stage"), key=lambda r: (r["pmi"], r["seq"]))
    last = {r["pmi"]: r["to"] for r in moves}
    stored = dict(MigrantWorker.objects.filter(pk__in=last).values_list("pk", "stage"))
    open_placements = set(Placement.objects.filter(migrant_id__in=last, return_date__isnull=True)
                          .values_list("migrant_id", flat=True))
    wrong = [{"pmi": pk, "expected": stage, "stored": stored.get(pk)} for pk, stage in last.items()
             if stored.get(pk) != stage or (stage == Stage.ABROAD) != (pk in open_placements)]
    wrong_pks = {w["pmi"] for w in wrong}
    found_moves = sum(1 for r in moves if r["pmi"] not in wrong_pks)
    tally("stage move", len(moves), found_moves, wrong)

    in_database = {"pmi": MigrantWorker.objects.filter(address=marker).count(),
                   "activity": PillarActivity.objects.filter(title__startswith=f"{marker} ").count()}
    made = sum(k["made"] for k in kinds.values())
    found = sum(k["found"] for k in kinds.values())
    return {"kinds": kinds, "made": made, "found": found, "missing": made - found, "in_database": in_database,
            "pmi_total": MigrantWorker.objects.count(), "activity_total": PillarActivity.objects.count()}


def main(argv: list[str] | None = None) -> None:
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest_plan")
    commands = parser.add_subparsers(dest="command", required=True)
    clients = commands.add_parser("clients", help="make the load-test users and write the plan (JSON)")
    clients.add_argument("--count", type=int, required=True)
    clients.add_argument("--run", required=True)
    clients.add_argument("--out", type=Path, required=True)
    verify = commands.add_parser("verify", help="check the recorded writes against the database")
    verify.add_argument("--writes", type=Path, required=True)
    verify.add_argument("--marker", required=True)
    args = parser.parse_args(argv)
    if args.command == "clients":
        plan = clients_ensure(count=args.count, run=args.run)
        args.out.write_text(json.dumps(plan, indent=1), encoding="utf-8")
        args.out.chmod(0o600)  # it holds the clients' password and API keys
        result = {"clients": len(plan["clients"]), "mix": plan["mix"]}
    else:
        result = writes_verify(records=writes_read(args.writes), marker=args.marker)
    sys.stdout.write("LOADTEST-RESULT " + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
