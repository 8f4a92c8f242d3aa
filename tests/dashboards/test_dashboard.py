"""The dashboard pages: figures equal to the records, scoped to the user's area, small counts hidden,
a bounded number of queries, a CSV per chart, and no failure on any period given in the address."""
from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from cooperatives.models import Cooperative
from dashboards.charts import SMALL
from dashboards.selectors import area_get, dashboard_get
from migrants.models import MigrantWorker, Placement
from villages.models import DesmigratifVillage, PillarActivity

pytestmark = pytest.mark.django_db


def login(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def board_for(username: str, code: str, year: int = 2022):
    user = User.objects.get(username=username)
    return dashboard_get(user=user, area=area_get(user=user, code=code), year=year)


def test_national_dashboard_shows_the_published_growth(client):
    login(client, "kemnaker")
    response = client.get(reverse("dashboards:national"), {"year": 2022})
    assert response.status_code == 200
    board = response.context["board"]
    assert [row["cumulative"] for row in board.villages["per_year"]] == [2, 122, 252, 402, 402, 453, 503]
    assert board.villages["total"] == 503 and board.villages["new"] == 50
    assert board.villages["growth"] == round(50 * 100 / 453, 1)
    content = response.content.decode()
    assert "503" in content and "<svg" in content


def test_figures_equal_a_count_of_the_records():
    board = board_for("admin", "", year=2023)
    assert board.migrants["total"] == MigrantWorker.objects.count()
    stages = {row["stage"]: row["count"] for row in board.migrants["stages"]}
    assert stages["abroad"] == MigrantWorker.objects.filter(stage="abroad").count()
    assert board.migrants["departed"] == Placement.objects.filter(departure_date__year=2023).count()
    assert board.migrants["returned_in_year"] == Placement.objects.filter(return_date__year=2023).count()
    assert board.activities["year"]["activities"] == PillarActivity.objects.filter(date__year=2023).count()
    assert board.cooperatives["total"] == Cooperative.objects.count()


def test_cirebon_has_ten_dana_desa_villages_and_a_province_officer_sees_only_jawa_barat(client):
    board = board_for("kemnaker", "32.09")
    funding = {row["code"]: row["villages"] for row in board.villages["funding"]}
    assert funding["dana_desa"] == 10
    jabar = board_for("jabar", "32")
    assert jabar.villages["total"] == DesmigratifVillage.objects.filter(village__code__startswith="32.").count()
    pmi = MigrantWorker.objects.filter(village__code__startswith="32.").count()
    assert pmi > 100 and jabar.migrants["total"] == (pmi + 5) // 10 * 10  # a province officer reads it rounded
    assert board_for("admin", "32").migrants["total"] == pmi
    assert {row["code"][:2] for row in jabar.by_child} == {"32"}
    login(client, "jabar")
    assert client.get(reverse("dashboards:national")).url.startswith(reverse("dashboards:area", args=["32"]))
    assert client.get(reverse("dashboards:area", args=["33"])).status_code == 404
    assert client.get(reverse("dashboards:area", args=["32.09"])).status_code == 200


@pytest.mark.parametrize("username, code", [("cirebon", "32.12"), ("indramayu", "32.09"), ("petugas", "32.09.07"),
                                            ("cirebon", "32"), ("jabar", "99.99"), ("kemnaker", "not-a-code")])
def test_an_area_outside_the_users_own_or_unknown_is_not_found(client, username, code):
    login(client, username)
    assert client.get(reverse("dashboards:area", args=[code])).status_code == 404


def test_small_counts_are_hidden_from_readers_but_not_from_the_areas_operator():
    # the PMI of one village are few: ministry staff see <5 where the regency's operator sees the number
    village = (MigrantWorker.objects.filter(village__code__startswith="32.09.").values_list("village_id", flat=True)
               .order_by("village_id").first())
    count = MigrantWorker.objects.filter(village_id=village).count()
    assert 0 < count < 5
    assert board_for("kemnaker", village).migrants["total"] is SMALL
    assert board_for("cirebon", village).migrants["total"] == count
    assert board_for("admin", village).migrants["total"] == count


def test_readers_see_every_count_of_persons_rounded_and_the_page_says_so(client):
    from accounts.disclosure import count_shown

    exact, rounded = board_for("admin", "32.09", year=2024), board_for("kemnaker", "32.09", year=2024)
    assert rounded.hide_small and rounded.count_rounding == 10 and exact.count_rounding == 1
    for name in ("total", "prospective", "abroad", "returned", "women", "men", "departed", "returned_in_year",
                 "previous_departed", "previous_returned"):
        assert rounded.migrants[name] == count_shown(exact.migrants[name], protect=True), name
    assert [r["count"] for r in rounded.migrants["stages"]] == [count_shown(r["count"], protect=True)
                                                                for r in exact.migrants["stages"]]
    assert {r["code"]: (r["count"], r["previous"]) for r in rounded.migrants["destinations"]} == {
        r["code"]: (count_shown(r["count"], protect=True), count_shown(r["previous"], protect=True))
        for r in exact.migrants["destinations"]}
    assert [r["members_returned_pmi"] for r in rounded.cooperatives["per_year"]] == [
        count_shown(r["members_returned_pmi"], protect=True) for r in exact.cooperatives["per_year"]]
    for shown, true in zip(rounded.by_child, exact.by_child, strict=True):
        assert [shown[n] for n in ("pmi", "abroad", "departed", "returned")] == [
            count_shown(true[n], protect=True) for n in ("pmi", "abroad", "departed", "returned")]
    # a growth is of the rounded counts (or none beside <5), never of the exact ones
    m = rounded.migrants
    if isinstance(m["departed"], int) and isinstance(m["previous_departed"], int) and m["previous_departed"]:
        assert m["departed_growth"] == round((m["departed"] - m["previous_departed"]) * 100 / m["previous_departed"], 1)
    login(client, "kemnaker")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("dashboards:area", args=["32.09"]), {"year": 2024}).content.decode()
    assert 'id="small-counts-note"' in page and "rounded to the nearest 10" in page
    login(client, "cirebon")
    page = client.get(reverse("dashboards:area", args=["32.09"]), {"year": 2024}).content.decode()
    assert 'id="small-counts-note"' not in page


