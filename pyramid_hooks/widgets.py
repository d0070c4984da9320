"""Widget server-side callbacks, ToscaWidgets style (the runtime part).

A widget marks some of its methods with :func:`serverside_callback`;
:meth:`config.add_widget <pyramid_hooks.config.widgets.add_widget>` mounts
them at ``<hooks.widgets.prefix>/<widget id>/<callback name>``, each as an
ordinary Pyramid view (see :mod:`pyramid_hooks.widget_views`), so
``pviews``, ``proutes``, the introspector and pyramid_debugtoolbar show
them.

Everything lives in the application's :class:`WidgetRegistry` (registry
utility :class:`~pyramid_hooks.interfaces.IWidgetRegistry`); nothing is
module-global, so two applications in one process never share widgets.
"""

import re

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response

from pyramid_hooks.interfaces import IWidgetRegistry
from pyramid_hooks.shared import object_name, registry_utility

#: What a widget id looks like (ToscaWidgets' ``valid_id_re``, ASCII only:
#: an id is a URL path segment).
WIDGET_ID = re.compile(r'[A-Za-z][\w\-:.]*\Z', re.ASCII)
#: What a callback's URL name looks like (no ``_`` first: private and
#: dunder names are never mounted).
CALLBACK_NAME = re.compile(r'[A-Za-z][\w\-.]*\Z', re.ASCII)
#: Separator of compound ids (``form:field``), as in tw2.
ID_SEPARATOR = ':'
#: The attribute :func:`serverside_callback` sets on a function.
MARKER = '__serverside_callback__'


def always_allow(callback, request):
    """Authorize every call (status 200)."""
    return Response(status=200)


def always_deny(callback, request):
    """Refuse every call with a 403 (the default global handler)."""
    return HTTPForbidden()


class CallbackOptions:
    """The options of one server-side callback, as given to
    :func:`serverside_callback` (validated, normalised)."""

    __slots__ = (
        'authorization',
        'name',
        'permission',
        'request_method',
        'require_csrf',
        'view_options',
    )

    def __init__(
        self,
        request_method=None,
        permission=None,
        require_csrf=None,
        authorization=None,
        name=None,
        view_options=None,
    ):
        #: a tuple of upper-case methods, or ``None`` for any method
        self.request_method = _methods(request_method)
        if permission is not None and not isinstance(permission, str):
            raise ConfigurationError(
                f'serverside_callback: permission must be a string, '
                f'got {permission!r}'
            )
        #: the Pyramid permission, or ``None`` (the app's default one)
        self.permission = permission
        if require_csrf not in (None, True, False):
            raise ConfigurationError(
                f'serverside_callback: require_csrf must be True, False or '
                f'None, got {require_csrf!r}'
            )
        #: ``False`` only when the callback opted out of the CSRF check
        self.require_csrf = require_csrf
        if not (
            authorization is None
            or callable(authorization)
            or isinstance(authorization, str)
        ):
            raise ConfigurationError(
                f'serverside_callback: authorization must be a callable or '
                f'a dotted name, got {authorization!r}'
            )
        #: a per-callback handler (callable or dotted name), or ``None``
        self.authorization = authorization
        if name is not None and not (
            isinstance(name, str) and CALLBACK_NAME.match(name)
        ):
            raise ConfigurationError(
                f'serverside_callback: name must match '
                f'{CALLBACK_NAME.pattern!r}, got {name!r}'
            )
        #: the URL name, or ``None`` for the method's name
        self.name = name
        view_options = {
            k: v for k, v in (view_options or {}).items() if v is not None
        }
        #: ``validate``, ``error_handler`` and ``controller_wrappers``, for
        #: the ``pyramid_hooks`` derivers (checked when the app is made)
        self.view_options = view_options

    def as_dict(self):
        """The options as a plain dict (for introspection and ``phooks``)."""
        return {slot: getattr(self, slot) for slot in self.__slots__}

    def __repr__(self):
        given = ', '.join(
            f'{k}={v!r}' for k, v in self.as_dict().items() if v is not None
        )
        return f'<CallbackOptions {given}>'


