"""The view derivers of pipeline hooks, validation and controller wrappers
(``docs/pipeline.rst``): each composes what applies to a view when it is
derived, and returns the view unchanged when nothing applies."""

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from pyramid.exceptions import ConfigurationError

from pyramid_hooks.dead_scopes import note_derived_view
from pyramid_hooks.decorators import check_scanned
from pyramid_hooks.error_handlers import (
    error_handler_keys,
    error_handler_of,
    note_class_view,
    own_route,
)
from pyramid_hooks.hook_specs import PIPELINE_HOOKS
from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.params import LazyParams
from pyramid_hooks.probes import traced_validator, tracing_enabled
from pyramid_hooks.render_calls import before_render_with, render_call_view
from pyramid_hooks.scopes import view_scope, view_scope_once
from pyramid_hooks.shared import (
    body_problem,
    object_name,
    resolve_option,
    shown_value,
)
from pyramid_hooks.validation import (
    Invalid,
    bad_request,
    forget_errors,
    not_params,
)
from pyramid_hooks.workarounds import as_response, deriver_options
from pyramid_hooks.wrapper_chains import (
    WrapperInfo,
    compose_controller_wrappers,
    controller_wrappers_view,
    resolved_wrappers,
)

#: Names of the derivers, for ``under=``/``over=`` of other derivers.
AFTER_RENDER = 'pyramid_hooks_after_render'
PIPELINE = 'pyramid_hooks_pipeline'


# How a view's ``params`` are made, in its view options: ``params_class=``
# (a widget callback's), or a controller handler's ``hook_scope=``,
# ``params_factory=`` and ``method_caller=`` (see ``class_caller``).


class ViewDeriver(Protocol):
    """A view deriver with the view options (``options``) it accepts."""

    options: tuple[str, ...]

    def __call__(self, view: Any, info: Any) -> Any: ...


def accepts(*options: str) -> Callable[[Callable[..., Any]], ViewDeriver]:
    """Declare the view *options* that the decorated deriver accepts."""

    def declare(deriver: Any) -> ViewDeriver:
        deriver.options = options
        return deriver

    return declare


#: The hooks the lifecycle step runs (``after_render`` has its own).
LIFECYCLE_HOOKS = PIPELINE_HOOKS[:3]


def own_validator(registry, options):
    """The view's ``validate=`` unless another add-on's deriver declares
    ``validate`` too and the value is neither callable nor a dotted name."""
    validate = options.get('validate')
    if (
        validate is None
        or callable(validate)
        or isinstance(validate, str)
        or 'validate' not in deriver_options(registry, but=pipeline_view)
    ):
        return validate
    return None


