"""What ``phooks`` reports: :func:`collect` asks the registry utilities, with
the functions the view derivers use, so it cannot drift from what runs."""

import os
from types import SimpleNamespace

from pyramid.settings import aslist

from pyramid_hooks.hook_specs import (
    BUILTIN_HOOKS,
    DEFAULT_NAMESPACE,
    PIPELINE_HOOKS,
)
from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.interfaces import (
    CATEGORY_CONTROLLER_WRAPPERS,
    IApplicationWrappers,
    IControllerRegistry,
    IControllerWrappers,
    IWidgetRegistry,
)
from pyramid_hooks.pipeline import own_validator
from pyramid_hooks.scopes import key_route, view_scope
from pyramid_hooks.shared import (
    closest,
    describe_info,
    get_hooks_settings,
    object_name,
)
from pyramid_hooks.widgets import global_authorization
from pyramid_hooks.workarounds import (
    implicit_tween_names,
    views_without_introspection,
)
from pyramid_hooks.wrapper_chains import given_wrappers
from pyramid_hooks.wrappers import TWEEN_NAME

#: Version of the JSON document; bumped on any incompatible change.
FORMAT_VERSION = 1


def name_of(obj):
    """A dotted name for a callable or class, the class for an instance;
    a (dotted-name) string or ``None`` as is."""
    if obj is None or isinstance(obj, str):
        return obj
    if getattr(obj, '__qualname__', getattr(obj, '__name__', None)) is None:
        return f'{object_name(type(obj))} instance'
    return object_name(obj)


def shown_where(where):
    """*where* relative to the working directory, as the text shows it."""
    return where and where.removeprefix(os.getcwd() + os.sep)


def _location(info):
    return None if info is None else describe_info(info)


def _scoped(what, obj, key, registered_at):
    """The entry of a listener or controller wrapper (*what*) *obj*."""
    if key is None:
        scope, target = 'app', None
    elif key_route(key) is not None:
        scope, target = 'route', key_route(key)
    else:
        scope, target = 'view', name_of(key)
    entry = {what: name_of(obj)}
    return dict(entry, scope=scope, target=target, registered_at=registered_at)


def _listener(reg):
    return _scoped('listener', reg.listener, reg.key, _location(reg.info))


class Pipeline:
    """What the view derivers compose for a view, asked of their functions."""

    def __init__(self, registry, hooks, introspector):
        self.registry = registry
        self.wrappers = registry.queryUtility(IControllerWrappers)
        self.hooks = hooks.default
        found = introspector and introspector.get_category(
            CATEGORY_CONTROLLER_WRAPPERS, ()
        )
        self.wrapper_infos = {
            intr.discriminator: describe_info(intr.action_info)
            for intr in (entry['introspectable'] for entry in found or ())
        }

    def describe(self, view, options):
        """``validate``, ``error_handler``, ``controller_wrappers``
        (outermost first) and the pipeline ``hooks`` of a view."""
        info = SimpleNamespace(original_view=view, options=options)
        info.exception_only = options.get('exception_only', False)
        keys, app_wide = view_scope(info)
        wrappers = self.wrappers
        found = () if wrappers is None else wrappers.for_keys(keys, app_wide)
        chain = []
        for wrapper, _, key in found:
            discriminator = ('pyramid_hooks controller wrapper', key, wrapper)
            where = self.wrapper_infos.get(discriminator)
            chain.append(_scoped('wrapper', wrapper, key, where))
        for wrapper in given_wrappers(options):
            option = _scoped('wrapper', wrapper, None, None)
            chain.append(dict(option, scope='option'))
        found = self.hooks.registrations_for
        return {
            'exception_view': not app_wide,
            'validate': name_of(own_validator(self.registry, options)),
            'error_handler': name_of(options.get('error_handler')),
            'controller_wrappers': chain[::-1],
            'hooks': {
                hook: [_listener(r) for r in found(hook, keys, app_wide)]
                for hook in PIPELINE_HOOKS
            },
        }


def _views(registry, pipeline, introspector):
    utility = registry.queryUtility(IControllerRegistry)
    controller_routes = {} if utility is None else utility.routes
    if introspector is None:
        found = views_without_introspection(registry)
    else:
        entries = introspector.get_category('views', ())
        found = [dict(entry['introspectable']) for entry in entries]
    views = []
    for options in found:
        view = options['callable']
        name = name_of(view)
        route = controller_routes.get(options.get('route_name'))
        if route is not None:
            # the view is a closure made for the handler: name the handler
            name = f'{route.controller}.{route.method}'
            options.setdefault('hook_scope', route.endpoint.scope_keys)
        methods = options.get('request_methods')
        if isinstance(methods, str):
            methods = [methods]
        entry = {
            'view': name,
            'attr': options.get('attr'),
            'route_name': options.get('route_name'),
            'name': options.get('name') or '',
            'context': name_of(options.get('context')),
            'request_methods': methods and sorted(methods),
        }
        views.append(dict(entry, **pipeline.describe(view, options)))
    order = ('route_name', 'name', 'context', 'view', 'attr')
    views.sort(key=lambda v: [v[key] or '' for key in order])
    return views


