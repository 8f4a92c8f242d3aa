"""Statistics endpoints (/api/v1/statistics/…): the ministry dashboards' figures for machines.

Every figure comes from ``dashboard_get`` — the same selectors as the dashboard pages — so the API
and the pages cannot disagree (counts of persons rounded by the same rule, accounts.disclosure);
these views only reshape the board into flat tables. Each answer is ``{"area", "year", "start",
"small_counts_hidden", "count_rounding", "results": [rows], <more tables>}``;
``?format=csv&table=<name>`` gives one table as CSV (``results`` by default).

Polling: each answer carries a strong ETag (a hash of the bytes sent: the summary tables keep no
change time to derive one from without a scan) and a Last-Modified (when that ETag was first seen
for the address); either gets a 304 with no body — If-None-Match is exact and wins when both are
sent. The answer itself is cached (bytes, ETag, first-seen time) under the program data's version,
per address, format, language and the caller's role and area: a repeated call costs one round trip
to the cache and no query. Without a shared cache (no Redis, or Redis down) nothing is reused.

Anonymous callers are refused (401) unless ``API_PUBLIC_STATISTICS`` is on; then they read the
country, a province or a regency as ministry staff do — counts of persons rounded — never finer areas.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.choices import Role
from accounts.permissions import role_of
from accounts.scoping import area_prefix
from desmigratif.api.permissions import PortalAccess
from desmigratif.summaries import DATA_VERSION_KEY, data_version
from migrants.choices import PlacementEvent
from villages.choices import Pillar

from ..selectors import LEVELS, Area, Dashboard, _growth, area_get, area_home, dashboard_get
from . import serializers as rows
from .renderers import StatisticsCSVRenderer

PROGRAM_AGENCIES = 16  # "16 collaborating ministries and agencies": the program's own count (DESIGN.md §1)
PUBLIC_LEVELS = {"national", "province", "regency"}
ANSWER_TTL = 30 * 24 * 60 * 60  # an answer's bytes and first-seen time; a new data version replaces them


class PublicReader:
    """Who an anonymous caller is to the selectors: a national reader without personal data (as
    ministry staff), so small counts are hidden. Never a request's user, never saved."""

    is_authenticated = True  # to the selectors' scoping: it has an area (the country)
    is_superuser = False
    is_active = True
    role = Role.MINISTRY
    area_code = ""
    pk = id = None


