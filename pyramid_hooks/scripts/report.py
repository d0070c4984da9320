"""What ``phooks`` reports, as plain data: :func:`collect` reads one
application's registry and returns the JSON-serialisable ``--format json``
document (:func:`pyramid_hooks.scripts.phooks.render_text` renders it).

The registry utilities are the source of truth: they exist whether or not
introspection is on.  The introspector, when it is on, adds where each
registration was made (``registered_at``) and the options of each view.
"""

from pyramid.interfaces import ITweens

from pyramid_hooks.config.hooks import misspelling
from pyramid_hooks.hooks import BUILTIN_HOOKS, DEFAULT_NAMESPACE, get_hooks
from pyramid_hooks.interfaces import (
    IApplicationWrappers,
    IControllerRegistry,
    IWidgetRegistry,
)
from pyramid_hooks.scripts.views import (
    Pipeline,
    introspector_of,
    listener_of,
    location,
    name_of,
    views,
)
from pyramid_hooks.shared import describe_info, get_hooks_settings
from pyramid_hooks.wrappers import TWEEN_NAME

#: Version of the JSON document; bumped on any incompatible change.
FORMAT_VERSION = 1


def _hook(namespace, name, registrations):
    spec = namespace.specs.get(name)
    builtin = namespace.name == DEFAULT_NAMESPACE and name in BUILTIN_HOOKS
    declared = spec is not None
    hook = {
        'name': name,
        'declared': declared,
        'builtin': declared and builtin,
        'args': list(spec.args) if declared else None,
        'value': spec.value if declared else None,
        'scope': spec.scope if declared else None,
        'trap_exceptions': spec.trap_exceptions if declared else None,
        'registered_at': (
            None if builtin or spec is None else location(spec.info)
        ),
        'listeners': [listener_of(r) for r in registrations if r.hook == name],
    }
    if not declared:
        hook['did_you_mean'] = misspelling(namespace, name)
    return hook


def _namespaces(hooks):
    result = []
    for ns_name in sorted(hooks.namespaces):
        ns = hooks.namespaces[ns_name]
        # app-wide first, then scoped, each in registration order: the
        # order notify calls them
        ordered = sorted(ns.registrations, key=lambda r: r.key is not None)
        names = sorted({*ns.specs, *(r.hook for r in ns.registrations)})
        result.append(
            {
                'name': ns_name,
                'strict': ns.strict,
                'registered_at': location(ns.info),
                'hooks': [_hook(ns, name, ordered) for name in names],
            }
        )
    return result


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
        'view_options': {
            key: _jsonable(options[key]) for key in sorted(options)
        },
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
            'skipped': [
                {'handler': method, 'reason': reason}
                for method, reason in info.skipped
            ],
        }
        for info in utility.controllers.values()
    ]
    return {
        'auth_modes': sorted(utility.auth_modes),
        'controllers': controllers,
    }


def _widgets(registry, pipeline):
    utility = registry.queryUtility(IWidgetRegistry)
    settings = get_hooks_settings(registry)
    handler = None if utility is None else utility.authorization
    if handler is None:
        handler = settings.widgets_authorization
    widgets = []
    for mounted in [] if utility is None else utility.widgets.values():
        callbacks = []
        for entry in mounted.callbacks.values():
            options = entry.options
            methods = options.request_method
            view_options = dict(
                options.view_options, route_name=mounted.route_name
            )
            callbacks.append(
                {
                    'name': entry.name,
                    'attr': entry.attr,
                    'url': entry.path,
                    'request_methods': (
                        None if methods is None else list(methods)
                    ),
                    'permission': options.permission,
                    'require_csrf': options.require_csrf is not False,
                    'authorization': name_of(entry.authorization),
                    'authorization_source': entry.authorization_source,
                    **pipeline.describe(entry.callback, view_options),
                }
            )
        widgets.append(
            {
                'id': mounted.id,
                'widget': name_of(type(mounted.widget)),
                'path': mounted.path,
                'route_name': mounted.route_name,
                'authorization': name_of(mounted.authorization),
                'callbacks': callbacks,
            }
        )
    return {
        'prefix': settings.widgets_prefix,
        'authorization': name_of(handler),
        'widgets': widgets,
    }


def _application_wrappers(registry):
    utility = registry.queryUtility(IApplicationWrappers)
    registrations = [] if utility is None else utility.ordered()
    injected = None
    if utility is not None and utility.chain is not None:
        injected = {id(registration) for registration, _ in utility.chain}
    tweens = registry.getUtility(ITweens)  # pyramid_hooks adds a tween
    chain = []
    for registration in registrations:
        after = registration.after
        chain.append(
            {
                'name': registration.name,
                'wrapper': name_of(registration.factory),
                'after': after if isinstance(after, bool) else name_of(after),
                'injected': (
                    None if injected is None else id(registration) in injected
                ),
                'registered_at': describe_info(registration.info),
            }
        )
    return {
        'tween': TWEEN_NAME,
        'tweens': [name for name, _ in tweens.explicit or tweens.implicit()],
        'chain': chain,
    }


def _settings(registry):
    settings = registry.settings or {}
    result = {}
    for key in sorted(settings):
        if not key.startswith('hooks.'):
            continue
        value = settings[key]
        if isinstance(value, (list, tuple)):
            value = ' '.join(name_of(v) for v in value)
        elif isinstance(value, bool):
            value = 'true' if value else 'false'
        elif not isinstance(value, str):
            value = name_of(value)
        result[key] = value
    return result


def collect(registry):
    """The ``phooks`` report of the application whose registry is
    *registry*, as JSON-serialisable data, or ``None`` when
    ``pyramid_hooks`` is not included in it."""
    hooks = get_hooks(registry)
    if hooks is None:
        return None
    introspector = introspector_of(registry)
    pipeline = Pipeline(registry, hooks, introspector)
    return {
        'phooks_format': FORMAT_VERSION,
        'introspection': introspector is not None,
        'settings': _settings(registry),
        'namespaces': _namespaces(hooks),
        'application_wrappers': _application_wrappers(registry),
        'views': views(registry, pipeline, introspector),
        'widgets': _widgets(registry, pipeline),
        'controllers': _controllers(registry),
    }
