"""The ``config.add_application_wrapper`` directive and the chain order
(``docs/application_wrappers.rst``), checked at the end of the commit."""

import inspect
from typing import NamedTuple

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.interfaces import IApplicationCreated
from pyramid.settings import aslist
from pyramid.tweens import EXCVIEW

from pyramid_hooks.config import (
    CATEGORY_APPLICATION_WRAPPERS,
    ORDER_ACTIONS_RUN,
    ORDER_REGISTER,
    directive_action,
)
from pyramid_hooks.interfaces import IApplicationWrappers
from pyramid_hooks.shared import (
    MARK,
    CallableOrName,
    call_problem,
    check_name,
    describe_info,
    object_name,
    registry_utility,
    resolve,
    safe_repr,
)
from pyramid_hooks.workarounds import with_action_info
from pyramid_hooks.wrappers import (
    CALL_FORM,
    TWEEN_NAME,
    note_application_made,
)


class ApplicationWrapperRegistration(NamedTuple):
    """One ``add_application_wrapper`` call, *info* where it was made."""

    name: str
    factory: object
    after: object
    info: object

    @property
    def where(self):
        """``file:line`` (or a description) of the registration."""
        return describe_info(self.info)

    def __repr__(self):
        return f'<application wrapper {self.name!r} after={self.after!r}>'


class ApplicationWrappers:
    """The application wrappers of one application: :attr:`registrations`,
    and once made, :attr:`chain` (``(registration, instance)``, outermost
    first)."""

    def __init__(self):
        self.registrations = []
        self.chain = None

    def _target(self, registration):
        """What *registration* sits after (``None``: one of the groups)."""
        after = registration.after
        if after is None or isinstance(after, bool):
            return None
        targets = [
            r
            for r in self.registrations
            if r.name == after or r.factory is after
        ]
        if len(targets) == 1:
            return targets[0]
        what = (
            f'Application wrapper {registration.name!r} (registered at '
            f'{registration.where})'
        )
        if targets:
            raise ConfigurationError(
                f'{what}: after={object_name(after)} is ambiguous, it was '
                'registered under the names '
                f'{", ".join(repr(t.name) for t in targets)}; give the name'
            )
        known = ', '.join(repr(r.name) for r in self.registrations)
        raise ConfigurationError(
            f'{what}: after={safe_repr(after)} names no registered '
            f'application wrapper (registered: {known})'
        )

    def innermost_first(self):
        """The registrations in construction order: innermost first."""
        followers = {}  # target name (None: a group) -> registrations
        targets = {}
        for registration in self.registrations:
            target = targets[registration.name] = self._target(registration)
            key = None if target is None else target.name
            followers.setdefault(key, []).append(registration)
        ordered = []
        groups = (False, None, True)  # after=, innermost first
        roots = followers.get(None, ())
        # depth first with a stack: a recursive closure is a reference cycle
        stack = sorted(roots, key=lambda r: groups.index(r.after))[::-1]
        while stack:
            registration = stack.pop()
            ordered.append(registration)
            stack.extend(followers.get(registration.name, ())[::-1])
        if len(ordered) == len(self.registrations):
            return ordered
        placed = {r.name for r in ordered}
        start = next(r for r in self.registrations if r.name not in placed)
        path = [start]
        while targets[path[-1].name] not in path:
            path.append(targets[path[-1].name])
        loop = path[path.index(targets[path[-1].name]) :]
        names = ' -> '.join(repr(r.name) for r in [*loop, loop[0]])
        raise ConfigurationError(
            f'Application wrapper {start.name!r} (registered at '
            f'{start.where}): its after= chain is a cycle: {names}'
        )

    def ordered(self):
        """The registrations in chain order, outermost first."""
        return self.innermost_first()[::-1]


