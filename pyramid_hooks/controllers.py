"""Extensible controllers: :class:`Controller`, :func:`route` and what runs
per request for a controller route.

A :class:`Controller` subclass groups handlers decorated with
:func:`route`.  Subclasses extend or restrict them the Odoo way: a
redefinition decorated with ``@route()`` keeps the parent's options and
overrides the ones it gives, a redefinition without ``@route`` unpublishes
the URL.  Merging, combining activated extensions and registering the routes
happen once, at configuration time (:mod:`pyramid_hooks.config.controllers`);
this module holds the decorator, the merged :class:`Endpoint` of one handler,
and the small per-request functions: the ingress view deriver (allowed
methods, CORS, ``auth``), the handler call and the coercion of its result.

Controller routes are ordinary Pyramid routes and views, so the application's
security policy, CSRF options, exception views and ``pyramid_hooks``' own
pipeline (hooks, ``validate=``, controller wrappers) apply to them.
"""

import inspect
import logging

import venusian
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import (
    HTTPException,
    HTTPForbidden,
)
from pyramid.interfaces import IResponse

from pyramid_hooks.interfaces import IControllerRegistry
from pyramid_hooks.shared import code_location, object_name
from pyramid_hooks.trace import traced_auth_check, tracing_enabled

log = logging.getLogger(__name__)

#: Where :func:`route` keeps the options it was given, on the function.
#: ``functools.wraps`` copies it, so a decorator stacked on a route method
#: keeps the route.
ROUTE_ATTR = '__pyramid_hooks_route__'

#: Marks the classes that combine sibling extensions (made by the
#: configuration, never scanned).
COMBINED_ATTR = '__pyramid_hooks_combined__'

#: The :class:`Endpoint` of a controller route's view callable, where the
#: controller derivers find it (``info.original_view``).
ENDPOINT_ATTR = '__pyramid_hooks_endpoint__'

TYPES = ('http', 'json')

#: The defaults where no class of the chain gives a value.
DEFAULTS = {
    'type': 'http',
    'auth': 'user',
    'csrf': True,
    'methods': None,
    'cors': None,
}

#: The :func:`route` options of JSON routes only, read by the JSON-RPC
#: envelope.
JSON_ONLY = ('max_batch', 'max_body')

#: Options of :func:`route` that are recorded in the merged options only
#: when some class gives them (so that ``phooks`` shows them then), and are
#: not view options.
ROUTE_ONLY = frozenset(('cors_credentials', *JSON_ONLY))

#: View options that :func:`route` computes itself; each has a
#: :func:`route` argument instead (or none at all).
RESERVED = {
    'request_method': 'methods=',
    'require_csrf': 'csrf=',
    'method': 'methods=',
    'route_name': None,
    'attr': None,
    'view': None,
}


def _routes(route):
    if route is None:
        return None
    if isinstance(route, str):
        return (route,)
    if isinstance(route, (list, tuple)) and all(
        isinstance(path, str) for path in route
    ):
        return tuple(route)
    raise ConfigurationError(
        f'route(): the route must be a path pattern or a list of them, '
        f'got {route!r}'
    )


def _cors(cors):
    if isinstance(cors, str) and cors:
        return cors
    if (
        isinstance(cors, (list, tuple))
        and cors
        and all(isinstance(origin, str) and origin for origin in cors)
        and '*' not in cors
    ):
        return tuple(cors)
    raise ConfigurationError(
        f"route(cors={cors!r}): '*', an origin or a list of origins"
    )


