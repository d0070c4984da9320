"""Application wrappers: the runtime side.

An application wrapper is TurboGears' request-to-response wrapper, run
inside Pyramid: it receives the :class:`pyramid.request.Request` (with the
registry, renderers and security policy available) and returns a response.
All the application wrappers of an application run inside ONE tween,
:func:`application_wrappers_tween_factory`, that ``pyramid_hooks`` places
over Pyramid's exception-view tween.  The tween factory runs once, when the
WSGI application is made: it constructs every wrapper exactly once, leaves
out those whose ``injected`` is false, and returns the chain as the tween
(exceptions raised by the wrappers themselves are rendered by the exception
views once every wrapper has unwound; those from below propagate
unchanged).  With no wrapper registered (or none
injected) it returns Pyramid's handler itself, so an application that does
not use the feature does no extra work per request.

The configuration side (the ``add_application_wrapper`` directive and the
ordering rules) is :mod:`pyramid_hooks.config.application_wrappers`.
"""

import abc
import functools

from pyramid.exceptions import ConfigurationError

from pyramid_hooks.interfaces import IApplicationMade, IApplicationWrappers
from pyramid_hooks.shared import call_problem, describe_info, object_name
from pyramid_hooks.trace import (
    next_probe,
    traced_application_wrapper,
    tracing_enabled,
)

#: The dotted name of the tween, as ``ptweens`` shows it and as an
#: explicit ``pyramid.tweens`` list must spell it.
TWEEN_NAME = 'pyramid_hooks.wrappers.application_wrappers_tween_factory'

#: How an application wrapper is called, for the messages refusing one
#: that cannot be (TurboGears' own form is the usual mistake).
CALL_FORM = (
    'an application wrapper is called as wrapper(request) and returns a '
    "response; TurboGears' form __call__(self, controller, environ, "
    'context) is not supported: the environ is request.environ, the '
    'context request.context, and self.next_handler(request) calls the '
    'next handler'
)


class ApplicationWrapper(abc.ABC):
    """Base class of application wrappers.

    A subclass implements ``__call__(self, request) -> response``.  It may
    call ``self.next_handler(request)`` (the next wrapper inward, or
    Pyramid's exception-view tween and the rest of the application), change
    or replace what it returns, or answer without calling it at all.

    The wrapper is constructed once per application, when the WSGI
    application is made, as ``Wrapper(next_handler, registry)``: expensive
    set-up belongs in ``__init__``, not in ``__call__``.
    """

    def __init__(self, next_handler, registry):
        #: the next handler inward: ``next_handler(request) -> response``
        self.next_handler = next_handler
        #: the application registry
        self.registry = registry

    @property
    def settings(self):
        """The application's deployment settings (``registry.settings``)."""
        return self.registry.settings

    @property
    def injected(self):
        """Whether the wrapper takes part in the chain.

        Override it to return ``False`` (for example from a setting read in
        ``__init__``) and the wrapper is left out of the chain entirely: it
        costs nothing per request.
        """
        return True

    @abc.abstractmethod
    def __call__(self, request):
        """Handle *request* and return a response."""
        raise NotImplementedError

    def __repr__(self):
        return f'<{object_name(type(self))} around {self.next_handler!r}>'


def build_chain(handler, registry, registrations):
    """Construct the wrappers of *registrations* (innermost first) around
    *handler* and return ``(outermost handler, [(registration, wrapper),
    ...])``, the second item listing the injected wrappers outermost
    first."""
    built = []
    below = _mark_exceptions(handler)
    wrapped = below
    tracing = tracing_enabled(registry)
    for registration in registrations:
        given = next_probe(wrapped, 0) if tracing else wrapped
        wrapper = registration.factory(given, registry)
        if not getattr(wrapper, 'injected', True):
            continue
        problem = call_problem(wrapper, ('request',))
        if problem is not None:
            raise ConfigurationError(
                f'Application wrapper {registration.name!r} '
                f'({object_name(registration.factory)}, registered at '
                f'{describe_info(registration.info)}) returned {wrapper!r} '
                'when constructed: it must be callable as wrapper(request) '
                f'({problem}); {CALL_FORM}'
            )
        built.append((registration, wrapper))
        wrapped = wrapper
        if tracing:
            wrapped = traced_application_wrapper(
                wrapper, registration.name, describe_info(registration.info)
            )
    built.reverse()
    if not built:
        return handler, built
    return _render_exceptions(wrapped), built


#: The request attribute holding the last exception that came from below
#: the application wrappers (set only when one did).
FROM_BELOW = 'pyramid_hooks_exception_from_below'


def _mark_exceptions(handler):
    """*handler* (Pyramid's exception-view tween and the application
    below it) as the innermost wrapper's ``next_handler``: an exception
    it raises is remembered on the request, so that the tween lets it
    through unchanged (see :func:`_render_exceptions`).  It keeps
    *handler*'s name, and ``__wrapped__`` is *handler*."""

    @functools.wraps(handler)
    def from_below(request):
        try:
            return handler(request)
        except Exception as e:
            setattr(request, FROM_BELOW, e)
            raise

    return from_below


def _render_exceptions(outermost):
    """The tween itself: the chain, whose own exceptions (a wrapper that
    raises ``HTTPForbidden``, say) are rendered by the application's
    exception views once every wrapper has unwound, as Pyramid's
    exception-view tween would have rendered them had they been raised
    below it.  An exception no exception view matches propagates.

    Only the wrappers' own exceptions are rendered: one that came from
    below (raised by an exception view, by a tween between this one and
    Pyramid's exception-view tween, or one no exception view took, which
    an execution policy or the WSGI server must see) propagates as it
    would without the wrappers, also when a wrapper let it through with a
    bare ``raise``.  The innermost wrapper's ``next_handler`` marks those
    (:func:`_mark_exceptions`); a wrapper that raises another exception
    in their place (``raise HTTPForbidden() from e``) has it rendered."""

    def application_wrappers_tween(request):
        try:
            return outermost(request)
        except Exception as e:
            if getattr(request, FROM_BELOW, None) is e:
                raise
            return request.invoke_exception_view(reraise=True)

    #: the outermost wrapper, to walk the chain through ``next_handler``
    application_wrappers_tween.next_handler = outermost
    return application_wrappers_tween


def application_wrappers_tween_factory(handler, registry):
    """The tween of the application wrappers (placed over
    :data:`pyramid.tweens.EXCVIEW`).

    Returns the chain (its outermost wrapper is the ``next_handler``
    attribute of the returned tween), or *handler* itself when the
    application has no (injected) wrapper.

    Pyramid calls it once, when it makes the WSGI application, so it also
    notes that the application was made (:class:`IApplicationMade`: later
    registrations are refused).  Pyramid's ``ApplicationCreated`` event
    would say the same, but any subscriber makes Pyramid's router notify
    its events on every request.
    """
    wrappers = registry.queryUtility(IApplicationWrappers)
    tween = handler if wrappers is None else wrappers.build(handler, registry)
    registry.registerUtility(True, IApplicationMade)
    return tween
