"""The view derivers of pipeline hooks, validation and controller wrappers
(``docs/pipeline.rst``).  Each composes what applies to a view when it is
derived, and returns the view unchanged when nothing applies.
"""

import inspect
from collections.abc import Callable, Hashable, Mapping
from types import SimpleNamespace
from typing import Any, Protocol

from pyramid.exceptions import ConfigurationError
from pyramid.interfaces import IException
from pyramid.registry import Registry
from pyramid.renderers import null_renderer
from pyramid.viewderivers import mapped_view

from pyramid_hooks.hooks import PIPELINE_HOOKS, get_hooks
from pyramid_hooks.interfaces import IControllerWrappers
from pyramid_hooks.params import LazyParams
from pyramid_hooks.probes import (
    next_probe,
    traced_controller_wrapper,
    traced_validator,
    tracing_enabled,
    where_registered,
)
from pyramid_hooks.scopes import route_key, runtime_keys, scope_key
from pyramid_hooks.shared import (
    as_response,
    call_problem,
    did_you_mean,
    object_name,
    resolve,
)
from pyramid_hooks.validation import Invalid, bad_request
from pyramid_hooks.workarounds import rendered_view_choice

#: Names of the derivers, for ``under=``/``over=`` of other derivers.
AFTER_RENDER = 'pyramid_hooks_after_render'
LIFECYCLE = 'pyramid_hooks_lifecycle'
RENDER_CALL = 'pyramid_hooks_render_call'
CONTROLLER_WRAPPERS = 'pyramid_hooks_controller_wrappers'


# How a view's ``params`` are made, in its view options: a feature's views
# give ``params_class=`` (a :class:`~pyramid_hooks.params.LazyParams`
# subclass merging them otherwise: a widget callback's), declared by the
# lifecycle deriver; a controller handler's view gives the options of the
# controllers' deriver: ``hook_scope=`` (extra scope keys),
# ``params_factory=`` (its handler receives ``request.hook_params``) and
# ``method_caller=`` (``(cls, make_call)``, see :func:`class_caller`).


def view_scope_keys(view, options):
    """The keys that scoped listeners and wrappers are matched against for
    *view* registered with *options*: as ``notify(..., view=...)`` has them,
    a class's ``attr`` method, the ``hook_scope`` option, the route."""
    keys = list(runtime_keys(view)) if isinstance(view, Hashable) else []
    attr = options.get('attr')
    if attr and inspect.isclass(view):
        method = inspect.getattr_static(view, attr, None)
        if method is not None and isinstance(method, Hashable):
            keys.append(scope_key(method))
    keys.extend(options.get('hook_scope') or ())
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

    def __init__(
        self, view: object, options: Mapping[str, Any], registry: Registry
    ) -> None:
        #: the original view callable (function, class or instance)
        self.view = view
        #: the method of a class-based view, or ``None``
        self.attr: str | None = options.get('attr')
        #: the route of the view, or ``None``
        self.route_name: str | None = options.get('route_name')
        #: the view name (``''`` by default)
        self.name: str = options.get('name') or ''
        #: Pyramid's view options mapping
        self.options = options
        #: the application registry
        self.registry = registry

    @property
    def settings(self) -> Mapping[str, Any]:
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


def class_caller(info):
    """``(cls, make_call)`` when the view being derived is served by an
    instance of the class *cls*, else ``(None, None)``.  ``make_call(name)``
    is the ``call(context, request)`` that runs the method *name* on a new
    instance, as the view itself is run: for a class view, through Pyramid's
    own ``mapped_view`` deriver with ``attr=name`` (the view's ``mapper=``,
    its ``__view_mapper__``, the registered ``IViewMapperFactory`` or the
    default one: ``cls(request)`` or ``cls(context, request)``); for a
    controller handler, as its ``method_caller`` option says."""
    view = info.original_view
    given = info.options.get('method_caller')
    if given is not None:
        return given
    if not inspect.isclass(view):
        return None, None
    registry = info.registry

    def make_call(name):
        options = {**info.options, 'attr': name}
        mapping = SimpleNamespace(options=options, registry=registry)
        return mapped_view(view, mapping)

    return view, make_call


def _method_name(cls, handler):
    """The name under which *handler* is a function of *cls* (found in the
    ``__dict__`` of a class of its MRO, as TurboGears passes it from the
    class body), *handler* itself when it is a name without a dot, or
    ``None``."""
    if isinstance(handler, str):
        return handler if handler.isidentifier() else None
    if cls is None:
        return None
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if value is handler:
                return name
    return None


def error_handler_of(info, handler):
    """``(function, call)`` of the view option ``error_handler=``
    *handler*: the function its listeners and wrappers are scoped to
    (``view=handler``) and its ``call(context, request)``.  A function of
    the view's class, or its name without a dot, runs on a new instance of
    the class (:func:`class_caller`), as the view does; any other callable
    or dotted name is called as ``handler(request)``.  Whatever cannot be
    called so is a ConfigurationError naming the view and the handler."""
    cls, make_call = class_caller(info)
    name = _method_name(cls, handler)
    if name is None:
        handler = resolve_option(info, 'error_handler', handler, ('request',))
        return handler, lambda context, request: handler(request)
    what = (
        f'error_handler={handler!r} of view {object_name(info.original_view)}'
    )
    if cls is None:
        raise ConfigurationError(
            f"{what}: a name without a dot names a method of the view's "
            'class, and this view is not served by a class; give the '
            'callable or its dotted name (package.module.function)'
        )
    function = inspect.getattr_static(cls, name, None)
    if not inspect.isfunction(function):
        methods = [
            n
            for n in dir(cls)
            if inspect.isfunction(inspect.getattr_static(cls, n))
        ]
        hint = did_you_mean(name, methods)
        raise ConfigurationError(
            f'{what}: {object_name(cls)} has no method {name!r}'
            f'{"; " + hint if hint else ""}'
        )
    problem = call_problem(function, ('self',))
    if problem is not None:
        raise ConfigurationError(
            f'{what}: {object_name(function)} is called on an instance of '
            f'{object_name(cls)} as the view is, with no argument but '
            f'self; give its other parameters defaults ({problem})'
        )
    return function, make_call(name)


