"""Server-side callbacks, ToscaWidgets style: the decorator, the mixin, URL
generation, the authorization handlers and the :class:`WidgetRegistry`."""

import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar, overload

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.request import Request
from pyramid.response import Response

from pyramid_hooks.decorators import outside_class
from pyramid_hooks.interfaces import IWidgetRegistry
from pyramid_hooks.shared import (
    CALLBACK_MARKER,
    CallableOrName,
    Names,
    check_name,
    did_you_mean,
    get_hooks_settings,
    method_names,
    object_name,
    registry_utility,
    safe_repr,
)
from pyramid_hooks.workarounds import quote_route_value

#: A widget id: ToscaWidgets' ``valid_id_re``, ASCII (a URL path segment).
WIDGET_ID = re.compile(r'[A-Za-z][\w\-:.]*\Z', re.ASCII)
#: A callback's URL name; no ``_`` first, so private names are not mounted.
CALLBACK_NAME = re.compile(r'[A-Za-z][\w\-.]*\Z', re.ASCII)
#: A prefix's value in a URL :meth:`MountedWidget.url` made, quoted.
MARK = re.compile(r'%00([0-9]+)%00')

_F = TypeVar('_F', bound=Callable[..., Any])


def always_allow(callback: Callable[..., Any], request: Request) -> Response:
    """Authorize every call (status 200)."""
    return Response(status=200)


def always_deny(callback: Callable[..., Any], request: Request) -> Response:
    """Refuse every call with a 403 (the default global handler)."""
    return HTTPForbidden()


class CallbackOptions(NamedTuple):
    """The validated options of one server-side callback; ``view_options``
    holds those for the derivers (checked when the app is made)."""

    request_method: tuple | None  # upper-case; None: any method
    permission: str | None
    require_csrf: bool | None  # False only when the callback opted out
    authorization: object  # a callable, a dotted name or None
    name: str | None  # the URL name; None: the method's name
    renderer: str | None  # a Pyramid renderer name; None: a response
    view_options: dict


def _invalid(option, expected, value):
    raise ConfigurationError(
        f'serverside_callback: {option} must {expected}, '
        f'got {safe_repr(value)}'
    )


def _methods(request_method):
    if request_method is None:
        return None
    methods = method_names(request_method)
    if methods is None:
        _invalid(
            'request_method',
            'be a method name (ASCII letters and hyphens) or a sequence of '
            'them',
            request_method,
        )
    if not methods:
        _invalid('request_method', 'name at least one method', request_method)
    return methods


@overload
def serverside_callback(func: _F, /) -> _F: ...


@overload
def serverside_callback(
    *,
    request_method: str | Names | set[str] | frozenset[str] | None = None,
    permission: str | None = None,
    require_csrf: bool | None = None,
    authorization: CallableOrName | None = None,
    name: str | None = None,
    renderer: str | None = None,
    validate: CallableOrName | None = None,
    error_handler: CallableOrName | None = None,
    controller_wrappers: CallableOrName
    | Sequence[CallableOrName]
    | None = None,
) -> Callable[[_F], _F]: ...