def route(
    route=None,
    type=None,
    auth=None,
    methods=None,
    cors=None,
    cors_credentials=None,
    csrf=None,
    max_batch=None,
    max_body=None,
    **view_options,
):
    """Mark a :class:`Controller` method as a handler served at *route*.

    :param route: a path pattern (Pyramid syntax, ``/item/{id}``) or a list
        of them; given in an override, it replaces the parent's list.
    :param type: ``'http'`` (default) or ``'json'`` (JSON-RPC 2.0); an
        override may not change it.
    :param auth: ``'user'`` (default: an anonymous request is forbidden),
        ``'public'``, ``'none'`` (no identity work, and no default
        permission: the security policy is not consulted unless the route
        gives ``permission=``) or a mode added with
        ``config.add_controller_auth`` (failing closed, see there).
    :param methods: the HTTP methods served (default: all; ``POST`` for
        JSON routes); others get ``405`` with an ``Allow`` header.
    :param cors: ``'*'``, an origin (sent as ``Access-Control-Allow-Origin``
        on every response) or a list of origins (the request's ``Origin``
        is echoed when it is listed, nothing otherwise, with ``Vary:
        Origin``).  Default: no CORS.  ``OPTIONS`` preflights are then
        answered ``204`` without running the handler or checking ``auth``.
    :param cors_credentials: ``True`` adds ``Access-Control-Allow-Credentials:
        true`` (browsers then send cookies cross-origin); it needs ``cors=``
        and is refused with ``cors='*'`` (a
        :class:`~pyramid.exceptions.ConfigurationError` at startup, checked
        on the merged options).
    :param csrf: ``False`` exempts an http route from Pyramid's CSRF check
        (default: unsafe methods need a valid token; JSON routes are exempt
        and need a JSON content type instead).
    :param max_batch: JSON routes: the most calls in one batch (``0`` or
        ``1``: no batches); default the ``hooks.controllers.max_batch``
        setting.
    :param max_body: JSON routes: the largest request body in bytes;
        default the ``hooks.controllers.max_body`` setting.
    :param view_options: any other Pyramid view option (``permission``,
        ``renderer``, ``http_cache``, ``accept``, ``decorator``,
        ``validate``, ``controller_wrappers`` ...), passed to ``add_view``.

    Only the arguments actually given are recorded, so that an override's
    ``@route()`` keeps everything its parents said (the Odoo documentation's
    rule).  The decorated function itself is returned, so
    ``view=Class.method`` still names it for hooks and wrappers.
    """
    if callable(route):  # @route over the function itself
        raise ConfigurationError(
            f'@route without parentheses on {object_name(route)}: use '
            "@route() or @route('/path')"
        )
    given = {}
    routes = _routes(route)
    if routes is not None:
        given['routes'] = routes
    if type is not None:
        if type not in TYPES:
            raise ConfigurationError(
                f"route(type={type!r}): the type must be 'http' or 'json'"
            )
        given['type'] = type
    if auth is not None:
        if not isinstance(auth, str) or not auth:
            raise ConfigurationError(
                f'route(auth={auth!r}): the auth mode must be a name'
            )
        given['auth'] = auth
    if methods is not None:
        if isinstance(methods, str):
            methods = (methods,)
        if (
            not isinstance(methods, (list, tuple, set, frozenset))
            or not methods
            or not all(isinstance(m, str) for m in methods)
        ):
            raise ConfigurationError(
                f'route(methods={methods!r}): a list of HTTP method names'
            )
        given['methods'] = tuple(m.upper() for m in methods)
    if cors is not None:
        given['cors'] = _cors(cors)
    if cors_credentials is not None:
        given['cors_credentials'] = bool(cors_credentials)
    if csrf is not None:
        given['csrf'] = bool(csrf)
    for option, limit in (('max_batch', max_batch), ('max_body', max_body)):
        if limit is not None:
            if (
                not isinstance(limit, int)
                or isinstance(limit, bool)
                or limit < 0
            ):
                raise ConfigurationError(
                    f'route({option}={limit!r}): a non-negative integer'
                )
            given[option] = limit
    for option in view_options:
        if option in RESERVED:
            instead = RESERVED[option]
            hint = f'use {instead}' if instead else 'it is computed'
            raise ConfigurationError(
                f'route({option}=...): not a route() option ({hint})'
            )
    given.update(view_options)

    def decorate(func):
        setattr(func, ROUTE_ATTR, given)
        return func

    return decorate


class Controller:
    """Base class of extensible controllers.

    An instance is made for each request (each call of a JSON-RPC batch)
    with the request as :attr:`request`.  Defining a subclass at module
    level attaches a venusian callback, so ``config.scan()`` activates it as
    ``config.add_controller`` would; a class that is never scanned nor added
    serves nothing.
    """

    def __init__(self, request):
        #: the current :class:`pyramid.request.Request`
        self.request = request

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.__dict__.get(COMBINED_ATTR):
            return

        def callback(context, name, ob):
            config = context.config.with_package(info.module)
            config.add_controller(ob, _info=info.codeinfo)

        info = venusian.attach(cls, callback, category='pyramid', depth=1)


def function_location(func):
    """``module.qualname (file:line)`` of a handler, for messages."""
    return f'{object_name(inspect.unwrap(func))} ({code_location(func)})'


# -- the merged endpoint ---------------------------------------------------


