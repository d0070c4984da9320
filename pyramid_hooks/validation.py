"""Validation failures: :class:`Invalid` and the 400 response it becomes
(an :class:`~pyramid.httpexceptions.HTTPBadRequest`, for exception views)."""

import json
import math
import re
from collections.abc import Collection, Mapping
from typing import Any

from pyramid.httpexceptions import HTTPBadRequest

from pyramid_hooks.shared import object_name, shown_value


class Invalid(Exception):
    """Raised by a validator: the request's parameters are not acceptable.

    :param errors: what is wrong, usually a mapping of field name to
        message; it reaches the client (400) or the error handler
        (``request.validation_errors``) unchanged.
    """

    def __init__(self, errors: Any, message: str | None = None) -> None:
        super().__init__(message or 'Invalid parameters')
        self.errors = errors


#: What Python's default repr ends with (``<pkg.Cls object at 0x7f..>``,
#: a function's, a generator's), in no message meant for a client.
ADDRESS = re.compile(r' at 0x[0-9a-fA-F]+>')

#: How deep :func:`json_errors` follows the errors (a cycle ends there).
MAX_ERRORS_DEPTH = 32


def json_errors(errors, depth=0):
    """*errors* as JSON can write them whatever the validator put there:
    mappings with text keys, lists for other collections (sets too), text
    for anything else (``NaN`` included; deeper than the limit, none)."""
    if errors is None or isinstance(errors, (str, bool, int)):
        return errors
    if isinstance(errors, float) and math.isfinite(errors):
        return errors
    # str() of a container shows its items' reprs
    nested = isinstance(errors, Collection) and not isinstance(errors, bytes)
    if nested and depth < MAX_ERRORS_DEPTH:
        if isinstance(errors, Mapping):
            shown = {}
            for key, value in errors.items():  # a key is text
                text = json_errors(key, depth + 1)
                if isinstance(text, list):  # a tuple key as Python writes it
                    text = tuple(text)
                shown[str(text)] = json_errors(value, depth + 1)
            return shown
        return [json_errors(value, depth + 1) for value in errors]
    text = str(errors)  # a default repr's class and address, deep items'
    return 'invalid value' if nested or ADDRESS.search(text) else text


def bad_request(request, errors):
    """The :class:`~pyramid.httpexceptions.HTTPBadRequest` for *errors*: a
    JSON body when the client prefers JSON over HTML, as Pyramid's pages."""
    # the page's detail from what json_errors makes of them, nested too:
    # str() of a mapping may show its class name and address
    shown = json_errors(errors)
    if isinstance(shown, dict):
        detail = '; '.join(f'{key}: {value}' for key, value in shown.items())
    elif isinstance(shown, list):
        detail = '; '.join(str(error) for error in shown)
    else:
        detail = str(shown)
    exc = HTTPBadRequest(detail=detail)
    exc.errors = errors
    offers = request.accept.acceptable_offers(
        ('text/html', 'application/json')
    )
    if offers and offers[0][0] == 'application/json':
        exc.content_type = 'application/json'
        exc.text = json.dumps({'status': 400, 'errors': shown}, sort_keys=True)
    return exc


def not_params(validator_name, validated, view):
    """The :exc:`TypeError` for the validator *validator_name* of *view*,
    which returned *validated*, neither the parameters nor ``None``."""
    shown = shown_value(validated)
    return TypeError(
        f'Validator {validator_name} returned {shown} '
        f'({type(validated).__name__}): a validator returns the validated '
        'parameters (a mapping) or None, and raises pyramid_hooks.Invalid '
        f'for bad input (validate= of view {object_name(view)})'
    )


def forget_errors(request):
    """Remove ``request.validation_errors``: the view being called sees its
    own validation result only, not one an earlier view left there."""
    if hasattr(request, 'validation_errors'):
        del request.validation_errors
