"""``{% chart chart csv_url %}``: a chart card (SVG, its data as a table, a CSV link);
``{{ value|number_or_small }}``: a figure outside a chart, ``<5`` when it is a hidden count.

Neither decides what a viewer may see: counts of persons arrive already as shown
(``accounts.disclosure.count_shown``), applied by the selectors and presenters."""
from django import template

from dashboards.charts import Chart, Value, chart_rows, format_value, render_svg

register = template.Library()


@register.inclusion_tag("dashboards/_chart.html")
def chart(chart: Chart, csv_url: str = "") -> dict:
    header, *rows = chart_rows(chart)
    return {
        "chart": chart,
        "svg": render_svg(chart),
        "header": header,
        "rows": [
            {"category": row[0], "link": chart.link(i),
             "cells": [format_value(v, money=chart.money, percent=chart.percent, decimals=2) for v in row[1:]]}
            for i, row in enumerate(rows)
        ],
        "csv_url": csv_url,
    }


@register.filter
def number_or_small(value: Value, kind: str = "") -> str:
    """{{ total|number_or_small }}, {{ amount|number_or_small:"money" }}, {{ share|number_or_small:"percent" }}:
    1.234.567, Rp 1.234.567, 12,5%, ``<5`` for a hidden count, "—" for none."""
    if value is None or value == "":
        return "—"
    return format_value(value, money=kind == "money", percent=kind == "percent", decimals=2)

