"""What ``phooks`` reports, as plain data: :func:`collect` reads one
application's registry and returns the JSON-serialisable ``--format json``
document (:func:`pyramid_hooks.scripts.phooks.render_text` renders it).

The registry utilities are the source of truth: they exist whether or not
introspection is on.  The introspector, when it is on, adds where each
registration was made (``registered_at``) and the options of each view;
without it views are found through the registry's view adapters.  What
applies to a view is asked of the functions the view derivers compose it
from, so the report cannot drift from what runs.
"""

import inspect
import re
from types import SimpleNamespace

from pyramid.interfaces import (
    IMultiView,
    IRouteRequest,
    ISecuredView,
    ITweens,
    IView,
    IViewClassifier,
)
from zope.interface import Interface

from pyramid_hooks.config import CATEGORY_CONTROLLER_WRAPPERS
from pyramid_hooks.config.controllers import (
    scope_keys as controller_scope_keys,
)
from pyramid_hooks.config.hooks import misspelling
from pyramid_hooks.hooks import (
    BUILTIN_HOOKS,
    DEFAULT_NAMESPACE,
    PIPELINE_HOOKS,
    get_hooks,
)
from pyramid_hooks.interfaces import (
    IApplicationWrappers,
    IControllerRegistry,
    IControllerWrappers,
    IWidgetRegistry,
)
from pyramid_hooks.pipeline import view_scope
from pyramid_hooks.shared import describe_info, get_hooks_settings, object_name
from pyramid_hooks.widget_views import CallbackContext
from pyramid_hooks.wrappers import TWEEN_NAME

#: Version of the JSON document; bumped on any incompatible change.
FORMAT_VERSION = 1

_MAPPED_TEXT = re.compile(r'^(?:method|attr) (\S+) of ')


def name_of(obj):
    """A readable name for *obj*: a dotted name for callables and classes,
    the class for an instance, the string itself for a (dotted-name)
    string, ``None`` for ``None``."""
    if obj is None or isinstance(obj, str):
        return obj
    if getattr(obj, '__qualname__', getattr(obj, '__name__', None)) is None:
        # an instance (a view or wrapper object): its class, not its repr
        return f'{object_name(type(obj))} instance'
    return object_name(obj)


def _introspector(registry):
    """The registry's introspector, or ``None`` when the application's
    configurator was made with ``introspection=False``.

    Pyramid then discards the introspectables of that configurator, but not
    those of ``config.include()``-d code (an include makes a configurator
    of its own, with introspection on), so an empty introspector is not the
    test: the default renderers that every configurator registers are.
    """
    introspector = registry.introspector
    if not introspector.get_category('renderer factories'):
        return None
    return introspector


def _infos(introspector, category):
    """``{discriminator: 'file:line'}`` for one introspectable category."""
    if introspector is None:
        return {}
    return {
        entry['introspectable'].discriminator: describe_info(
            entry['introspectable'].action_info
        )
        for entry in introspector.get_category(category, ())
    }


def _scope(key):
    """``(scope, target)`` of a registration key: app-wide, a route, or a
    view (function, class or method)."""
    if key is None:
        return 'app', None
    if isinstance(key, tuple) and len(key) == 2 and key[0] == 'route':
        return 'route', key[1]
    return 'view', name_of(key)


def _listener(registration):
    scope, target = _scope(registration.key)
    return {
        'listener': name_of(registration.listener),
        'scope': scope,
        'target': target,
        'registered_at': (
            None
            if registration.info is None
            else describe_info(registration.info)
        ),
    }


def _in_call_order(registrations):
    """App-wide registrations first, then scoped ones, each group in
    registration order: the order ``notify`` calls them."""
    return [r for r in registrations if r.key is None] + [
        r for r in registrations if r.key is not None
    ]


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
            None
            if builtin or not declared or spec.info is None
            else describe_info(spec.info)
        ),
        'listeners': [
            _listener(r)
            for r in _in_call_order(registrations)
            if r.hook == name
        ],
    }
    if not declared:
        hook['did_you_mean'] = misspelling(namespace, name)
    return hook


def _namespaces(hooks):
    result = []
    for ns_name in sorted(hooks.namespaces):
        ns = hooks.namespaces[ns_name]
        names = list(ns.specs)
        names.extend(
            r.hook for r in ns.registrations if r.hook not in ns.specs
        )
        result.append(
            {
                'name': ns_name,
                'strict': ns.strict,
                'registered_at': (
                    None if ns.info is None else describe_info(ns.info)
                ),
                'hooks': [
                    _hook(ns, name, ns.registrations)
                    for name in sorted(dict.fromkeys(names))
                ],
            }
        )
    return result


# -- views ----------------------------------------------------------------


