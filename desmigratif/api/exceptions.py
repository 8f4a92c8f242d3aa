"""Errors as JSON with field-level messages: the services' Django errors become DRF's."""
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler

from desmigratif.busy import BUSY_RETRY_AFTER, busy_message, is_database_busy
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
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        exc = _body_refused(exc, context)
    elif is_database_busy(exc):
        exc = ServiceBusy(busy_message())
    return exception_handler(exc, context)


def _body_refused(exc, context) -> exceptions.APIException:
    """Django's limits of a request body, answered as the API's other errors (Django's own answer is an
    HTML page)."""
    request = getattr(context.get("request"), "_request", None)
    if request is not None:
        request._mark_post_parse_error()  # as Django does: the body is not parsed a second time
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge(_("The request body is larger than the %(size)d kB the API accepts.")
                               % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024})
    if isinstance(exc, TooManyFilesSent):
        return exceptions.ParseError(_("The request sends more than %(count)d files.")
                                     % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FILES})
    return exceptions.ParseError(_("The request sends more than %(count)d fields or parameters.")
                                 % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Conflict."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "Request body too large."
    default_code = "payload_too_large"


class ServiceBusy(exceptions.APIException):
    """The database could not take the write in time (desmigratif.busy): nothing was saved, try again."""

    status_code = 503
    default_detail = "Busy."
    default_code = "busy"
    wait = BUSY_RETRY_AFTER  # DRF's handler sends it as Retry-After