def serverside_callback(
    func: _F | None = None,
    *,
    request_method: str | Names | set[str] | frozenset[str] | None = None,
    permission: str | None = None,
    require_csrf: bool | None = None,
    authorization: CallableOrName | None = None,
    name: str | None = None,
    renderer: str | None = None,
    validate: CallableOrName | None = None,
    error_handler: CallableOrName | None = None,
    controller_wrappers: CallableOrName
    | Sequence[CallableOrName]
    | None = None,
) -> _F | Callable[[_F], _F]:
    """Mark an instance method ``callback(self, request) -> Response`` as
    a server-side callback, bare or with the options :doc:`widgets` lists;
    an override in a subclass must be marked again."""
    methods = _methods(request_method)
    if permission is not None and not isinstance(permission, str):
        _invalid('permission', 'be a string', permission)
    if require_csrf not in (None, True, False):
        _invalid('require_csrf', 'be True, False or None', require_csrf)
    if not (
        authorization is None
        or callable(authorization)
        or isinstance(authorization, str)
    ):
        _invalid(
            'authorization', 'be a callable or a dotted name', authorization
        )
    if name is not None:
        check_name('serverside_callback', name, 'name', CALLBACK_NAME)
    if renderer is not None and not (isinstance(renderer, str) and renderer):
        _invalid('renderer', 'be a renderer name', renderer)
    derivers = {
        'validate': validate,
        'error_handler': error_handler,
        'controller_wrappers': controller_wrappers,
    }
    view_options = {k: v for k, v in derivers.items() if v is not None}
    options = CallbackOptions(
        methods,
        permission,
        require_csrf,
        authorization,
        name,
        renderer,
        view_options,
    )

    def mark(function, depth=1):
        if not callable(function) or outside_class(function, depth):
            raise ConfigurationError(
                f'serverside_callback: {safe_repr(function)} is no instance '
                'method of a widget class (give options as keyword arguments)'
            )
        if callback_options(function) not in (None, options):  # dropped
            raise ConfigurationError(
                f'serverside_callback: {object_name(function)} is marked '
                'twice, with other options; a method is one callback, and '
                "the outer mark would replace the inner one's options: give "
                'one mark, and a second method (calling this one) for a '
                'second URL'
            )
        setattr(function, CALLBACK_MARKER, options)
        return function

    return mark if func is None else mark(func, 2)


def callback_options(func):
    """The :class:`CallbackOptions` of a marked function, or ``None``."""
    return getattr(func, '__dict__', {}).get(CALLBACK_MARKER)


class ServerSideCallbackMixin:
    """Mixin for widget classes whose methods are server-side callbacks: an
    ``id``, optionally a ``callback_authorization`` handler and
    ``children`` (:doc:`widgets`); one instance serves every request."""

    id: str | None = None
    callback_authorization: CallableOrName | None = None
    children: Sequence[object] = ()

    def __init__(
        self,
        *args: Any,
        id: str | None = None,
        callback_authorization: CallableOrName | None = None,
        **kw: Any,
    ) -> None:
        if (args or kw) and _next_init(type(self)) is object.__init__:
            # object.__init__'s own TypeError names neither class nor fix
            name = type(self).__qualname__
            given = ', '.join([*kw, *['positional'] * bool(args)])
            raise TypeError(
                f'{name}() got unexpected arguments ({given}): the '
                'ServerSideCallbackMixin constructor takes only id and '
                'callback_authorization; set the others as class '
                f'attributes, or take them in {name}.__init__ and pass '
                'id= and callback_authorization= on to super().__init__'
            )
        super().__init__(*args, **kw)
        if id is not None:
            self.id = id
        if callback_authorization is not None:
            self.callback_authorization = callback_authorization

    def url_for_callback(
        self, request: Request, callback: CallableOrName, /, **query: Any
    ) -> str:
        """The URL path of this widget's *callback* (a bound method or a
        callback name), *query* as query string."""
        if isinstance(callback, str):
            return _mounted(request, self).url(request, callback, query)
        return url_for_callback(request, callback, **query)


def _next_init(cls: type) -> Any:
    """The ``__init__`` that ``ServerSideCallbackMixin``'s calls."""
    mro = cls.__mro__
    after = mro[mro.index(ServerSideCallbackMixin) + 1 :]
    return next(vars(c)['__init__'] for c in after if '__init__' in vars(c))


def url_for_callback(
    request: Request, callback: CallableOrName, /, **query: Any
) -> str:
    """The URL path of *callback* (a mounted widget's bound method or
    ``'<widget id>/<callback name>'``) with *query*; a callback not mounted
    is a :exc:`ValueError`."""
    registry = getattr(request, 'registry', None)
    if registry is None:
        raise ValueError(
            'url_for_callback needs the current request of the application '
            f'(got {safe_repr(request)})'
        )
    if isinstance(callback, str):
        widget_id, _, name = callback.partition('/')
        widgets = _mounted_widgets(registry).widgets
        mounted = widgets.get(widget_id)
        if mounted is None:
            form = ": write 'widget id/callback name'"
            form = did_you_mean(widget_id, widgets, '; ') if name else form
            raise ValueError(
                f'url_for_callback: no widget {widget_id!r} is mounted in '
                f'this application (config.add_widget){form}'
            )
        return mounted.url(request, name, query)
    widget = getattr(callback, '__self__', None)
    func = getattr(callback, '__func__', None)
    if widget is None or func is None:
        raise ValueError(
            f'url_for_callback: {safe_repr(callback)} is not a bound '
            "callback; pass widget.method or 'widget id/callback name'"
        )
    mounted = _mounted(request, widget)
    name = mounted.names.get(func)
    if name is None:
        raise ValueError(
            f'url_for_callback: {object_name(func)} is not a server-side '
            f'callback of widget {mounted.id!r}'
        )
    return mounted.url(request, name, query)


