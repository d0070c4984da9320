"""The ``config.add_widget`` and ``config.set_callback_authorization``
directives.

``add_widget`` validates the widget at once (its id, its callbacks, their
names and authorization handlers) and adds each callback as an ordinary
Pyramid view (``config.add_view`` with ``route_name=``, ``context=`` the
callback's own :class:`~pyramid_hooks.widget_views.CallbackContext` class,
``request_method=``, ``permission=``, ``require_csrf=``, ``decorator=``
the authorization handler and ``mapper=`` the response check).  The first
widget of a route prefix adds that prefix's route,
``<hooks.widgets.prefix>/{widget}/{callback}`` with the
:class:`~pyramid_hooks.widget_views.CallbackFactory` that finds the callback,
and its 405 exception view: an application without widgets has neither.
These are ordinary actions of the commit, so Pyramid's conflict detection
applies to them (a hand-written route of the same name is a conflict).

The widget itself is one action, discriminated by the widget id (two
widgets with one id are a conflict; Pyramid's include-path override lets
the including configuration win), that enters its callbacks into the
route's table; the views of a widget that lost an override stay
registered for context classes nothing looks up, so they never answer.
"""

import inspect
import types

from pyramid.config import PHASE2_CONFIG
from pyramid.exceptions import ConfigurationError, PredicateMismatch

from pyramid_hooks.config import (
    CATEGORY_WIDGETS,
    describe_info,
    ensure_not_frozen,
    get_hooks_settings,
    maybe_dotted,
    object_name,
)
from pyramid_hooks.widget_views import (
    CallbackContext,
    CallbackFactory,
    authorization_decorator,
    global_authorization,
    method_not_allowed,
    response_mapper,
)
from pyramid_hooks.widgets import (
    CALLBACK_NAME,
    ID_SEPARATOR,
    WIDGET_ID,
    MountedCallback,
    MountedWidget,
    callback_options,
    get_widget_registry,
)

#: ``set_callback_authorization`` takes effect before the callbacks' views
#: are derived (Pyramid derives views at the default order).
ORDER_AUTHORIZATION = PHASE2_CONFIG
#: The name of the widgets route of the root route prefix; under a route
#: prefix ``/sub`` it is ``pyramid_hooks.widgets:sub``.
ROUTE_NAME = 'pyramid_hooks.widgets'


class _Node:
    """One widget of an ``add_widget`` call (the widget or a child)."""

    def __init__(self, widget_id, widget, authorization, callbacks):
        self.id = widget_id
        self.widget = widget
        self.authorization = authorization
        #: URL name -> (method name, function, CallbackOptions, handler)
        self.callbacks = callbacks


def _fail(what, message):
    raise ConfigurationError(f'{what}: {message}')


def _handler(config, what, value):
    """Resolve a handler given as a callable or a dotted name."""
    handler = maybe_dotted(config, value, what)
    if not callable(handler):
        _fail(
            what,
            f'the authorization handler {value!r} is not callable; it is '
            'called as handler(callback, request)',
        )
    try:
        inspect.signature(handler).bind(None, None)
    except TypeError:
        _fail(
            what,
            f'the authorization handler {object_name(handler)} cannot be '
            'called as handler(callback, request)',
        )
    except ValueError:  # pragma: no cover - builtins without a signature
        pass
    return handler


def _takes(func, count):
    try:
        inspect.signature(func).bind(*range(count))
    except TypeError:
        return False
    return True


def _defined_in_class(function, widget):
    owner = function.__qualname__.rpartition('.')[0]
    return any(klass.__qualname__ == owner for klass in type(widget).__mro__)


def widget_authorization(config, what, widget):
    """The widget's own handler: an instance attribute (the constructor
    argument), a method ``callback_authorization(self, callback, request)``
    or a class attribute.  A plain function assigned in a class body
    (``callback_authorization = always_allow``) would become a method; it
    is used unbound, so it is called as ``handler(callback, request)``
    (ToscaWidgets raised a ``TypeError`` there).  The signature tells the
    two apart; when both fit (defaults, ``*args``), a function defined in
    the widget's class body is a method."""
    raw = inspect.getattr_static(widget, 'callback_authorization', None)
    if raw is None:
        return None
    instance_dict = getattr(widget, '__dict__', {})
    if isinstance(raw, types.FunctionType) and (
        instance_dict.get('callback_authorization') is not raw
    ):
        plain, method = _takes(raw, 2), _takes(raw, 3)
        if method and (not plain or _defined_in_class(raw, widget)):
            return raw.__get__(widget, type(widget))
        if plain:
            return raw
        _fail(
            what,
            f'callback_authorization {object_name(raw)} must accept '
            '(callback, request), or (self, callback, request) as a method',
        )
    if isinstance(raw, str):
        return _handler(config, what, raw)
    return _handler(config, what, widget.callback_authorization)


