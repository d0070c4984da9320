"""The controller-wrappers step of the pipeline deriver
(``docs/controller_wrappers.rst``): the wrappers that apply to a view
composed into one ``call(context, request)``, checked at startup."""

from collections.abc import Mapping
from functools import partial
from types import FunctionType, MethodType
from typing import Any

from pyramid.exceptions import ConfigurationError
from pyramid.registry import Registry

from pyramid_hooks.interfaces import IControllerWrappers
from pyramid_hooks.probes import (
    next_probe,
    traced_controller_wrapper,
    tracing_enabled,
    where_registered,
)
from pyramid_hooks.scopes import view_scope
from pyramid_hooks.shared import (
    call_problem,
    object_name,
    positional_problem,
    resolve_option,
    shortened,
    shown_value,
)
from pyramid_hooks.wrappers import ApplicationWrapper


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


def wrapper_arity(wrapper, what):
    """2 for a factory called as ``wrapper(next_caller, info)``, 1 for
    ``wrapper(next_caller)``; a ConfigurationError about *what* otherwise."""
    if isinstance(wrapper, type) and issubclass(wrapper, ApplicationWrapper):
        raise ConfigurationError(
            f'{what}: {object_name(wrapper)} is an application wrapper (a '
            'pyramid_hooks.ApplicationWrapper, called as wrapper(request)), '
            'not a controller wrapper: register it with '
            'config.add_application_wrapper or the hooks.application_wrappers '
            'setting'
        )
    if call_problem(wrapper, ('next_caller', 'info'), 'unreadable') is None:
        return 2
    if call_problem(wrapper, ('next_caller',)) is None:
        return 1
    raise ConfigurationError(
        f'{what}: {object_name(wrapper)} must accept (next_caller) or '
        '(next_caller, info): a controller wrapper is called as '
        'wrapper(next_caller) or wrapper(next_caller, info)'
    )


def _factory_failed(wrapper, arity, wrappers, option, winfo, exc):
    """The message for the controller wrapper factory *wrapper* that
    raised *exc* for the view of *winfo*: where it was registered, the fix."""
    if option:
        where = 'the controller_wrappers= option of the view'
    else:
        where = where_registered(wrappers.infos.get(wrapper), wrapper)
    call = (
        'wrapper(next_caller, info)' if arity == 2 else 'wrapper(next_caller)'
    )
    return (
        f'Controller wrapper {object_name(wrapper)} (registered at {where}) '
        f'raised {type(exc).__name__} ({shortened(str(exc), 80)}) when '
        f'called as {call} for view {object_name(winfo.view)}: a controller '
        'wrapper is a factory returning call(context, request) (or '
        f'next_caller itself); fix it, or remove it from {where}'
    )


def compose_controller_wrappers(
    caller, keys, option_wrappers, winfo, app_wide=True
):
    """Wrap *caller* (``call(context, request)``) in the controller
    wrappers registered for a view with scope *keys* (app-wide ones
    innermost), then in *option_wrappers*, ``(wrapper, arity, None)``
    triples like those of the registered ones."""
    wrappers = winfo.registry.queryUtility(IControllerWrappers)
    chain = () if wrappers is None else wrappers.for_keys(keys, app_wide)
    tracing = tracing_enabled(winfo.registry)
    for index, (wrapper, arity, _) in enumerate(chain + option_wrappers):
        given = next_probe(caller, 1) if tracing else caller
        try:
            wrapped = wrapper(given, winfo) if arity == 2 else wrapper(given)
        except ConfigurationError:  # the wrapper's own refusal, as it says
            raise
        except Exception as e:
            # Pyramid would name only the add_view line: name the wrapper
            option = index >= len(chain)
            raise ConfigurationError(
                _factory_failed(wrapper, arity, wrappers, option, winfo, e)
            ) from e
        if wrapped is given:  # this view is left unwrapped
            continue
        if wrapped.__class__ is not FunctionType and (
            not callable(wrapped) or isinstance(wrapped, type)
        ):  # a class: builtins.type(next_caller), unreadable when registered
            where = where_registered(
                None if wrappers is None else wrappers.infos.get(wrapper),
                wrapper,
            )
            raise ConfigurationError(
                f'Controller wrapper {object_name(wrapper)} returned '
                f'{shown_value(wrapped)} for view {object_name(winfo.view)}'
                ': it must return call(context, request) (or next_caller '
                f'itself); it is registered at {where}'
            )
        # an async or generator call would never run, nor the view; a wrong
        # signature would fail each time
        problem = positional_problem(wrapped, 2, True)  # generators too
        if problem is not None:
            raise ConfigurationError(
                f'Controller wrapper {object_name(wrapper)} returned '
                f'{object_name(wrapped)} for view {object_name(winfo.view)}'
                f', which cannot be called as call(context, request) '
                f'({problem}): make it call(context, request)'
            )
        # Pyramid sets attributes on the view; a method takes none
        if wrapped.__class__ is MethodType:
            wrapped = partial(wrapped)
        if tracing:
            info = None if wrappers is None else wrappers.infos.get(wrapper)
            where = where_registered(info, wrapper)
            wrapped = traced_controller_wrapper(
                wrapped, wrapper, where, object_name(winfo.view)
            )
        caller = wrapped
    return caller


def given_wrappers(options):
    """The wrappers of the ``controller_wrappers=`` option in *options*."""
    given = options.get('controller_wrappers') or ()
    return (given,) if callable(given) or isinstance(given, str) else given


def resolved_wrappers(info, options):
    """The ``(wrapper, arity, None)`` triples of the ``controller_wrappers=``
    option in *options* (the view's, or its error handler's own route's)."""
    found = ()
    for wrapper in given_wrappers(options):
        wrapper = resolve_option(info, 'controller_wrappers', wrapper)
        what = (
            f'controller_wrappers= of view {object_name(info.original_view)}'
        )
        found += ((wrapper, wrapper_arity(wrapper, what), None),)
    return found


def controller_wrappers_view(view, info, scope=None):
    """The controller-wrappers step (innermost, over ``mapped_view``): the
    wrappers see the view's raw result; *scope* is *info*'s view scope."""
    option_wrappers = resolved_wrappers(info, info.options)
    registered = info.registry.queryUtility(IControllerWrappers)
    if not (option_wrappers or (registered and registered.registrations)):
        return view
    keys, app_wide = scope() if scope else view_scope(info)
    winfo = WrapperInfo(info.original_view, info.options, info.registry)
    return compose_controller_wrappers(
        view, keys, option_wrappers, winfo, app_wide
    )
