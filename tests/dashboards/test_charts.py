"""The chart layer: well-formed SVG for every kind, round ticks, escaping, links, the privacy of
small counts in every output, the CSV, and Indonesian number formatting."""
import csv
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from dashboards.charts import SMALL, Chart, Series, chart_csv_response, chart_rows, nice_ticks, render_svg
from dashboards.templatetags.dashboard_charts import number_or_small

SVG = "{http://www.w3.org/2000/svg}"
KINDS = ["bar", "hbar", "line", "stacked"]
YEARS = [str(y) for y in range(2016, 2023)]
LONG = "Kabupaten Timor Tengah Selatan, Provinsi Nusa Tenggara Timur"
# A Small must never show its number: these are all in 1–4 and none appears in the data below.
HIDDEN_NUMBER = re.compile(r"(?<![\d.,])[1-4](?![\d.,])")


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def make(kind: str, series: int = 1, values: list | None = None, **kwargs) -> Chart:
    values = values or [2, 120, 130, 150, 0, 51, 50]
    return Chart(key=f"{kind}-{series}", title="Villages", kind=kind, categories=YEARS,
                 series=[Series(f"S{j}", [v if v is None or isinstance(v, type(SMALL)) else v + j * 10
                                          for v in values]) for j in range(series)], **kwargs)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("series", [1, 3])
def test_every_kind_is_well_formed_svg(kind, series):
    root = parse(render_svg(make(kind, series)))
    assert root.find(f"{SVG}title").text == "Villages"
    drawn = root.findall(f".//{SVG}rect[@class]") + root.findall(f".//{SVG}circle")
    assert drawn
    legend = [t for t in texts(root) if t.startswith("S")]
    assert len(legend) == (series if series > 1 else 0)


@pytest.mark.parametrize("kind", KINDS)
def test_long_labels_and_zero_none_small_values(kind):
    chart = Chart(key="long", title="Long", kind=kind, categories=[LONG, "B", "C", "D"],
                  series=[Series("Now", [0, None, SMALL, 90]), Series("Before", [SMALL, 7, None, 0])])
    root = parse(render_svg(chart))
    # Cut labels keep the full text in a tooltip.
    assert any(LONG in "".join(t.itertext()) for t in root.iter(f"{SVG}title"))
    # A hidden count is labelled or, inside a stack, explained by its tooltip and the legend.
    assert any("<5" in "".join(t.itertext()) for t in root.iter(f"{SVG}title"))
    assert "fewer than 5, not shown" in texts(root) or translation.get_language() != "en"
    assert root.findall(f".//{SVG}*[@fill]")  # the hatched stub of a hidden count


