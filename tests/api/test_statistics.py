"""/api/v1/statistics/: the dashboards' figures (the same selectors), scoped to the caller's area, small
counts as "<5", a CSV of every table, ETag / Last-Modified with 304, anonymous only when allowed, no
failure on any parameter, and a bounded number of queries."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.disclosure import Small
from accounts.models import User
from dashboards.api import views
from dashboards.api.renderers import csv_cell
from dashboards.selectors import area_get, dashboard_get
from migrants.models import MigrantWorker
from villages.models import DesmigratifVillage
from villages.services import desmigratif_village_update

from .base import token_client

pytestmark = pytest.mark.django_db

MONEY = {"activity_budget", "budget", "capital", "assets", "revenue", "shu"}  # every amount the statistics give
ENDPOINTS = ["summary", "growth", "areas", "pillars", "migrants", "cooperatives", "agencies"]
VIEWS = {"summary": views.SummaryView, "growth": views.GrowthView, "areas": views.AreasView,
         "pillars": views.PillarsView, "migrants": views.MigrantsView, "cooperatives": views.CooperativesView,
         "agencies": views.AgenciesView}


def url(name: str) -> str:
    return reverse(f"api:statistics:{name}")


def board_for(username: str, code: str, year: int = 2022):
    user = User.objects.get(username=username)
    return dashboard_get(user=user, area=area_get(user=user, code=code), year=year)


def shown(value):
    """A dashboard figure as the API writes it in JSON."""
    if isinstance(value, Small):
        return "<5"
    if isinstance(value, Decimal):
        return int(value)  # whole rupiah, a JSON integer
    return value


def few_pmi_village() -> tuple[str, int]:
    """A village of Kabupaten Cirebon with 1 to 4 PMI (as the dashboard tests pick it)."""
    village = (MigrantWorker.objects.filter(village__code__startswith="32.09.").values_list("village_id", flat=True)
               .order_by("village_id").first())
    count = MigrantWorker.objects.filter(village_id=village).count()
    assert 0 < count < 5
    return village, count


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


# --- the figures ---------------------------------------------------------------------------------------


def test_the_national_growth_is_the_published_one():
    response = token_client("kemnaker").get(url("growth"), {"area": "", "year": 2022})
    assert response.status_code == 200
    body = response.json()
    assert body["area"] == {"code": "", "name": "Indonesia", "level": "national"}
    assert body["year"] == 2022 and body["start"] == 2016
    assert [row["cumulative"] for row in body["results"]] == [2, 122, 252, 402, 402, 453, 503]
    assert [row["new"] for row in body["results"]] == [2, 120, 130, 150, 0, 51, 50]
    assert body["results"][-1]["growth"] == round(50 * 100 / 453, 1) == board_for("kemnaker", "").villages["growth"]
    assert body["results"][0]["growth"] is None  # nothing to grow from
    summary = token_client("kemnaker").get(url("summary"), {"area": "", "year": 2022}).json()["results"][0]
    assert summary["villages_total"] == 503 and summary["villages_new"] == 50


def test_kabupaten_cirebon_has_ten_dana_desa_villages():
    body = token_client("kemnaker").get(url("growth"), {"area": "32.09", "year": 2022}).json()
    funding = {row["code"]: row["villages"] for row in body["funding"]}
    assert funding["dana_desa"] == 10


@pytest.mark.parametrize("username, code", [("kemnaker", "32"), ("admin", ""), ("cirebon", "32.09"),
                                            ("jabar", "32.09")])
def test_every_figure_equals_the_dashboards(username, code):
    board = board_for(username, code, year=2022)
    client = token_client(username)

    def get(name: str) -> dict:
        response = client.get(url(name), {"area": code, "year": 2022})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["area"]["code"] == code and body["year"] == 2022
        assert body["small_counts_hidden"] is board.hide_small
        return body

    v, a, m, c, g = board.villages, board.activities, board.migrants, board.cooperatives, board.agencies
    summary = get("summary")["results"][0]
    assert summary == {
        "villages_total": v["total"], "villages_new": v["new"], "villages_previous_total": v["previous_total"],
        "villages_growth": v["growth"], "provinces": v["provinces"], "regencies": v["regencies"],
        "pmi_total": shown(m["total"]), "pmi_prospective": shown(m["prospective"]), "pmi_abroad": shown(m["abroad"]),
        "pmi_returned": shown(m["returned"]), "pmi_departed_in_year": shown(m["departed"]),
        "pmi_returned_in_year": shown(m["returned_in_year"]), "activities": a["year"]["activities"],
        "participants": a["year"]["participants"], "participants_women": a["year"]["women"],
        "participants_men": a["year"]["men"], "activity_budget": shown(a["year"]["budget"]),
        "cooperatives": c["total"], "cooperatives_active": c["active"], "cooperative_members": c["year"]["members"],
        "agencies_engaged": g["engaged"], "agencies_previous_engaged": g["previous_engaged"], "agencies_program": 16}

    growth = get("growth")
    assert [(r["year"], r["new"], r["cumulative"]) for r in growth["results"]] == [
        (r["year"], r["new"], r["cumulative"]) for r in v["per_year"]]

    areas = get("areas")["results"]
    assert [row["code"] for row in areas] == [row["code"] for row in board.by_child]
    for row, child in zip(areas, board.by_child, strict=True):
        assert row["villages"] == child.get("villages", 0) and row["new_villages"] == child.get("new_villages", 0)
        assert row["activities"] == child.get("activities", 0)
        assert row["participants"] == child.get("participants", 0)
        assert row["cooperative_members"] == child.get("members", 0)
        for name in ("pmi", "abroad", "departed", "returned"):
            assert row[name] == shown(child[name]), (row["code"], name)

    pillars = get("pillars")
    assert [(r["pillar"], r["activities"], r["participants"], r["budget"], r["previous_activities"])
            for r in pillars["results"]] == [
        (p["pillar"], p["activities"], p["participants"], shown(p["budget"]), p["previous_activities"])
        for p in a["pillars"]]
    assert pillars["per_year"] == a["per_year"]
    assert pillars["totals"][1]["activities"] == a["year"]["activities"]

    migrants = get("migrants")
    assert [(r["stage"], r["count"]) for r in migrants["stages"]] == [(r["stage"], shown(r["count"]))
                                                                    for r in m["stages"]]
    assert [r["registered"] for r in migrants["results"]] == [shown(r["count"]) for r in m["registered_per_year"]]
    assert [r["departed"] for r in migrants["results"]] == [shown(r["departed"]) for r in m["flows_per_year"]]
    assert [(r["code"], r["count"], r["previous"]) for r in migrants["destinations"]] == [
        (r["code"], shown(r["count"]), shown(r["previous"])) for r in m["destinations"]]
    assert [r["count"] for r in migrants["return_reasons"]] == [shown(r["count"]) for r in m["return_reasons"]]
    assert {r["figure"]: r["count"] for r in migrants["reintegration"]} == {
        k: shown(n) for k, n in m["reintegration"].items()}
    assert migrants["totals"][0]["total"] == shown(m["total"])

    cooperatives = get("cooperatives")
    assert cooperatives["results"] == [{k: shown(n) for k, n in row.items()} for row in c["per_year"]]
    assert cooperatives["totals"] == [{"total": c["total"], "active": c["active"],
                                       "founded_by_year": c["founded_by_year"]}]

    agencies = get("agencies")
    assert [(r["acronym"], r["engagements"], [r[f"pillar_{p}"] for p in range(1, 5)]) for r in agencies["results"]] == [
        (r["acronym"], r["engagements"], list(r["pillars"].values())) for r in g["matrix"]]
    assert agencies["totals"][0]["engaged"] == g["engaged"] and agencies["totals"][0]["program_agencies"] == 16


# --- scope and small counts ---------------------------------------------------------------------------------


def test_a_province_officer_sees_only_jawa_barat():
    client = token_client("jabar")
    body = client.get(url("areas"), {"year": 2022}).json()  # no area: their own
    assert body["area"]["code"] == "32"
    assert body["results"] and {row["code"][:3] for row in body["results"]} == {"32."}
    assert body["results"][0]["villages"] is not None
    jabar = client.get(url("summary"), {"year": 2022}).json()["results"][0]
    assert jabar["villages_total"] == DesmigratifVillage.objects.filter(village__code__startswith="32.",
                                                                       year_designated__lte=2022).count()
    for name in ENDPOINTS:
        for code in ("33", "33.07", "", "31.71.01"):
            response = client.get(url(name), {"area": code})
            assert response.status_code == 404, (name, code)
            assert response.json()["detail"]
    assert client.get(url("summary"), {"area": "32.09"}).status_code == 200


def test_small_counts_read_lt5_for_readers_and_the_number_for_the_areas_operator():
    village, count = few_pmi_village()
    hidden = token_client("kemnaker").get(url("summary"), {"area": village, "year": 2024}).json()
    assert hidden["small_counts_hidden"] is True and hidden["results"][0]["pmi_total"] == "<5"
    shown_ = token_client("cirebon").get(url("summary"), {"area": village, "year": 2024}).json()
    assert shown_["small_counts_hidden"] is False and shown_["results"][0]["pmi_total"] == count
    assert hidden["count_rounding"] == 10 and shown_["count_rounding"] == 1
    stages = token_client("kemnaker").get(url("migrants"), {"area": village, "year": 2024}).json()["stages"]
    # 0 reads "<5" too, so that a zero beside a hidden count does not narrow it
    assert [row["count"] for row in stages] == ["<5"] * len(stages)
    regency = token_client("kemnaker").get(url("migrants"), {"area": "32.09", "year": 2024}).json()
    counts = [row["count"] for row in regency["stages"]] + [row[name] for row in regency["results"]
                                                            for name in ("registered", "departed", "returned")]
    assert all(count == "<5" or (isinstance(count, int) and count >= 10 and count % 10 == 0) for count in counts)
    assert any(isinstance(count, int) for count in counts)


def test_the_areas_operator_and_the_admin_read_exact_counts():
    """Exact figures for the viewers who may see them: as the records count them, 1 to 4 included."""
    from migrants.models import MigrantWorker as PMI

    for username in ("cirebon", "admin"):
        client = token_client(username)
        body = client.get(url("areas"), {"area": "32.09", "year": 2024}).json()
        assert body["small_counts_hidden"] is False and body["count_rounding"] == 1
        counts = {row["code"]: row["pmi"] for row in body["results"]}
        assert counts == {code: PMI.objects.filter(village__code__startswith=f"{code}.").count() for code in counts}
        assert any(0 < count < 5 or count % 10 for count in counts.values())  # not rounded, small ones shown
        total = client.get(url("summary"), {"area": "32.09", "year": 2024}).json()["results"][0]["pmi_total"]
        assert total == PMI.objects.filter(village__code__startswith="32.09.").count()


@pytest.mark.parametrize("name", ENDPOINTS)
def test_money_is_whole_rupiah_as_json_integers_and_the_schema_says_so(name):
    body = token_client("kemnaker").get(url(name), {"area": "", "year": 2023}).json()
    amounts = 0
    for table, serializer in VIEWS[name].tables.items():
        money = [field for field in serializer().fields if field in MONEY]
        for row in body[table]:
            for field in money:
                assert type(row[field]) is int, (table, field, row[field])  # 1500000, never 1500000.0
                amounts += 1
    if name in ("summary", "pillars", "cooperatives", "agencies"):
        assert amounts


def test_other_roles_read_their_own_areas_statistics():
    assert token_client("bpjs").get(url("summary"), {"area": ""}).status_code == 200  # aggregates only
    petugas = User.objects.get(username="petugas")
    response = token_client("petugas").get(url("summary"))
    assert response.status_code == 200 and response.json()["area"]["code"] == petugas.area_code
    assert token_client("petugas").get(url("summary"), {"area": "32.09"}).status_code == 404
    assert token_client("indramayu").get(url("areas"), {"area": "32.09"}).status_code == 404


# --- CSV ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_table_of_every_endpoint_downloads_as_csv(name):
    village, _count = few_pmi_village()
    client = token_client("kemnaker")
    for table, serializer in VIEWS[name].tables.items():
        for code in ("32", village):
            response = client.get(url(name), {"area": code, "year": 2024, "format": "csv", "table": table})
            assert response.status_code == 200, (table, response.content)
            assert response["Content-Type"] == "text/csv; charset=utf-8"
            assert "attachment" in response["Content-Disposition"]
            rows = read_csv(response)
            assert rows[0] == list(serializer().fields), table
            assert all(len(row) == len(rows[0]) for row in rows)
    summary = read_csv(client.get(url("summary"), {"area": village, "year": 2024, "format": "csv"}))
    assert summary[1][summary[0].index("pmi_total")] == "<5"
    growth = read_csv(client.get(url("growth"), {"area": "", "year": 2022, "format": "csv"}))
    assert growth[-1][:3] == ["2022", "50", "503"]


def test_csv_neutralises_formulas_and_errors_stay_json():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_cell("@x") == "'@x" and csv_cell("+1") == "'+1"
    assert csv_cell(-5) == "-5" and csv_cell(Decimal("-1.5")) == "-1.5"  # numbers stay numbers
    assert csv_cell("<5") == "<5" and csv_cell(None) == ""
    for query in ({"year": "abc"}, {"area": "33"}, {"table": "nothing"}):
        response = token_client("jabar").get(url("summary"), {**query, "format": "csv"})
        assert response.status_code in (400, 404)
        assert response["Content-Type"] == "application/json" and response.json()


# --- ETag, Last-Modified, 304 -------------------------------------------------------------------------------


def test_etag_and_last_modified_answer_304_until_the_figures_change(django_capture_on_commit_callbacks):
    client = token_client("admin")
    query = {"area": "32.09", "year": 2022}
    first = client.get(url("growth"), query)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified
    assert "no-cache" in first["Cache-Control"]
    again = client.get(url("growth"), query, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url("growth"), query, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url("growth"), query, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    csv_etag = client.get(url("growth"), {**query, "format": "csv"})["ETag"]
    assert csv_etag != etag  # another representation, another tag
    # a change of the records changes the figures, the tag and the date
    village = DesmigratifVillage.objects.filter(village__code__startswith="32.09.", year_designated__lte=2022) \
        .exclude(funding_source="apbd").first()
    with django_capture_on_commit_callbacks(execute=True):  # as the write's commit would: a new data version
        desmigratif_village_update(user=User.objects.get(username="admin"), instance=village, funding_source="apbd")
    changed = client.get(url("growth"), query, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MODIFIED_SINCE=modified)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert client.get(url("growth"), query, HTTP_IF_MODIFIED_SINCE=modified).status_code == 200
    assert client.get(url("growth"), query, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


def test_a_repeated_call_is_answered_from_the_cache_without_a_query(django_assert_num_queries,
                                                                    django_capture_on_commit_callbacks):
    client = token_client("kemnaker")
    query = {"area": "32", "year": 2022}
    first = client.get(url("growth"), query)
    with django_assert_num_queries(0):  # the token, the data version and the answer all come from the cache
        again = client.get(url("growth"), query)
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Last-Modified"] == first["Last-Modified"]
    csv_answer = client.get(url("growth"), {**query, "format": "csv"})
    with django_assert_num_queries(0):
        csv_again = client.get(url("growth"), {**query, "format": "csv"})
    assert csv_again.content == csv_answer.content and csv_again["Content-Disposition"] == \
        csv_answer["Content-Disposition"]
    # a committed change of the records: the next call computes the figures again
    village = DesmigratifVillage.objects.filter(village__code__startswith="32.", year_designated__lte=2022) \
        .exclude(funding_source="apbd").first()
    with django_capture_on_commit_callbacks(execute=True):
        desmigratif_village_update(user=User.objects.get(username="admin"), instance=village, funding_source="apbd")
    with CaptureQueriesContext(connection) as queries:
        changed = client.get(url("growth"), query)
    assert len(queries) > 0 and changed["ETag"] != first["ETag"]  # computed again, not the old answer


def test_callers_of_another_role_or_area_never_get_each_others_cached_answer():
    kemnaker, jabar, cirebon = (token_client(name) for name in ("kemnaker", "jabar", "cirebon"))
    assert kemnaker.get(url("growth"), {"year": 2022}).json()["area"]["code"] == ""
    assert jabar.get(url("growth"), {"year": 2022}).json()["area"]["code"] == "32"  # the same address: own area
    village, count = few_pmi_village()
    assert kemnaker.get(url("summary"), {"area": village, "year": 2025}).json()["small_counts_hidden"] is True
    assert cirebon.get(url("summary"), {"area": village, "year": 2025}).json()["small_counts_hidden"] is False
    assert jabar.get(url("summary"), {"area": "33", "year": 2022}).status_code == 404  # not kemnaker's answer


# --- anonymous callers ----------------------------------------------------------------------------------------


def test_anonymous_callers_get_401_unless_public_statistics_are_on(settings):
    anonymous = APIClient()
    for name in ENDPOINTS:
        assert anonymous.get(url(name)).status_code == 401, name
    settings.API_PUBLIC_STATISTICS = True
    village, _count = few_pmi_village()
    for name in ENDPOINTS:
        for code in ("", "32", "32.09"):
            response = anonymous.get(url(name), {"area": code, "year": 2022})
            assert response.status_code == 200, (name, code)
            assert response.json()["small_counts_hidden"] is True
        assert anonymous.get(url(name), {"area": "32.09.07"}).status_code == 401
        assert anonymous.get(url(name), {"area": village}).status_code == 401
    assert anonymous.get(url("summary")).json()["area"]["code"] == ""
    assert anonymous.post(url("summary"), {}).status_code in (401, 403, 405)


# --- wrong input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query, status, field", [
    ({"year": "abc"}, 400, "year"), ({"year": "1990"}, 400, "year"), ({"year": "3000"}, 400, "year"),
    ({"year": "9" * 500}, 400, "year"), ({"year": "2020", "start": "2022"}, 400, "start"),
    ({"start": "x"}, 400, "start"), ({"area": "not-a-code"}, 400, "area"), ({"area": "3\x00"}, 400, "area"),
    ({"area": "32." * 20}, 400, "area"), ({"table": "nothing"}, 400, "table"),
    ({"area": "99"}, 404, "detail"), ({"area": "32.99"}, 404, "detail"), ({"area": "32.09.99.9999"}, 404, "detail"),
    ({"format": "xml"}, 404, "detail"),
])
@pytest.mark.parametrize("name", ["summary", "migrants"])
def test_wrong_parameters_are_answered_with_a_message_never_a_500(name, query, status, field):
    response = token_client("kemnaker").get(url(name), query)
    assert response.status_code == status, response.content
    if query.get("format") != "xml":
        assert field in response.json()


def test_a_repeated_parameter_takes_one_value():
    response = token_client("kemnaker").get(url("summary") + "?year=2020&year=2021")
    assert response.status_code == 200 and response.json()["year"] == 2021


# --- queries -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_each_endpoint_takes_at_most_15_queries(name, django_assert_max_num_queries):
    client = token_client("admin")
    village, _count = few_pmi_village()
    for code in ("", "32", "32.09", village[:8], village):
        with django_assert_max_num_queries(15):
            response = client.get(url(name), {"area": code, "year": 2024})
        assert response.status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(url(name), {"area": "32", "format": "csv"}).status_code == 200
