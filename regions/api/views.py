"""Kemendagri's regions, read-only: reference data every signed-in user with an area reads in full.

They are not scoped by area (``regions.selectors.village_list`` is, for choosing where to enter data),
so a plain read-only viewset with the API's default permission and pagination serves them.
"""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ..models import District, Province, Regency, Village
from .filtersets import DistrictFilterSet, ProvinceFilterSet, RegencyFilterSet, VillageFilterSet
from .serializers import DistrictSerializer, ProvinceSerializer, RegencySerializer, VillageSerializer


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"


@extend_schema_view(
    list=extend_schema(summary="Provinces / Provinsi"),
    retrieve=extend_schema(summary="One province by its code / Satu provinsi menurut kodenya"),
)
class ProvinceViewSet(RegionViewSet):
    """Provinces (provinsi), by their Kemendagri code, e.g. 32."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilterSet


@extend_schema_view(
    list=extend_schema(summary="Regencies and cities / Kabupaten dan kota"),
    retrieve=extend_schema(summary="One regency or city by its code / Satu kabupaten/kota menurut kodenya"),
)
class RegencyViewSet(RegionViewSet):
    """Regencies and cities (kabupaten/kota), by their code, e.g. 32.09."""

    queryset = Regency.objects.all()
    serializer_class = RegencySerializer
    filterset_class = RegencyFilterSet


@extend_schema_view(
    list=extend_schema(summary="Districts / Kecamatan"),
    retrieve=extend_schema(summary="One district by its code / Satu kecamatan menurut kodenya"),
)
class DistrictViewSet(RegionViewSet):
    """Districts (kecamatan), by their code, e.g. 32.09.07."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilterSet


@extend_schema_view(
    list=extend_schema(summary="Villages (desa/kelurahan); filter with ?parent= or ?q= / Desa dan kelurahan"),
    retrieve=extend_schema(summary="One village by its code / Satu desa menurut kodenya"),
)
class VillageViewSet(RegionViewSet):
    """Villages (desa/kelurahan), by their code, e.g. 32.09.07.2002. The whole country has 83,762:
    narrow the list with ``?parent=<district code>`` or ``?q=``."""

    # no select_related: the district is shown by its code, and the page's COUNT stays on one table
    queryset = Village.objects.all()
    serializer_class = VillageSerializer
    filterset_class = VillageFilterSet
