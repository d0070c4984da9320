"""Listeners and controller wrappers scoped so that they can never run,
refused once every route and view exists."""

from pyramid.exceptions import ConfigurationError
from pyramid.renderers import null_renderer

from pyramid_hooks.error_handlers import error_handler_keys
from pyramid_hooks.hook_specs import DEFAULT_NAMESPACE, PIPELINE_HOOKS
from pyramid_hooks.interfaces import (
    IControllerWrappers,
    IDerivedViews,
    IScannedDecorators,
    IViewScopeKeys,
)
from pyramid_hooks.render_calls import RENDER_CALL_HOOKS
from pyramid_hooks.scopes import key_route, key_text, scope_key, view_scope
from pyramid_hooks.shared import describe_info, did_you_mean, object_name
from pyramid_hooks.workarounds import route_names


def note_derived_view(info, scope):
    """Note the view being derived (*info*, its *scope*) for the checks of
    registrations that could never apply to it: the view under an
    autocommitting configurator, its keys once ``view=`` scopes are used."""
    registry = info.registry
    derived = registry.queryUtility(IDerivedViews)
    if derived is not None:
        derived.append(info)
    seen = registry.queryUtility(IViewScopeKeys)
    if seen is not None:
        seen.update(noted_keys(info, scope()[0]))


def noted_keys(info, keys):
    """*keys* of the view *info* and its error handler's, each also as
    ``('rendered', key)`` when the view has a renderer: the render-call
    hooks run only around one."""
    keys = [*keys, *(error_handler_keys(info) or ())]
    renderer = info.options.get('renderer')
    if renderer is not None:  # null_renderer: a JSON route's, no renderer
        mark = 'json' if renderer is null_renderer else 'rendered'
        keys += [(mark, key) for key in keys]
    return keys


def refuse_dead_scopes(registry, hooks):
    """Refuse the registrations of *registry* that can never run."""
    scoped = []  # (what, key, pipeline's): the pipeline's match views
    if hooks is not None:
        for ns in hooks.namespaces.values():
            scoped += [
                (
                    f'listener {r.describe()}',
                    r.key,
                    r.namespace == DEFAULT_NAMESPACE
                    and r.hook in PIPELINE_HOOKS
                    and r.hook,
                )
                for r in ns.registrations
                if r.key is not None
            ]
    wrappers = registry.queryUtility(IControllerWrappers)
    if wrappers is not None:
        scoped += [
            (
                f'controller wrapper {object_name(wrapper)} (registered at '
                f'{describe_info(wrappers.infos.get(wrapper))})',
                key,
                True,
            )
            for key, wrapper in wrappers.registrations
            if key is not None
        ]
    problems = dead_route_scopes(registry, scoped)
    problems += dead_view_scopes(registry, scoped)
    if problems:
        shown = '; '.join(problems[:5])
        if len(problems) > 5:
            shown += f'; and {len(problems) - 5} more'
        raise ConfigurationError(
            f'{shown}. Such a registration would never run, and an access '
            'check or an audit scoped so would be left out silently'
        )


def dead_route_scopes(registry, scoped):
    """Why each of *scoped* (``(what, key, pipeline's)`` triples) scoped
    with ``route_name=`` can never run: no such route, no view for it, or
    a hook not of the view pipeline (only its derivers match by route)."""
    scoped = [(what, key_route(key), p) for what, key, p in scoped]
    scoped = [triple for triple in scoped if triple[1] is not None]
    if not scoped:
        return []
    routes = route_names(registry)
    # by name; introspector.get('routes', ...) would add an empty category
    route_intrs = {
        entry['introspectable'].discriminator: entry['introspectable']
        for entry in registry.introspector.get_category('routes', ())
    }
    problems = []
    for what, route, pipeline in scoped:
        start = f'The {what} is scoped to route_name={route!r}'
        if route not in routes:
            hint = did_you_mean(route, routes, '; ')
            problems.append(
                f'{start}, and no route of that name exists (give the name '
                f'of a route the application adds, which proutes lists{hint})'
            )
        elif not pipeline:
            problems.append(
                f"{start}, which only the view pipeline's hooks "
                f'({", ".join(PIPELINE_HOOKS)}) match; notify(..., '
                'view=...) matches the view callable: scope it with view= '
                'instead'
            )
        else:
            why = route_without_views(registry, route_intrs.get(route))
            if why is not None:
                problems.append(f'{start}, and {why}')
    return problems


def route_without_views(registry, intr):
    """Why no view pipeline has the name of the route whose introspectable
    is *intr*, or ``None`` when one has (or no introspectables tell)."""
    if intr is None:
        return None  # introspection=False: cannot tell
    related = registry.introspector.related(intr)
    if any(i.category_name == 'views' for i in related):
        return None
    if intr['static']:
        return (
            'the route is static (static=True, for URL generation only): '
            'no view serves it'
        )
    if intr['use_global_views']:
        return (
            'no view is added with that route_name: the views serving it '
            '(use_global_views=True) are global ones, whose pipeline '
            'matches no route. Scope it with view= or context=, or add '
            "the route's views with route_name="
        )
    return (
        'no view is added with that route_name, so it would never run: '
        "add the route's views with route_name=, or scope it otherwise"
    )


def dead_view_scopes(registry, scoped):
    """Why each of the view pipeline's *scoped* (``(what, key, pipeline's)``
    triples) scoped with ``view=`` can never run: no view derived after it
    has its key, and no decorator of ours a scan found is on it."""
    seen = registry.queryUtility(IViewScopeKeys)
    if seen is None:
        return []
    keys = set(seen)
    for info in registry.queryUtility(IDerivedViews) or ():
        keys.update(noted_keys(info, view_scope(info)[0]))
    # a decorator's scope is the callable it decorates
    keys.update(
        scope_key(attached.wrapped)
        for attached in registry.queryUtility(IScannedDecorators, default=())
        if attached.decorator.on_view
    )
    unrendered = [
        f'The {what} is scoped with {key_text(key)}, and no view with '
        'that scope has a renderer'
        + (
            ': its JSON routes reply in JSON-RPC without one; listen to '
            "before_render (a call's result, as output) or after_render "
            '(the reply) instead, or scope it to views with a renderer'
            if ('json', key) in keys
            else ' (renderer=): before_render_call and after_render_call '
            'run only around the renderer call of a view that has one'
        )
        for what, key, hook in scoped
        if hook in RENDER_CALL_HOOKS
        and ('rendered', key) not in keys
        and key in keys
    ]
    return unrendered + [
        f'The {what} is scoped to view={object_name(key)}, and no view '
        'added after it was registered has that scope: view= matches the '
        'callable a view was added with (a function, a class, '
        'Class.method; not a base class of it, nor a function it calls), '
        "its controller's classes or its error_handler. Scope it with the "
        'callable given to add_view or @view_config, and register it '
        'before the views are added (in the same commit)'
        for what, key, pipeline in scoped
        if pipeline and key_route(key) is None and key not in keys
    ]
