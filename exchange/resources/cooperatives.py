"""Cooperative yearly figures, keyed by (cooperative, year): the cooperative is named by its portal ID
or its legal entity number (either; both must agree), a known (cooperative, year) is updated."""
from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.disclosure import Small, count_shown, hides_small_counts
from accounts.permissions import code_in_area
from accounts.scoping import area_prefix, area_q
from cooperatives.models import Cooperative, CooperativeYearlyFigure

from ..cells import Integer, Money, Text
from ..choices import ImportKind
from .base import Column, ReferenceSheet, Resource, Row, State, chunked, same_name


class CooperativeYearlyFigureResource(Resource):
    kind = ImportKind.COOPERATIVE_FIGURES
    model = CooperativeYearlyFigure
    summaries = ("cooperatives.summaries.cooperative_summaries_refresh",)
    village_path = "cooperative__desmigratif_village__village_id"
    filterset = "cooperatives.filtersets.CooperativeYearlyFigureFilterSet"
    description = gettext_lazy("A cooperative's figures at the close of a book year. Name the cooperative by its "
                               "ID on the portal or its legal entity number (see the sheet of cooperatives).")
    columns = (
        Column("ID Koperasi", "cooperative_id", Integer(), attname="", aliases=("id",),
               help=gettext_lazy("The ID or the legal entity number names the cooperative (see the sheet "
                                 "“Koperasi”).")),
        Column("Nomor Badan Hukum", "legal_entity_number", Text(width=24), attname="",
               export=lambda o: o.cooperative.legal_entity_number,
               help=gettext_lazy("The ID or the legal entity number names the cooperative (see the sheet "
                                 "“Koperasi”).")),
        Column("Nama Koperasi", "cooperative_name", Text(width=30), reference=True,
               export=lambda o: o.cooperative.name),
        Column("Tahun", "year", Integer(), required=True, aliases=("tahun buku",)),
        Column("Jumlah Anggota", "members", Integer(), required=True),
        Column("Anggota Purna PMI", "members_returned_pmi", Integer(),
               help=gettext_lazy("At most the number of members.")),
        Column("Modal (Rp)", "capital", Money(), aliases=("modal",)),
        Column("Aset (Rp)", "assets", Money(), aliases=("aset",)),
        Column("Omzet (Rp)", "revenue", Money(), aliases=("omzet",)),
        Column("SHU (Rp)", "shu", Money(), aliases=("shu",), help=gettext_lazy("Negative for a loss.")),
    )
    key_fields = ("cooperative_id", "year")
    update_fields = ("members", "members_returned_pmi", "capital", "assets", "revenue", "shu")
    compare_fields = update_fields
    clean_exclude = ("cooperative",)  # resolved and area-checked once per file

    def export_queryset(self, *, user):
        return (CooperativeYearlyFigure.objects.filter(area_q(user, "cooperative__desmigratif_village__village"))
                .select_related("cooperative__desmigratif_village").order_by("cooperative__name", "cooperative_id",
                                                                             "-year"))

    def export_values(self, obj, *, user) -> list:
        values = super().export_values(obj, user=user)
        # the returned PMI among the members are a count of PMI: rounded for readers who do not serve the
        # area, as on the cooperative's page, in the API and on the dashboards (accounts.disclosure)
        if hides_small_counts(user, obj.cooperative.desmigratif_village.village_id):
            index = [column.source for column in self.columns].index("members_returned_pmi")
            shown = count_shown(obj.members_returned_pmi, protect=True)
            values[index] = str(shown) if isinstance(shown, Small) else shown
        return values

    def header_problems(self, fields: set[str]) -> list[str]:
        if not {"cooperative_id", "legal_entity_number"} & fields:
            return [_("Add the column “ID Koperasi” or “Nomor Badan Hukum”: it names the cooperative.")]
        return []

    def prepare(self, rows: list[Row], state: State) -> None:
        by_id = state.extra.setdefault("by_id", {})
        by_number = state.extra.setdefault("by_number", {})
        ids = {r.values["cooperative_id"] for r in rows if isinstance(r.values.get("cooperative_id"), int)} \
            - by_id.keys()
        numbers = {r.values["legal_entity_number"] for r in rows if r.values.get("legal_entity_number")} \
            - by_number.keys()
        for part in chunked(sorted(ids | numbers, key=str), 1000):
            part_ids = [p for p in part if isinstance(p, int)]
            part_numbers = [p for p in part if isinstance(p, str)]
            for coop in (Cooperative.objects.filter(Q(pk__in=part_ids) | Q(legal_entity_number__in=part_numbers))
                         .annotate(village_code=F("desmigratif_village__village_id"))):
                by_id[coop.pk] = coop
                if coop.legal_entity_number:
                    by_number[coop.legal_entity_number] = coop
            by_id.update({i: None for i in part_ids if i not in by_id})
            by_number.update({n: None for n in part_numbers if n not in by_number})

    def key_of(self, row: Row, state: State) -> tuple | None:
        coop = self.resolve(row, state)
        year = row.values.get("year")
        if coop is None or year is None or "year" in row.failed:
            return None
        row.extra["cooperative"] = coop
        return coop.pk, year

    def resolve(self, row: Row, state: State) -> Cooperative | None:
        id_column, number_column = self.column("cooperative_id"), self.column("legal_entity_number")
        if {"cooperative_id", "legal_entity_number"} & row.failed:
            return None
        pk, number = row.values.get("cooperative_id"), row.values.get("legal_entity_number")
        if pk is None and not number:
            row.error(id_column, _("Give the cooperative's ID or its legal entity number."), value="")
            return None
        by_id, by_number = state.extra["by_id"], state.extra["by_number"]
        coop = by_id.get(pk) if pk is not None else by_number.get(number)
        if coop is None:
            if pk is not None:
                row.error(id_column, _("There is no cooperative with the ID %(id)s.") % {"id": pk})
            else:
                row.error(number_column, _("There is no cooperative with this legal entity number."))
            return None
        if not code_in_area(coop.village_code, state.prefix):
            # named by what the user typed: another area's cooperative names stay unknown to them
            if pk is not None:
                row.error(id_column, _("The cooperative with the ID %(id)s is outside your area: you may not "
                                       "change its figures.") % {"id": pk})
            else:
                row.error(number_column, _("The cooperative with this legal entity number is outside your area: "
                                           "you may not change its figures."))
            return None
        if pk is not None and number and coop.legal_entity_number != number:
            row.error(number_column, _("The cooperative with the ID %(id)s has the legal entity number "
                                       "“%(number)s”.") % {"id": pk, "number": coop.legal_entity_number or "—"})
            return None
        name = row.values.get("cooperative_name")
        if name and not same_name(name, coop.name):
            row.error(self.column("cooperative_name"), _("The cooperative with this ID is called “%(name)s”: check "
                                                         "the ID or the name.") % {"name": coop.name})
            return None
        return coop

    def duplicate_message(self, first_row: int) -> str:
        return _("This cooperative and year are also on row %(row)d: each once per file.") % {"row": first_row}

    def existing(self, keys: list[tuple], state: State) -> dict:
        wanted = set(keys)
        found = {}
        coops = {k[0]: state.extra["by_id"][k[0]] for k in keys}
        for part in chunked(sorted(coops), 1000):
            for figure in CooperativeYearlyFigure.objects.filter(cooperative_id__in=part,
                                                                 year__in={k[1] for k in keys}):
                if (figure.cooperative_id, figure.year) in wanted:
                    figure.cooperative = coops[figure.cooperative_id]  # clean() reads its founding year
                    found[(figure.cooperative_id, figure.year)] = figure
        return found

    def new(self, row: Row, state: State) -> CooperativeYearlyFigure:
        figure = CooperativeYearlyFigure()
        if "cooperative" in row.extra:
            figure.cooperative = row.extra["cooperative"]
        return figure

    def build(self, row: Row, existing, state: State):
        obj = super().build(row, existing, state)
        if "cooperative" not in row.extra:
            obj.cooperative_id = None  # the row's problem names the cause; no "required" echo
        return obj

    def reference_sheet(self, *, user) -> ReferenceSheet:
        coops = (Cooperative.objects.filter(area_q(user, "desmigratif_village__village"))
                 .order_by("desmigratif_village__village_id", "name")
                 .values_list("pk", "legal_entity_number", "name", "desmigratif_village__village_id",
                              "desmigratif_village__village__name", "year_founded"))
        note = "" if area_prefix(user) else _("All cooperatives of the program.")
        return ReferenceSheet(title="Koperasi", headers=["ID Koperasi", "Nomor Badan Hukum", "Nama Koperasi",
                                                         "Kode Desa", "Nama Desa", "Tahun Berdiri"],
                              rows=[list(r) for r in coops], note=note, validates="cooperative_id")