def _views_from_introspector(introspector):
    for entry in introspector.get_category('views', ()):
        intr = entry['introspectable']
        yield intr['callable'], dict(intr)


def _mapped_attr(view):
    """The ``attr`` of a derived view, from the description Pyramid's
    view mapper leaves on it (``method about of class ...``)."""
    match = _MAPPED_TEXT.match(getattr(view, '__text__', ''))
    if match is None or match.group(1) == '__call__':
        return None
    return match.group(1)


def _views_from_adapters(registry):
    """Views found through the registry's view adapters (introspection
    off): the original callable, its ``attr``, route, name and context, and
    whether it serves exceptions only; Pyramid keeps no other view options
    there."""
    routes = {
        iface: name for name, iface in registry.getUtilitiesFor(IRouteRequest)
    }
    found = {}
    for reg in registry.registeredAdapters():
        if reg.provided not in (IView, ISecuredView, IMultiView):
            continue
        # IViewClassifier or IExceptionViewClassifier
        classifier = reg.required[0]
        if IMultiView.providedBy(reg.factory):
            entries = list(reg.factory.views)
            for subset in reg.factory.media_views.values():
                entries.extend(subset)
            derived = [view for _, view, _ in entries]
        else:
            derived = [reg.factory]
        context = reg.required[2]
        # a class context is registered as implementedBy(cls)
        context = getattr(context, 'inherit', None) or (
            None if context is Interface else context
        )
        for view in derived:
            original = getattr(view, '__original_view__', view)
            attr = _mapped_attr(view)
            route_name = routes.get(reg.required[1])
            # a view serving exceptions too is derived once per classifier
            key = (id(original), attr, route_name, reg.name, context)
            entry = found.setdefault(
                key, (original, attr, route_name, reg.name, context, set())
            )
            entry[5].add(classifier)
    for (
        original,
        attr,
        route_name,
        name,
        context,
        classifiers,
    ) in found.values():
        yield (
            original,
            {
                'name': name,
                'route_name': route_name,
                'attr': attr,
                'context': context,
                'exception_only': IViewClassifier not in classifiers,
            },
        )


class _Pipeline:
    """What the view derivers of :mod:`pyramid_hooks.pipeline` compose for
    a view, asked of the functions they compose it from
    (:func:`~pyramid_hooks.pipeline.view_scope`,
    ``HookNamespace.registrations_for``, ``ControllerWrappers.for_keys``),
    so that the report cannot drift from what runs."""

    def __init__(self, registry, hooks, introspector):
        self.wrappers = registry.queryUtility(IControllerWrappers)
        self.wrapper_infos = _infos(introspector, CATEGORY_CONTROLLER_WRAPPERS)
        self.hooks = hooks.default

    def describe(self, view, options, exception_only=False):
        """``validate``, ``error_handler``, ``controller_wrappers``
        (outermost first) and the pipeline ``hooks`` of a view."""
        keys, app_wide = view_scope(
            SimpleNamespace(
                original_view=view,
                options=options,
                exception_only=exception_only,
            )
        )
        chain = [
            {
                'wrapper': name_of(wrapper),
                'scope': _scope(key)[0],
                'target': _scope(key)[1],
                'registered_at': self.wrapper_infos.get(
                    ('pyramid_hooks controller wrapper', key, wrapper)
                ),
            }
            for wrapper, _, key in (
                self.wrappers.for_keys(keys, app_wide) if self.wrappers else ()
            )
        ]
        given = options.get('controller_wrappers') or ()
        if callable(given) or isinstance(given, str):
            given = (given,)
        chain.extend(
            {
                'wrapper': name_of(wrapper),
                'scope': 'option',
                'target': None,
                'registered_at': None,
            }
            for wrapper in given
        )
        return {
            'exception_view': not app_wide,
            'validate': name_of(options.get('validate')),
            'error_handler': name_of(options.get('error_handler')),
            'controller_wrappers': chain[::-1],
            'hooks': {
                hook: [
                    _listener(r)
                    for r in self.hooks.registrations_for(hook, keys, app_wide)
                ]
                for hook in PIPELINE_HOOKS
            },
        }


