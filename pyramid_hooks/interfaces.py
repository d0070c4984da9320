"""Marker interfaces under which ``pyramid_hooks`` keeps its per-application
state in the Pyramid registry (registry utilities, never module globals)."""

from zope.interface import Interface


class IHookRegistry(Interface):
    """The application's :class:`pyramid_hooks.hooks.HookRegistry`."""


class IHooksSettings(Interface):
    """The parsed ``hooks.*`` settings
    (:class:`pyramid_hooks.settings.HooksSettings`)."""


class IControllerWrappers(Interface):
    """The app-wide and scoped controller wrappers of an application."""


class IApplicationWrappers(Interface):
    """The application wrappers of an application, in registration order."""


class IWidgetRegistry(Interface):
    """The widgets mounted in an application, by id."""


class IControllerRegistry(Interface):
    """The activated :class:`pyramid_hooks.controllers.Controller` classes."""


class IApplicationMade(Interface):
    """Registered (as ``True``) once a WSGI application was made from the
    registry; ``pyramid_hooks`` refuses registrations from then on."""


class ITracing(Interface):
    """Present when the application records a per-request trace
    (:class:`pyramid_hooks.trace.Tracing`)."""