def _methods(request_method):
    if request_method is None:
        return None
    if isinstance(request_method, str):
        request_method = (request_method,)
    if not isinstance(request_method, (list, tuple, set, frozenset)):
        raise ConfigurationError(
            f'serverside_callback: request_method must be a method name or '
            f'a sequence of them, got {request_method!r}'
        )
    methods = []
    for method in request_method:
        if not isinstance(method, str) or not method.isalpha():
            raise ConfigurationError(
                f'serverside_callback: request_method must be a method '
                f'name or a sequence of them, got {request_method!r}'
            )
        methods.append(method.upper())
    if not methods:
        raise ConfigurationError(
            'serverside_callback: request_method must name at least one method'
        )
    return tuple(methods)


def serverside_callback(
    func=None,
    *,
    request_method=None,
    permission=None,
    require_csrf=None,
    authorization=None,
    name=None,
    validate=None,
    error_handler=None,
    controller_wrappers=None,
):
    """Mark an instance method ``callback(self, request) -> Response`` as
    a server-side callback.

    Use it bare (``@serverside_callback``) or with options:

    ``request_method``
        a method or a sequence of them; other methods get 405 with an
        ``Allow`` header (``GET`` allows ``HEAD`` too).  Default: any.
    ``permission``
        checked by the application's security policy before anything else,
        exactly as a view's ``permission=`` (the default permission applies
        when not given; ``NO_PERMISSION_REQUIRED`` opts out).
    ``require_csrf``
        unsafe methods (POST, PUT, PATCH, DELETE) need a valid CSRF token
        unless this is ``False``.
    ``authorization``
        this callback's authorization handler (callable or dotted name),
        over the widget's and the global one.
    ``name``
        the URL name (default: the method's name).
    ``validate``, ``error_handler``, ``controller_wrappers``
        as the view options of the same names (see :doc:`validation` and
        :doc:`controller_wrappers`).

    Invalid options are a :class:`~pyramid.exceptions.ConfigurationError`
    when the class is defined.

    The function itself is returned, with the options attached, so it
    stays an ordinary method.  A subclass that overrides a callback must
    mark the override again, otherwise the name is no longer a callback.
    """
    options = CallbackOptions(
        request_method=request_method,
        permission=permission,
        require_csrf=require_csrf,
        authorization=authorization,
        name=name,
        view_options={
            'validate': validate,
            'error_handler': error_handler,
            'controller_wrappers': controller_wrappers,
        },
    )

    def mark(function):
        if not callable(function) or isinstance(function, type):
            raise ConfigurationError(
                f'serverside_callback decorates an instance method, got '
                f'{function!r} (give options as keyword arguments)'
            )
        setattr(function, MARKER, options)
        return function

    if func is not None:
        return mark(func)
    return mark


def callback_options(func):
    """The :class:`CallbackOptions` of a function marked with
    :func:`serverside_callback`, or ``None``."""
    return getattr(func, '__dict__', {}).get(MARKER)


class ServerSideCallbackMixin:
    """Mixin for widget classes whose methods are server-side callbacks.

    A widget has an ``id`` (``[A-Za-z][\\w\\-:.]*``), optionally a
    ``callback_authorization`` handler (a class attribute, a method
    ``callback_authorization(self, callback, request)`` or the constructor
    argument) and ``children``: nested widgets, mounted under compound ids
    ``<parent id>:<child id>``.  The instance given to ``config.add_widget``
    serves every request, like a view class attribute: keep per-request
    state on the request.
    """

    id = None
    callback_authorization = None
    children = ()

    def __init__(self, *args, id=None, callback_authorization=None, **kw):
        super().__init__(*args, **kw)
        if id is not None:
            self.id = id
        if callback_authorization is not None:
            self.callback_authorization = callback_authorization

    def url_for_callback(self, request, callback, /, **query):
        """The URL path of this widget's *callback* (a bound method of this
        widget or a callback name), *query* as query string; right under
        any ``SCRIPT_NAME`` and route prefix."""
        if isinstance(callback, str):
            mounted = _mounted(request, self)
            return mounted.url(request, callback, query)
        return url_for_callback(request, callback, **query)


