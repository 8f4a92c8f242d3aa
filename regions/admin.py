"""Admin of Kemendagri's region codes, and the list filters every program admin shares.

Regions are reference data loaded from the official files by ``load_regions``: administrators with
the view permission may browse them, only a superuser may add or correct one. With 83,762 villages,
no admin may offer a village (or district) as a plain select or as a related-field list filter:
the program admins use autocomplete widgets and the province filter below (38 rows), which
filters on the code prefix without a join.
"""
from __future__ import annotations

import re

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desmigratif.program_admin import AreaScopedAdminMixin

from .choices import RegencyKind, VillageKind
from .models import District, Province, Regency, Village
from .selectors import district_list, province_list, regency_list, village_list

# A term made only of digits and dots is a code prefix: "32", "32.09", "32.09.14.2004".
CODE_PREFIX_RE = re.compile(r"^\d{1,2}(\.\d{0,4}){0,3}$")


def is_code_prefix(term: str) -> bool:
    return bool(CODE_PREFIX_RE.match(term.strip()))


def search_by_code_or_name(queryset: QuerySet, term: str, *, code_path: str, name_paths: tuple[str, ...]):
    """Rows whose code starts with ``term`` when it looks like a code, else whose name contains
    every word of it.

    ``code__startswith`` uses the primary key's index (``varchar_pattern_ops`` on PostgreSQL),
    where the admin's default ``icontains`` on code would scan all 83,762 villages.
    """
    term = term.strip()
    if not term:
        return queryset
    if is_code_prefix(term):
        return queryset.filter(**{f"{code_path}__startswith": term})
    for word in term.split():
        condition = Q()
        for path in name_paths:
            condition |= Q(**{f"{path}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def province_filter(*code_paths: str, title=None) -> type[admin.SimpleListFilter]:
    """A list filter by province for rows that reach a region code through any of ``code_paths``.

    A path ends at a region's code (``code``, ``village__code``, ``desmigratif_village__village__code``,
    ``province__code``: Django reads a related primary key from the foreign-key column, without a
    join); a row is in province 32 when a path equals "32" or starts with "32.".
    """

    class ProvinceFilter(admin.SimpleListFilter):
        parameter_name = "province"

        def lookups(self, request, model_admin):
            return list(Province.objects.order_by("code").values_list("code", "name"))

        def queryset(self, request, queryset):
            code = self.value()
            if not code:
                return queryset
            condition = Q()
            for path in code_paths:
                condition |= Q(**{path: code}) | Q(**{f"{path}__startswith": f"{code}."})
            return queryset.filter(condition)

    ProvinceFilter.title = title or _("province")
    return ProvinceFilter


def year_filter(field_path: str, title, *, first: int = 2016) -> type[admin.SimpleListFilter]:
    """A list filter by year (newest first) that needs no query to list its choices.

    ``field_path`` is a year column (``year_designated``) or a date's ``__year`` lookup
    (``registered_on__year``); the admin's own filter would run a DISTINCT over the whole table.
    """

    class YearFilter(admin.SimpleListFilter):
        parameter_name = field_path.replace("__", "_")

        def lookups(self, request, model_admin):
            return [(str(year), str(year)) for year in range(timezone.localdate().year + 1, first - 1, -1)]

        def queryset(self, request, queryset):
            if self.value() and self.value().isdigit():
                return queryset.filter(**{field_path: int(self.value())})
            return queryset

    YearFilter.title = title
    return YearFilter


class VillageKindFilter(admin.SimpleListFilter):
    """Kelurahan, desa or desa adat: the first digit of the village's last four."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("1", VillageKind.KELURAHAN.label), ("2", VillageKind.DESA.label), ("3", VillageKind.DESA_ADAT.label)]

    def queryset(self, request, queryset):
        if self.value() in ("1", "2", "3"):
            return queryset.filter(code__regex=rf"^[0-9.]{{9}}{self.value()}")
        return queryset


class RegionAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """Read-mostly reference data: viewable by administrators with the view permission, written by
    superusers. Its rows (and so the regions a foreign key of another admin may take) are those of the
    user's area."""

    search_fields = ["code", "name"]
    ordering = ["code"]
    list_per_page = 100
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return search_by_code_or_name(queryset, search_term, code_path="code", name_paths=("name",)), False

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Province)
class ProvinceAdmin(RegionAdmin):
    selector = staticmethod(province_list)
    list_display = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(RegionAdmin):
    selector = staticmethod(regency_list)
    list_display = ["code", "name", "kind_display", "province"]
    list_select_related = ["province"]
    list_filter = [province_filter("code")]
    autocomplete_fields = ["province"]

    @admin.display(description=_("kind"))
    def kind_display(self, obj: Regency) -> str:
        return RegencyKind(obj.kind).label


@admin.register(District)
class DistrictAdmin(RegionAdmin):
    selector = staticmethod(district_list)
    list_display = ["code", "name", "regency"]
    list_select_related = ["regency"]
    list_filter = [province_filter("code")]
    autocomplete_fields = ["regency"]


@admin.register(Village)
class VillageAdmin(RegionAdmin):
    selector = staticmethod(village_list)
    list_display = ["code", "name", "kind_display", "district", "regency"]
    list_select_related = ["district__regency"]
    list_filter = [province_filter("code"), VillageKindFilter]
    autocomplete_fields = ["district"]

    @admin.display(description=_("kind"))
    def kind_display(self, obj: Village) -> str:
        return VillageKind(obj.kind).label

    @admin.display(description=_("regency/city"), ordering="district__regency_id")
    def regency(self, obj: Village) -> Regency:
        return obj.district.regency
