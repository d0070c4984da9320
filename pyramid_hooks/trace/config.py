"""Turning tracing on: ``config.include('pyramid_hooks.trace')`` or the
``hooks.trace`` setting."""

from pyramid.exceptions import ConfigurationError

from pyramid_hooks.config import ORDER_TRACE
from pyramid_hooks.interfaces import IHookRegistry
from pyramid_hooks.settings import as_strict_bool
from pyramid_hooks.shared import MARK
from pyramid_hooks.trace import enable_tracing


def refuse_tracing_off(settings, what):
    """Refuse *what*, which turns tracing on, when the setting
    ``hooks.trace`` says ``false``: one of them could never take effect,
    and which one wins would be ours to guess (left out, the setting says
    nothing)."""
    value = settings.get('hooks.trace')
    if value is None or as_strict_bool(value, 'hooks.trace'):
        return
    raise ConfigurationError(
        f'{what} turns tracing on, but the setting hooks.trace is false '
        '(tracing off); remove one of them: leave hooks.trace out (or '
        'set it to true) to trace, or remove the include not to'
    )


def includeme(config):
    """Turn tracing on, including all of ``pyramid_hooks`` when nothing of
    it is yet (after a feature's include alone, only that feature is
    traced).  The early order composes everything with tracing on wherever
    the include comes; no discriminator: turning it on twice is fine."""
    if config.registry.queryUtility(IHookRegistry) is None:
        config.include('pyramid_hooks')
    refuse_tracing_off(
        config.registry.settings, "config.include('pyramid_hooks.trace')"
    )
    config.action(
        None,
        enable_tracing,
        args=(config.registry,),
        order=ORDER_TRACE,
        **MARK,
    )
