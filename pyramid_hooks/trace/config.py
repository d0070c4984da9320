"""Turning tracing on: ``config.include('pyramid_hooks.trace')`` or the
``hooks.trace`` setting."""

from pyramid_hooks.config import ORDER_TRACE
from pyramid_hooks.interfaces import IHookRegistry
from pyramid_hooks.shared import MARK
from pyramid_hooks.trace import enable_tracing, refuse_tracing_off


def includeme(config):
    """Turn tracing on, including ``pyramid_hooks`` unless a part of it is
    (then only that part is traced), early: everything is composed traced."""
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
