"""Hook namespaces and their listeners at run time (the records and the
built-in hooks: :mod:`pyramid_hooks.hook_specs`)."""

import logging
from collections.abc import Callable, Collection, Iterable
from typing import TypeVar

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPException
from pyramid.registry import Registry

from pyramid_hooks.hook_specs import (
    BUILTIN_HOOKS,
    DEFAULT_NAMESPACE,
    SCOPE_APP,
    SCOPE_VIEW,
    HookSpec,
    Registration,
    describe_hook,
)
from pyramid_hooks.interfaces import IHookRegistry
from pyramid_hooks.probes import log_failure, traced_listener
from pyramid_hooks.scopes import key_text, matching_in_order, runtime_keys
from pyramid_hooks.shared import (
    body_problem,
    call_problem,
    describe_info,
    did_you_mean,
    object_name,
)

log = logging.getLogger(__name__)

#: The value a filter chain passes along (``notify_with_value``).
_V = TypeVar('_V')
Listener = Callable[..., object]


def _trapping(listener, spec):
    """*listener*, its failure logged and passed over, a filter's value
    kept (``trap_exceptions=True``); an HTTP exception is its answer (a
    refusal), not a failure: it propagates."""
    hook = describe_hook(spec.namespace, spec.name)
    name = getattr(listener, '__qualname__', repr(listener))

    def trapped(*args):
        try:
            return listener(*args)
        except HTTPException:
            raise
        except Exception as e:
            log_failure(
                log, e, 'Listener %s of hook %s failed (trapped)', name, hook
            )
            return args[0] if spec.value else None

    trapped.__wrapped__ = listener
    return trapped


