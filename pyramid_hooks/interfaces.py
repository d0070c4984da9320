"""The interfaces of ``pyramid_hooks``' registry utilities."""

from zope.interface import Interface


class IHookRegistry(Interface):
    """The application's :class:`pyramid_hooks.hooks.HookRegistry`."""


class IHooksSettings(Interface):
    """The :class:`pyramid_hooks.settings.HooksSettings` of an application."""


class IControllerWrappers(Interface):
    """The app-wide and scoped controller wrappers of an application."""


class IApplicationWrappers(Interface):
    """The application wrappers of an application, in registration order."""


class IWidgetRegistry(Interface):
    """The widgets mounted in an application, by id."""


class IControllerRegistry(Interface):
    """The activated :class:`pyramid_hooks.controllers.Controller` classes."""


class IApplicationMade(Interface):
    """``True`` once a WSGI application was made: registrations refused."""


class ITracing(Interface):
    """The :class:`pyramid_hooks.trace.Tracing` of a traced application."""