def url_for_callback(request, callback, /, **query):
    """The URL path of *callback*: a bound method of a mounted widget, or
    ``'<widget id>/<callback name>'``; *query* becomes the query string.

    Pyramid generates it (``request.route_path``), so ``SCRIPT_NAME`` and
    the route prefix of the ``config.include`` that added the widget are
    part of it.  It needs a request of the application (in a script, use
    :func:`pyramid.scripting.prepare`).  A callback that is not mounted is
    a :exc:`ValueError`.
    """
    registry = getattr(request, 'registry', None)
    if registry is None:
        raise ValueError(
            'url_for_callback needs the current request of the application '
            f'(got {request!r})'
        )
    if isinstance(callback, str):
        widget_id, _, name = callback.partition('/')
        mounted = get_widget_registry(registry).widgets.get(widget_id)
        if mounted is None:
            raise ValueError(
                f'url_for_callback: no widget {widget_id!r} is mounted in '
                'this application (config.add_widget)'
            )
        return mounted.url(request, name, query)
    widget = getattr(callback, '__self__', None)
    func = getattr(callback, '__func__', None)
    if widget is None or func is None:
        raise ValueError(
            f'url_for_callback: {callback!r} is not a bound callback; pass '
            "widget.method or 'widget id/callback name'"
        )
    mounted = _mounted(request, widget)
    name = mounted.names.get(func)
    if name is None:
        raise ValueError(
            f'url_for_callback: {object_name(func)} is not a server-side '
            f'callback of widget {mounted.id!r}'
        )
    return mounted.url(request, name, query)


def _mounted(request, widget):
    mounted = get_widget_registry(request.registry).by_instance.get(id(widget))
    if mounted is None:
        raise ValueError(
            f'url_for_callback: widget {widget!r} is not mounted in this '
            'application (config.add_widget)'
        )
    return mounted


class MountedCallback:
    """One callback of one mounted widget.

    Attributes (read by ``phooks``): ``widget_id``, ``name`` (URL name),
    ``attr`` (the method's name), ``callback`` (the bound method, the
    callback's view), ``options`` (:class:`CallbackOptions`),
    ``authorization`` (the handler that applies; ``None`` for the global
    one until the configuration is committed), ``authorization_source``
    (``'callback'``, ``'widget'`` or ``'global'``), ``path`` (the URL path,
    without ``SCRIPT_NAME``) and ``context`` (the callback's
    :class:`~pyramid_hooks.widget_views.CallbackContext` class, which its
    view is registered for).
    """

    def __init__(self, widget_id, name, attr, callback, options, path):
        self.widget_id = widget_id
        self.name = name
        self.attr = attr
        self.callback = callback
        self.options = options
        self.path = path
        self.authorization = None
        self.authorization_source = None
        self.context = None

    def __repr__(self):
        return f'<MountedCallback {self.path}>'


class MountedWidget:
    """One widget mounted in an application.

    Attributes: ``id`` (compound for nested widgets), ``widget`` (the
    instance), ``route_name``, ``path`` (``<route prefix><prefix>/<id>``),
    ``authorization`` (the widget's own handler or ``None``) and
    ``callbacks`` (URL name -> :class:`MountedCallback`, in definition
    order); ``names`` maps each callback's function to its URL name.
    """

    def __init__(self, widget_id, widget, route_name, path, authorization):
        self.id = widget_id
        self.widget = widget
        self.route_name = route_name
        self.path = path
        self.authorization = authorization
        self.callbacks = {}
        self.names = {}

    def url(self, request, name, query):
        if name not in self.callbacks:
            raise ValueError(
                f'url_for_callback: widget {self.id!r} has no server-side '
                f'callback {name!r}'
            )
        kw = {'_query': query} if query else {}
        return request.route_path(
            self.route_name, widget=self.id, callback=name, **kw
        )

    def __repr__(self):
        return f'<MountedWidget {self.id!r} at {self.path}>'


class WidgetRegistry:
    """The widgets of one application (registry utility
    :class:`~pyramid_hooks.interfaces.IWidgetRegistry`).

    ``widgets``
        widget id -> :class:`MountedWidget`, in mounting order; each has
        ``callbacks``: URL name -> :class:`MountedCallback` (whose
        ``options`` are the :class:`CallbackOptions`).
    ``routes``
        route name -> ``{(widget id, callback name): MountedCallback}``,
        the table the route's
        :class:`~pyramid_hooks.widget_views.CallbackFactory` looks up.
    ``authorization``
        the global handler given by ``config.set_callback_authorization``
        (``None``: the ``hooks.widgets.authorization`` setting applies).
    ``by_instance``
        ``id(widget instance)`` -> :class:`MountedWidget`.
    """

    def __init__(self):
        self.widgets = {}
        self.routes = {}
        self.authorization = None
        self.by_instance = {}


def get_widget_registry(registry):
    """The application's :class:`WidgetRegistry`, created on first use."""
    return registry_utility(registry, IWidgetRegistry, WidgetRegistry)
