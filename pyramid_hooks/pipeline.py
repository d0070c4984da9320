"""The view derivers of pipeline hooks, validation and controller wrappers
(``docs/pipeline.rst``).  Each composes what applies to a view when it is
derived, and returns the view unchanged when nothing applies.
"""

import inspect
from collections.abc import Hashable

from pyramid.exceptions import ConfigurationError
from pyramid.interfaces import IException, IResponse
from zope.interface import implementedBy, providedBy

from pyramid_hooks.hooks import PIPELINE_HOOKS, get_hooks
from pyramid_hooks.interfaces import IControllerWrappers
from pyramid_hooks.params import LazyParams
from pyramid_hooks.scopes import route_key, runtime_keys, scope_key
from pyramid_hooks.shared import call_problem, object_name, resolve
from pyramid_hooks.trace import (
    next_probe,
    traced_controller_wrapper,
    traced_validator,
    tracing_enabled,
    where_registered,
)
from pyramid_hooks.validation import Invalid, bad_request

#: Names of the derivers, for ``under=``/``over=`` of other derivers.
AFTER_RENDER = 'pyramid_hooks_after_render'
LIFECYCLE = 'pyramid_hooks_lifecycle'
CONTROLLER_WRAPPERS = 'pyramid_hooks_controller_wrappers'


#: Kept on a view callable that ``pyramid_hooks`` builds (a controller
#: handler's view), not in view options, which anyone could pass to
#: ``add_view``: its extra scope keys and its ``params`` factory ...
SCOPE_ATTR = '__pyramid_hooks_scope__'
PARAMS_ATTR = '__pyramid_hooks_params__'
#: ... and the ``request.__dict__`` key (no attribute can collide with
#: it) that hands it its final ``params``.
PARAMS_KEY = 'pyramid_hooks.params'


def view_scope_keys(view, options):
    """The keys that scoped listeners and wrappers are matched against for
    *view* registered with *options*: as ``notify(..., view=...)`` has them,
    a class's ``attr`` method, :data:`SCOPE_ATTR`, the route."""
    keys = list(runtime_keys(view)) if isinstance(view, Hashable) else []
    attr = options.get('attr')
    if attr and inspect.isclass(view):
        method = inspect.getattr_static(view, attr, None)
        if method is not None and isinstance(method, Hashable):
            keys.append(scope_key(method))
    keys.extend(inspect.getattr_static(view, SCOPE_ATTR, ()))
    route_name = options.get('route_name')
    if route_name:
        keys.append(route_key(route_name))
    return tuple(keys)


def view_scope(info):
    """``(keys, app_wide)`` of the view being derived (*info*), for the
    derivers and ``phooks``.  An exception view gets only what is scoped to
    it, so that an app-wide listener or wrapper that fails cannot also
    break the error page that reports it."""
    keys = view_scope_keys(info.original_view, info.options)
    if info.exception_only:
        return keys, False
    context = info.options.get('context')
    if inspect.isclass(context):
        return keys, not issubclass(context, BaseException)
    return keys, context is None or not IException.isEqualOrExtendedBy(context)


class WrapperInfo:
    """What a controller wrapper factory learns about the view it wraps
    (the ``info`` of ``wrapper(next_caller, info)``)."""

    __slots__ = ('attr', 'name', 'options', 'registry', 'route_name', 'view')

    def __init__(self, view, options, registry):
        #: the original view callable (function, class or instance)
        self.view = view
        #: the method of a class-based view, or ``None``
        self.attr = options.get('attr')
        #: the route of the view, or ``None``
        self.route_name = options.get('route_name')
        #: the view name (``''`` by default)
        self.name = options.get('name') or ''
        #: Pyramid's view options mapping
        self.options = options
        #: the application registry
        self.registry = registry

    @property
    def settings(self):
        """The application's deployment settings."""
        return self.registry.settings

    def __repr__(self):
        return (
            f'<WrapperInfo view={object_name(self.view)} attr={self.attr!r} '
            f'route_name={self.route_name!r}>'
        )


