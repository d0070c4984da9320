"""The ``config.add_controller_wrapper`` directive.

Controller wrappers are composed around each view by the
``pyramid_hooks_controller_wrappers`` view deriver
(:mod:`pyramid_hooks.pipeline`) when the view is derived; this module only
records them, app-wide or scoped to a view or route, in the application's
:class:`ControllerWrappers` utility.
"""

from pyramid.exceptions import ConfigurationError

from pyramid_hooks.config import (
    CATEGORY_CONTROLLER_WRAPPERS,
    ORDER_REGISTER,
    ensure_not_frozen,
)
from pyramid_hooks.config.hooks import listener_scope
from pyramid_hooks.interfaces import IControllerWrappers
from pyramid_hooks.pipeline import wrapper_arity
from pyramid_hooks.scopes import matching_in_order
from pyramid_hooks.shared import (
    describe_info,
    object_name,
    registry_utility,
    resolve,
)


class ControllerWrappers:
    """The controller wrappers of one application.

    ``registrations`` keeps ``(key, wrapper)`` pairs in registration order
    (``key`` is ``None`` for app-wide ones).  What the view deriver asks
    for, :meth:`for_keys`, is kept ready (with each wrapper's arity): the
    app-wide chain is the same for every view, so neither it nor the
    wrappers' signatures are worked out again for each of them.
    """

    def __init__(self):
        self.registrations = []
        #: wrapper -> the action info of its (first) registration, for
        #: the request's trace
        self.infos = {}
        self._app_wide = ()
        self._scoped = {}

    def add(self, key, wrapper, info=None):
        self.infos.setdefault(wrapper, info)
        entry = (wrapper, wrapper_arity(wrapper), key)
        if key is None:
            self._app_wide += (entry,)
        else:
            seq = len(self.registrations)
            self._scoped.setdefault(key, []).append((seq, entry))
        self.registrations.append((key, wrapper))

    def for_keys(self, keys, app_wide=True):
        """``(wrapper, arity, key)`` triples: app-wide wrappers (unless
        *app_wide* is false), then those scoped to any of *keys*, each group
        in registration order (innermost first).  The view deriver composes
        them; ``phooks`` shows them."""
        first = self._app_wide if app_wide else ()
        return first + matching_in_order(self._scoped, keys)


def get_controller_wrappers(registry):
    """The application's :class:`ControllerWrappers`, created on first use."""
    return registry_utility(registry, IControllerWrappers, ControllerWrappers)


def add_controller_wrapper(config, wrapper, view=None, route_name=None):
    """Wrap views in *wrapper* (a callable or dotted name).

    ``wrapper(next_caller)`` or ``wrapper(next_caller, info)`` is called once
    per view when the application is made and returns ``call(context,
    request)``, which returns the view's raw result (or its own, to
    short-circuit).  Returning ``next_caller`` itself leaves that view
    unwrapped at no per-request cost.  Without *view* and *route_name* the
    wrapper applies to every view; ``view=`` and ``route_name=`` scope it as
    for :meth:`register_hook`.  The last registered wrapper is outermost, and
    view-scoped wrappers wrap the app-wide ones.
    """
    where = describe_info(config.action_info)
    resolved = resolve(
        wrapper, f'add_controller_wrapper at {where}', config.package
    )
    what = f'add_controller_wrapper {object_name(resolved)} at {where}'
    if not callable(resolved):
        raise ConfigurationError(
            f'add_controller_wrapper at {where}: {wrapper!r} is not callable'
        )
    if wrapper_arity(resolved) is None:
        raise ConfigurationError(
            f'{what}: a controller wrapper is called as wrapper(next_caller) '
            'or wrapper(next_caller, info)'
        )
    view, key = listener_scope(config, what, view, route_name)
    ensure_not_frozen(config, what)
    discriminator = ('pyramid_hooks controller wrapper', key, resolved)
    intr = config.introspectable(
        CATEGORY_CONTROLLER_WRAPPERS,
        discriminator,
        object_name(resolved),
        'controller wrapper',
    )
    intr.update(wrapper=resolved, view=view, route_name=route_name)

    info = config.action_info

    def register():
        get_controller_wrappers(config.registry).add(key, resolved, info)

    config.action(
        discriminator, register, introspectables=(intr,), order=ORDER_REGISTER
    )


def includeme(config):
    """Add ``config.add_controller_wrapper``."""
    config.add_directive('add_controller_wrapper', add_controller_wrapper)
