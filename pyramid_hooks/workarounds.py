"""The documented Pyramid workarounds: what the package needs and Pyramid
(2.1) offers no public way to do.  Nothing else in the package touches a
Pyramid internal; each workaround has a test in
``tests/test_workarounds.py`` that fails the day it is no longer needed
(or no longer works), so that it can be replaced then.
"""

import inspect

from pyramid.config import Configurator
from pyramid.config.actions import ActionInfo
from pyramid.interfaces import IViewDerivers


def with_action_info(config, info):
    """A configurator like *config* whose actions say they were registered
    at *info* (a ``(file, line, function, src)`` tuple as venusian gives
    it, an action info, or a text), so that conflicts and errors name the
    user's line, not ours.

    Pyramid's own ``view_config`` passes the undocumented ``_info=`` to
    ``add_view`` for this; the configurator's ``info`` it reads is as
    undocumented.  A copy is returned: *config* itself is left alone."""
    if isinstance(info, tuple) and len(info) == 4:
        info = ActionInfo(*info)
    config = config.with_package(config.package)
    config.info = info
    return config


def known_view_options(config):
    """The names ``add_view`` accepts: its parameters, the view predicates
    and the options the view derivers declare (``deriver.options``).
    Pyramid checks them only while resolving a view's deferred
    discriminator, outside any action, so its error names no line; its
    registries of predicates and derivers have no public reader.  Call it
    once the derivers and predicates are registered (``PHASE2_CONFIG``)."""
    known = set(inspect.signature(Configurator.add_view).parameters)
    known.update(config.get_predlist('view').names())
    for deriver in config.registry.getUtility(IViewDerivers).values():
        known.update(getattr(deriver, 'options', ()))
    return known


def response_if_made(request):
    """``request.response`` if something made it already, else ``None``
    (reading ``request.response`` would make one).  Pyramid makes it on
    first use (a ``reify``) and says nowhere whether it was; its renderers
    use it whenever a view touched it, and so do controller replies."""
    return vars(request).get('response')


def forget_response(request):
    """Drop ``request.response``, so that the next use makes a new one (as
    Pyramid does when a view raises): what a failed JSON-RPC call set
    there reaches no reply."""
    vars(request).pop('response', None)
