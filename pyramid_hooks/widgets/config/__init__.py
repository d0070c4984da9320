"""The ``config.add_widget`` and ``config.set_callback_authorization``
directives, as ordinary actions (conflicts and overrides apply)."""

import inspect
import sys
import types
from functools import partial
from typing import Any

from pyramid.config import PHASE2_CONFIG, PHASE3_CONFIG, Configurator
from pyramid.exceptions import ConfigurationError, PredicateMismatch

from pyramid_hooks.config import (
    CATEGORY_WIDGETS,
    ORDER_CALLS_MADE,
    directive_action,
    ensure_not_frozen,
    missing_renderer,
)
from pyramid_hooks.error_handlers import method_name
from pyramid_hooks.shared import (
    MARK,
    CallableOrName,
    describe_info,
    did_you_mean,
    get_hooks_settings,
    object_name,
    resolve,
    safe_repr,
)
from pyramid_hooks.widgets import (
    MountedCallback,
    MountedWidget,
    callback_options,
    get_widget_registry,
    global_authorization,
)
from pyramid_hooks.widgets.config.collect import (
    authorization_handler,
    collect_widgets,
)
from pyramid_hooks.widgets.views import (
    CallbackContext,
    CallbackFactory,
    CallbackParams,
    authorization_decorator,
    method_not_allowed,
    response_mapper,
)
from pyramid_hooks.workarounds import (
    adapts,
    matched_routes,
    renderer_helper,
    with_action_info,
)

#: The name of the widgets route of the root route prefix.
ROUTE_NAME = 'pyramid_hooks.widgets'


def renderer(config, function, name):
    """A callback's ``renderer=``, relative to the callback's module."""
    if name is None:
        return None
    package = sys.modules.get(function.__module__, config.package)
    return renderer_helper(name, package, config.registry)


def check_renderer(registry, entry, info):
    """Refuse at startup a callback whose renderer has no factory."""
    name = entry.options.renderer
    if name is None:
        return
    problem = missing_renderer(registry, name)
    if problem is not None:
        raise ConfigurationError(
            f'add_widget at {describe_info(info)}: the callback '
            f'{entry.name!r} of widget {entry.widget_id!r} has {problem}'
        )


#: the methods Pyramid checks no CSRF token for (its default)
SAFE = frozenset(('GET', 'HEAD', 'OPTIONS', 'TRACE'))


def more_checks(handler, failing):
    """The options by which a callback *handler* ``(options, authorization)``,
    the ``error_handler=`` of the callback *failing*, checks more than it
    (permission, authorization, CSRF, a validator), or ``''``."""
    (mine, authorization), (theirs, their_authorization) = handler, failing
    if mine.view_options.get('validate') is not None:
        return 'its own validate='
    if (mine.permission, authorization) != (
        theirs.permission,
        their_authorization,
    ):
        return 'other permission= or authorization='

    def checked(o):  # a token on each request it serves
        methods = set(o.request_method or SAFE)
        return o.require_csrf is not False and not methods & SAFE

    safe_only = not set(mine.request_method or ('POST',)) - SAFE
    token = mine.require_csrf is not False and theirs.require_csrf is False
    if (token and not safe_only) or (checked(mine) and not checked(theirs)):
        return 'other request_method= or require_csrf='
    return ''


def widget_method(widget, option, value, where):
    """The method of *widget* that the callback's *option* names."""
    method = method_name(type(widget), value)
    bound = getattr(widget, method, None)
    if not callable(bound):
        raise ConfigurationError(
            f'add_widget: {option}={safe_repr(value)} of the callback '
            f'{where}: {object_name(type(widget))} has no method {method!r}'
            f'{did_you_mean(method, dir(widget), "; ")}'
        )
    return bound