def test_many_categories_turn_or_thin_labels():
    provinces = [f"Provinsi Nomor {i}" for i in range(38)]
    root = parse(render_svg(Chart(key="p", title="P", kind="bar", categories=provinces,
                                  series=[Series("PMI", list(range(10, 48)))])))
    assert any("rotate(" in (t.get("transform") or "") for t in root.iter(f"{SVG}text"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("values", [[None] * 7, [0] * 7, [None, 0, 0, None, 0, 0, 0]])
def test_empty_data_says_so(kind, values):
    with translation.override("en"):
        root = parse(render_svg(make(kind, values=values)))
    assert "No data yet" in texts(root)
    assert not root.findall(f".//{SVG}rect[@class]")


def test_no_categories_says_so():
    with translation.override("en"):
        root = parse(render_svg(Chart(key="e", title="E", kind="hbar", categories=[], series=[])))
    assert "No data yet" in texts(root)


@pytest.mark.parametrize(("low", "high", "integer"), [
    (0, 150, True), (0, 503, True), (0, 3, True), (0, 1234567, True), (0, 0.37, False),
    (-40_000_000, 1_250_000_000, True), (0, 97.5, False), (0, 5, True), (0, 7, True),
])
def test_ticks_are_round_and_reach_the_values(low, high, integer):
    ticks = nice_ticks(low, high, integer=integer)
    assert ticks[0] <= low and ticks[-1] >= high
    step = ticks[1] - ticks[0]
    assert all(b - a == step for a, b in zip(ticks, ticks[1:], strict=False))
    assert 3 <= len(ticks) <= 12
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {1, 2, Decimal("2.5"), 5}
    if integer:
        assert step == step.to_integral_value()


def test_villages_axis_ticks():
    with translation.override("id"):
        root = parse(render_svg(make("bar")))
    ticks = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-tick"]
    assert [t.text for t in ticks] == ["0", "50", "100", "150"]


@pytest.mark.parametrize("kind", KINDS)
def test_labels_from_the_database_are_escaped(kind):
    chart = Chart(key="<x>", title="<b>T</b>", kind=kind, categories=["<script>alert(1)</script>", "A&B"],
                  series=[Series("<img src=x>", [10, 20]), Series("\"q\" 'q'", [5, 6])], note="<i>n</i>",
                  unit="<u>", links=['/list/?a=1&b="2"', None])
    svg = str(render_svg(chart))
    for raw in ("<script>", "<b>", "<img", "<i>", "<u>", 'b="2"'):
        assert raw not in svg
    root = parse(svg)
    assert "<script>alert(1)</script>" in texts(root)
    html = Template("{% load dashboard_charts %}{% chart c '/c.csv' %}").render(Context({"c": chart}))
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("kind", KINDS)
def test_links_wrap_the_category(kind):
    chart = make(kind, 2, links=[f"/villages/?year={y}" for y in YEARS[:-1]] + [None])
    root = parse(render_svg(chart))
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert hrefs == {f"/villages/?year={y}" for y in YEARS[:-1]}


def test_unsafe_links_are_dropped():
    chart = make("bar", links=["javascript:alert(1)"] + [None] * 6)
    assert "javascript" not in render_svg(chart)


def test_small_never_leaks_anywhere():
    values = [SMALL, 120, 130, SMALL, 0, None, 50]
    for kind in KINDS:
        for series in (1, 2):
            chart = Chart(key="s", title="Hidden", kind=kind, categories=["2016", "2017", "2018", "2019", "2020",
                                                                          "2021", "2022"],
                          series=[Series(f"Series {'AB'[j]}", [v if not isinstance(v, int) else v * 10 + 100 * j
                                                               for v in values]) for j in range(series)],
                          links=[f"/l/?y=20{10 + i}" for i in range(7)])
            svg = str(render_svg(chart))
            root = parse(svg)
            # Strip what legitimately holds digits: coordinates, years, links and ids.
            shown = " ".join(texts(root) + ["".join(t.itertext()) for t in root.iter(f"{SVG}title")])
            shown = re.sub(r"20\d\d", "", shown)
            assert not HIDDEN_NUMBER.search(shown), (kind, series, shown)
            assert "<5" in shown
            html = Template("{% load dashboard_charts %}{% chart c %}").render(Context({"c": chart}))
            table = re.sub(r"20\d\d", "", html[html.index("<table"):html.index("</table>")])
            assert not HIDDEN_NUMBER.search(re.sub(r"<[^>]+>", "", table))
            assert "&lt;5" in table
            body = chart_csv_response(chart, filename="x").content.decode("utf-8-sig")
            assert not HIDDEN_NUMBER.search(re.sub(r"20\d\d", "", body))
            assert "<5" in body


def test_rows_and_csv():
    chart = Chart(key="c", title="By country", kind="hbar", category_label="Country",
                  categories=["=HYPERLINK(\"http://x\")", "+62 Jakarta", "-Lain", "@me", "Malaysia", "Kosong"],
                  series=[Series("2024", [1234567, SMALL, -3, Decimal("2.5"), 0, None]),
                          Series("=2023", [1, 2, 3, 4, 5, 6])])
    assert chart_rows(chart)[0] == ["Country", "2024", "=2023"]
    assert chart_rows(chart)[2] == ["+62 Jakarta", SMALL, 2]

    response = chart_csv_response(chart, filename="pmi-negara")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="pmi-negara.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Country", "2024", "'=2023"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+62 Jakarta", "'-Lain", "'@me", "Malaysia",
                                        "Kosong"]
    assert [r[1] for r in rows[1:]] == ["1234567", "<5", "-3", "2.5", "0", ""]


def test_indonesian_number_format():
    chart = Chart(key="n", title="PMI", kind="bar", categories=["Malaysia", "Taiwan"],
                  series=[Series("PMI", [1234567, 83216])])
    template = Template("{% load dashboard_charts %}{% chart c %}|{{ big|number_or_small }}|{{ s|number_or_small }}"
                        "|{{ m|number_or_small:'money' }}|{{ p|number_or_small:'percent' }}")
    context = {"c": chart, "big": 1234567, "s": SMALL, "m": Decimal("1250000.4"), "p": Decimal("12.5")}
    with translation.override("id"):
        svg = str(render_svg(chart))
        html = template.render(Context(context))
    assert "1.234.567" in svg and "1.234.567" in html
    assert html.endswith("|1.234.567|&lt;5|Rp 1.250.000|12,5%")
    with translation.override("en"):
        assert "1,234,567" in render_svg(chart)
    assert number_or_small(None) == "—"


def test_money_short_labels_and_exact_table():
    chart = Chart(key="shu", title="SHU", kind="bar", categories=["2023", "2024"], money=True,
                  series=[Series("SHU", [Decimal("1250000000"), Decimal("-40000000")])])
    with translation.override("id"):
        root = parse(render_svg(chart))
        html = Template("{% load dashboard_charts %}{% chart c %}").render(Context({"c": chart}))
    labels = texts(root)
    assert "Rp 1,3 M" in labels and "-Rp 40 jt" in labels  # miliar and juta, as written in Indonesian
    assert "Rp 1.250.000.000" in html and "-Rp 40.000.000" in html


def test_chart_card_has_accessible_table_and_csv_link():
    chart = make("bar", links=[f"/v/?y={y}" for y in YEARS])
    with translation.override("en"):
        html = Template("{% load dashboard_charts %}{% chart c '/dash/villages.csv' %}").render(Context({"c": chart}))
    assert "<details" in html and "Show the data as a table" in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert '<a href="/v/?y=2016">2016</a>' in html
    assert 'href="/dash/villages.csv"' in html and "Download CSV" in html


def test_bad_charts_are_refused():
    with pytest.raises(ValueError):
        Chart(key="x", title="x", kind="pie", categories=["a"], series=[Series("s", [1])])
    with pytest.raises(ValueError):
        Chart(key="x", title="x", kind="bar", categories=["a", "b"], series=[Series("s", [1])])
    with pytest.raises(ValueError):
        Chart(key="x", title="x", kind="stacked", categories=["a"], series=[Series("s", [-1])])
