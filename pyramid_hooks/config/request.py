"""``request.hooks`` and ``request.make_response`` without per-request
work.

A request method or property added with ``config.add_request_method`` makes
Pyramid's router apply the extensions to every request (a property even
creates a class per request).  Instead the application's request factory is
replaced, once, by a subclass whose class attribute ``hooks`` is the
application's :class:`~pyramid_hooks.hooks.HookRegistry` (a descriptor that
returns itself) and whose method ``make_response`` is
:func:`pyramid_hooks.controllers.make_response`: reading them is an ordinary
attribute lookup and a request that never reads them pays nothing.
"""

import logging

from pyramid.interfaces import IRequestFactory
from pyramid.request import Request

from pyramid_hooks.controllers import make_response
from pyramid_hooks.hooks import get_hooks

log = logging.getLogger(__name__)


def bind_request_factory(registry):
    """Register a subclass of the application's request factory (Pyramid's
    :class:`~pyramid.request.Request` by default) that has ``hooks`` and
    ``make_response``.

    Runs as a late configuration action, after any ``set_request_factory``
    of the same commit.  A factory that is not a class cannot be
    subclassed; ``request.hooks`` and ``request.make_response`` are then
    unavailable (a warning says so): :func:`pyramid_hooks.get_hooks`
    ``(request.registry)`` and :func:`pyramid_hooks.controllers.make_response`
    ``(request, ...)`` are the way.
    """
    hooks = get_hooks(registry)
    factory = registry.queryUtility(IRequestFactory, default=Request)
    if getattr(factory, 'hooks', None) is hooks:
        return
    if not isinstance(factory, type):
        log.warning(
            'The request factory %r is not a class: request.hooks and '
            'request.make_response are not available; use '
            'pyramid_hooks.get_hooks(request.registry)',
            factory,
        )
        return
    subclass = type(
        factory.__name__,
        (factory,),
        {
            'hooks': hooks,
            'make_response': make_response,
            '__module__': factory.__module__,
        },
    )
    registry.registerUtility(subclass, IRequestFactory)