def lifecycle_view(view, info, scope=None):
    """The lifecycle step: ``before_validate``, ``validate=``,
    ``before_call``, the view, ``before_render``."""
    registry = info.registry
    ns = get_hooks(registry).default
    validate = own_validator(registry, info.options)
    handler = info.options.get('error_handler')
    validating = validate is not None or handler is not None
    if not (validating or any(map(ns.has_listeners, LIFECYCLE_HOOKS))):
        return view
    keys, app_wide = scope() if scope else view_scope(info)
    if not (validating or ns.runs_any(LIFECYCLE_HOOKS, keys, app_wide)):
        return view

    def listeners(scope):
        return [
            ns.listeners_for(hook, scope, app_wide) for hook in LIFECYCLE_HOOKS
        ]

    before_validate, before_call, before_render = listeners(keys)
    # the after_render step puts back an outer view's params
    restores = not any(after_render_listeners(info, ns, keys, app_wide))
    if validate is not None:
        validate = resolve_option(
            info, 'validate', validate, ('request', 'params')
        )
        validator_name = object_name(validate)
    note_class_view(info, validate)
    if validate is not None and tracing_enabled(registry):
        validate = traced_validator(validate, Invalid)
    if handler is not None:
        # its own route's controller_wrappers= (a guard of that route)
        own_wrappers = resolved_wrappers(info, own_route(info, handler)[1])
        handler, call_handler = error_handler_of(info, handler)
        if validate is None:
            raise ConfigurationError(
                f'error_handler= of view {object_name(info.original_view)} '
                'needs validate=: the handler runs when the validator raises '
                'pyramid_hooks.Invalid'
            )
        problem = body_problem(handler, generators=True)
        if problem is not None:  # a 200 rendering a generator, or a 500
            raise ConfigurationError(
                f'error_handler= of view {object_name(info.original_view)}: '
                f'{object_name(handler)} cannot answer ({problem})'
            )
        handler_keys = error_handler_keys(info)
        _, handler_before_call, handler_before_render = listeners(handler_keys)
        # its own guards (before_validate, which did not run for it)
        own = [key for key in handler_keys if key not in keys]
        handler_before_call = (
            *ns.listeners_for('before_validate', own, False),
            *handler_before_call,
        )
        handler_call = compose_controller_wrappers(
            call_handler,
            handler_keys,
            own_wrappers,
            WrapperInfo(handler, info.options, registry),
            app_wide,
        )
    unrendered = info.options.get('renderer') is None
    make_params = info.options.get('params_factory')
    if make_params is None:
        make_params = (info.options.get('params_class') or LazyParams).of

    def invalid(context, request, params, errors, outer):
        request.validation_errors = errors
        if handler is None:
            raise bad_request(request, errors)
        for listener in handler_before_call:
            listener(request, params)
        request.hook_params = params  # a controller's handler: its args
        result = handler_call(context, request)
        request.validation_errors = errors  # not a view's it called
        result = before_render_with(
            handler_before_render, registry, request, params, result
        )
        if unrendered:  # Pyramid would blame the view, which never ran
            response = as_response(result, registry)  # adapted once
            if response is None:
                raise TypeError(
                    f'The error_handler {object_name(handler)} of view '
                    f'{object_name(info.original_view)} returned '
                    f'{shown_value(result)}; the view has no renderer=, so '
                    'it must return a response (or give the view a renderer=)'
                )
            result = response
        if outer is not None and restores:  # the outer view's, after it
            request.hook_params = outer
        return result

    def lifecycle(context, request):
        outer = getattr(request, 'hook_params', None)  # render_view's caller
        try:
            if validate is not None:  # nor an earlier call's (render_view)
                if request is None:  # Pyramid's permission= fails there too
                    raise TypeError(
                        f'view {object_name(info.original_view)} has '
                        'validate= and was called with request=None: call '
                        'it with a request (pyramid.testing.DummyRequest)'
                    )
                forget_errors(request)
            params = make_params(request)
            for listener in before_validate:
                listener(request, params)
            if validate is not None:
                try:
                    validated = validate(request, params)
                except Invalid as e:
                    return invalid(context, request, params, e.errors, outer)
                if validated is not None:
                    if not isinstance(validated, Mapping):
                        raise not_params(
                            validator_name, validated, info.original_view
                        )
                    params = validated
            for listener in before_call:
                listener(request, params)
            if request is not None:  # called without one (Pyramid's too)
                request.hook_params = params
            result = view(context, request)
            if validate is not None:  # not a view's it called
                forget_errors(request)
            if outer is not None:  # nor their params
                request.hook_params = params
            result = before_render_with(
                before_render, registry, request, params, result
            )
            if outer is not None and restores:  # the outer view's, after it
                request.hook_params = outer
            return result
        except BaseException:  # an error it catches leaves it its own
            if outer is not None:
                request.hook_params = outer
            raise

    return lifecycle


@accepts('controller_wrappers', 'validate', 'error_handler', 'params_class')
def pipeline_view(view, info):
    """The pipeline deriver, between ``rendered_view`` and ``mapped_view``:
    the controller wrappers, lifecycle and render-call hooks (one deriver:
    each costs startup time for every view)."""
    check_scanned(info)
    scope = view_scope_once(info)
    note_derived_view(info, scope)
    inner = controller_wrappers_view(view, info, scope)
    inner = lifecycle_view(inner, info, scope)
    return render_call_view(inner, info, scope)


def after_render_listeners(info, ns, keys, app_wide):
    """``(listeners, its error handler's)`` of ``after_render`` for the
    view (*keys*); the same list twice when it has no handler."""
    if not ns.has_listeners('after_render'):
        return (), ()
    listeners = ns.listeners_for('after_render', keys, app_wide)
    handler = error_handler_keys(info)
    if handler is None:
        return listeners, listeners
    return listeners, ns.listeners_for('after_render', handler, app_wide)


def after_render_view(view, info):
    """The ``after_render`` deriver (over ``rendered_view``): its listeners
    see the final response, and ``request.hook_params`` the view's."""
    ns = get_hooks(info.registry).default
    if not ns.has_listeners('after_render'):
        return view
    keys, app_wide = view_scope(info)
    listeners, handler_listeners = after_render_listeners(
        info, ns, keys, app_wide
    )
    if not listeners and not handler_listeners:
        return view
    handler = error_handler_keys(info)

    def after_render(context, request):
        outer = getattr(request, 'hook_params', None)
        try:
            response = view(context, request)
            chosen = listeners
            if handler is not None and (
                getattr(request, 'validation_errors', None) is not None
            ):
                chosen = handler_listeners
            for listener in chosen:
                listener(request, response)
            return response
        finally:  # raising too: an error the caller catches
            if outer is not None:
                request.hook_params = outer

    return after_render
