"""The ``config.add_application_wrapper`` directive and the chain order.

Registrations are configuration actions (discriminator
``('pyramid_hooks application wrapper', name)``), so a duplicate name is a
conflict that Pyramid's include-path override can resolve, and each one is
an introspectable pointing at the user's line.  They are kept, in
registration order, in the application's :class:`ApplicationWrappers`
utility; the chain is ordered and checked at the end of the commit and
built once by the tween (:mod:`pyramid_hooks.wrappers`) when the WSGI
application is made.

Order (TurboGears' ``DependenciesList``, made strict)::

    request -> after=True group -> after=None group -> after=False group
               (outermost)         (the default)       (innermost)
                                                         -> excview -> view

Within a group the last registered wrapper is outermost.  A wrapper
registered with ``after=X`` sits immediately outside ``X`` (whether ``X`` is
registered before or after it); several wrappers after the same ``X`` keep
the rule: the last registered is outermost.
"""

import inspect

from pyramid.exceptions import ConfigurationError
from pyramid.interfaces import IApplicationCreated, ITweens
from pyramid.tweens import EXCVIEW

from pyramid_hooks.config import (
    CATEGORY_APPLICATION_WRAPPERS,
    ORDER_ACTIONS_RUN,
    ORDER_REGISTER,
    describe_info,
    ensure_not_frozen,
    maybe_dotted,
    object_name,
    registry_utility,
)
from pyramid_hooks.interfaces import IApplicationMade, IApplicationWrappers
from pyramid_hooks.wrappers import TWEEN_NAME, build_chain

#: The three groups, innermost first.
GROUPS = (False, None, True)


class ApplicationWrapperRegistration:
    """One ``add_application_wrapper`` call, as the chain sees it."""

    __slots__ = ('after', 'factory', 'info', 'name')

    def __init__(self, name, factory, after, info):
        #: the wrapper's name (default: the factory's dotted name)
        self.name = name
        #: the class or factory, called as ``factory(next_handler, registry)``
        self.factory = factory
        #: ``False``, ``None``, ``True``, or the name/class it sits after
        self.after = after
        #: where it was registered (an action info, or a string)
        self.info = info

    @property
    def where(self):
        """``file:line`` (or a description) of the registration."""
        return describe_info(self.info)

    def __repr__(self):
        return f'<application wrapper {self.name!r} after={self.after!r}>'


class ApplicationWrappers:
    """The application wrappers of one application.

    :attr:`registrations` lists them in registration order;
    :meth:`ordered` gives the chain order (outermost first, the order in
    which a request enters them; this is what ``phooks`` prints); after the
    WSGI application was made, :attr:`chain` lists the wrappers actually in
    it (``injected`` ones), outermost first, as ``(registration,
    instance)`` pairs.
    """

    def __init__(self):
        self.registrations = []
        self.chain = None

    def add(self, registration):
        self.registrations.append(registration)

    def _target(self, registration):
        """The registration that *registration* sits after, or ``None`` for
        one of the three groups."""
        after = registration.after
        if after is None or isinstance(after, bool):
            return None
        if isinstance(after, str):
            targets = [r for r in self.registrations if r.name == after]
        else:
            targets = [r for r in self.registrations if r.factory is after]
        if len(targets) > 1:
            raise ConfigurationError(
                f'Application wrapper {registration.name!r} (registered at '
                f'{registration.where}): after={object_name(after)} is '
                'ambiguous, it was registered under the names '
                f'{", ".join(repr(t.name) for t in targets)}; give the name'
            )
        if not targets:
            known = ', '.join(repr(r.name) for r in self.registrations)
            raise ConfigurationError(
                f'Application wrapper {registration.name!r} (registered at '
                f'{registration.where}): after={after!r} names no registered '
                f'application wrapper (registered: {known})'
            )
        return targets[0]

    def innermost_first(self):
        """The registrations in construction order: innermost first."""
        groups = {group: [] for group in GROUPS}
        followers = {}
        targets = {}
        for registration in self.registrations:
            target = self._target(registration)
            targets[registration.name] = target
            if target is None:
                groups[registration.after].append(registration)
            else:
                followers.setdefault(target.name, []).append(registration)
        ordered = []

        def visit(registration):
            ordered.append(registration)
            for follower in followers.get(registration.name, ()):
                visit(follower)

        for group in GROUPS:
            for registration in groups[group]:
                visit(registration)
        if len(ordered) < len(self.registrations):
            self._raise_cycle(ordered, targets)
        return ordered

    def _raise_cycle(self, ordered, targets):
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
        return list(reversed(self.innermost_first()))

    def build(self, handler, registry):
        """Construct the chain around *handler* (called once per WSGI
        application by the tween factory) and return its outermost
        handler, *handler* itself when no wrapper is injected."""
        wrapped, self.chain = build_chain(
            handler, registry, self.innermost_first()
        )
        return wrapped


def get_application_wrappers(registry):
    """The application's :class:`ApplicationWrappers`, created on first
    use."""
    return registry_utility(
        registry, IApplicationWrappers, ApplicationWrappers
    )


def _defines_call(cls):
    return any('__call__' in vars(klass) for klass in cls.__mro__[:-1])