def _mounted_widgets(registry):
    """The widgets mounted in the application of *registry*."""
    widgets = registry.queryUtility(IWidgetRegistry)
    return WidgetRegistry() if widgets is None else widgets


def _mounted(request, widget):
    widgets = _mounted_widgets(request.registry)
    mounted = widgets.by_instance.get(id(widget))
    if mounted is None:
        widget_id = getattr(widget, 'id', None)
        what = f'{object_name(type(widget))} {widget_id!r}'
        if isinstance(widget_id, str) and widget_id in widgets.widgets:
            # tw2 made a widget per request (cls.req()); here one serves all
            raise ValueError(
                f'url_for_callback: this {what} is not mounted in this '
                'application: another instance is, with that id (one '
                'instance serves every request); use the instance given '
                f"to config.add_widget, or '{widget_id}/<callback name>'"
            )
        raise ValueError(
            f'url_for_callback: widget {what} is not mounted in this '
            'application (config.add_widget)'
        )
    return mounted


class MountedCallback:
    """One callback of one mounted widget (attributes: ``docs/widgets.rst``);
    ``authorization`` is ``None`` for the global one until the commit."""

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
    """One widget mounted in an application (attributes: ``docs/widgets.rst``);
    ``names`` maps each callback's function to its URL name."""

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
                f'callback {name!r}{did_you_mean(name, self.callbacks, "; ")}'
            )
        # a route prefix's placeholders take the request's matched values,
        # quoted here (Pyramid caches each value it quotes for good)
        values = {'widget': self.id, 'callback': name}
        match = request.matchdict or {}
        taken = []
        while True:
            try:
                path = request.route_path(
                    self.route_name, _query=query, **values
                )
                path, mark, rest = path.partition('?')
                return MARK.sub(lambda m: taken[int(m[1])], path) + mark + rest
            except KeyError as e:  # a placeholder of the prefix
                key = e.args[0]  # never _query, _app_url, ...: a URL option
                if key in values or key not in match or key[:1] == '_':
                    raise ValueError(
                        f'url_for_callback: the URL of widget {self.id!r} '
                        f'({self.path}) needs a value for {key!r}, which the '
                        "current request's route did not match: ask for it "
                        'from a request whose route has it'
                    ) from None
                values[key] = f'\x00{len(taken)}\x00'
                taken.append(quote_route_value(match[key]))

    def __repr__(self):
        return f'<MountedWidget {self.id!r} at {self.path}>'


class WidgetRegistry:
    """The widgets of one application; ``routes`` maps a widgets route's
    name to its table, ``{(widget id, callback name): MountedCallback}``."""

    def __init__(self):
        self.widgets = {}
        self.routes = {}
        self.authorization = None
        self.by_instance = {}


def get_widget_registry(registry):
    """The application's :class:`WidgetRegistry`, created on first use."""
    return registry_utility(registry, IWidgetRegistry, WidgetRegistry)


def global_authorization(registry):
    """``set_callback_authorization``'s handler, else the
    ``hooks.widgets.authorization`` setting's, else :func:`always_deny`."""
    utility = registry.queryUtility(IWidgetRegistry)
    handler = None if utility is None else utility.authorization
    settings = get_hooks_settings(registry)
    return handler or settings.widgets_authorization or always_deny


def includeme(config):
    """Add the core and the widgets' directives (:mod:`.config`)."""
    config.include('pyramid_hooks.widgets.config')
