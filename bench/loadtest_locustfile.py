"""The load test's clients, for Locust (``python -m bench.loadtest`` runs ``locust --headless -f`` this file).

Each Locust user is one client of the plan that ``bench.loadtest_plan`` wrote (``LOADTEST_PLAN``, a JSON
file): a regency operator, a ministry or province reader (both sign in through /accounts/login/ with the
form's CSRF token, as a browser does) or an API client (its token). Operators read their regency's
dashboards and lists and write through the pages' forms: a pillar activity in a Desmigratif village of
their regency, a new PMI with a valid NIK of their own (a district of their regency, their birth date, a
serial no PMI of that district has), and the next stage of a PMI they registered. API clients read lists
and statistics; those holding a regency operator's token also add activities through the API.

Every write that the server confirmed (a 302 to the new record, a 201) is appended to a JSON-lines file
in ``LOADTEST_WRITES`` with its unique marker (NIK, title, PMI id and stage), for the check afterwards.

Anything but the expected answer is a failure in Locust's statistics: a status other than the one
expected (a GET must be a 200 and not a redirect, e.g. to the login page; a form post must redirect to
the saved record, not show the form again with errors), an exception, a timeout
(``LOADTEST_TIMEOUT``, 30 s).

Environment: LOADTEST_PLAN, LOADTEST_WRITES (a folder), LOADTEST_WAIT ("0.5,2": seconds each client
waits between two tasks), LOADTEST_TOUR ("1": each client runs every one of its tasks once after signing
in, so that a short run covers every kind of request — the smoke test sets it).
"""
from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, task
from locust.exception import StopUser

from migrants.nik import nik_for

if "LOADTEST_PLAN" not in os.environ:
    raise SystemExit("LOADTEST_PLAN is not set: run the load test with `python -m bench.loadtest`.")
PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
WRITES = Path(os.environ["LOADTEST_WRITES"])
WAIT = tuple(float(value) for value in os.environ.get("LOADTEST_WAIT", "0.5,2").split(","))
TOUR = os.environ.get("LOADTEST_TOUR") == "1"
TIMEOUT = float(os.environ.get("LOADTEST_TIMEOUT", "30"))
TODAY = datetime.date.fromisoformat(PLAN["today"])  # the server's date (Asia/Jakarta) when the plan was made
MARKER = PLAN["marker"]
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# the stage actions of the PMI pages, in lifecycle order: (stage now, address, stage after)
NEXT_STAGE = {"registered": ("verify", "verified"), "verified": ("train", "in_training"),
              "in_training": ("ready", "ready"), "ready": ("depart", "abroad")}
COUNTRIES = ("TW", "MY", "HK", "KR", "JP", "SG")

CLIENTS = {kind: iter([c for c in PLAN["clients"] if c["kind"] == kind]) for kind in ("operator", "reader", "api")}
_written = WRITES / f"writes-{os.getpid()}.jsonl"


def record(**fields) -> None:
    """One confirmed write, appended at once (a whole line per write: greenlets never interleave in it)."""
    with _written.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(fields) + "\n")


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def count_of(kind: str) -> int:
    return sum(1 for client in PLAN["clients"] if client["kind"] == kind)


