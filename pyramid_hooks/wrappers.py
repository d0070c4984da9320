"""Application wrappers, the run-time side: TurboGears' request-to-response
wrappers, run inside ONE tween over Pyramid's exception-view tween
(``docs/application_wrappers.rst``)."""

import abc
import functools
from collections.abc import Callable, Mapping
from typing import Any

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPException
from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response

from pyramid_hooks.dead_scopes import refuse_dead_scopes
from pyramid_hooks.error_handlers import refuse_validated_handlers
from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.interfaces import (
    IApplicationMade,
    IApplicationWrappers,
)
from pyramid_hooks.probes import (
    next_probe,
    traced_application_wrapper,
    tracing_enabled,
)
from pyramid_hooks.shared import (
    body_problem,
    call_problem,
    describe_info,
    object_name,
    shortened,
    shown_value,
)
from pyramid_hooks.workarounds import as_response

#: The dotted name of the tween, as ``ptweens`` and ``pyramid.tweens``.
TWEEN_NAME = 'pyramid_hooks.wrappers.application_wrappers_tween_factory'

#: How an application wrapper is called, for the messages refusing one.
CALL_FORM = (
    'an application wrapper is called as wrapper(request) and returns a '
    "response; TurboGears' form __call__(self, controller, environ, "
    'context) is not supported: the environ is request.environ, '
    "TurboGears' context.request is the request, context.app_globals and "
    'context.config are request.registry and request.registry.settings '
    '(self.registry and self.settings), and self.next_handler(request) '
    'calls the next handler'
)

#: The request attribute holding the last exception from below the wrappers.
FROM_BELOW = 'pyramid_hooks_exception_from_below'


class ApplicationWrapper(abc.ABC):
    """Base class of application wrappers: a subclass implements
    ``__call__(self, request) -> response`` and may call
    ``self.next_handler(request)`` (the next wrapper inward, or the rest of
    the application), change what it returns, or answer by itself.

    It is constructed once, when the WSGI application is made, as
    ``Wrapper(next_handler, registry)``: expensive set-up belongs in
    ``__init__``.
    """

    def __init__(
        self, next_handler: Callable[[Request], Response], registry: Registry
    ) -> None:
        #: the next handler inward: ``next_handler(request) -> response``
        self.next_handler = next_handler
        #: the application registry
        self.registry = registry

    @property
    def settings(self) -> Mapping[str, Any]:
        """The application's deployment settings (``registry.settings``)."""
        return self.registry.settings

    @property
    def injected(self) -> bool:
        """Whether the wrapper takes part in the chain: return ``False``
        (say, from a setting read in ``__init__``) and it is left out, at no
        cost per request."""
        return True

    @staticmethod
    def failed(request: Request) -> bool:
        """Whether *request* failed although a response came back from
        ``next_handler``: an exception view answered an exception raised
        below the wrappers (``request.exception``), other than an HTTP
        exception raised as the answer (``raise HTTPFound(...)``), as
        TurboGears counts failures."""
        exception = request.exception
        return exception is not None and not isinstance(
            exception, HTTPException
        )

    @abc.abstractmethod
    def __call__(self, request: Request) -> Response:
        """Handle *request* and return a response."""

    def __repr__(self):
        return f'<{object_name(type(self))} around {self.next_handler!r}>'