def test_the_areas_operator_and_the_admin_see_exact_figures():
    cirebon, admin = board_for("cirebon", "32.09", year=2024), board_for("admin", "32.09", year=2024)
    assert not cirebon.hide_small and cirebon.migrants == admin.migrants and cirebon.by_child == admin.by_child
    assert cirebon.cooperatives == admin.cooperatives
    assert cirebon.migrants["total"] == MigrantWorker.objects.filter(village__code__startswith="32.09.").count()
    for row in cirebon.by_child:
        assert row["pmi"] == MigrantWorker.objects.filter(village__code__startswith=f"{row['code']}.").count()
    village = (MigrantWorker.objects.filter(village__code__startswith="32.09.").values_list("village_id", flat=True)
               .order_by("village_id").first())
    assert any(0 < row["pmi"] < 5 for row in board_for("cirebon", village[:8], year=2024).by_child)


def test_small_counts_never_reach_the_page_or_the_csv(client):
    login(client, "kemnaker")
    village = (MigrantWorker.objects.filter(village__code__startswith="32.09.").values_list("village_id", flat=True)
               .order_by("village_id").first())
    response = client.get(reverse("dashboards:area", args=[village]), {"year": 2024})
    assert response.status_code == 200
    assert "&lt;5" in response.content.decode()
    download = client.get(reverse("dashboards:area", args=[village]), {"year": 2024, "csv": "stages"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert any("<5" in row for row in rows[1:])


@pytest.mark.parametrize("code", ["", "32", "32.09", "32.09.07", "32.09.07.2002"])
def test_a_dashboard_page_takes_at_most_15_queries(client, django_assert_max_num_queries, code):
    login(client, "admin")
    url = reverse("dashboards:area", args=[code]) if code else reverse("dashboards:national")
    with django_assert_max_num_queries(15):
        response = client.get(url, {"year": 2024})
    assert response.status_code == 200


def test_every_chart_downloads_as_csv(client):
    login(client, "kemnaker")
    response = client.get(reverse("dashboards:area", args=["32"]), {"year": 2022})
    keys = [item["chart"].key for section in response.context["sections"] for item in section["items"]]
    assert "villages-per-year" in keys and "agencies" in keys and "child-villages" in keys
    for key in keys:
        download = client.get(reverse("dashboards:area", args=["32"]), {"year": 2022, "csv": key})
        assert download.status_code == 200, key
        assert download["Content-Type"].startswith("text/csv")
        assert download.content.startswith(b"\xef\xbb\xbf")
    per_year = client.get(reverse("dashboards:national"), {"year": 2022, "csv": "villages-cumulative"})
    rows = list(csv.reader(io.StringIO(per_year.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[-1] == ["2022", "503"]
    assert client.get(reverse("dashboards:national"), {"csv": "nothing"}).status_code == 404


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "1990"}, {"year": "2022", "start": "2024"},
                                   {"start": "x" * 500}, {"year": ["2020", "2021"]}])
def test_a_wrong_period_falls_back_to_the_defaults_and_says_so(client, query):
    login(client, "kemnaker")
    response = client.get(reverse("dashboards:national"), query)
    assert response.status_code == 200
    assert response.context["form"].errors or query == {"year": ["2020", "2021"]}


def test_the_numbers_link_to_the_lists_behind_them(client):
    login(client, "kemnaker")
    response = client.get(reverse("dashboards:area", args=["32.09"]), {"year": 2022})
    charts = {item["chart"].key: item["chart"] for section in response.context["sections"]
              for item in section["items"]}
    assert charts["stages"].link(0) == reverse("migrants:migrantworker_list") + "?area=32.09&stage=registered"
    assert client.get(charts["villages-per-year"].link(6)).status_code == 200
    # agency staff do not read person records: no link to the PMI list
    login(client, "bpjs")
    response = client.get(reverse("dashboards:national"), {"year": 2022})
    charts = {item["chart"].key: item["chart"] for section in response.context["sections"]
              for item in section["items"]}
    assert charts["stages"].link(0) is None
    assert charts["funding"].link(0) is not None


def test_the_home_page_opens_the_dashboard_of_the_users_area(client):
    login(client, "cirebon")
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.context["board"].area.code == "32.09"


def test_the_admin_index_shows_the_key_totals_with_links(client):
    login(client, "admin")
    response = client.get(reverse("admin:index"))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="program-totals"' in page
    assert reverse("admin:migrants_migrantworker_changelist") in page and reverse("dashboards:national") in page
    assert str(DesmigratifVillage.objects.count()) in page


def test_the_period_form_shows_the_period_in_use(client):
    login(client, "kemnaker")
    page = client.get(reverse("dashboards:national"), {"year": 2022}).content.decode()
    assert '<option value="2022" selected>' in page and '<option value="2016" selected>' in page


def test_the_areas_table_links_each_area_its_lists_and_its_dashboard(client):
    login(client, "kemnaker")
    response = client.get(reverse("dashboards:area", args=["32"]), {"year": 2022})
    cirebon = next(row for row in response.context["children"] if row["code"] == "32.09")
    assert cirebon["url"].startswith(reverse("dashboards:area", args=["32.09"]))
    villages = reverse("villages:desmigratifvillage_list")
    assert cirebon["villages_url"] == villages + "?area=32.09&year_designated_max=2022"
    listed = client.get(cirebon["villages_url"])
    assert listed.status_code == 200 and listed.context["paginator"].count == 40
    assert cirebon["pmi_url"] == reverse("migrants:migrantworker_list") + "?area=32.09"


def test_cached_figures_follow_every_committed_write(client, django_capture_on_commit_callbacks):
    from migrants.nik import nik_for
    from migrants.services import migrant_register

    login(client, "cirebon")
    first = client.get(reverse("dashboards:area", args=["32.09"])).context["board"].migrants["total"]
    assert client.get(reverse("dashboards:area", args=["32.09"])).context["board"].migrants["total"] == first
    import datetime

    with django_capture_on_commit_callbacks(execute=True):
        migrant_register(user=User.objects.get(username="cirebon"), name="Uji Cache", gender="F",
                         birth_date=datetime.date(1994, 2, 3), village_id="32.09.07.2002",
                         nik=nik_for(district_code="32.09.07", birth_date=datetime.date(1994, 2, 3), female=True,
                                     serial=7123))
    assert client.get(reverse("dashboards:area", args=["32.09"])).context["board"].migrants["total"] == first + 1