def error_handler_keys(info):
    """The scope keys of the view's ``error_handler=`` (``view=handler``),
    or ``None`` when it has none."""
    handler = info.options.get('error_handler')
    if handler is None:
        return None
    return (scope_key(error_handler_of(info, handler)[0]),)


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


class ViewDeriver(Protocol):
    """A view deriver with the view options it accepts: Pyramid lets
    ``add_view`` take the names in its ``options``."""

    options: tuple[str, ...]

    def __call__(self, view: Any, info: Any) -> Any: ...


def accepts(*options: str) -> Callable[[Callable[..., Any]], ViewDeriver]:
    """Declare the view *options* that the decorated deriver accepts."""

    def declare(deriver: Any) -> ViewDeriver:
        deriver.options = options
        return deriver

    return declare


@accepts('controller_wrappers')
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


#: The hooks the lifecycle deriver runs (``after_render`` has its own).
LIFECYCLE_HOOKS = PIPELINE_HOOKS[:3]


def before_render_with(listeners, registry, request, params, result):
    """Notify the ``before_render`` *listeners* of the view's (or its
    error handler's) *result* unless it is a response; return *result*."""
    if listeners and as_response(result, registry) is None:
        for listener in listeners:
            listener(request, params, result)
    return result


@accepts('validate', 'error_handler', 'params_class')
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
        handler, call_handler = error_handler_of(info, handler)
        if validate is None:
            raise ConfigurationError(
                f'error_handler= of view {object_name(info.original_view)} '
                'needs validate=: the handler runs when the validator raises '
                'pyramid_hooks.Invalid'
            )
        handler_keys = (scope_key(handler),)
        _, handler_before_call, handler_before_render = listeners(handler_keys)
        handler_call = compose_controller_wrappers(
            call_handler,
            handler_keys,
            (),
            WrapperInfo(handler, info.options, registry),
            app_wide,
        )
    view_params = info.options.get('params_factory')
    hand_off = view_params is not None
    make_params = view_params
    if view_params is None:
        make_params = (info.options.get('params_class') or LazyParams).of

    def invalid(context, request, params, errors):
        request.validation_errors = errors
        if handler is None:
            raise bad_request(request, errors)
        for listener in handler_before_call:
            listener(request, params)
        if hand_off:  # a controller's handler gets what it accepts of them
            request.hook_params = params
        result = handler_call(context, request)
        return before_render_with(
            handler_before_render, registry, request, params, result
        )

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
        result = view(context, request)
        return before_render_with(
            before_render, registry, request, params, result
        )

    return lifecycle


def after_render_view(view, info):
    """The ``after_render`` deriver (between ``decorated_view`` and
    ``rendered_view``): its listeners see the final response."""
    registry = info.registry
    ns = get_hooks(registry).default
    if not ns.has_listeners('after_render'):
        return view
    keys, app_wide = view_scope(info)
    listeners = ns.listeners_for('after_render', keys, app_wide)
    handler = error_handler_keys(info)
    handler_listeners = listeners
    if handler is not None:
        handler_listeners = ns.listeners_for('after_render', handler, app_wide)
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


#: The hooks of the render-call deriver, TurboGears' names.
RENDER_CALL_HOOKS = ('before_render_call', 'after_render_call')


def render_call_view(view, info):
    """The render-call deriver (right under Pyramid's ``rendered_view``):
    ``before_render_call(request, renderer_name, values)`` and
    ``after_render_call(request, renderer_name, values, response)`` around
    the renderer call of a view with a renderer that returned a value to
    render.  Pyramid offers no hook after its renderer call, so with
    listeners this deriver makes that call itself, as ``rendered_view``
    would (the view's renderer or ``request.override_renderer``, the view
    instance of a class view), and ``rendered_view`` passes the response
    on; without listeners the view is returned unchanged."""
    renderer = info.options.get('renderer')
    if renderer is None or renderer is null_renderer:
        return view
    registry = info.registry
    ns = get_hooks(registry).default
    if not any(map(ns.has_listeners, RENDER_CALL_HOOKS)):
        return view
    keys, app_wide = view_scope(info)
    handler = error_handler_keys(info)
    mine = [
        ns.listeners_for(hook, keys, app_wide) for hook in RENDER_CALL_HOOKS
    ]
    theirs = mine
    if handler is not None:
        theirs = [
            ns.listeners_for(hook, handler, app_wide)
            for hook in RENDER_CALL_HOOKS
        ]
    if not any((*mine, *theirs)):
        return view
    package = info.package

    def render_call(context, request):
        result = view(context, request)
        if as_response(result, registry) is not None:
            return result
        before, after = mine
        if handler is not None and (
            getattr(request, 'validation_errors', None) is not None
        ):
            before, after = theirs
        helper, view_inst = rendered_view_choice(
            request, renderer, view, package, registry
        )
        for listener in before:
            listener(request, helper.name, result)
        response = helper.render_view(request, result, view_inst, context)
        for listener in after:
            listener(request, helper.name, result, response)
        return response

    return render_call