def build_chain(handler, registry, registrations):
    """Construct the wrappers of *registrations* (innermost first) around
    *handler*: the tween (*handler* when none is injected) and the injected
    ``(registration, wrapper)`` pairs, outermost first."""

    @functools.wraps(handler)
    def from_below(request):
        try:
            return handler(request)
        except Exception as e:
            setattr(request, FROM_BELOW, e)
            raise

    built = []
    outermost = from_below
    tracing = tracing_enabled(registry)
    for registration in registrations:
        given = next_probe(outermost, 0) if tracing else outermost
        try:
            wrapper = registration.factory(given, registry)
        except ConfigurationError:  # the wrapper's own refusal, as it says
            raise
        except Exception as e:  # builtins.type: unchecked when registered
            raise ConfigurationError(
                f'Application wrapper {registration.name!r} '
                f'({object_name(registration.factory)}, registered at '
                f'{describe_info(registration.info)}) raised '
                f'{type(e).__name__} ({shortened(str(e), 80)}) when called '
                'as Wrapper(next_handler, registry): an application wrapper '
                'is a class (pyramid_hooks.ApplicationWrapper) or a factory '
                'so called, making wrapper(request)'
            ) from e
        injected = (  # a property's AttributeError: no getattr() default
            wrapper.injected
            if hasattr(type(wrapper), 'injected')
            else getattr(wrapper, 'injected', True)
        )
        if injected.__class__ is not bool:
            # a setting's text: 'false' is true, and the wrapper would run
            why = (
                'a method: make it a @property'
                if callable(injected)
                else f'{shown_value(injected)}, not True or False; a '
                'setting is text: read it with pyramid.settings.asbool()'
            )
            raise ConfigurationError(
                f'Application wrapper {registration.name!r} '
                f'({object_name(registration.factory)}, registered at '
                f'{describe_info(registration.info)}): its injected is {why}'
            )
        if not injected:
            continue
        if isinstance(wrapper, ApplicationWrapper) and not hasattr(
            wrapper, 'next_handler'
        ):  # a 500 per request, an AttributeError
            raise ConfigurationError(
                f'Application wrapper {registration.name!r} '
                f'({object_name(registration.factory)}, registered at '
                f'{describe_info(registration.info)}) has no next_handler: '
                'its __init__ must call super().__init__(next_handler, '
                'registry)'
            )
        problem = call_problem(wrapper, ('request',)) or body_problem(
            wrapper, generators=True
        )
        if problem is not None:
            raise ConfigurationError(
                f'Application wrapper {registration.name!r} '
                f'({object_name(registration.factory)}, registered at '
                f'{describe_info(registration.info)}) returned '
                f'{shown_value(wrapper)} when constructed: it must be '
                'callable as wrapper(request) '
                f'({problem}); {CALL_FORM}'
            )
        built.insert(0, (registration, wrapper))
        outermost = wrapper
        if tracing:
            outermost = traced_application_wrapper(
                wrapper, registration.name, describe_info(registration.info)
            )
    if not built:
        return handler, built

    def application_wrappers_tween(request):
        try:
            response = outermost(request)
            if response.__class__ is not Response:
                response = checked_response(response, request, built)
            return response
        except Exception as e:
            if getattr(request, FROM_BELOW, None) is e:
                raise
            return request.invoke_exception_view(reraise=True)
        finally:
            # the request would hold the exception: a reference cycle
            if hasattr(request, FROM_BELOW):
                delattr(request, FROM_BELOW)

    #: the outermost wrapper, to walk the chain through ``next_handler``
    application_wrappers_tween.next_handler = outermost
    return application_wrappers_tween, built


def checked_response(result, request, built):
    """*result* of the chain *built* as a response (adapted as a view's
    result), else a :exc:`TypeError` naming the wrappers."""
    response = as_response(result, request.registry)
    if response is not None:
        return response
    outer = built[0][0]
    inner = ', '.join(repr(r.name) for r, _ in built[1:])
    source = f' (or passed it on from a wrapper inside it: {inner})'
    raise TypeError(
        f'The application wrapper {outer.name!r} (registered at '
        f'{describe_info(outer.info)}) returned '
        f'{shown_value(result)} instead of a '
        f'response{source if inner else ""}: a wrapper returns the '
        'response of self.next_handler(request), or one of its own'
    )


def note_application_made(registry):
    """Note that the WSGI application of *registry* is made (a later
    registration is refused); refuse it when the ``*_wsgi_middlewares``
    hooks have listeners but :func:`pyramid_hooks.make_wsgi_app` did not."""
    hooks = get_hooks(registry)
    if hooks is not None and not hooks.making_wsgi_app:
        unapplied = [
            r.describe()
            for name in ('before_wsgi_middlewares', 'after_wsgi_middlewares')
            for r in hooks.default.registrations_for(name)
        ]
        if unapplied:
            listeners = ' and the listener '.join(unapplied)
            raise ConfigurationError(
                f'The listener {listeners} wrap{"s" * (len(unapplied) < 2)} '
                'the WSGI application only when '
                'pyramid_hooks.make_wsgi_app(config) makes it, and it was '
                'made another way (config.make_wsgi_app(), Router(registry)): '
                'make it with pyramid_hooks.make_wsgi_app(config) (for pserve '
                'and an ini file, a main(global_config, **settings) that '
                'returns it)'
            )
    refuse_dead_scopes(registry, hooks)
    refuse_validated_handlers(registry)
    registry.registerUtility(True, IApplicationMade)


def application_wrappers_tween_factory(handler, registry):
    """The tween of the application wrappers (see :func:`build_chain`);
    called once, it notes that the application is made (a subscriber to
    ``ApplicationCreated`` would make Pyramid notify events per request)."""
    wrappers = registry.queryUtility(IApplicationWrappers)
    tween = handler
    if wrappers is not None:
        tween, wrappers.chain = build_chain(
            handler, registry, wrappers.innermost_first()
        )
    note_application_made(registry)
    return tween
