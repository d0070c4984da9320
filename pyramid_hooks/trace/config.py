"""The configuration side of :mod:`pyramid_hooks.trace`: turning tracing
on, from ``config.include('pyramid_hooks.trace')`` or the ``hooks.trace``
setting."""

from pyramid_hooks.config import ORDER_TRACE
from pyramid_hooks.interfaces import IHookRegistry
from pyramid_hooks.shared import MARK
from pyramid_hooks.trace import enable_tracing


def includeme(config):
    """Turn tracing on, including ``pyramid_hooks`` (the core and every
    feature, as documented) when nothing of it is included yet: after a
    feature's include alone, only that feature is traced.  The action's
    early order has every listener, view and chain composed with tracing
    on, wherever the include comes; it has no discriminator: turning
    tracing on twice is no conflict."""
    if config.registry.queryUtility(IHookRegistry) is None:
        config.include('pyramid_hooks')
    config.action(
        None,
        enable_tracing,
        args=(config.registry,),
        order=ORDER_TRACE,
        **MARK,
    )