def _hook(namespace, name, registrations):
    spec = namespace.specs.get(name)
    builtin = namespace.name == DEFAULT_NAMESPACE and name in BUILTIN_HOOKS
    declared = spec is not None
    info = spec.info if declared and not builtin else None
    hook = {'name': name, 'declared': declared}
    hook['builtin'] = declared and builtin
    for key in ('args', 'value', 'scope', 'trap_exceptions'):  # or None
        hook[key] = _jsonable(getattr(spec, key, None))
    hook['registered_at'] = _location(info)
    hook['listeners'] = [_listener(r) for r in registrations if r.hook == name]
    if not declared:  # a typo? as the startup warning asks
        hint = None if namespace.strict else closest(name, namespace.specs)
        hook['did_you_mean'] = hint
    return hook


def _namespaces(hooks):
    for ns_name in sorted(hooks.namespaces):
        ns = hooks.namespaces[ns_name]
        # app-wide first, then scoped: the order notify calls them
        ordered = sorted(ns.registrations, key=lambda r: r.key is not None)
        names = sorted({*ns.specs, *(r.hook for r in ns.registrations)})
        yield {
            'name': ns_name,
            'strict': ns.strict,
            'registered_at': _location(ns.info),
            'hooks': [_hook(ns, name, ordered) for name in names],
        }


def _jsonable(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return name_of(value)


def _route(utility, route_name):
    route = utility.routes[route_name]
    options = dict(route.options)
    merged = {
        key: _jsonable(options.pop(key, None))
        for key in ('type', 'auth', 'methods', 'cors', 'csrf')
    }
    return {
        'route_name': route_name,
        'pattern': route.pattern,
        'handler': route.method,
        **merged,
        'allow': route.endpoint.allow,
        'routes': _jsonable(options.pop('routes', ())),
        'view_options': {k: _jsonable(v) for k, v in sorted(options.items())},
    }


def _controllers(registry):
    utility = registry.queryUtility(IControllerRegistry)
    if utility is None:
        return {'auth_modes': [], 'controllers': []}
    controllers = [
        {
            'name': info.name,
            'serving': name_of(info.serving),
            'classes': [name_of(cls) for cls in info.classes],
            'routes': [_route(utility, name) for name in info.routes],
            'skipped': [{'handler': h, 'reason': r} for h, r in info.skipped],
        }
        for info in utility.controllers.values()
    ]
    return {
        'auth_modes': sorted(utility.auth_modes),
        'controllers': controllers,
    }


def _callback(entry, mounted, pipeline):
    options = entry.options
    view_options = dict(options.view_options, route_name=mounted.route_name)
    return {
        'name': entry.name,
        'attr': entry.attr,
        'url': entry.path,
        'request_methods': _jsonable(options.request_method),
        'permission': options.permission,
        'require_csrf': options.require_csrf is not False,
        'renderer': options.renderer,
        'authorization': name_of(entry.authorization),
        'authorization_source': entry.authorization_source,
        **pipeline.describe(entry.callback, view_options),
    }


def _widgets(registry, pipeline):
    utility = registry.queryUtility(IWidgetRegistry)
    widgets = [
        {
            'id': mounted.id,
            'widget': name_of(type(mounted.widget)),
            'path': mounted.path,
            'route_name': mounted.route_name,
            'authorization': name_of(mounted.authorization),
            'callbacks': [
                _callback(entry, mounted, pipeline)
                for entry in mounted.callbacks.values()
            ],
        }
        for mounted in (() if utility is None else utility.widgets.values())
    ]
    return {
        'prefix': get_hooks_settings(registry).widgets_prefix,
        'authorization': name_of(global_authorization(registry)),
        'widgets': widgets,
    }


def _application_wrappers(registry):
    utility = registry.queryUtility(IApplicationWrappers)
    registrations = [] if utility is None else utility.ordered()
    injected = None
    if utility is not None and utility.chain is not None:
        injected = {id(registration) for registration, _ in utility.chain}
    tweens = aslist((registry.settings or {}).get('pyramid.tweens', ()))
    chain = [
        {
            'name': reg.name,
            'wrapper': name_of(reg.factory),
            'after': _jsonable(reg.after),
            'injected': None if injected is None else id(reg) in injected,
            'registered_at': describe_info(reg.info),
        }
        for reg in registrations
    ]
    return {
        'tween': TWEEN_NAME,
        'tweens': tweens or implicit_tween_names(registry),
        'chain': chain,
    }


def _settings(registry):
    result = {}
    for key, value in sorted((registry.settings or {}).items()):
        if not key.startswith('hooks.'):
            continue
        if isinstance(value, (list, tuple)):
            value = ' '.join(name_of(v) for v in value)
        elif isinstance(value, int):  # not 'builtins.int instance'
            value = str(value).lower()  # True: 'true'
        result[key] = name_of(value)
    return result


def collect(registry):
    """The ``phooks`` report of *registry*'s application, as JSON data, or
    ``None`` when ``pyramid_hooks`` is not included in it."""
    hooks = get_hooks(registry)
    if hooks is None:
        return None
    introspector = registry.introspector
    # with introspection off, Pyramid still keeps its default renderers
    if not introspector.get_category('renderer factories'):
        introspector = None
    pipeline = Pipeline(registry, hooks, introspector)
    return {
        'phooks_format': FORMAT_VERSION,
        'introspection': introspector is not None,
        'settings': _settings(registry),
        'namespaces': list(_namespaces(hooks)),
        'application_wrappers': _application_wrappers(registry),
        'views': _views(registry, pipeline, introspector),
        'widgets': _widgets(registry, pipeline),
        'controllers': _controllers(registry),
    }
