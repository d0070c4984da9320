"""What ``phooks`` reports, as plain data, and its text rendering.

:func:`collect` reads one application's registry and returns a
JSON-serialisable dict (the ``--format json`` document);
:func:`render_text` turns that dict into the lines of the text format, so
both formats always say the same thing.

The registry utilities are the source of truth: they exist whether or not
introspection is on.  The introspector, when it is on, adds where each
registration was made (``registered_at``) and the options of each view;
without it views are found through the registry's view adapters.
"""

import os
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

from pyramid_hooks.config import (
    CATEGORY_CONTROLLER_WRAPPERS,
    describe_info,
    get_hooks_settings,
    object_name,
)
from pyramid_hooks.hooks import BUILTIN_HOOKS, DEFAULT_NAMESPACE, get_hooks
from pyramid_hooks.interfaces import (
    IApplicationWrappers,
    IControllerRegistry,
    IControllerWrappers,
    IWidgetRegistry,
)
from pyramid_hooks.pipeline import is_exception_view, view_scope_keys
from pyramid_hooks.wrappers import TWEEN_NAME

#: Version of the JSON document; bumped on any incompatible change.
FORMAT_VERSION = 1

_MAPPED_TEXT = re.compile(r'^(?:method|attr) (\S+) of ')

#: The hooks that run inside the view pipeline, in pipeline order.
PIPELINE_HOOKS = (
    'before_validate',
    'before_call',
    'before_render',
    'after_render',
)


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
    listeners = [
        _listener(r) for r in _in_call_order(registrations) if r.hook == name
    ]
    if spec is None:
        return {
            'name': name,
            'declared': False,
            'builtin': False,
            'args': None,
            'value': None,
            'scope': None,
            'trap_exceptions': None,
            'registered_at': None,
            'listeners': listeners,
        }
    return {
        'name': name,
        'declared': True,
        'builtin': builtin,
        'args': list(spec.args),
        'value': spec.value,
        'scope': spec.scope,
        'trap_exceptions': spec.trap_exceptions,
        'registered_at': (
            None if builtin or spec.info is None else describe_info(spec.info)
        ),
        'listeners': listeners,
    }


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
    a view, recomputed from the same registrations with the same rules."""

    def __init__(self, registry, hooks, introspector):
        utility = registry.queryUtility(IControllerWrappers)
        self.wrappers = [] if utility is None else utility.registrations
        self.wrapper_infos = _infos(introspector, CATEGORY_CONTROLLER_WRAPPERS)
        self.listeners = hooks.default.registrations

    def describe(self, view, options, exception_only=False):
        """``validate``, ``error_handler``, ``controller_wrappers``
        (outermost first) and the pipeline ``hooks`` of a view."""
        exception = is_exception_view(
            SimpleNamespace(exception_only=exception_only, options=options)
        )
        # exception views get only what is scoped to them (pipeline.py)
        keys, app_wide = view_scope_keys(view, options), not exception

        def applies(key):
            return (key is None and app_wide) or key in keys

        chain = [
            {
                'wrapper': name_of(wrapper),
                'scope': _scope(key)[0],
                'target': _scope(key)[1],
                'registered_at': self.wrapper_infos.get(
                    ('pyramid_hooks controller wrapper', key, wrapper)
                ),
            }
            for key, wrapper in self.wrappers
            if applies(key)
        ]
        # app-wide first, then scoped: the order compose_controller_wrappers
        # applies them (innermost first)
        chain.sort(key=lambda w: w['scope'] != 'app')
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
        hooks = {}
        for hook in PIPELINE_HOOKS:
            matched = [
                r for r in self.listeners if r.hook == hook and applies(r.key)
            ]
            hooks[hook] = [_listener(r) for r in _in_call_order(matched)]
        return {
            'exception_view': exception,
            'validate': name_of(options.get('validate')),
            'error_handler': name_of(options.get('error_handler')),
            'controller_wrappers': chain[::-1],
            'hooks': hooks,
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
            # the view callable is a closure made for the handler (its scope
            # keys are on it): name the handler
            name = f'{route.controller}.{route.method}'
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


# -- text -----------------------------------------------------------------


def _title(text):
    return ['', text, '=' * len(text)]


def _where(item):
    at = item.get('registered_at')
    if not at:
        return ''
    cwd = os.getcwd() + os.sep
    if at.startswith(cwd):
        at = at[len(cwd) :]
    return f'  [{at}]'


def _listener_line(listener):
    scope = listener['scope']
    target = '' if scope == 'app' else f' {listener["target"]}'
    scope = 'app-wide' if scope == 'app' else f'{scope}{target}'
    return f'{listener["listener"]}  ({scope}){_where(listener)}'


def _text_namespaces(report):
    lines = _title('Hook namespaces, hooks and listeners')
    for ns in report['namespaces']:
        label = ns['name'] or '(default)'
        strict = 'strict' if ns['strict'] else 'non-strict'
        lines.append(f'{label}  [{strict}]{_where(ns)}')
        hidden = 0
        for hook in ns['hooks']:
            if hook['builtin'] and not hook['listeners']:
                hidden += 1
                continue
            if hook['declared']:
                flags = [f'scope={hook["scope"]}']
                if hook['value']:
                    flags.append('filter')
                if hook['trap_exceptions']:
                    flags.append('trap_exceptions')
                if hook['builtin']:
                    flags.append('built-in')
                signature = ', '.join(
                    (['value'] if hook['value'] else []) + hook['args']
                )
                head = f'{hook["name"]}({signature})  {" ".join(flags)}'
            else:
                head = f'{hook["name"]}  (not declared)'
            lines.append(f'  {head}{_where(hook)}')
            if not hook['listeners']:
                lines.append('    (no listeners)')
            for i, listener in enumerate(hook['listeners'], 1):
                lines.append(f'    {i}. {_listener_line(listener)}')
        if hidden:
            lines.append(
                f'  ({hidden} built-in hooks without listeners not shown)'
            )
    return lines


def _text_views(report):
    lines = _title('Views: controller wrappers and pipeline hooks')
    if not report['introspection']:
        lines.append(
            '(introspection is off: views found through the registry; '
            'view options such as validate= are not known)'
        )
    if not report['views']:
        lines.append('(no views)')
    for view in report['views']:
        where = []
        if view['route_name']:
            where.append(f'route {view["route_name"]}')
        if view['name']:
            where.append(f'name {view["name"]!r}')
        if view['context']:
            where.append(f'context {view["context"]}')
        if view['exception_view']:
            where.append('(exception view)')
        if view['request_methods']:
            where.append(','.join(view['request_methods']))
        target = view['view']
        if view['attr']:
            target = f'{target}.{view["attr"]}'
        lines.append(f'{" ".join(where) or "(any)"}  ->  {target}')
        lines.extend(_text_pipeline(view, '  '))
    return lines


def _text_application_wrappers(report):
    section = report['application_wrappers']
    lines = _title('Application wrappers (outermost first)')
    tween = section['tween']
    if tween in section['tweens']:
        position = section['tweens'].index(tween)
        lines.append(
            f'inside the tween {tween} ({position + 1} of '
            f'{len(section["tweens"])} in the tween chain, outermost first; '
            'see ptweens)'
        )
    else:
        lines.append(f'the tween {tween} is not in the tween chain')
    if not section['chain']:
        lines.append('(none)')
    for i, wrapper in enumerate(section['chain'], 1):
        after = wrapper['after']
        group = {True: 'after=True', False: 'after=False', None: 'default'}
        where = (
            group[after]
            if after is None or isinstance(after, bool)
            else f'after={after}'
        )
        if wrapper['injected'] is False:
            where += ', not injected'
        name = wrapper['name']
        if name != wrapper['wrapper']:
            name = f'{name} = {wrapper["wrapper"]}'
        lines.append(f'{i}. {name}  ({where}){_where(wrapper)}')
    return lines


def _text_pipeline(item, indent):
    """The controller wrappers, validation and pipeline hooks of a view or
    widget callback."""
    lines = []
    if item['controller_wrappers']:
        lines.append(f'{indent}controller wrappers (outermost first):')
        for wrapper in item['controller_wrappers']:
            scope = wrapper['scope']
            label = {
                'app': 'app-wide',
                'option': 'controller_wrappers= option',
            }.get(scope, f'{scope} {wrapper["target"]}')
            lines.append(
                f'{indent}  {wrapper["wrapper"]}  ({label}){_where(wrapper)}'
            )
    for option in ('validate', 'error_handler'):
        if item[option]:
            lines.append(f'{indent}{option}: {item[option]}')
    for hook in PIPELINE_HOOKS:
        if item['hooks'][hook]:
            names = ', '.join(
                listener['listener'] for listener in item['hooks'][hook]
            )
            lines.append(f'{indent}{hook}: {names}')
    if not lines:
        lines.append(f'{indent}(nothing from pyramid_hooks)')
    return lines


def _text_widgets(report):
    section = report['widgets']
    lines = _title('Widget callbacks')
    lines.append(
        f'prefix {section["prefix"]}, global authorization '
        f'{section["authorization"]}'
    )
    if not section['widgets']:
        lines.append('(no widgets)')
    for widget in section['widgets']:
        own = widget['authorization']
        lines.append(
            f'{widget["id"]}  ({widget["widget"]})'
            + (f'  authorization {own}' if own else '')
        )
        for callback in widget['callbacks']:
            methods = ','.join(callback['request_methods'] or ['any method'])
            facts = [methods]
            if callback['permission']:
                facts.append(f'permission {callback["permission"]}')
            if not callback['require_csrf']:
                facts.append('no CSRF check')
            facts.append(
                f'authorization {callback["authorization"]} '
                f'({callback["authorization_source"]})'
            )
            lines.append(f'  {callback["url"]}  {"; ".join(facts)}')
            pipeline = _text_pipeline(callback, '    ')
            if pipeline != ['    (nothing from pyramid_hooks)']:
                lines.extend(pipeline)
    return lines


def _text_controllers(report):
    section = report['controllers']
    lines = _title('Controllers (merged route options)')
    if not section['controllers']:
        lines.append('(no controllers)')
    else:
        lines.append(f'auth modes: {", ".join(section["auth_modes"])}')
    for controller in section['controllers']:
        lines.append(
            f'{controller["name"]}  (served by {controller["serving"]})'
        )
        if controller['classes'] != [controller['serving']]:
            lines.append(f'  activated: {", ".join(controller["classes"])}')
        for route in controller['routes']:
            csrf = 'yes' if route['csrf'] else 'no'
            if route['type'] == 'json':
                csrf = 'exempt (JSON)'
            facts = [
                f'type={route["type"]}',
                f'auth={route["auth"]}',
                f'methods={(route["allow"] or "any").replace(" ", "")}',
                f'csrf={csrf}',
            ]
            if route['cors']:
                facts.append(f'cors={route["cors"]}')
            facts.extend(
                f'{key}={value}'
                for key, value in route['view_options'].items()
            )
            lines.append(
                f'  {route["pattern"]}  -> {route["handler"]}  '
                f'[{route["route_name"]}]'
            )
            lines.append(f'    {" ".join(facts)}')
        for skipped in controller['skipped']:
            lines.append(
                f'  not served: {skipped["handler"]} ({skipped["reason"]})'
            )
    return lines


def _text_settings(report):
    lines = _title('Settings (hooks.*)')
    if not report['settings']:
        lines.append('(none: defaults apply)')
    for key, value in report['settings'].items():
        lines.append(f'{key} = {value}')
    return lines


def render_text(report):
    """The lines of the text format of *report* (from :func:`collect`)."""
    lines = []
    lines.extend(_text_settings(report))
    lines.extend(_text_namespaces(report))
    lines.extend(_text_application_wrappers(report))
    lines.extend(_text_views(report))
    lines.extend(_text_widgets(report))
    lines.extend(_text_controllers(report))
    return lines[1:]