def collect_callbacks(config, what, widget):
    """The callbacks of *widget*'s class and its bases, the most derived
    definition of each name winning (an override that is not marked again
    is not a callback): URL name -> (method name, function, options,
    handler or ``None``)."""
    seen = set()
    callbacks = {}
    for klass in type(widget).__mro__:
        for attr, value in vars(klass).items():
            if attr in seen:
                continue
            seen.add(attr)
            function = getattr(value, '__func__', value)
            options = callback_options(function)
            if options is None:
                continue
            if not isinstance(value, types.FunctionType):
                _fail(
                    what,
                    f'{klass.__qualname__}.{attr} must be an instance '
                    f'method to be a server-side callback, got {value!r}',
                )
            name = options.name or attr
            if not CALLBACK_NAME.match(name):
                _fail(
                    what,
                    f'{klass.__qualname__}.{attr}: the callback name '
                    f'{name!r} cannot be a URL name (it must match '
                    f'{CALLBACK_NAME.pattern!r}); give '
                    "serverside_callback(name='...')",
                )
            if not _takes(value, 2):
                _fail(
                    what,
                    f'{klass.__qualname__}.{attr} cannot be called as '
                    'callback(self, request)',
                )
            if name in callbacks:
                _fail(
                    what,
                    f'two callbacks are named {name!r} '
                    f'({callbacks[name][0]} and {attr})',
                )
            handler = None
            if options.authorization is not None:
                handler = _handler(
                    config, f'{what}: callback {name!r}', options.authorization
                )
            callbacks[name] = (attr, value, options, handler)
    return callbacks


def collect_nodes(config, what, widget, parent_id=None, seen=None):
    """The widget and its ``children`` (recursively) that have callbacks,
    as :class:`_Node` objects with compound ids."""
    if seen is None:
        seen = set()
    if inspect.isclass(widget):
        _fail(
            what,
            f'{object_name(widget)} is a class; add a widget instance '
            '(each instance has its own id)',
        )
    if id(widget) in seen:
        _fail(what, f'{widget!r} is its own descendant')
    seen.add(id(widget))
    own_id = getattr(widget, 'id', None)
    callbacks = collect_callbacks(config, what, widget)
    nodes = []
    if own_id is None:
        if callbacks or parent_id is None:
            _fail(what, f'the widget {widget!r} has no id')
        widget_id = parent_id  # a container without an id is transparent
    else:
        if not isinstance(own_id, str) or not WIDGET_ID.match(own_id):
            _fail(
                what,
                f'invalid widget id {own_id!r} of {widget!r} (it must '
                f'match {WIDGET_ID.pattern!r})',
            )
        widget_id = own_id
        if parent_id is not None:
            widget_id = f'{parent_id}{ID_SEPARATOR}{own_id}'
    if callbacks:
        nodes.append(
            _Node(
                widget_id,
                widget,
                widget_authorization(config, what, widget),
                callbacks,
            )
        )
    for child in getattr(widget, 'children', None) or ():
        nodes.extend(collect_nodes(config, what, child, widget_id, seen))
    return nodes


def mount_route(config):
    """The route name and mount path for *config*'s route prefix; the
    route and its 405 exception view are added with the first widget that
    needs them."""
    prefix = get_hooks_settings(config.registry).widgets_prefix
    route_prefix = (config.route_prefix or '').strip('/')
    route_name, mount_path = ROUTE_NAME, prefix
    if route_prefix:
        route_name = f'{ROUTE_NAME}:{route_prefix}'
        mount_path = f'/{route_prefix}{prefix}'
    widgets = get_widget_registry(config.registry)
    if route_name not in widgets.routes:
        table = widgets.routes[route_name] = {}
        config.add_route(
            route_name,
            prefix + '/{widget}/{callback}',
            factory=CallbackFactory(table),
        )
        config.add_exception_view(
            method_not_allowed,
            context=PredicateMismatch,
            route_name=route_name,
            containment=CallbackContext,
        )
    return route_name, mount_path


def _mounted(node, route_name, mount_path):
    """The :class:`MountedWidget` of *node*, with its callbacks."""
    path = f'{mount_path}/{node.id}'
    mounted = MountedWidget(
        node.id, node.widget, route_name, path, node.authorization
    )
    for name, (attr, function, options, handler) in node.callbacks.items():
        callback = types.MethodType(function, node.widget)
        entry = MountedCallback(
            node.id, name, attr, callback, options, f'{path}/{name}'
        )
        # the class its view is registered for: one per callback
        entry.context = type(
            f'CallbackContext[{node.id}/{name}]',
            (CallbackContext,),
            {
                '__slots__': (),
                '__module__': CallbackContext.__module__,
                'mounted': entry,
            },
        )
        if handler is not None:
            entry.authorization = handler
            entry.authorization_source = 'callback'
        elif node.authorization is not None:
            entry.authorization = node.authorization
            entry.authorization_source = 'widget'
        else:  # known when the configuration is committed
            entry.authorization_source = 'global'
        mounted.callbacks[name] = entry
        mounted.names[function] = name
    return mounted