def _check_factory(what, wrapper, factory):
    """A wrapper is a class or a factory called as ``factory(next_handler,
    registry)``; its instances handle ``wrapper(request)``."""
    if not callable(factory):
        raise ConfigurationError(
            f'{what}: {wrapper!r} is not a class or factory; an application '
            'wrapper is called as Wrapper(next_handler, registry)'
        )
    if inspect.isclass(factory) and (
        inspect.isabstract(factory) or not _defines_call(factory)
    ):
        raise ConfigurationError(
            f'{what}: {object_name(factory)} does not implement '
            '__call__(self, request) -> response'
        )
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):  # a builtin without a signature
        return
    try:
        signature.bind('next_handler', 'registry')
    except TypeError:
        raise ConfigurationError(
            f'{what}: {object_name(factory)}{signature} cannot be called as '
            'Wrapper(next_handler, registry)'
        ) from None


def _check_after(what, after):
    if (
        after is None
        or isinstance(after, (bool, str))
        or inspect.isclass(after)
        or callable(after)
    ):
        return
    raise ConfigurationError(
        f'{what}: after= must be False, None, True, or the name or class of '
        f'another application wrapper, got {after!r}'
    )


def _default_name(wrapper, factory):
    module = getattr(factory, '__module__', None)
    qualname = getattr(factory, '__qualname__', None)
    if not (module and qualname):
        raise ConfigurationError(
            f'add_application_wrapper: {wrapper!r} has no dotted name; give '
            'it one with name='
        )
    return f'{module}.{qualname}'


def add_application_wrapper(config, wrapper, after=None, name=None):
    """Run *wrapper* (a class or factory, or its dotted name) around every
    request, inside Pyramid.

    ``wrapper(next_handler, registry)`` is called once, when the WSGI
    application is made; the object it returns handles ``obj(request) ->
    response`` and is left out when its ``injected`` attribute is false
    (see :class:`pyramid_hooks.ApplicationWrapper`).  *after* places it:
    ``True`` outermost group, ``None`` (default) middle group, ``False``
    innermost group, or another wrapper's name or class to sit immediately
    outside it.  *name* defaults to the factory's ``module.qualname``; a
    duplicate name is a configuration conflict.
    """
    where = describe_info(config.action_info)
    factory = maybe_dotted(
        config, wrapper, f'add_application_wrapper at {where}'
    )
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ConfigurationError(
            f'add_application_wrapper at {where}: name= must be a non-empty '
            f'string, got {name!r}'
        )
    what = (
        f'add_application_wrapper {name or object_name(factory)!r} at {where}'
    )
    _check_factory(what, wrapper, factory)
    if name is None:
        name = _default_name(wrapper, factory)
    _check_after(what, after)
    ensure_not_frozen(config, what)
    info = config.action_info
    discriminator = ('pyramid_hooks application wrapper', name)
    intr = config.introspectable(
        CATEGORY_APPLICATION_WRAPPERS,
        discriminator,
        name,
        'application wrapper',
    )
    intr.update(name=name, wrapper=factory, after=after)

    def register():
        get_application_wrappers(config.registry).add(
            ApplicationWrapperRegistration(name, factory, after, info)
        )

    config.action(
        discriminator, register, introspectables=(intr,), order=ORDER_REGISTER
    )


def tween_left_out(registry):
    """Whether an explicit ``pyramid.tweens`` list leaves out the tween."""
    tweens = registry.queryUtility(ITweens)
    explicit = [name for name, _ in tweens.explicit] if tweens else []
    return bool(explicit) and TWEEN_NAME not in explicit


def _note_application_made(event):
    event.app.registry.registerUtility(True, IApplicationMade)


def watch_application_made(registry):
    """Without the tween (an explicit ``pyramid.tweens`` list may leave it
    out while no wrapper is registered), note from Pyramid's
    ``ApplicationCreated`` event that the application was made, which the
    tween factory does otherwise: registrations made after it are then
    still refused.  Only then, because a subscriber makes Pyramid's router
    notify its events on every request."""
    if tween_left_out(registry):
        registry.registerHandler(
            _note_application_made, (IApplicationCreated,)
        )


def check_chain(registry):
    """Order the chain once at the end of the commit, so that an unknown
    ``after=`` or a cycle fails at startup, and refuse an explicit
    ``pyramid.tweens`` list that would silently leave the wrappers out."""
    wrappers = registry.queryUtility(IApplicationWrappers)
    if wrappers is None or not wrappers.registrations:
        return
    wrappers.innermost_first()
    if tween_left_out(registry):
        names = ', '.join(repr(r.name) for r in wrappers.registrations)
        raise ConfigurationError(
            f'Application wrappers are registered ({names}) but the explicit '
            f'pyramid.tweens setting does not list {TWEEN_NAME}; add it '
            'above pyramid.tweens.excview_tween_factory'
        )


def includeme(config):
    """Add ``config.add_application_wrapper`` and the one tween that runs
    the application wrappers (over Pyramid's exception-view tween)."""
    config.add_directive('add_application_wrapper', add_application_wrapper)
    config.add_tween(TWEEN_NAME, over=EXCVIEW)
    config.action(
        ('pyramid_hooks', 'application wrappers check'),
        check_chain,
        args=(config.registry,),
        order=ORDER_ACTIONS_RUN,
    )
    config.action(
        ('pyramid_hooks', 'application made without the tween'),
        watch_application_made,
        args=(config.registry,),
        order=ORDER_ACTIONS_RUN,
    )
