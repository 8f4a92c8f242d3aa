from django import forms


def bootstrap_widgets(form: forms.BaseForm) -> forms.BaseForm:
    """Give a form's widgets Bootstrap 5's classes (pages, filters), keeping classes already set."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        else:
            css = "form-control"
        existing = widget.attrs.get("class", "")
        if css not in existing.split():
            widget.attrs["class"] = f"{existing} {css}".strip()
    return form


class PortalFormMixin:
    """Forms of the pages: Bootstrap widgets, and the signed-in user for area checks."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)