def add_callback_view(config, entry, route_name):
    """Add the callback *entry* as a view: ``request_method=``,
    ``permission=`` (the app's default permission applies when not given)
    and CSRF (on unless ``require_csrf=False``) are Pyramid's; the
    authorization handler is the view's ``decorator=`` (under the
    permission and CSRF checks, over the ``pyramid_hooks`` derivers: hooks
    scoped with ``view=Widget.method``, ``view=WidgetClass`` (the view is
    the widget's bound method) or ``route_name=`` the widgets route;
    validation; controller wrappers);
    the ``mapper=`` refuses anything but a response."""
    options = entry.options
    config.add_view(
        entry.callback,
        route_name=route_name,
        context=entry.context,
        request_method=options.request_method,
        permission=options.permission,
        require_csrf=options.require_csrf is not False,
        decorator=authorization_decorator(entry, config.registry),
        mapper=response_mapper(entry),
        **options.view_options,
    )


def _mount(registry, mounted_widgets, intrs, info):
    """Enter the callbacks of the widget that won its id into the route's
    table (the route factory's lookup) and into the registry."""
    widgets = get_widget_registry(registry)
    global_handler = global_authorization(registry)
    for mounted, intr in zip(mounted_widgets, intrs, strict=True):
        for other in (
            widgets.widgets.get(mounted.id),
            widgets.by_instance.get(id(mounted.widget)),
        ):
            if other is not None:
                raise ConfigurationError(
                    f'add_widget at {describe_info(info)}: '
                    f'{mounted.widget!r} as {mounted.id!r} clashes with the '
                    f'widget {other.id!r} already mounted (ids and instances '
                    'are mounted once)'
                )
        table = widgets.routes[mounted.route_name]
        shown = {}
        for name, entry in mounted.callbacks.items():
            if entry.authorization is None:
                entry.authorization = global_handler
            table[(mounted.id, name)] = entry
            shown[name] = dict(
                entry.options.as_dict(),
                path=entry.path,
                authorization=object_name(entry.authorization),
                authorization_source=entry.authorization_source,
            )
        widgets.widgets[mounted.id] = mounted
        widgets.by_instance[id(mounted.widget)] = mounted
        intr['callbacks'] = shown


def add_widget(config, widget):
    """Mount the server-side callbacks of *widget* (an instance, or a
    dotted name of one), inherited callbacks included, and those of its
    ``children`` under compound ids ``<id>:<child id>``.

    The URLs are ``<route prefix><hooks.widgets.prefix>/<id>/<name>``;
    each callback is a Pyramid view of the widgets route.  A widget
    without an id or with an invalid one, a callback name that cannot be a
    URL segment, or an authorization handler that is not callable is a
    :class:`~pyramid.exceptions.ConfigurationError`; two widgets with one
    id are a configuration conflict.
    """
    widget = maybe_dotted(
        config, widget, f'add_widget at {describe_info(config.action_info)}'
    )
    what = f'add_widget {widget!r} at {describe_info(config.action_info)}'
    ensure_not_frozen(config, what)
    nodes = collect_nodes(config, what, widget)
    if not nodes:
        _fail(
            what,
            'the widget and its children have no server-side callbacks '
            '(methods marked with @serverside_callback)',
        )
    route_name, mount_path = mount_route(config)
    mounted_widgets, intrs = [], []
    for node in nodes:
        mounted = _mounted(node, route_name, mount_path)
        for entry in mounted.callbacks.values():
            add_callback_view(config, entry, route_name)
        intr = config.introspectable(
            CATEGORY_WIDGETS, node.id, node.id, 'widget'
        )
        intr.update(
            id=node.id,
            widget=node.widget,
            widget_class=object_name(type(node.widget)),
            callbacks={
                name: options.as_dict()
                for name, (_, _, options, _) in node.callbacks.items()
            },
            widget_authorization=(
                None
                if node.authorization is None
                else object_name(node.authorization)
            ),
            route_name=route_name,
            pattern=f'{mount_path}/{{widget}}/{{callback}}',
            path=mounted.path,
        )
        mounted_widgets.append(mounted)
        intrs.append(intr)
    config.action(
        ('pyramid_hooks widget', widget.id),
        _mount,
        args=(config.registry, mounted_widgets, intrs, config.action_info),
        introspectables=tuple(intrs),
    )


def set_callback_authorization(config, handler):
    """Set the global authorization handler of widget callbacks (a
    callable or dotted name), over the ``hooks.widgets.authorization``
    setting.  It applies to callbacks that have no handler of their own
    and whose widget has none.  Calling it twice in one configuration is a
    conflict; an including configuration overrides an included one.
    """
    what = f'set_callback_authorization at {describe_info(config.action_info)}'
    resolved = _handler(config, what, handler)
    ensure_not_frozen(config, what)
    intr = config.introspectable(
        CATEGORY_WIDGETS,
        'global callback authorization',
        object_name(resolved),
        'callback authorization',
    )
    intr['authorization'] = resolved

    def register():
        get_widget_registry(config.registry).authorization = resolved

    config.action(
        ('pyramid_hooks callback authorization',),
        register,
        introspectables=(intr,),
        order=ORDER_AUTHORIZATION,
    )


def includeme(config):
    """Add ``config.add_widget`` and ``config.set_callback_authorization``."""
    config.add_directive('add_widget', add_widget)
    config.add_directive(
        'set_callback_authorization', set_callback_authorization
    )
