"""``?format=csv`` for the statistics endpoints: one table of the response as flat rows.

Like the portal's other CSVs (``dashboards.charts.chart_csv_response``, the exports): UTF-8 with a
BOM so Excel reads it right, ``;`` as Excel with Indonesian settings expects, and text that a
spreadsheet would run as a formula neutralised. Numbers stay numbers (a negative growth is not
text); a hidden small count arrives already as the text ``<5``.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.http import content_disposition_header
from rest_framework.renderers import BaseRenderer

from exchange.cells import neutralise
from exchange.writers import CSV_DELIMITER


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


class StatisticsCSVRenderer(BaseRenderer):
    """Renders ``data[view.csv_table]`` (a list of flat rows, or one row as a dict) with a header row.

    The columns are ``view.csv_columns`` (known even when there are no rows). Errors never come
    here: the views answer them as JSON, like the rest of the API.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        context = renderer_context or {}
        view, response = context.get("view"), context.get("response")
        table = getattr(view, "csv_table", "results")
        rows = data.get(table) if isinstance(data, dict) else None
        rows = [rows] if isinstance(rows, dict) else list(rows or [])
        columns = list(getattr(view, "csv_columns", None) or (rows[0].keys() if rows else []))
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
        writer.writerow([csv_cell(column) for column in columns])
        writer.writerows([csv_cell(row.get(column)) for column in columns] for row in rows)
        filename = getattr(view, "csv_filename", None)
        if response is not None and filename:
            response["Content-Disposition"] = content_disposition_header(True, filename)
        return buffer.getvalue().encode(self.charset)

