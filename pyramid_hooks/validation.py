"""Validation failures: :class:`Invalid` and the 400 response it becomes
(raised as :class:`~pyramid.httpexceptions.HTTPBadRequest`, so that the
application's exception views may render it their own way)."""

import json
from typing import Any

from pyramid.httpexceptions import HTTPBadRequest


class Invalid(Exception):
    """Raised by a validator: the request's parameters are not acceptable.

    :param errors: what is wrong, usually a mapping of field name to
        message; it reaches the client (400) or the error handler
        (``request.validation_errors``) unchanged.
    """

    def __init__(self, errors: Any, message: str | None = None) -> None:
        super().__init__(message or 'Invalid parameters')
        self.errors = errors


def bad_request(request, errors):
    """The :class:`~pyramid.httpexceptions.HTTPBadRequest` for *errors*: a
    JSON body when the client prefers JSON over HTML (a missing or ``*/*``
    ``Accept`` header means HTML, as for Pyramid's own error pages)."""
    if isinstance(errors, dict):  # the detail of the HTML or text page
        detail = '; '.join(f'{key}: {value}' for key, value in errors.items())
    elif isinstance(errors, (list, tuple)):
        detail = '; '.join(str(error) for error in errors)
    else:
        detail = str(errors)
    exc = HTTPBadRequest(detail=detail)
    exc.errors = errors
    offers = request.accept.acceptable_offers(
        ('text/html', 'application/json')
    )
    if offers and offers[0][0] == 'application/json':
        exc.content_type = 'application/json'
        exc.text = json.dumps(
            {'status': 400, 'errors': errors}, default=str, sort_keys=True
        )
    return exc
