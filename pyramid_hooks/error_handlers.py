"""The view option ``error_handler=`` (``docs/validation.rst``): which
function it is, how it is called, and its scope keys."""

import inspect

from pyramid.exceptions import ConfigurationError

from pyramid_hooks.interfaces import IClassViewNotes
from pyramid_hooks.scopes import route_key, scope_key
from pyramid_hooks.shared import (
    CALLBACK_MARKER,
    call_problem,
    did_you_mean,
    object_name,
    registry_utility,
    resolve_option,
    safe_repr,
)
from pyramid_hooks.workarounds import map_view


def class_caller(info):
    """``(cls, make_call, own_route)`` of a view served by an instance of
    *cls*, else ``(None, None, None)``; ``make_call(name)`` runs the
    method *name* as the view itself is run."""
    view = info.original_view
    given = info.options.get('method_caller')
    if given is not None:
        return given
    if not inspect.isclass(view):
        return None, None, None

    def make_call(name):
        return map_view(view, {**info.options, 'attr': name}, info.registry)

    return view, make_call, None


def own_route(info, handler):
    """``(scope keys, view options)`` of the routes of the controller
    handler *handler* names, else ``((), {})``: what guards them guards it."""
    cls, _, routes = class_caller(info)
    name = method_name(cls, handler)
    return ((), {}) if routes is None or name is None else routes(name)


def method_name(cls, handler):
    """The name of *handler* as a method of *cls* (TurboGears passes the
    function), *handler* itself when a name without a dot, or ``None``."""
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
    """``(function, call)`` of the view option ``error_handler=``."""
    cls, make_call, _ = class_caller(info)
    name = method_name(cls, handler)
    what = (
        f'error_handler={safe_repr(handler)} of view '
        f'{object_name(info.original_view)}'
    )
    if name is None:
        # another class's method (self first) is refused: the request as self
        handler = resolve_option(info, 'error_handler', handler, ('request',))
        function = getattr(handler, '__func__', None)  # bound: a callback?
        if CALLBACK_MARKER in getattr(function, '__dict__', ()) and (
            handler.__self__ is not getattr(info.original_view, '__self__', 0)
        ):  # its own widget's callbacks are checked by add_widget
            raise ConfigurationError(
                f'{what}: {object_name(handler)} is a server-side callback '
                "of a widget, run past the callback's own checks (its "
                'authorization, permission=, CSRF token) for the requests '
                'this view refuses; give a function of (request) that is no '
                'callback, or a method of the view'
            )
        return handler, lambda context, request: handler(request)
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
        raise ConfigurationError(
            f'{what}: {object_name(cls)} has no method {name!r}'
            f'{did_you_mean(name, methods, "; ")}'
        )
    # a controller's gets the parameters it takes (a missing one: a 400)
    problem = call_problem(function, ('self',))
    if problem is not None and 'method_caller' not in info.options:
        raise ConfigurationError(
            f'{what}: {object_name(function)} is called on an instance of '
            f'{object_name(cls)} as the view is, with no argument but '
            f'self; give its other parameters defaults ({problem})'
        )
    return function, make_call(name)


def error_handler_keys(info):
    """The scope keys of the view's ``error_handler=``, or ``None``: its
    own, its class's, and the view's route's (what guards it guards it)."""
    handler = info.options.get('error_handler')
    if handler is None:
        return None
    function = error_handler_of(info, handler)[0]
    # a controller handler's own routes' (a guard scoped to them)
    keys = (scope_key(function), *own_route(info, handler)[0])
    cls = class_caller(info)[0]
    if cls is not None and method_name(cls, handler) is not None:
        keys += (cls,)
    route_name = info.options.get('route_name')
    if route_name:
        keys += (route_key(route_name),)
    return keys


def note_class_view(info, validate):
    """Note a class view's resolved *validate* and the method its
    ``error_handler=`` names, for :func:`refuse_validated_handlers`."""
    cls, handler = info.original_view, info.options.get('error_handler')
    if validate is None or not inspect.isclass(cls):
        return  # an error_handler= without validate= is refused
    attr = info.options.get('attr')
    validated, handlers = registry_utility(
        info.registry, IClassViewNotes, lambda: ({}, [])
    )
    # by function: a subclass's view inherits it
    validated[inspect.getattr_static(cls, attr or '__call__', None)] = validate
    name = handler and method_name(cls, handler)
    if name is not None and name != attr:  # itself: TurboGears' default
        handlers.append((cls, attr, name, handler))


def refuse_validated_handlers(registry):
    """Refuse, once views are known, a class view's ``error_handler=``
    naming a view of the class with a ``validate=`` of its own: it does not
    run for the handler, which would take refused parameters as checked."""
    validated, handlers = registry.queryUtility(
        IClassViewNotes, default=({}, [])
    )
    for cls, attr, name, handler in handlers:
        validate = validated.get(inspect.getattr_static(cls, name, None))
        if validate is not None:
            raise ConfigurationError(
                f'error_handler={safe_repr(handler)} of view '
                f'{object_name(cls)} (attr {attr!r}): {name} is a '
                f'view with its own validate={object_name(validate)}, which '
                'does not run when it answers for this view (nor in '
                'TurboGears): it would take the refused parameters for '
                f'checked ones; move what {name} answers to a method both '
                'views call, or name one without validate='
            )
