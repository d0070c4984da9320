"""The interfaces of ``pyramid_hooks``' registry utilities, and the
categories of its introspectables."""

from zope.interface import Interface

#: Introspectable categories (shown by pyramid_debugtoolbar and ``phooks``).
CATEGORY_NAMESPACES = 'pyramid_hooks namespaces'
CATEGORY_HOOKS = 'pyramid_hooks hooks'
CATEGORY_LISTENERS = 'pyramid_hooks listeners'
CATEGORY_CONTROLLER_WRAPPERS = 'pyramid_hooks controller wrappers'
CATEGORY_APPLICATION_WRAPPERS = 'pyramid_hooks application wrappers'
CATEGORY_WIDGETS = 'pyramid_hooks widgets'
CATEGORY_CONTROLLERS = 'pyramid_hooks controllers'
CATEGORY_ROUTE_CONVERTERS = 'pyramid_hooks route converters'


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


class IDerivedViews(Interface):
    """The deriver infos of the views derived so far, kept only under an
    autocommitting configurator (:func:`pyramid_hooks.config.refuse_late`)."""


class IClassViewNotes(Interface):
    """The ``validate=`` and ``error_handler=`` of class views, noted as
    they are derived (:mod:`pyramid_hooks.error_handlers`)."""


class IViewScopeKeys(Interface):
    """The scope keys of the views derived so far, kept once a registration is
    scoped with ``view=`` (:mod:`pyramid_hooks.dead_scopes`)."""


class IMilestoneOrigins(Interface):
    """Where each listener of a configuration milestone was registered:
    ``(hook, listener) -> (package, route_prefix)``."""


class ITracing(Interface):
    """The :class:`pyramid_hooks.probes.Tracing` of a traced application."""


class IScannedDecorators(Interface):
    """The :class:`pyramid_hooks.decorators.Attached` callbacks a scan of
    the application ran."""