def _views(registry, pipeline, introspector):
    controller_routes = _controller_routes(registry)
    if introspector is not None:
        found = _views_from_introspector(introspector)
    else:
        found = _views_from_adapters(registry)
    views = []
    for view, options in found:
        name = name_of(view)
        route = controller_routes.get(options.get('route_name'))
        if route is not None:
            # the view callable is a closure made for the handler: name
            # the handler, and scope it as the controller configuration did
            name = f'{route.controller}.{route.method}'
            options.setdefault(
                'hook_scope',
                controller_scope_keys(
                    route.endpoint.controller, route.endpoint.functions
                ),
            )
        context = options.get('context')
        if inspect.isclass(context) and issubclass(context, CallbackContext):
            # a widget callback: scoped to its widget's class as add_widget
            # scoped it (without introspection the option is not known)
            widget = context.mounted.callback.__self__
            options.setdefault('hook_scope', (type(widget),))
        methods = options.get('request_methods')
        if isinstance(methods, str):
            methods = [methods]
        views.append(
            {
                'view': name,
                'attr': options.get('attr'),
                'route_name': options.get('route_name'),
                'name': options.get('name') or '',
                'context': name_of(options.get('context')),
                'request_methods': (
                    None if methods is None else sorted(methods)
                ),
                **pipeline.describe(
                    view, options, options.get('exception_only', False)
                ),
            }
        )
    views.sort(
        key=lambda v: (
            v['route_name'] or '',
            v['name'],
            v['context'] or '',
            v['view'] or '',
            v['attr'] or '',
        )
    )
    return views


# -- controllers ----------------------------------------------------------


def _controller_routes(registry):
    utility = registry.queryUtility(IControllerRegistry)
    return {} if utility is None else utility.routes


def _jsonable(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return name_of(value)


def _controllers(registry):
    utility = registry.queryUtility(IControllerRegistry)
    if utility is None:
        return {'auth_modes': [], 'controllers': []}
    controllers = []
    for info in utility.controllers.values():
        routes = []
        for route_name in info.routes:
            route = utility.routes[route_name]
            options = dict(route.options)
            merged = {
                key: _jsonable(options.pop(key, None))
                for key in ('type', 'auth', 'methods', 'cors', 'csrf')
            }
            patterns = _jsonable(options.pop('routes', ()))
            routes.append(
                {
                    'route_name': route_name,
                    'pattern': route.pattern,
                    'handler': route.method,
                    **merged,
                    'allow': route.endpoint.allow,
                    'routes': patterns,
                    'view_options': {
                        key: _jsonable(options[key]) for key in sorted(options)
                    },
                }
            )
        controllers.append(
            {
                'name': info.name,
                'serving': name_of(info.serving),
                'classes': [name_of(cls) for cls in info.classes],
                'routes': routes,
                'skipped': [
                    {'handler': method, 'reason': reason}
                    for method, reason in info.skipped
                ],
            }
        )
    return {
        'auth_modes': sorted(utility.auth_modes),
        'controllers': controllers,
    }


# -- widgets --------------------------------------------------------------


def _widgets(registry, pipeline):
    utility = registry.queryUtility(IWidgetRegistry)
    # parsed when the configuration was committed
    settings = get_hooks_settings(registry)
    handler = None if utility is None else utility.authorization
    if handler is None:
        handler = settings.widgets_authorization
    widgets = []
    for mounted in [] if utility is None else utility.widgets.values():
        callbacks = []
        for entry in mounted.callbacks.values():
            options = entry.options
            view_options = dict(
                options.view_options,
                route_name=mounted.route_name,
                hook_scope=(type(mounted.widget),),
            )
            methods = options.request_method
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


# -- application wrappers ------------------------------------------------


def _tween_names(registry):
    """The names of the tween chain in use, outermost first."""
    tweens = registry.getUtility(ITweens)  # pyramid_hooks adds a tween
    chain = tweens.explicit or tweens.implicit()
    return [name for name, _ in chain]


def _application_wrappers(registry):
    utility = registry.queryUtility(IApplicationWrappers)
    registrations = [] if utility is None else utility.ordered()
    injected = None
    if utility is not None and utility.chain is not None:
        injected = {id(registration) for registration, _ in utility.chain}
    tweens = _tween_names(registry)
    return {
        'tween': TWEEN_NAME,
        'tweens': tweens,
        'chain': [
            {
                'name': registration.name,
                'wrapper': name_of(registration.factory),
                'after': (
                    registration.after
                    if registration.after is None
                    or isinstance(registration.after, bool)
                    else name_of(registration.after)
                ),
                'injected': (
                    None if injected is None else id(registration) in injected
                ),
                'registered_at': describe_info(registration.info),
            }
            for registration in registrations
        ],
    }


# -- the report -----------------------------------------------------------


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
    introspector = _introspector(registry)
    pipeline = _Pipeline(registry, hooks, introspector)
    return {
        'phooks_format': FORMAT_VERSION,
        'introspection': introspector is not None,
        'settings': _settings(registry),
        'namespaces': _namespaces(hooks),
        'application_wrappers': _application_wrappers(registry),
        'views': _views(registry, pipeline, introspector),
        'widgets': _widgets(registry, pipeline),
        'controllers': _controllers(registry),
    }