class HookNamespace:
    """A named set of hook points and their listeners, obtained with
    :meth:`HookRegistry.namespace`."""

    def __init__(
        self,
        name: str,
        strict: bool = False,
        declared: bool = True,
        info: object = None,
        traced: bool = False,
    ) -> None:
        self.name = name
        self.strict = strict
        #: whether listeners record the request's trace
        self.traced = traced
        #: ``False`` while only known from a listener (autocommit)
        self.declared = declared
        self.info = info
        self.specs: dict[str, HookSpec] = {}
        self.registrations: list[Registration] = []
        self._seq = 0
        #: hook name -> tuple of its app-wide listeners (what notify loops)
        self._app: dict[str, tuple[Listener, ...]] = {}
        #: hook name -> scope key -> ``[(seq, listener), ...]``
        self._scoped: dict[str, dict[object, list[tuple[int, Listener]]]] = {}

    def declare(self, spec: HookSpec) -> None:
        """Declare *spec*, checking the listeners registered for it before."""
        self.specs[spec.name] = spec
        for registration in self.registrations:
            if registration.hook == spec.name:
                self.check(registration)
        self._rebuild(spec.name)

    def add(
        self,
        hook: str,
        listener: Listener,
        key: object = None,
        info: object = None,
    ) -> None:
        """Register *listener* for *hook*, app-wide or under *key*."""
        self._seq += 1
        registration = Registration(
            self.name, hook, listener, key, info, self._seq
        )
        self.check(registration)
        self.registrations.append(registration)
        self._enter(registration)

    def remove(
        self, hook: str, listener: Listener, key: object = None
    ) -> bool:
        """Unregister *listener* from *hook* under *key*; ``False`` if it was
        not registered."""
        before = len(self.registrations)
        self.registrations = [
            r
            for r in self.registrations
            if not (r.hook == hook and r.listener == listener and r.key == key)
        ]
        self._rebuild(hook)
        return len(self.registrations) < before

    def check(self, registration: Registration) -> None:
        """Refuse *registration* if it does not fit its declared hook."""
        hook = describe_hook(self.name, registration.hook)
        spec = self.specs.get(registration.hook)
        where = describe_info(registration.info)
        listener = object_name(registration.listener)
        # before the rest: an undeclared hook's listener is called too
        generators = spec is not None and not spec.value
        problem = body_problem(registration.listener, generators)
        if problem is not None:
            raise ConfigurationError(
                f'Listener {listener} of hook {hook!r} registered at {where} '
                f'cannot be a listener: {problem}'
            )
        if spec is None:
            if self.strict and self.declared:
                known = ', '.join(sorted(self.specs)) or 'none'
                hint = did_you_mean(registration.hook, self.specs, '; ')
                ns = f', namespace={self.name!r}' if self.name else ''
                raise ConfigurationError(
                    f'Unknown hook {hook!r} in the strict namespace '
                    f'{self.name or "(default)"!r}: listener {listener} '
                    f'registered at {where} (declared hooks: {known})'
                    f"{hint}; a strict namespace's hooks are declared "
                    f'with config.add_hook({registration.hook!r}{ns})'
                )
            return
        if registration.key is None and spec.scope == SCOPE_VIEW:
            raise ConfigurationError(
                f'Hook {hook!r} can only be scoped to views (view= or '
                f'route_name=): listener {listener} registered app-wide '
                f'at {where}'
            )
        if registration.key is not None and spec.scope == SCOPE_APP:
            raise ConfigurationError(
                f'Hook {hook!r} is application-wide and cannot be scoped to '
                f'a view: listener {listener} registered with '
                f'{key_text(registration.key)} at {where}; register it '
                'without view= or route_name='
            )
        problem = call_problem(registration.listener, spec.call_args)
        if problem is not None:
            args = ', '.join(spec.call_args)
            raise ConfigurationError(
                f'Listener {listener} registered at {where} cannot accept the '
                f'arguments of hook {hook!r} ({args}): {problem}; the hook '
                f'calls it as listener({args}), so give it those parameters'
            )

    def _rebuild(self, hook):
        """Rebuild the tables of *hook* (a declaration may trap failures)."""
        self._app.pop(hook, None)
        self._scoped.pop(hook, None)
        for registration in self.registrations:
            if registration.hook == hook:
                self._enter(registration)

    def _enter(self, registration):
        """Enter *registration*'s listener, traced or trapped, in a table."""
        hook, listener = registration.hook, registration.listener
        if self.traced:
            where = describe_info(registration.info)
            hook_name = describe_hook(self.name, hook)
            listener = traced_listener(listener, hook_name, where)
        spec = self.specs.get(hook)
        if spec is not None and spec.trap_exceptions:
            listener = _trapping(listener, spec)
        if registration.key is None:
            self._app[hook] = (*self._app.get(hook, ()), listener)
        else:
            scoped = self._scoped.setdefault(hook, {})
            scoped.setdefault(registration.key, []).append(
                (registration.seq, listener)
            )

    def listeners_for(
        self, name: str, keys: Collection[object] = (), app_wide: bool = True
    ) -> tuple[Listener, ...]:
        """The listeners a view with scope *keys* runs for hook *name*: the
        app-wide ones (if *app_wide*), then the scoped ones, each in order."""
        first = self._app.get(name, ()) if app_wide else ()
        return first + matching_in_order(self._scoped.get(name), keys)

    def registrations_for(
        self, name: str, keys: Collection[object] = (), app_wide: bool = True
    ) -> tuple[Registration, ...]:
        """The :class:`Registration` objects behind :meth:`listeners_for`,
        in the same order."""
        mine = [r for r in self.registrations if r.hook == name]
        first = tuple(r for r in mine if r.key is None) if app_wide else ()
        return first + tuple(r for r in mine if r.key in keys)

    def registered_listeners(
        self, name: str
    ) -> Iterable[tuple[Registration, Listener]]:
        """The app-wide listeners of *name* with their
        :class:`Registration`, to run them one at a time naming a failure."""
        return zip(
            self.registrations_for(name), self.listeners_for(name), strict=True
        )

    def has_listeners(self, name: str) -> bool:
        """Whether *name* has any listener, app-wide or scoped."""
        return name in self._app or name in self._scoped

    def runs_any(
        self,
        names: Iterable[str],
        keys: Collection[object],
        app_wide: bool = True,
    ) -> bool:
        """Whether :meth:`listeners_for` would return a listener of any of
        *names*, without building the lists (asked for every view)."""
        return any(
            (app_wide and name in self._app)
            or not self._scoped.get(name, {}).keys().isdisjoint(keys)
            for name in names
        )

    def notify(self, name: str, *args: object, view: object = None) -> None:
        """Call the listeners of hook *name* with ``*args``: app-wide ones
        first, then those scoped to *view* (when given), each group in
        registration order.  Return values are ignored; an exception stops
        the remaining listeners unless the hook traps exceptions."""
        for listener in self._listeners(name, view):
            listener(*args)

    def notify_with_value(
        self, name: str, value: _V, *args: object, view: object = None
    ) -> _V:
        """Run the filter chain of hook *name*: ``value = listener(value,
        *args)`` for each listener (app-wide, then scoped to *view*), and
        return the last value."""
        for listener in self._listeners(name, view):
            value = listener(value, *args)
        return value

    def _listeners(self, name, view):
        """The listeners a notification of *name* calls, scoped to *view*
        too when given; a strict namespace refuses an undeclared name."""
        listeners = self._app.get(name, ())
        if view is not None:
            listeners = self.listeners_for(name, runtime_keys(view))
        if not listeners and self.strict and name not in self.specs:
            hint = did_you_mean(name, self.specs, '; ')
            where = f', namespace={self.name!r}' if self.name else ''
            raise LookupError(
                f'Unknown hook {describe_hook(self.name, name)!r} in the '
                f'strict namespace {self.name or "(default)"!r}'
                f"{hint} (a strict namespace's hooks "
                f'are declared with config.add_hook({name!r}{where}))'
            )
        return listeners

    def __repr__(self):
        return f'<HookNamespace {self.name or "(default)"!r}>'


