"""A django-import-export ModelResource for the portal's PMI file, for the benchmark's side-by-side
comparison only: it is not registered in any admin and no app imports it.

It reads the same .xlsx as the portal's import (its Indonesian headers and labels), looks each NIK up
(an update when known), checks the village code by its foreign key, and validates every row's model
(``full_clean``: the field rules, the NIK checks, the unique NIK and the constraints), as its admin
would with ``clean_model_instances``.
"""
from __future__ import annotations

from django.utils import translation
from import_export import fields, resources, widgets

from migrants.choices import Education, Gender, MaritalStatus, Stage
from migrants.models import MigrantWorker
from regions.models import Village


class LabelWidget(widgets.CharWidget):
    """A choice given by its label in Indonesian or English, or by its code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.by_text = {}
        for language in ("id", "en"):
            with translation.override(language):
                self.by_text.update({str(label).casefold(): value for value, label in choices.choices})
        self.by_text.update({value.casefold(): value for value in choices.values})

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs) or ""
        return self.by_text.get(text.strip().casefold(), text.strip())


class MigrantWorkerIieResource(resources.ModelResource):
    nik = fields.Field(attribute="nik", column_name="NIK", widget=widgets.CharWidget())
    name = fields.Field(attribute="name", column_name="Nama", widget=widgets.CharWidget())
    gender = fields.Field(attribute="gender", column_name="Jenis Kelamin", widget=LabelWidget(Gender))
    birth_date = fields.Field(attribute="birth_date", column_name="Tanggal Lahir", widget=widgets.DateWidget())
    village = fields.Field(attribute="village", column_name="Kode Desa",
                           widget=widgets.ForeignKeyWidget(Village, field="code"))
    address = fields.Field(attribute="address", column_name="Alamat", widget=widgets.CharWidget())
    education = fields.Field(attribute="education", column_name="Pendidikan", widget=LabelWidget(Education))
    marital_status = fields.Field(attribute="marital_status", column_name="Status Perkawinan",
                                  widget=LabelWidget(MaritalStatus))
    phone = fields.Field(attribute="phone", column_name="Nomor Telepon", widget=widgets.CharWidget())
    registered_on = fields.Field(attribute="registered_on", column_name="Tanggal Registrasi",
                                 widget=widgets.DateWidget())

    class Meta:
        model = MigrantWorker
        import_id_fields = ("nik",)
        fields = ("nik", "name", "gender", "birth_date", "village", "address", "education", "marital_status",
                  "phone", "registered_on")
        clean_model_instances = True
        skip_unchanged = False

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.stage = Stage.REGISTERED
            instance.stage_changed_on = instance.registered_on

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None and instance.registered_on:
            # full_clean() runs before before_save_instance(): the new PMI's stage date is needed by then
            instance.stage_changed_on = instance.registered_on