def resolve_option(info, option, value, args=None):
    """Resolve a dotted-name view option against the view's package and
    check that it is callable (as ``option(*args)`` when *args* is given:
    a wrong signature fails at startup, not per request)."""
    what = f'{option}= of view {object_name(info.original_view)}'
    resolved = resolve(value, what, info.package)
    if not callable(resolved):
        raise ConfigurationError(f'{what} must be callable, got {value!r}')
    if args is not None and call_problem(resolved, args) is not None:
        raise ConfigurationError(
            f'{what}: {object_name(resolved)} cannot be called as '
            f'{option}({", ".join(args)})'
        )
    return resolved


def wrapper_arity(wrapper, what):
    """2 for a controller wrapper factory called as ``wrapper(next_caller,
    info)``, 1 for ``wrapper(next_caller)`` (also when its signature cannot
    be read); a ConfigurationError about *what* for any other."""
    if call_problem(wrapper, ('next_caller', 'info'), 'unreadable') is None:
        return 2
    if call_problem(wrapper, ('next_caller',)) is None:
        return 1
    raise ConfigurationError(
        f'{what}: {object_name(wrapper)} must accept (next_caller) or '
        '(next_caller, info): a controller wrapper is called as '
        'wrapper(next_caller) or wrapper(next_caller, info)'
    )


def compose_controller_wrappers(
    caller, keys, option_wrappers, winfo, app_wide=True
):
    """Wrap *caller* (``call(context, request)``) in the controller
    wrappers registered for a view with scope *keys* (app-wide ones
    innermost), then in *option_wrappers*, ``(wrapper, arity)`` pairs."""
    wrappers = winfo.registry.queryUtility(IControllerWrappers)
    chain = () if wrappers is None else wrappers.for_keys(keys, app_wide)
    tracing = tracing_enabled(winfo.registry)
    for wrapper, arity, *_ in (*chain, *option_wrappers):
        given = next_probe(caller, 1) if tracing else caller
        wrapped = wrapper(given, winfo) if arity == 2 else wrapper(given)
        if not callable(wrapped):
            raise ConfigurationError(
                f'Controller wrapper {object_name(wrapper)} returned '
                f'{wrapped!r} for view {object_name(winfo.view)}: it must '
                'return call(context, request) (or next_caller itself)'
            )
        if wrapped is given:  # this view is left unwrapped
            continue
        if tracing:
            info = None if wrappers is None else wrappers.infos.get(wrapper)
            where = where_registered(info, wrapper)
            wrapped = traced_controller_wrapper(
                wrapped, wrapper, where, object_name(winfo.view)
            )
        caller = wrapped
    return caller


def controller_wrappers_view(view, info):
    """The controller-wrappers deriver (under the lifecycle deriver, right
    over ``mapped_view``): the wrappers see the view's raw result."""
    given = info.options.get('controller_wrappers') or ()
    if callable(given) or isinstance(given, str):
        given = (given,)
    what = f'controller_wrappers= of view {object_name(info.original_view)}'
    option_wrappers = []
    for wrapper in given:
        wrapper = resolve_option(info, 'controller_wrappers', wrapper)
        option_wrappers.append((wrapper, wrapper_arity(wrapper, what)))
    registered = info.registry.queryUtility(IControllerWrappers)
    if not (option_wrappers or (registered and registered.registrations)):
        return view
    keys, app_wide = view_scope(info)
    winfo = WrapperInfo(info.original_view, info.options, info.registry)
    return compose_controller_wrappers(
        view, keys, option_wrappers, winfo, app_wide
    )


controller_wrappers_view.options = ('controller_wrappers',)


#: The hooks the lifecycle deriver runs (``after_render`` has its own).
LIFECYCLE_HOOKS = PIPELINE_HOOKS[:3]


#: What every dict provides (a dict cannot carry interfaces of its own,
#: and ``providedBy`` is slow on builtins).
_DICT_PROVIDES = implementedBy(dict)


