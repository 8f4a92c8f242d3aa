"""Errors as JSON with field-level messages: the services' Django errors become DRF's."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler

from desmigratif.versioning import VERSION_FIELD, StaleRecordError


def portal_exception_handler(exc, context):
    if isinstance(exc, StaleRecordError):  # before ValidationError, of which it is one
        exc = Conflict({VERSION_FIELD: [exc.api_message()]})
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        detail = {("non_field_errors" if key == "__all__" else key): value for key, value in detail.items()}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict(_("Other records still refer to this one: remove them first."))
    return exception_handler(exc, context)


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Conflict."
    default_code = "conflict"
