"""The configuration side of :mod:`pyramid_hooks.trace`: turning tracing
on, from ``config.include('pyramid_hooks.trace')`` or the ``hooks.trace``
setting."""

from pyramid_hooks.config import ORDER_TRACE
from pyramid_hooks.interfaces import IHookRegistry
from pyramid_hooks.trace import enable_tracing


def add_tracing(config):
    """Add the action turning tracing on (what the include and the
    ``hooks.trace`` setting do).  It has no discriminator: turning tracing
    on from two includes, or from an include and the setting, is no
    conflict (:func:`~pyramid_hooks.trace.enable_tracing` does it once).

    The registry utility is set by an action of an early order, so that
    within the commit every listener, view and chain is composed with
    tracing on, wherever in the configuration the include comes."""
    config.action(
        None,
        enable_tracing,
        args=(config.registry,),
        order=ORDER_TRACE,
    )


def includeme(config):
    """Turn tracing on, including ``pyramid_hooks`` when it is not yet."""
    if config.registry.queryUtility(IHookRegistry) is None:
        config.include('pyramid_hooks')
    add_tracing(config)
