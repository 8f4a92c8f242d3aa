from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.forms import PortalFormMixin

from .conf import limit
from .resources import importable_for


class ImportUploadForm(PortalFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"), widget=forms.RadioSelect)
    file = forms.FileField(label=_("File (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(r.kind, r.verbose_name) for r in importable_for(self.user)]
        self.fields["file"].help_text = _("At most %(size)s and %(rows)s rows. Download the template of the kind "
                                          "of records first.") % {
            "size": filesizeformat(limit("MAX_FILE_BYTES")), "rows": f"{limit('MAX_ROWS'):,}".replace(",", ".")}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if name.endswith(".xls"):
            raise forms.ValidationError(_("This is an old-format Excel file (.xls): open it in Excel and save it as "
                                          "“Excel Workbook (*.xlsx)”."), code="xls")
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a .csv file."), code="extension")
        if upload.size > limit("MAX_FILE_BYTES"):
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(max)s can be imported at once: split it into several files.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(limit("MAX_FILE_BYTES"))},
                code="size")
        return upload