def mount(config, route_name, mount_path, node):
    """The :class:`MountedWidget` of *node*, its views added."""
    widget_id, widget, authorization, callbacks = node
    path = f'{mount_path}/{widget_id}'
    mounted = MountedWidget(widget_id, widget, route_name, path, authorization)
    for name, (attr, function, options, handler) in callbacks.items():
        callback = types.MethodType(function, widget)
        entry = MountedCallback(
            widget_id, name, attr, callback, options, f'{path}/{name}'
        )
        entry.context = CallbackContext.of(entry)
        if handler is not None:
            entry.authorization = handler
            entry.authorization_source = 'callback'
        elif authorization is not None:
            entry.authorization = authorization
            entry.authorization_source = 'widget'
        else:  # the global handler is known at commit
            entry.authorization_source = 'global'
        mounted.callbacks[name] = entry
        mounted.names[function] = name
        view_options = options.view_options
        where = f'{name!r} of widget {widget_id!r}'
        validate = view_options.get('validate')
        if isinstance(validate, str) and validate.isidentifier():
            # by name only: a function from the class body is called plain
            bound = widget_method(widget, 'validate', validate, where)
            view_options = {**view_options, 'validate': bound}
        handler = view_options.get('error_handler')
        method = handler is not None and method_name(type(widget), handler)
        if method:  # a method of the widget, as of a view's class
            bound = widget_method(widget, 'error_handler', handler, where)
            view_options = {**view_options, 'error_handler': bound}
            for attr_, _, other, own in callbacks.values():
                # itself: TurboGears' default error handler
                more = attr_ == method != callbacks[name][0] and more_checks(
                    (other, own), (options, callbacks[name][3])
                )
                if more:  # it would run past them, as a controller's
                    raise ConfigurationError(
                        f'add_widget: error_handler={method!r} of the '
                        f'callback {name!r} of widget {widget_id!r} is a '
                        f'callback with {more}, run for the requests of '
                        f'{name!r} without its own checks; give both the '
                        'same (and it no validate=), or name a method that '
                        'is no callback'
                    )
        elif callback_options(getattr(handler, '__func__', None)):
            raise ConfigurationError(  # its checks are not this widget's
                f'add_widget: error_handler={safe_repr(handler)} of the '
                f'callback {name!r} of widget {widget_id!r} is a callback '
                "of another widget, run past that callback's own checks: "
                'name a method of this widget, or give a function'
            )
        config.add_view(
            callback,
            route_name=route_name,
            context=entry.context,
            request_method=options.request_method,
            permission=options.permission,
            require_csrf=options.require_csrf is not False,
            decorator=authorization_decorator(entry, config.registry),
            mapper=response_mapper(entry),
            renderer=renderer(config, function, options.renderer),
            params_class=CallbackParams,
            **view_options,
        )
    intr = config.introspectable(
        CATEGORY_WIDGETS, widget_id, widget_id, 'widget'
    )
    intr.update(
        id=widget_id,
        widget=widget,
        widget_class=object_name(type(widget)),
        widget_authorization=(
            None if authorization is None else object_name(authorization)
        ),
        route_name=route_name,
        pattern=f'{mount_path}/{{widget}}/{{callback}}',
        path=path,
    )
    return mounted, intr


def register_widget(registry, mounted_widgets, info):
    """The action of the widget that won its id: its callbacks entered."""
    widgets = get_widget_registry(registry)
    global_handler = global_authorization(registry)
    for mounted, intr in mounted_widgets:
        other = widgets.widgets.get(mounted.id)
        if other is None:
            other = widgets.by_instance.get(id(mounted.widget))
        if other is not None:
            raise ConfigurationError(
                f'add_widget at {describe_info(info)}: '
                f'{safe_repr(mounted.widget)} '
                f'as {mounted.id!r} clashes with the widget {other.id!r} '
                'already mounted (ids and instances are mounted once)'
            )
        table = widgets.routes[mounted.route_name]
        shown = {}
        for name, entry in mounted.callbacks.items():
            check_renderer(registry, entry, info)
            if entry.authorization is None:
                entry.authorization = global_handler
            table[(mounted.id, name)] = entry
            shown[name] = dict(
                entry.options._asdict(),
                path=entry.path,
                authorization=object_name(entry.authorization),
                authorization_source=entry.authorization_source,
            )
        widgets.widgets[mounted.id] = mounted
        widgets.by_instance[id(mounted.widget)] = mounted
        intr['callbacks'] = shown


def add_widgets_route(config, route_prefix, route_name, prefix, info):
    """Add the widgets route *route_name* and its 405 exception view."""
    routes = get_widget_registry(config.registry).routes
    if route_name in routes:
        return
    table = routes[route_name] = {}
    config = with_action_info(config, info)  # a copy: the call's prefix
    config.route_prefix = route_prefix
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


