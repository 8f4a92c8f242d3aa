"""The API's request parsers (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): DRF's own, with one more limit.

Python's JSON decoder recurses once per nested array or object, so a body of ``[[[[…]]]]`` a few
hundred kilobytes long ends in a RecursionError: a server error before any view runs, on every
endpoint that reads a body (the token endpoint included, anonymously). The portal's payloads are
flat records (a few levels at most), so a body nested deeper than ``MAX_JSON_DEPTH`` is refused with
a 400 naming the limit, and so is one too deep for the decoder itself.

Form and multipart bodies have no nesting; their limits (DATA_UPLOAD_MAX_NUMBER_FIELDS,
DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FILES) are Django's, and the exception handler
(desmigratif.api.exceptions) answers them as the API's other errors: JSON, not an HTML page.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


def json_depth_exceeds(data, limit: int) -> bool:
    """Whether ``data`` nests arrays or objects more than ``limit`` levels deep (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def too_deep() -> ParseError:
    return ParseError(_("The JSON body is nested too deeply: at most %(limit)d levels of arrays and objects.")
                      % {"limit": MAX_JSON_DEPTH})


class PortalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # deeper than the decoder's own stack allows
            raise too_deep() from None
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise too_deep()
        return data