class PortalClient(FastHttpUser):
    abstract = True
    kind = ""
    wait_time = between(*WAIT)
    network_timeout = TIMEOUT
    connection_timeout = TIMEOUT

    def on_start(self) -> None:
        try:
            self.plan = next(CLIENTS[self.kind])
        except StopIteration:
            raise StopUser() from None  # more Locust users than clients in the plan: -u must match it
        self.headers: dict[str, str] = {}
        self.sequence = itertools.count(1)
        self.begin()
        if TOUR:
            for method in dict.fromkeys(self.tasks):
                method(self)

    def begin(self) -> None:
        self.login()

    # --- requests -------------------------------------------------------------------------------------------

    def open(self, path: str, name: str) -> str | None:
        """A GET that must answer 200 itself (a redirect, e.g. to the login page, is a failure)."""
        with self.client.get(path, name=name, headers=self.headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"GET {path}: HTTP {response.status_code} {response.headers.get('Location') or ''}")
                return None
            response.success()
            return response.text

    def form(self, path: str, name: str) -> str | None:
        """Open a form page: its CSRF token, as a browser posts it back."""
        text = self.open(path, f"{name} (form page)")
        found = CSRF_RE.search(text or "")
        return found.group(1) if found else None

    def submit(self, path: str, name: str, data: dict, *, expect: str) -> str | None:
        """POST a page's form: it must redirect to ``expect`` (a regex of the new address), else the form came
        back with errors (200) or worse. Returns the address redirected to."""
        token = self.form(path, name)
        if token is None:
            return None
        body = urlencode({"csrfmiddlewaretoken": token, **data})
        with self.client.post(path, data=body, name=f"{name} (post)", headers={**FORM, "Referer": self.host + path},
                              allow_redirects=False, catch_response=True) as response:
            location = response.headers.get("Location") or ""
            if response.status_code != 302 or not re.fullmatch(expect, location):
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)', response.text or "")
                response.failure(f"POST {path}: HTTP {response.status_code} to {location!r}; {errors[:3]}")
                return None
            response.success()
            return location

    def login(self) -> None:
        token = self.form("/accounts/login/", "login")
        if token is None:
            raise StopUser()
        body = urlencode({"csrfmiddlewaretoken": token, "username": self.plan["username"],
                          "password": PLAN["password"], "next": "/"})
        with self.client.post("/accounts/login/", data=body, name="login (post)",
                              headers={**FORM, "Referer": self.host + "/accounts/login/"}, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302 or response.headers.get("Location") != "/":
                response.failure(f"login of {self.plan['username']}: HTTP {response.status_code}")
                raise StopUser()
            response.success()

    def page(self, pages: int) -> int:
        return random.randint(1, max(1, pages))


class ReaderClient(PortalClient):
    """Ministry staff or a province officer: dashboards and the (masked) lists."""

    kind = "reader"
    fixed_count = count_of("reader")

    @task(3)
    def home_dashboard(self):
        self.open("/", "dashboard: home (own area)")

    @task(3)
    def area_dashboard(self):
        code = random.choice(self.plan["regencies"] or self.plan["provinces"])
        self.open(f"/dashboard/{code}/", "dashboard: regency")

    @task(1)
    def province_dashboard(self):
        self.open(f"/dashboard/{random.choice(self.plan['provinces'])}/", "dashboard: province")

    @task(2)
    def pmi_list(self):
        self.open(f"/migrants/?page={self.page(self.plan['pmi_pages'])}", "page: PMI list")

    @task(2)
    def village_list(self):
        self.open(f"/villages/?page={self.page(self.plan['village_pages'])}", "page: Desmigratif village list")

    @task(1)
    def activity_list(self):
        self.open(f"/villages/activities/?page={self.page(self.plan['activity_pages'])}", "page: activity list")


class OperatorClient(PortalClient):
    """A regency operator (Disnaker): its regency's dashboards and lists, and the writes of its work."""

    kind = "operator"
    fixed_count = count_of("operator")

    def begin(self) -> None:
        super().begin()
        self.mine: dict[int, str] = {}  # PMI this client registered: id → stage

    @task(3)
    def home_dashboard(self):
        self.open("/", "dashboard: home (own area)")

    @task(2)
    def district_dashboard(self):
        self.open(f"/dashboard/{random.choice(self.plan['districts'])}/", "dashboard: district")

    @task(3)
    def pmi_list(self):
        self.open(f"/migrants/?page={self.page(self.plan['pmi_pages'])}", "page: PMI list")

    @task(1)
    def village_list(self):
        self.open(f"/villages/?page={self.page(self.plan['village_pages'])}", "page: Desmigratif village list")

    @task(1)
    def activity_list(self):
        self.open(f"/villages/activities/?page={self.page(self.plan['activity_pages'])}", "page: activity list")

    @task(2)
    def add_activity(self):
        village = random.choice(self.plan["desmigratif_villages"])
        title = f"{MARKER} {self.plan['username']} #{next(self.sequence)}"
        pillar, kind = random.choice(((1, "1_guidance"), (2, "2_training"), (3, "3_parenting"), (4, "4_meeting")))
        data = {"desmigratif_village": village["id"], "pillar": pillar, "kind": kind, "date": dmy(TODAY),
                "title": title, "participants_women": random.randint(0, 40), "participants_men": random.randint(0, 40),
                "services_given": 0, "businesses_started": 0, "children_reached": 12 if pillar == 3 else 0,
                "partner_agency": "", "budget": random.randint(0, 50) * 100_000, "notes": ""}
        if self.submit("/villages/activities/add/", "form: add activity", data, expect=r"/villages/activities/\d+/"):
            record(kind="activity", via="page", title=title, client=self.plan["username"])

    @task(2)
    def register_pmi(self):
        number = next(self.sequence)
        female = number % 2 == 0
        birth_date = datetime.date(1980, 1, 1) + datetime.timedelta(days=number)
        district = self.plan["nik_district"]
        nik = nik_for(district_code=district, birth_date=birth_date, female=female, serial=self.plan["nik_serial"])
        village = random.choice([v for v in self.plan["desmigratif_villages"]
                                 if v["code"].replace(".", "").startswith(district)])
        data = {"nik": nik, "name": f"Uji Beban {self.plan['username'][-4:]} {number}",
                "gender": "F" if female else "M",
                "birth_date": dmy(birth_date), "village": village["code"], "address": MARKER, "education": "sma",
                "marital_status": "single", "phone": "", "registered_on": dmy(TODAY)}
        location = self.submit("/migrants/add/", "form: register PMI", data, expect=r"/migrants/\d+/")
        if location:
            pk = int(location.strip("/").split("/")[-1])
            self.mine[pk] = "registered"
            record(kind="pmi", nik=nik, pmi=pk, client=self.plan["username"])
            self.open(location, "page: PMI detail")  # where the browser goes next

    @task(2)
    def next_stage(self):
        movable = [pk for pk, stage in self.mine.items() if stage in NEXT_STAGE]
        if not movable:
            return self.register_pmi()
        pk = random.choice(movable)
        action, to_stage = NEXT_STAGE[self.mine[pk]]
        if action == "depart":
            data = {"destination_country": random.choice(COUNTRIES), "sector": "formal", "job": "Operator pabrik",
                    "scheme": "g2g", "p3mi_name": "", "departure_date": dmy(TODAY), "contract_end_date": ""}
        else:
            data = {"date": dmy(TODAY)}
        if self.submit(f"/migrants/{pk}/{action}/", f"form: PMI stage → {to_stage}", data,
                       expect=rf"/migrants/{pk}/"):
            self.mine[pk] = to_stage
            record(kind="stage", pmi=pk, to=to_stage, seq=next(self.sequence), client=self.plan["username"])


class ApiClient(PortalClient):
    """A client system with an API token: lists and statistics; a regency operator's token also writes."""

    kind = "api"
    fixed_count = count_of("api")

    def begin(self) -> None:
        self.headers = {"Authorization": f"Token {self.plan['token']}", "Accept": "application/json"}

    def read(self, path: str, name: str) -> dict | None:
        text = self.open(path, name)
        return json.loads(text) if text is not None else None

    @task(3)
    def pmi_list(self):
        area = random.choice(self.plan["areas"])
        first = self.read(f"/api/v1/migrant-workers/?area={area}", "api: PMI list (area, page 1)")
        if first and first["count"] > 25:
            last = min(40, -(-first["count"] // 25))
            self.read(f"/api/v1/migrant-workers/?area={area}&page={random.randint(2, last)}",
                      "api: PMI list (area, page n)")

    @task(2)
    def village_list(self):
        self.read(f"/api/v1/desmigratif-villages/?area={random.choice(self.plan['areas'])}",
                  "api: Desmigratif village list")

    @task(1)
    def activity_list(self):
        self.read(f"/api/v1/pillar-activities/?page={self.page(self.plan['activity_pages'])}", "api: activity list")

    @task(1)
    def summary(self):
        self.read(f"/api/v1/statistics/summary/?area={random.choice(self.plan['areas'])}", "api: statistics summary")

    @task(1)
    def growth(self):
        self.read("/api/v1/statistics/growth/", "api: statistics growth")

    @task(1)
    def pillars(self):
        self.read(f"/api/v1/statistics/pillars/?area={random.choice(self.plan['areas'])}", "api: statistics pillars")

    @task(2)
    def add_activity(self):
        if not self.plan["writes"]:
            return self.village_list()
        village = random.choice(self.plan["desmigratif_villages"])
        title = f"{MARKER} {self.plan['username']} #{next(self.sequence)}"
        body = {"village": village["code"], "pillar": 1, "kind": "1_job_info", "date": TODAY.isoformat(),
                "title": title, "participants_women": random.randint(0, 30), "participants_men": random.randint(0, 30),
                "services_given": random.randint(1, 20), "budget": 0}
        with self.client.post("/api/v1/pillar-activities/", json=body, name="api: add activity (post)",
                              headers=self.headers, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"POST /api/v1/pillar-activities/: HTTP {response.status_code} {response.text[:300]}")
                return
            response.success()
        record(kind="activity", via="api", title=title, client=self.plan["username"])