def add_widget(config: Configurator, widget: Any) -> None:
    """Mount the server-side callbacks of *widget* (an instance or a
    dotted name) and of its ``children``, each a view of the widgets route."""
    info = config.action_info
    where = f'at {describe_info(info)}'
    widget = resolve(widget, f'add_widget {where}', config.package)
    what = f'add_widget {safe_repr(widget)} {where}'
    ensure_not_frozen(config, what)  # before its views are added
    nodes = collect_widgets(config, what, widget, None, set())
    if not nodes:
        raise ConfigurationError(
            f'{what}: the widget and its children have no server-side '
            'callbacks (methods marked with @serverside_callback)'
        )
    prefix = get_hooks_settings(config.registry).widgets_prefix
    route_prefix = (config.route_prefix or '').strip('/')
    route_name, mount_path = ROUTE_NAME, prefix
    if route_prefix:
        route_name = f'{ROUTE_NAME}:{route_prefix}'
        mount_path = f'/{route_prefix}{prefix}'
    config.action(
        None,
        add_widgets_route,
        args=(config, config.route_prefix, route_name, prefix, info),
        order=ORDER_CALLS_MADE,  # it adds actions, see there
        **MARK,
    )
    mounted = [mount(config, route_name, mount_path, node) for node in nodes]
    directive_action(
        config,
        what,
        ('pyramid_hooks widget', widget.id),
        partial(register_widget, config.registry, mounted, info),
        introspectables=tuple(intr for _, intr in mounted),
    )
    config.action(  # once every route of the commit is connected
        None,
        refuse_unreachable_callbacks,
        args=(config.registry, route_name, mounted, what),
        order=PHASE3_CONFIG + 1,
        **MARK,
    )


def refuse_unreachable_callbacks(registry, route_name, mounted, what):
    """Refuse a route matched before the widgets route *route_name* that
    matches a callback URL of *mounted*: the callback is never reached;
    and a callback yielding without a renderer, once every response
    adapter is added (one for generators serves it)."""
    entries = [e for m, _ in mounted for e in m.callbacks.values()]
    adapter = adapts(registry, types.GeneratorType)
    for e in entries:
        yields = inspect.isgeneratorfunction(e.callback)
        if yields and e.options.renderer is None and not adapter:
            raise ConfigurationError(
                f'{what}: {object_name(e.callback)} (the callback {e.name!r})'
                ' yields, and a generator is no response: return Response('
                "app_iter=...), give renderer='...', or add a response "
                'adapter for generators'
            )
    routes = matched_routes(registry)
    names = [route.name for route in routes]
    paths = [e.path for e in entries]
    for route in routes[: names.index(route_name)]:
        path = next((p for p in paths if route.match(p) is not None), None)
        if path is not None and not route.predicates:
            raise ConfigurationError(
                f'{what}: the route {route.name!r} ({route.pattern}) is '
                f'matched before the widgets route and matches {path}, so '
                'that callback is never called: add the route in a later '
                'commit (config.commit() after add_widget), or give it a '
                'pattern that leaves the widgets prefix out'
            )


def refuse_late_authorization(widgets, what):
    """Refuse a global handler set (*what*) once callbacks use the old."""
    mounted = {
        entry.path: entry.authorization
        for widget in widgets.widgets.values()
        for entry in widget.callbacks.values()
        if entry.authorization_source == 'global'
    }
    if not mounted:
        return
    shown = ', '.join(list(mounted)[:5])
    if len(mounted) > 5:
        shown += f' and {len(mounted) - 5} more'
    kept = ', '.join(dict.fromkeys(map(object_name, mounted.values())))
    raise ConfigurationError(
        f'{what} comes after widget callbacks that use the global handler '
        f'were mounted ({shown}): they keep {kept}, and this handler would '
        'never decide for them. Call '
        'set_callback_authorization before config.add_widget, or use a '
        'committing Configurator (autocommit=False, the default) without '
        'a config.commit() between them'
    )


def set_callback_authorization(
    config: Configurator, handler: CallableOrName
) -> None:
    """Set the global authorization handler of widget callbacks, over the
    ``hooks.widgets.authorization`` setting (``docs/directives.rst``)."""
    what = f'set_callback_authorization at {describe_info(config.action_info)}'
    resolved = authorization_handler(handler, what, config.package)
    intr = config.introspectable(
        CATEGORY_WIDGETS,
        'global callback authorization',
        object_name(resolved),
        'callback authorization',
    )
    intr['authorization'] = resolved

    def register():
        widgets = get_widget_registry(config.registry)
        refuse_late_authorization(widgets, what)
        widgets.authorization = resolved

    directive_action(
        config,
        what,
        ('pyramid_hooks callback authorization',),
        register,
        PHASE2_CONFIG,  # before the views are derived (order 0)
        (intr,),
    )


def includeme(config):
    """Add the core and the directives."""
    config.include('pyramid_hooks.config.core')
    for directive in (add_widget, set_callback_authorization):
        config.add_directive(directive.__name__, directive)