class HookRegistry:
    """The hook namespaces of one application, ``request.hooks`` (a
    request method, see :func:`pyramid_hooks.includeme`)."""

    def __init__(self) -> None:
        self.default = HookNamespace(DEFAULT_NAMESPACE)
        self.namespaces = {DEFAULT_NAMESPACE: self.default}
        #: the Pyramid events already bridged to lifecycle hooks
        self.bound_events: set[object] = set()
        #: whether listeners record the request's trace
        self.traced = False
        #: whether :func:`pyramid_hooks.make_wsgi_app` is making the WSGI
        #: application (it applies the ``*_wsgi_middlewares`` hooks)
        self.making_wsgi_app = False

    def enable_tracing(self) -> None:
        """Make every listener, those already registered included, record
        the request's trace (see :mod:`pyramid_hooks.trace`)."""
        self.traced = True
        for ns in self.namespaces.values():
            ns.traced = True
            for hook in {r.hook for r in ns.registrations}:
                ns._rebuild(hook)

    def namespace(self, name: str | None = None) -> HookNamespace:
        """The :class:`HookNamespace` called *name* (the default namespace
        for ``None``); :class:`LookupError` for an undeclared one."""
        if not name:
            return self.default
        ns = self.namespaces.get(name)
        if ns is None or not ns.declared:
            declared = [n for n, ns in self.namespaces.items() if ns.declared]
            hint = did_you_mean(name, declared, '; ')
            raise LookupError(
                f'Unknown hook namespace {name!r}{hint} (a namespace is '
                f'declared with config.add_hook_namespace({name!r}))'
            )
        return ns

    def notify(
        self,
        name: str,
        *args: object,
        namespace: str | None = None,
        view: object = None,
    ) -> None:
        """Call the listeners of hook *name* in *namespace* (``None``: the
        default one); see :meth:`HookNamespace.notify`.  The loop is repeated
        rather than delegated: passing ``*args`` and a keyword on costs about
        as much as the three listeners of ``benchmarks`` scenario 4."""
        ns = self.namespace(namespace) if namespace else self.default
        for listener in ns._listeners(name, view):
            listener(*args)

    def notify_with_value(
        self,
        name: str,
        value: _V,
        *args: object,
        namespace: str | None = None,
        view: object = None,
    ) -> _V:
        """Run the filter chain of hook *name* in *namespace* and return the
        final value; see :meth:`HookNamespace.notify_with_value`."""
        ns = self.namespace(namespace) if namespace else self.default
        return ns.notify_with_value(name, value, *args, view=view)

    def __repr__(self):
        return f'<HookRegistry namespaces={sorted(self.namespaces)!r}>'


def get_hooks(registry: Registry) -> HookRegistry | None:
    """The :class:`HookRegistry` of the application whose registry is
    *registry* (``None`` when ``pyramid_hooks`` is not included)."""
    return registry.queryUtility(IHookRegistry)


def make_hook_registry() -> HookRegistry:
    """A new :class:`HookRegistry` with the built-in hooks declared."""
    hooks = HookRegistry()
    for name, (args, scope, value) in BUILTIN_HOOKS.items():
        hooks.default.declare(HookSpec(name, args, value=value, scope=scope))
    return hooks
