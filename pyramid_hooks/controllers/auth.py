"""The ``auth`` modes of controller routes (``docs/controllers.rst``): the
built-in ones and how a mode's check is run."""

import logging

from pyramid.httpexceptions import HTTPException, HTTPForbidden

from pyramid_hooks.controllers.jsonrpc import restore_response
from pyramid_hooks.shared import object_name
from pyramid_hooks.workarounds import as_response, response_if_made

log = logging.getLogger('pyramid_hooks.controllers')


def auth_user(request):
    """``auth='user'``: an unauthenticated request is forbidden."""
    if request.authenticated_userid is None:
        raise HTTPForbidden('Authentication required')


#: The built-in modes (``public`` and ``none`` check nothing).
BUILTIN_AUTH = {'user': auth_user, 'public': None, 'none': None}


def auth_refusal(check, request, mode):
    """Run the *check* of the ``auth`` mode *mode*, failing closed: ``None``
    to let the request through (``None`` or ``True``), else the refusal
    (``HTTPForbidden`` for ``False``); any other result is a TypeError.  A
    refusing or raising check's ``request.response`` changes are undone."""
    response = response_if_made(request)
    headers = None if response is None else list(response.headerlist)
    try:
        result = check(request)
    except Exception as e:
        restore_response(request, response, headers)
        if not isinstance(e, HTTPException):
            raise
        return e
    if result is None or result is True:
        return None
    restore_response(request, response, headers)
    if result is False:
        return HTTPForbidden()
    if as_response(result) is not None:
        return result
    message = (
        f'auth mode {mode!r}: the check {object_name(check)} returned a '
        f'{type(result).__name__}; it must return None or True (pass), '
        'False, a Response or an HTTP exception (refuse)'
    )
    log.error(message)
    raise TypeError(message)