class StatisticsAccess(PortalAccess):
    """Signed-in users as everywhere in the API; anonymous GETs when ``API_PUBLIC_STATISTICS`` is on."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return settings.API_PUBLIC_STATISTICS and request.method in SAFE_METHODS
        return super().has_permission(request, view)


@dataclass(frozen=True)
class Answer:
    """A statistics answer as sent, kept in the cache under the data version it was computed at."""

    version: str
    content: bytes
    content_type: str
    etag: str
    last_modified: int  # when this address's answer last changed (its ETag first seen), in seconds
    disposition: str = ""


def _last_modified(previous: Answer | None, etag: str) -> int:
    """The time the answer's ETag was first seen: kept while the bytes stay the same, else now — and always
    a later second than the answer before, so If-Modified-Since never matches content the client has not got."""
    if previous is not None and previous.etag == etag:
        return previous.last_modified
    now = int(datetime.now(UTC).timestamp())
    return max(now, previous.last_modified + 1) if previous is not None else now


AREA_PARAMETER = OpenApiParameter(
    "area", str, description="Region code within your area: empty = Indonesia, 32, 32.09, 32.09.14, "
    "32.09.14.2004; left out = your own area. / Kode wilayah di dalam wilayah Anda (kosong = nasional; tanpa "
    "parameter = wilayah Anda).")
YEAR_PARAMETER = OpenApiParameter(
    "year", int, description="The year shown, from 2016; default the last complete year. / Tahun yang ditampilkan "
    "(bawaan: tahun lengkap terakhir).")
START_PARAMETER = OpenApiParameter(
    "start", int, description="First year of the series (default 2016). / Tahun awal deret (bawaan 2016).")
FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="`csv`: one table as CSV (UTF-8 with BOM, `;`). / "
    "`csv`: satu tabel sebagai CSV.")
ERRORS = {
    304: OpenApiResponse(description="Not modified (If-None-Match / If-Modified-Since). / Tidak berubah."),
    400: OpenApiResponse(description="A wrong parameter, with a message per parameter. / Parameter salah."),
    401: OpenApiResponse(description="No or an invalid token. / Token tidak ada atau tidak sah."),
    403: OpenApiResponse(description="The role may not read statistics. / Peran tidak diizinkan."),
    404: OpenApiResponse(description="The area is unknown or outside yours. / Wilayah tidak dikenal atau di luar "
                                     "wilayah Anda."),
}


def statistics_schema(view_class: type[StatisticsView]) -> type[StatisticsView]:
    """``@extend_schema`` for a statistics view from its declared tables and descriptions."""
    envelope = rows.envelope(view_class.schema_name, view_class.tables)
    table = OpenApiParameter("table", str, enum=list(view_class.tables), description=(
        "The table a CSV holds (default `results`). / Tabel yang diunduh sebagai CSV (bawaan `results`)."))

    def get(self, request, *args, **kwargs):  # a function of its own: the annotation is stored on it
        return StatisticsView.get(self, request, *args, **kwargs)

    view_class.get = extend_schema(
        operation_id=f"statistics_{view_class.key}",
        summary=view_class.summary, description=view_class.description, tags=["statistics"],
        auth=[{"tokenAuth": []}, {"cookieAuth": []}, {}],  # {}: anonymous, where API_PUBLIC_STATISTICS is on
        parameters=[AREA_PARAMETER, YEAR_PARAMETER, START_PARAMETER, FORMAT_PARAMETER, table],
        responses={(200, "application/json"): envelope, (200, "text/csv"): OpenApiTypes.STR, **ERRORS},
    )(get)
    return view_class


class StatisticsView(APIView):
    """A table view of the dashboard of an area; subclasses declare their tables and fill them."""

    permission_classes = [StatisticsAccess]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, StatisticsCSVRenderer]
    pagination_class = None
    key = ""
    schema_name = ""
    summary = ""
    description = ""
    tables: dict[str, type[serializers.Serializer]] = {}

    def tables_of(self, board: Dashboard) -> dict[str, list[dict]]:
        raise NotImplementedError

    # --- the request ---------------------------------------------------------------------------------

    def reader(self):
        return self.request.user if self.request.user.is_authenticated else PublicReader()

    def area(self, code: str) -> Area:
        user = self.reader()
        if isinstance(user, PublicReader) and LEVELS.get(len(code)) not in PUBLIC_LEVELS:
            raise NotAuthenticated(_("Statistics of a district or a village need a token."))
        try:
            return area_get(user=user, code=code)
        except Http404:
            raise NotFound(_("No area “%(code)s” within yours.") % {"code": code}) from None

    # --- the answer cache ------------------------------------------------------------------------------
    # An answer depends on the address, the format, the language and who asks — through their role and
    # area only (scoping and small-count hiding), so callers alike share it — and on the data version.
    # The version and the answer come in one round trip to the cache; a hit costs no query, no figure.

    def answer_key(self, request) -> str | None:
        renderer = getattr(request, "accepted_renderer", None)
        if request.method not in ("GET", "HEAD") or renderer is None or renderer.format not in ("json", "csv"):
            return None
        reader = self.reader()
        scope = "public" if isinstance(reader, PublicReader) else f"{role_of(reader)}|{area_prefix(reader)}"
        return "statistics-answer:" + hashlib.sha256("|".join((
            request.get_full_path(), request.accepted_media_type, get_language() or "", scope)).encode()).hexdigest()

    def cached_answer(self, request) -> HttpResponse | None:
        self.answer_cache_key = self.answer_key(request)
        self.previous_answer, self.answer_version = None, None
        if self.answer_cache_key is None:
            return None
        found = cache.get_many([DATA_VERSION_KEY, self.answer_cache_key])
        self.answer_version = found.get(DATA_VERSION_KEY) or data_version()
        self.previous_answer = found.get(self.answer_cache_key)
        answer = self.previous_answer
        if answer is None or answer.version != self.answer_version:
            return None
        response = HttpResponse(answer.content, content_type=answer.content_type)
        if answer.disposition:
            response["Content-Disposition"] = answer.disposition
        return self.conditional(request, response, answer.etag, answer.last_modified)

    def conditional(self, request, response, etag: str, last_modified: int):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return get_conditional_response(request._request, etag=etag, last_modified=last_modified,
                                        response=response)

    def get(self, request, *args, **kwargs):
        cached = self.cached_answer(request)
        if cached is not None:
            return cached
        query = rows.StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        table = request.query_params.get("table") or "results"
        if table not in self.tables:
            raise serializers.ValidationError({"table": [_("Choose one of: %(tables)s.") % {
                "tables": ", ".join(self.tables)}]})
        # no area: the caller's own (as the dashboard opens on it); area= (empty): the country
        code = query.validated_data["area"] if "area" in request.query_params else area_home(self.reader())
        area = self.area(code)
        year, start = query.validated_data["year"], query.validated_data["start"]
        board = dashboard_get(user=self.reader(), area=area, year=year, first_year=start)
        data = {"area": {"code": area.code, "name": area.name, "level": area.level}, "year": board.year,
                "start": board.first_year, "small_counts_hidden": board.hide_small,
                "count_rounding": board.count_rounding}
        for name, raw in self.tables_of(board).items():
            data[name] = self.tables[name](raw, many=True).data
        self.csv_table = table
        self.csv_columns = list(self.tables[table]().fields)
        suffix = "" if table == "results" else f"-{table}"
        self.csv_filename = f"desmigratif-{self.key}{suffix}-{area.code or 'nasional'}-{board.year}.csv"
        return Response(data)

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and isinstance(getattr(request, "accepted_renderer", None),
                                                      StatisticsCSVRenderer):
            # errors are JSON throughout the API, also where a CSV was asked for
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(response, "accepted_renderer", None)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or renderer is None \
                or renderer.format not in ("json", "csv"):
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
        last_modified = _last_modified(getattr(self, "previous_answer", None), etag)
        key, version = getattr(self, "answer_cache_key", None), getattr(self, "answer_version", None)
        if key is not None and version is not None:
            cache.set(key, Answer(version=version, content=response.content, content_type=response["Content-Type"],
                                  etag=etag, last_modified=last_modified,
                                  disposition=response.get("Content-Disposition", "")), ANSWER_TTL)
        return self.conditional(request, response, etag, last_modified)


def _n(row: dict, name: str):
    return row.get(name, 0)


@statistics_schema
class SummaryView(StatisticsView):
    key, schema_name = "summary", "Summary"
    summary = "Headline figures / Angka utama"
    description = ("The dashboard's headline figures for the area and year: villages, PMI, activities, "
                   "cooperatives, agencies (one row). / Angka utama dasbor untuk wilayah dan tahun: desa, PMI, "
                   "kegiatan, koperasi, kementerian/lembaga (satu baris).")
    tables = {"results": rows.StatisticsSummaryRowSerializer}

    def tables_of(self, board):
        v, a, m, c, g = board.villages, board.activities, board.migrants, board.cooperatives, board.agencies
        return {"results": [{
            "villages_total": v["total"], "villages_new": v["new"], "villages_previous_total": v["previous_total"],
            "villages_growth": v["growth"], "provinces": v["provinces"], "regencies": v["regencies"],
            "pmi_total": m["total"], "pmi_prospective": m["prospective"], "pmi_abroad": m["abroad"],
            "pmi_returned": m["returned"], "pmi_departed_in_year": m["departed"],
            "pmi_returned_in_year": m["returned_in_year"],
            "activities": a["year"]["activities"], "participants": a["year"]["participants"],
            "participants_women": a["year"]["women"], "participants_men": a["year"]["men"],
            "activity_budget": a["year"]["budget"],
            "cooperatives": c["total"], "cooperatives_active": c["active"],
            "cooperative_members": c["year"]["members"],
            "agencies_engaged": g["engaged"], "agencies_previous_engaged": g["previous_engaged"],
            "agencies_program": PROGRAM_AGENCIES,
        }]}


@statistics_schema
class GrowthView(StatisticsView):
    key, schema_name = "growth", "Growth"
    summary = "Desmigratif villages per year / Desmigratif per tahun"
    description = ("`results`: new and cumulative Desmigratif villages per year of designation, with the growth of "
                   "the cumulative count; `funding`: villages designated up to the year by funding source. / "
                   "Desmigratif baru dan kumulatif per tahun penetapan, dengan pertumbuhannya; jumlah per sumber dana.")
    tables = {"results": rows.StatisticsGrowthRowSerializer, "funding": rows.StatisticsFundingRowSerializer}

    def tables_of(self, board):
        return {"results": [{**row, "growth": _growth(row["cumulative"], row["cumulative"] - row["new"])}
                            for row in board.villages["per_year"]],
                "funding": board.villages["funding"]}


@statistics_schema
class AreasView(StatisticsView):
    key, schema_name = "areas", "Areas"
    summary = "Figures by the next area level / Angka per wilayah di bawahnya"
    description = ("One row per area one level down (provinces nationally, regencies in a province, districts in "
                   "a regency, villages in a district; none below a village), for the year. / Satu baris per "
                   "wilayah satu tingkat di bawah (provinsi, kabupaten/kota, kecamatan, desa) untuk tahun itu.")
    tables = {"results": rows.StatisticsAreaRowSerializer}

    def tables_of(self, board):
        return {"results": [{
            "code": child["code"], "name": child["name"], "villages": _n(child, "villages"),
            "new_villages": _n(child, "new_villages"), "activities": _n(child, "activities"),
            "participants": _n(child, "participants"), "pmi": child["pmi"], "abroad": child["abroad"],
            "departed": child[PlacementEvent.DEPARTED], "returned": child[PlacementEvent.RETURNED],
            "cooperative_members": _n(child, "members")} for child in board.by_child]}


@statistics_schema
class PillarsView(StatisticsView):
    key, schema_name = "pillars", "Pillars"
    summary = "The four pillars / Empat pilar"
    description = ("`results`: each pillar's activities, participants and budget in the year and the year before; "
                   "`per_year`: activities per pillar per year; `totals`: all pillars in the year before and the "
                   "year. / Kegiatan, peserta dan anggaran tiap pilar tahun ini dan tahun sebelumnya; kegiatan per "
                   "pilar per tahun; jumlah semua pilar.")
    tables = {"results": rows.StatisticsPillarRowSerializer, "per_year": rows.StatisticsPillarYearRowSerializer,
              "totals": rows.StatisticsActivityTotalRowSerializer}

    def tables_of(self, board):
        a = board.activities
        return {"results": [dict(row) for row in a["pillars"]],
                "per_year": a["per_year"],
                "totals": [{"year": board.previous, **a["previous"]}, {"year": board.year, **a["year"]}]}


@statistics_schema
class MigrantsView(StatisticsView):
    key, schema_name = "migrants", "Migrants"
    summary = "PMI (migrant workers) / PMI (pekerja migran)"
    description = ("`results`: PMI registered, departed and returned per year; `stages`: PMI by current stage; "
                   "`destinations`: departures by country in the year and the year before; `return_reasons`: "
                   "returns by reason; `reintegration`: returnees' reintegration; `totals`: one row of totals. "
                   "For callers who do not serve the area, counts are rounded to the nearest 10 and 0 to 4 reads "
                   "\"<5\". / PMI terdaftar, berangkat dan pulang per tahun; per tahap; negara tujuan; alasan "
                   "pulang; reintegrasi. Bagi pengguna yang tidak melayani wilayah itu, angka dibulatkan ke "
                   "kelipatan 10 terdekat dan 0–4 tampil \"<5\".")
    tables = {"results": rows.StatisticsMigrantYearRowSerializer, "stages": rows.StatisticsStageRowSerializer,
              "destinations": rows.StatisticsCodeCountRowSerializer,
              "return_reasons": rows.StatisticsCodeCountRowSerializer,
              "reintegration": rows.StatisticsReintegrationRowSerializer,
              "totals": rows.StatisticsMigrantTotalRowSerializer}
    REINTEGRATION = {"recorded": _("Returnees recorded"), "has_business": _("Started a business"),
                     "is_cooperative_member": _("Cooperative member"), "has_kur_credit": _("KUR credit"),
                     "has_bpjs_ketenagakerjaan": _("BPJS Ketenagakerjaan member")}

    def tables_of(self, board):
        m = board.migrants
        flows = {row["year"]: row for row in m["flows_per_year"]}
        return {
            "results": [{"year": row["year"], "registered": row["count"], "departed": flows[row["year"]]["departed"],
                         "returned": flows[row["year"]]["returned"]} for row in m["registered_per_year"]],
            "stages": m["stages"], "destinations": m["destinations"], "return_reasons": m["return_reasons"],
            "reintegration": [{"figure": name, "label": label, "count": m["reintegration"][name]}
                              for name, label in self.REINTEGRATION.items()],
            "totals": [{name: m[name] for name in rows.StatisticsMigrantTotalRowSerializer().fields}],
        }


@statistics_schema
class CooperativesView(StatisticsView):
    key, schema_name = "cooperatives", "Cooperatives"
    summary = "Cooperatives / Koperasi"
    description = ("`results`: per year the cooperatives reporting, members (and returned PMI among them), capital, "
                   "assets, revenue and SHU; `totals`: cooperatives, active ones, founded by the year. / Per tahun: "
                   "koperasi, anggota (dan PMI purna), modal, aset, pendapatan dan SHU; jumlah koperasi.")
    tables = {"results": rows.StatisticsCooperativeYearRowSerializer,
              "totals": rows.StatisticsCooperativeTotalRowSerializer}

    def tables_of(self, board):
        c = board.cooperatives
        return {"results": c["per_year"],
                "totals": [{"total": c["total"], "active": c["active"], "founded_by_year": c["founded_by_year"]}]}


@statistics_schema
class AgenciesView(StatisticsView):
    key, schema_name = "agencies", "Agencies"
    summary = "Agencies engaged / Kementerian dan lembaga yang terlibat"
    description = ("`results`: the agency × pillar matrix of engagements in the year (with budget); `totals`: "
                   "agencies engaged this year and the year before, of the program's 16. / Matriks keterlibatan "
                   "kementerian/lembaga per pilar pada tahun itu; jumlah yang terlibat dari 16.")
    tables = {"results": rows.StatisticsAgencyRowSerializer, "totals": rows.StatisticsAgencyTotalRowSerializer}

    def tables_of(self, board):
        g = board.agencies
        return {"results": [{"id": a["id"], "acronym": a["acronym"], "name": a["name"],
                             **{f"pillar_{p}": a["pillars"][p] for p in Pillar.values},
                             "engagements": a["engagements"], "budget": a["budget"]} for a in g["matrix"]],
                "totals": [{"engaged": g["engaged"], "previous_engaged": g["previous_engaged"],
                            "program_agencies": PROGRAM_AGENCIES, "engagements": g["engagements"],
                            "budget": g["budget"]}]}
