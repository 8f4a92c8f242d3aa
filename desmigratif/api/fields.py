"""Serializer fields shared by the apps' API."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.validators import MaxValueValidator
from django.db import models
from rest_framework import serializers

from desmigratif import limits


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


class LimitMessagesMixin:
    """A ModelSerializer's numbers refused with the portal's message for a plausibility limit
    (desmigratif.limits), as the pages and imports refuse them.

    DRF turns a model field's MaxValueValidator / MinValueValidator into the serializer field's
    ``max_value`` / ``min_value`` (the schema shows them) with its own message, which names the number
    but not the reason ("Ensure this value is less than or equal to 100000.").
    """

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        for validator in model_field.validators:
            if not isinstance(validator, limits.Limit):
                continue
            key = "max_value" if isinstance(validator, MaxValueValidator) else "min_value"
            if kwargs.get(key) == validator.limit_value:
                kwargs["error_messages"] = {**kwargs.get("error_messages", {}), key: validator.rendered_message()}
        return field_class, kwargs


class PersonalDataMixin:
    """Serializers of person records: the personal fields (accounts.personal_data) as the user may see
    them — masked, or in full with the view noted for the access log.

    ``personal_fields`` maps an output key to ``"<path to the record>.<field>"`` or ``"<field>"`` of the
    serialised instance, e.g. ``{"nik": "nik"}`` or ``{"migrant_nik": "migrant.nik"}``.
    """

    personal_fields: dict[str, str] = {}

    def to_representation(self, instance):
        from accounts.personal_data import shown

        data = super().to_representation(instance)
        user, request = self.context.get("user"), self.context.get("request")
        for key, path in self.personal_fields.items():
            if key not in data:
                continue
            *relations, name = path.split(".")
            record = instance
            for relation in relations:
                record = getattr(record, relation)
            value = shown(record, name, user=user, request=request)
            # the output keeps its own form (a date as ISO text): only a masked value replaces it
            if value != getattr(record, name):
                data[key] = value
        return data
