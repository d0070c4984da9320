"""The ``config.add_controller_wrapper`` directive: controller wrappers,
app-wide or scoped, for :mod:`pyramid_hooks.wrapper_chains`."""

from pyramid.config import Configurator

from pyramid_hooks.config import (
    CATEGORY_CONTROLLER_WRAPPERS,
    ORDER_REGISTER,
    directive_action,
    refuse_late,
    resolve_callable,
    watch_view_scope,
)
from pyramid_hooks.config.hook_directives import listener_scope
from pyramid_hooks.interfaces import IControllerWrappers
from pyramid_hooks.scopes import matching_in_order
from pyramid_hooks.shared import (
    CallableOrName,
    describe_info,
    object_name,
    registry_utility,
)
from pyramid_hooks.wrapper_chains import wrapper_arity


class ControllerWrappers:
    """The controller wrappers of one application, in registration order."""

    def __init__(self):
        self.registrations = []
        #: wrapper -> the action info of its first registration (for traces)
        self.infos = {}
        self._app_wide = ()
        self._scoped = {}

    def add(self, key, wrapper, arity, info):
        self.infos.setdefault(wrapper, info)
        entry = (wrapper, arity, key)
        if key is None:
            self._app_wide += (entry,)
        else:
            seq = len(self.registrations)
            self._scoped.setdefault(key, []).append((seq, entry))
        self.registrations.append((key, wrapper))

    def for_keys(self, keys, app_wide=True):
        """``(wrapper, arity, key)`` triples: app-wide ones (if *app_wide*),
        then those scoped to any of *keys*, innermost first."""
        first = self._app_wide if app_wide else ()
        return first + matching_in_order(self._scoped, keys)


def add_controller_wrapper(
    config: Configurator,
    wrapper: CallableOrName,
    view: object = None,
    route_name: str | None = None,
) -> None:
    """Wrap every view, or those of *view* or *route_name*, in *wrapper*
    (a callable or dotted name; see ``docs/controller_wrappers.rst``)."""
    where = describe_info(config.action_info)
    resolved = resolve_callable(
        config, f'add_controller_wrapper at {where}', wrapper
    )
    what = f'add_controller_wrapper {object_name(resolved)} at {where}'
    arity = wrapper_arity(resolved, what)
    view, key = listener_scope(config, what, view, route_name)
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
        refuse_late(config.registry, what, key)
        watch_view_scope(config.registry, key)
        wrappers = registry_utility(
            config.registry, IControllerWrappers, ControllerWrappers
        )
        wrappers.add(key, resolved, arity, info)

    directive_action(
        config, what, discriminator, register, ORDER_REGISTER, (intr,)
    )


def includeme(config):
    """Add ``config.add_controller_wrapper``."""
    config.add_directive('add_controller_wrapper', add_controller_wrapper)
