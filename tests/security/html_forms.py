"""The forms of a rendered page, as the browser sees them: method, action and the names of their fields."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, type)

    @property
    def names(self) -> set[str]:
        return {name for name, _ in self.fields}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._open: Form | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = Form(method=(attrs.get("method") or "get").lower(), action=attrs.get("action") or "")
            self.forms.append(self._open)
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            form = self._open
            if attrs.get("form"):  # a field outside its form, tied to it by id: count it as a form of its own
                form = Form(method=(attrs.get("formmethod") or "?").lower(), action="")
            if form is not None:
                form.fields.append((attrs["name"], (attrs.get("type") or tag).lower()))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