def _is_response(registry, result):
    """What ``registry.queryAdapterOrSelf(result, IResponse)`` answers,
    with the interfaces of *result* computed once, and not at all for a
    plain dict (this lookup was most of the cost of ``before_render``)."""
    if result.__class__ is dict:
        provided = _DICT_PROVIDES
    else:
        provided = providedBy(result)
    if provided.isOrExtends(IResponse):
        return True
    factory = registry.adapters.lookup1(provided, IResponse)
    return factory is not None and factory(result) is not None


def lifecycle_view(view, info):
    """The lifecycle deriver: ``before_validate``, ``validate=``,
    ``before_call``, the view, ``before_render``.  ``params`` is decoded
    only if someone reads it (``LazyParams``), so listeners that ignore it
    change no response."""
    registry = info.registry
    ns = get_hooks(registry).default
    validate = info.options.get('validate')
    handler = info.options.get('error_handler')
    validating = validate is not None or handler is not None
    if not (validating or any(map(ns.has_listeners, LIFECYCLE_HOOKS))):
        return view
    keys, app_wide = view_scope(info)
    if not (validating or ns.runs_any(LIFECYCLE_HOOKS, keys, app_wide)):
        return view

    def listeners(scope):
        return [
            ns.listeners_for(hook, scope, app_wide) for hook in LIFECYCLE_HOOKS
        ]

    before_validate, before_call, before_render = listeners(keys)
    if validate is not None:
        validate = resolve_option(
            info, 'validate', validate, ('request', 'params')
        )
        if tracing_enabled(registry):
            validate = traced_validator(validate, Invalid)
    if handler is not None:
        handler = resolve_option(info, 'error_handler', handler, ('request',))
        if validate is None:
            raise ConfigurationError(
                f'error_handler= of view {object_name(info.original_view)} '
                'needs validate=: the handler runs when the validator raises '
                'pyramid_hooks.Invalid'
            )
        handler_keys = (scope_key(handler),)
        _, handler_before_call, handler_before_render = listeners(handler_keys)
        handler_call = compose_controller_wrappers(
            lambda context, request: handler(request),
            handler_keys,
            (),
            WrapperInfo(handler, info.options, registry),
            app_wide,
        )
    view_params = inspect.getattr_static(info.original_view, PARAMS_ATTR, None)
    make_params = LazyParams.of if view_params is None else view_params
    hand_off = view_params is not None

    def invalid(context, request, params, errors):
        request.validation_errors = errors
        if handler is None:
            raise bad_request(request, errors)
        for listener in handler_before_call:
            listener(request, params)
        result = handler_call(context, request)
        if handler_before_render and not _is_response(registry, result):
            for listener in handler_before_render:
                listener(request, params, result)
        return result

    def lifecycle(context, request):
        params = make_params(request)
        for listener in before_validate:
            listener(request, params)
        if validate is not None:
            try:
                validated = validate(request, params)
            except Invalid as e:
                return invalid(context, request, params, e.errors)
            if validated is not None:
                params = validated
        for listener in before_call:
            listener(request, params)
        request.hook_params = params
        if hand_off:
            request.__dict__[PARAMS_KEY] = params
        result = view(context, request)
        if before_render and not _is_response(registry, result):
            for listener in before_render:
                listener(request, params, result)
        return result

    return lifecycle


lifecycle_view.options = ('validate', 'error_handler')


def after_render_view(view, info):
    """The ``after_render`` deriver (between ``decorated_view`` and
    ``rendered_view``): its listeners see the final response."""
    registry = info.registry
    ns = get_hooks(registry).default
    if not ns.has_listeners('after_render'):
        return view
    keys, app_wide = view_scope(info)
    listeners = ns.listeners_for('after_render', keys, app_wide)
    handler = info.options.get('error_handler')
    handler_listeners = listeners
    if handler is not None:
        handler = resolve_option(info, 'error_handler', handler)
        handler_listeners = ns.listeners_for(
            'after_render', (scope_key(handler),), app_wide
        )
    if not listeners and not handler_listeners:
        return view

    def after_render(context, request):
        response = view(context, request)
        chosen = listeners
        if handler is not None and (
            getattr(request, 'validation_errors', None) is not None
        ):
            chosen = handler_listeners
        for listener in chosen:
            listener(request, response)
        return response

    return after_render
