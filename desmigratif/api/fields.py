"""Serializer fields shared by the apps' API."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import models
from rest_framework import serializers


class RupiahField(serializers.DecimalField):
    """An amount in whole rupiah (a DecimalField with no decimal places) as a JSON integer: 1500000, not
    1500000.0 — which the field itself would refuse ("no more than 0 decimal places"), so that a record
    read from the API could not be sent back as read. Input with a zero fraction (1500000.0) is taken."""

    def to_representation(self, value):
        value = super().to_representation(value)
        if self.decimal_places == 0 and isinstance(value, Decimal) and value.is_finite():
            return int(value)
        return value

    def to_internal_value(self, data):
        if self.decimal_places == 0 and isinstance(data, float | str) and not isinstance(data, bool):
            try:
                number = Decimal(str(data).strip())
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite() and number == number.to_integral_value():
                data = str(number.to_integral_value())
        return super().to_internal_value(data)


# ``serializer_field_mapping`` of a ModelSerializer whose model has money fields
FIELD_MAPPING = {**serializers.ModelSerializer.serializer_field_mapping, models.DecimalField: RupiahField}