def _check_factory(what, wrapper, factory):
    """Refuse what is no class or factory ``factory(next_handler,
    registry)`` whose instances handle ``wrapper(request)``."""
    if not callable(factory):
        raise ConfigurationError(
            f'{what}: {safe_repr(wrapper)} is not a class or factory; an '
            'application wrapper is called as Wrapper(next_handler, registry)'
        )
    if inspect.isclass(factory) and (
        inspect.isabstract(factory) or '__call__' not in dir(factory)
    ):
        raise ConfigurationError(
            f'{what}: {object_name(factory)} does not implement '
            '__call__(self, request) -> response'
        )
    problem = call_problem(factory, ('next_handler', 'registry'))
    if problem is not None:
        hint = ''
        # a function of one argument is a controller wrapper (or a bad class)
        if not inspect.isclass(factory) and (
            call_problem(factory, ('next_caller',)) is None
        ):
            hint = (
                '; a factory(next_caller) is a controller wrapper: add it '
                'with config.add_controller_wrapper or in the '
                'hooks.controller_wrappers setting'
            )
        raise ConfigurationError(
            f'{what}: {object_name(factory)} cannot be called as '
            f'Wrapper(next_handler, registry) ({problem}){hint}'
        )
    if inspect.isclass(factory):
        problem = call_problem(factory.__call__, ('self', 'request'))
        if problem is not None:
            raise ConfigurationError(
                f'{what}: {object_name(factory)}.__call__ cannot be called as '
                f'__call__(self, request) ({problem}); {CALL_FORM}'
            )


def add_application_wrapper(
    config: Configurator,
    wrapper: CallableOrName,
    after: bool | CallableOrName | None = None,
    name: str | None = None,
) -> None:
    """Run *wrapper* (a class or factory, or its dotted name) around every
    request, inside Pyramid (see ``docs/application_wrappers.rst``)."""
    info = config.action_info
    where = describe_info(info)
    at = f'add_application_wrapper at {where}'
    factory = resolve(wrapper, at, config.package)
    if name is not None:
        check_name(at, name, 'name=')
    label = name or object_name(factory)
    what = f'add_application_wrapper {safe_repr(label)} at {where}'
    _check_factory(what, wrapper, factory)
    if name is None:
        module = getattr(factory, '__module__', None)
        qualname = getattr(factory, '__qualname__', None)
        if not (module and qualname):
            raise ConfigurationError(
                f'add_application_wrapper: {safe_repr(wrapper)} has no '
                'dotted name; give it one with name='
            )
        name = f'{module}.{qualname}'
    if not (
        after is None or isinstance(after, (bool, str)) or callable(after)
    ):
        raise ConfigurationError(
            f'{what}: after= must be False, None, True, or the name or class '
            f'of another application wrapper, got {safe_repr(after)}'
        )
    discriminator = ('pyramid_hooks application wrapper', name)
    intr = config.introspectable(
        CATEGORY_APPLICATION_WRAPPERS,
        discriminator,
        name,
        'application wrapper',
    )
    intr.update(name=name, wrapper=factory, after=after)

    def register():
        wrappers = registry_utility(
            config.registry, IApplicationWrappers, ApplicationWrappers
        )
        wrappers.registrations.append(
            ApplicationWrapperRegistration(name, factory, after, info)
        )

    directive_action(
        config, what, discriminator, register, ORDER_REGISTER, (intr,)
    )


def check_chain(registry):
    """Order the chain at the commit's end (a bad ``after=`` fails at startup);
    refuse ``pyramid.tweens`` given without our tween if wrappers exist."""
    wrappers = registry.queryUtility(IApplicationWrappers)
    registrations = wrappers.ordered() if wrappers else []
    # the explicit chain is the setting (Pyramid's Configurator reads it so)
    explicit = aslist(registry.settings.get('pyramid.tweens', ()))
    if not explicit or TWEEN_NAME in explicit:
        return
    if registrations:
        names = ', '.join(repr(r.name) for r in registrations)
        raise ConfigurationError(
            f'Application wrappers are registered ({names}) but the explicit '
            f'pyramid.tweens setting does not list {TWEEN_NAME}; add it '
            'above pyramid.tweens.excview_tween_factory'
        )

    def application_created(event):
        note_application_made(registry)

    registry.registerHandler(application_created, (IApplicationCreated,))


def includeme(config):
    """Add ``config.add_application_wrapper`` and the wrappers' tween."""
    config.add_directive('add_application_wrapper', add_application_wrapper)
    config.add_tween(TWEEN_NAME, over=EXCVIEW)
    # what an error of the check says it comes from (not "Line 0")
    config = with_action_info(
        config,
        'the application wrapper chain, checked when the configuration is '
        'committed',
    )
    config.action(
        ('pyramid_hooks', 'application wrappers check'),
        check_chain,
        args=(config.registry,),
        order=ORDER_ACTIONS_RUN,
        **MARK,
    )
