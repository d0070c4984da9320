"""The core's include: what every feature builds on (the hook registry,
the directives, the view derivers, the ``hooks.*`` settings)."""

from pyramid.config import Configurator

from pyramid_hooks.config import (
    ORDER_CALLS_MADE,
    ORDER_NAMESPACE,
    add_derivers,
    views_added_before,
)
from pyramid_hooks.config.milestones import add_milestones
from pyramid_hooks.hooks import make_hook_registry
from pyramid_hooks.interfaces import IDerivedViews, IHookRegistry
from pyramid_hooks.probes import tracing_enabled
from pyramid_hooks.settings import apply_settings, check_settings
from pyramid_hooks.shared import MARK, registry_utility


def includeme(config: Configurator) -> None:
    """Set up the core: its directives, view derivers, ``request.hooks``
    and what the ``hooks.*`` settings declare (read now: set them before
    the include)."""
    registry = config.registry
    hooks = registry_utility(registry, IHookRegistry, make_hook_registry)
    config.add_request_method(staticmethod(hooks), 'hooks')
    if tracing_enabled(registry):  # by the debug toolbar's include
        hooks.enable_tracing()
    config.include('pyramid_hooks.config.hook_directives')
    config.include('pyramid_hooks.config.controller_wrappers')
    config.include('pyramid_hooks.config.application_wrappers')
    config.include('pyramid_hooks.config.introspection')
    add_derivers(config)
    if config.autocommit:  # each view is derived when added: note them
        derived = registry_utility(registry, IDerivedViews, list)
        derived.extend(views_added_before(config))
    config.action(
        ('pyramid_hooks', 'settings'),
        check_settings,
        args=(registry, apply_settings(config, ORDER_NAMESPACE)),
        order=ORDER_CALLS_MADE,
        **MARK,
    )
    add_milestones(config)
