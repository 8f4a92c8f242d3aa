from rest_framework import serializers

from ..models import District, Province, Regency, Village

# The parent is given as its code (the foreign key's column): no query, and the code is what clients use.


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name"]


class RegencySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", read_only=True, help_text="Kode provinsi, e.g. 32")
    kind = serializers.CharField(read_only=True, help_text="kabupaten (regency) or kota (city)")

    class Meta:
        model = Regency
        fields = ["code", "name", "province", "kind"]


class DistrictSerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="regency_id", read_only=True, help_text="Kode kabupaten/kota, e.g. 32.09")

    class Meta:
        model = District
        fields = ["code", "name", "regency"]


class VillageSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district_id", read_only=True,
                                     help_text="Kode kecamatan, e.g. 32.09.07")
    kind = serializers.CharField(read_only=True, help_text="kelurahan, desa or desa_adat")

    class Meta:
        model = Village
        fields = ["code", "name", "district", "kind"]
