"""The configuration milestones ``initialized_config`` and
``config_setup`` (``docs/hooks.rst``), fired once during the commit."""

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.config import (
    ORDER_ACTIONS_RUN,
    ORDER_CALLS_MADE,
    ORDER_INITIALIZED,
    ORDER_MILESTONE_QUEUE,
)
from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.interfaces import IMilestoneOrigins
from pyramid_hooks.shared import MARK, describe_info, object_name
from pyramid_hooks.workarounds import pending_actions, with_action_info

#: milestone -> the lowest order of an action its listeners may add
MILESTONES = {
    'initialized_config': (
        ORDER_CALLS_MADE,  # its own listeners are registered before it
        'call it before the configuration is committed',
    ),
    'config_setup': (
        ORDER_ACTIONS_RUN,
        "call it from a listener of the 'initialized_config' hook instead "
        '(at the start of the commit, where every directive may be called)',
    ),
}


def listener_config(config, name, listener):
    """The configurator a listener of the milestone *name* is called with:
    that of the configuration that registered it (package, route prefix)."""
    origins = config.registry.queryUtility(IMilestoneOrigins, default={})
    package, route_prefix = origins.get(
        (name, listener), (config.root_package, None)
    )
    return Configurator(
        registry=config.registry,
        package=package,
        root_package=config.root_package,
        autocommit=config.autocommit,
        route_prefix=route_prefix,
        introspection=config.introspection,
    )


def fire_milestone(config, name):
    """Notify the configuration hook *name* one listener at a time, to refuse a
    late directive or a raising listener naming the listener."""
    order, instead = MILESTONES[name]
    ns = get_hooks(config.registry).default
    settings = config.registry.settings
    for registration, listener in ns.registered_listeners(name):
        who = (
            f'{object_name(registration.listener)}, a listener of the '
            f'{name!r} hook registered at {describe_info(registration.info)}'
        )
        before = len(pending_actions(config))
        called = listener_config(config, name, registration.listener)
        try:
            listener(called, settings)
        except ConfigurationError:
            raise  # a directive's error names its offender already
        except Exception as exc:
            # Pyramid would name the milestone's action, which has no line
            raise ConfigurationError(
                f'{who}, failed: {type(exc).__name__}: {exc}'
            ) from exc
        for action in pending_actions(config)[before:]:
            if (action['order'] or 0) < order:
                info = action['info']
                called = getattr(info, 'src', '') or 'a directive'
                raise ConfigurationError(
                    f'{who}, called {called} '
                    f'(at {describe_info(info)}) too late: its action must '
                    f'run before {name!r} fires; {instead}'
                )


def add_milestones(config):
    """Fire ``initialized_config`` and ``config_setup``."""

    def fired(name):  # what an error of its listeners comes from
        info = f'the {name!r} hook, fired when the configuration is committed'
        return with_action_info(config, info)

    def queue():
        fired('initialized_config').action(
            None,
            fire_milestone,
            args=(config, 'initialized_config'),
            order=ORDER_INITIALIZED,
            **MARK,
        )

    config.action(None, queue, order=ORDER_MILESTONE_QUEUE, **MARK)
    fired('config_setup').action(
        ('pyramid_hooks', 'config_setup'),
        fire_milestone,
        args=(config, 'config_setup'),
        order=ORDER_ACTIONS_RUN,
        **MARK,
    )