class Endpoint:
    """One handler of a serving class with its merged options.

    Built once per handler when the application is made; the per-request
    code only reads its attributes.  The routes serving it share it.
    """

    def __init__(self, controller, name, routing, functions, where=None):
        #: the serving class (a leaf, or the class combining extensions)
        self.controller = controller
        #: the method name
        self.name = name
        #: the merged options (``routes``, ``type``, ``auth``, ``methods``,
        #: ``cors``, ``csrf`` and the pass-through view options)
        self.routing = routing
        self.type = routing['type']
        #: where its controller was activated (for messages)
        self.where = where
        #: ``'*'``, an origin, a tuple of origins or ``None`` (no CORS)
        self.cors = routing['cors']
        #: whether replies allow credentials (``cors_credentials=True``)
        self.cors_credentials = routing.get('cors_credentials', False)
        methods = routing['methods']
        if methods is None and self.type == 'json':
            methods = ('POST',)
        if methods is not None and 'GET' in methods and 'HEAD' not in methods:
            methods = (*methods, 'HEAD')
        #: the methods served, or ``None`` for all
        self.methods = None if methods is None else frozenset(methods)
        self.allow = None if methods is None else ', '.join(methods)
        #: the functions of the chain defining the method, base first
        self.functions = functions
        handler = getattr(controller, name)
        self.description = function_location(functions[-1])
        self._signature(handler)

    def _signature(self, handler):
        try:
            parameters = list(inspect.signature(handler).parameters.values())
        except (TypeError, ValueError):  # pragma: no cover - builtins only
            parameters = []
        bound = None
        if parameters and parameters[0].kind in (
            parameters[0].POSITIONAL_ONLY,
            parameters[0].POSITIONAL_OR_KEYWORD,
        ):
            if parameters[0].kind is parameters[0].POSITIONAL_OR_KEYWORD:
                bound = parameters[0].name
            parameters = parameters[1:]  # self
        accepted = set()
        required = set()
        var_kw = False
        for parameter in parameters:
            if parameter.kind is parameter.VAR_KEYWORD:
                var_kw = True
            elif parameter.kind is parameter.VAR_POSITIONAL:
                continue
            elif parameter.kind is parameter.POSITIONAL_ONLY:
                if parameter.default is parameter.empty:
                    raise ConfigurationError(
                        f'Controller handler {self.description}: the '
                        f'positional-only parameter {parameter.name!r} '
                        'cannot be given by name'
                    )
            else:
                accepted.add(parameter.name)
                if parameter.default is parameter.empty:
                    required.add(parameter.name)
        #: the parameter names the handler takes, or ``None`` with ``**kw``
        self.accepted = None if var_kw else frozenset(accepted)
        #: with ``**kw``, the name of ``self``: a client parameter of that
        #: name would clash with the bound instance (a TypeError, a 500)
        self.refused = frozenset((bound,) if var_kw and bound else ())
        #: the parameters without a default
        self.required = frozenset(required)

    def __repr__(self):
        return f'<Endpoint {self.description}>'

    def auth_check(self, registry):
        """The check of this handler's ``auth`` mode in the application of
        *registry* (``None`` for none), read when its view is derived: by
        then every ``add_controller_auth`` of the commit has run.

        :raises ConfigurationError: for an unknown mode, naming the handler
            and where its controller was activated."""
        mode = self.routing['auth']
        modes = registry.getUtility(IControllerRegistry).auth_modes
        if mode not in modes:
            raise ConfigurationError(
                f'Unknown auth mode {mode!r} for {self.description} '
                f'(activated at {self.where}); known modes: '
                f'{", ".join(sorted(modes))} (add one with '
                'config.add_controller_auth)'
            )
        check = modes[mode]
        if check is not None and tracing_enabled(registry):
            check = traced_auth_check(check, mode)
        return check

    def arguments(self, params):
        """``(kwargs, unexpected, missing)`` of *params*: the parameters
        the handler takes, the names it does not take (or, when it takes
        ``**kw``, the name of its ``self``), and its required parameters
        that are absent.  http routes drop the unexpected ones (extra form
        fields, as in Odoo); JSON routes refuse them (-32602)."""
        if self.accepted is None:
            unexpected = self.refused.intersection(params)
        else:
            unexpected = set(params).difference(self.accepted)
        if unexpected:
            params = {k: v for k, v in params.items() if k not in unexpected}
        return params, unexpected, self.required.difference(params)

    def call(self, request, kwargs):
        """Make the controller for *request* and call the handler."""
        return getattr(self.controller(request), self.name)(**kwargs)


# -- auth modes ------------------------------------------------------------


def auth_user(request):
    """``auth='user'``: an unauthenticated request (the security policy's
    ``authenticated_userid`` is ``None``) is forbidden; the application's
    forbidden view decides what the client sees (e.g. a login redirect)."""
    if request.authenticated_userid is None:
        raise HTTPForbidden('Authentication required')


#: The built-in modes: ``public`` and ``none`` check nothing (``none``
#: handlers should not consult the security policy either).
BUILTIN_AUTH = {'user': auth_user, 'public': None, 'none': None}


def auth_refusal(check, request, mode):
    """Run the *check* of the ``auth`` mode *mode* and interpret its
    result, failing closed (``add_controller_auth``'s protocol, shared by
    http and JSON routes).

    :returns: ``None`` to let the request through (the check returned
        ``None`` or ``True``), or the refusal: the ``Response`` or HTTP
        exception it returned or raised, ``HTTPForbidden`` for ``False``.
    :raises TypeError: for any other result, after logging the check's
        dotted name: a check that answers something we cannot interpret is
        a bug, never a pass (the exception's handling is Pyramid's, so the
        client sees the application's 500, not the check's name).
    """
    try:
        result = check(request)
    except HTTPException as e:
        return e
    if result is None or result is True:
        return None
    if result is False:
        return HTTPForbidden()
    if IResponse.providedBy(result):
        return result
    name = object_name(check)
    log.error(
        'auth mode %r: the check %s returned a %s; it must return None or '
        'True (pass), False, a Response or an HTTP exception (refuse)',
        mode,
        name,
        type(result).__name__,
    )
    raise TypeError(
        f'auth mode {mode!r}: the check {name} returned a '
        f'{type(result).__name__}, not None, True, False or a Response'
    )
