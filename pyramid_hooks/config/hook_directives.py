"""The directives ``add_hook_namespace``, ``add_hook``, ``register_hook``
and ``unregister_hook`` (``docs/directives.rst``)."""

import keyword
import logging
from collections.abc import Iterable
from typing import Literal

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.tweens import INGRESS

from pyramid_hooks.config import (
    CATEGORY_HOOKS,
    CATEGORY_LISTENERS,
    CATEGORY_NAMESPACES,
    ORDER_CALLS_MADE,
    ORDER_DECLARE,
    ORDER_INITIALIZED,
    ORDER_LISTENERS_FINAL,
    ORDER_NAMESPACE,
    ORDER_REGISTER,
    ORDER_UNREGISTER,
    directive_action,
    refuse_late,
    resolve_callable,
    watch_view_scope,
)
from pyramid_hooks.config.event_bridges import EVENT_BINDINGS, bind_event
from pyramid_hooks.config.milestones import MILESTONES
from pyramid_hooks.finished import TWEEN_NAME as FINISHED_TWEEN
from pyramid_hooks.hook_specs import (
    BUILTIN_HOOKS,
    DEFAULT_NAMESPACE,
    PIPELINE_HOOKS,
    SCOPES,
    HookSpec,
    describe_hook,
)
from pyramid_hooks.hooks import HookNamespace, get_hooks
from pyramid_hooks.interfaces import IMilestoneOrigins
from pyramid_hooks.scopes import key_text, route_key, scope_key
from pyramid_hooks.shared import (
    MARK,
    CallableOrName,
    check_flag,
    check_name,
    closest,
    describe_info,
    object_name,
    registry_utility,
    resolve,
    safe_repr,
)

log = logging.getLogger(__name__)


def _hook_names(directive, name, namespace):
    """Check the *name* and *namespace* given to *directive*; return the
    namespace's name and ``"directive 'namespace:name'"`` for messages."""
    check_name(directive, name)
    if namespace is None:
        namespace = DEFAULT_NAMESPACE
    else:
        check_name('hook namespace', namespace)
    return namespace, f'{directive} {describe_hook(namespace, name)!r}'


def _existing_namespace(hooks, namespace, what, info):
    ns = hooks.namespaces.get(namespace)
    if ns is None or not ns.declared:
        raise ConfigurationError(
            f'{what} at {describe_info(info)}: the hook namespace '
            f'{namespace!r} is not declared (config.add_hook_namespace, '
            'by the plugin notifying it); a dotted hook name of the default '
            'namespace, as TurboGears plugins notify them, is registered in '
            f"code: config.register_hook('{namespace}.<hook>', ...)"
        )
    return ns


def add_hook_namespace(
    config: Configurator, name: str, strict: bool = True
) -> None:
    """``config.add_hook_namespace``: declare the hook namespace *name*."""
    check_name('add_hook_namespace', name)
    what = f'add_hook_namespace {name!r}'
    check_flag(what, 'strict', strict)
    info = config.action_info
    intr = config.introspectable(
        CATEGORY_NAMESPACES, name, name, 'hook namespace'
    )
    intr.update(name=name, strict=strict)

    def register():
        hooks = get_hooks(config.registry)
        new = HookNamespace(name, traced=hooks.traced)
        ns = hooks.namespaces.setdefault(name, new)
        ns.strict, ns.declared, ns.info = strict, True, info
        # listeners registered first (autocommit) are checked now
        for registration in ns.registrations:
            ns.check(registration)
        for r in hooks.default.registrations:  # and those by dotted name
            refuse_dotted_name(hooks, r.hook, r.listener, r.info)

    discriminator = ('pyramid_hooks namespace', name)
    directive_action(
        config, what, discriminator, register, ORDER_NAMESPACE, (intr,)
    )


def add_hook(
    config: Configurator,
    name: str,
    args: str | Iterable[str] = (),
    namespace: str | None = None,
    value: bool = False,
    scope: Literal['app', 'view', 'any'] = 'app',
    trap_exceptions: bool = False,
) -> None:
    """``config.add_hook``: declare the hook point *name*."""
    ns_name, what = _hook_names('add_hook', name, namespace)
    args = (args,) if isinstance(args, str) else tuple(args)
    for arg in args:
        identifier = isinstance(arg, str) and arg.isidentifier()
        if not identifier or keyword.iskeyword(arg) or args.count(arg) > 1:
            raise ConfigurationError(  # a name twice: as def f(a, a)
                f'{what}: args must be argument names, each once, got '
                f'{safe_repr(arg)}'
            )
    if scope not in SCOPES:
        raise ConfigurationError(
            f'{what}: scope must be one of '
            f'{", ".join(map(repr, SCOPES))}, got {safe_repr(scope)}'
        )
    check_flag(what, 'value', value)
    check_flag(what, 'trap_exceptions', trap_exceptions)
    if ns_name == DEFAULT_NAMESPACE and name in BUILTIN_HOOKS:
        raise ConfigurationError(
            f'{what}: {name!r} is a built-in hook of the default namespace '
            'and is already declared'
        )
    info = config.action_info
    spec = HookSpec(name, args, ns_name, value, scope, trap_exceptions, info)
    intr = config.introspectable(
        CATEGORY_HOOKS, (ns_name, name), describe_hook(ns_name, name), 'hook'
    )
    intr.update(name=name, namespace=ns_name, args=args, value=value)
    intr.update(scope=scope, trap_exceptions=trap_exceptions)

    def register():
        hooks = get_hooks(config.registry)
        _existing_namespace(hooks, ns_name, what, info).declare(spec)

    discriminator = ('pyramid_hooks hook', ns_name, name)
    directive_action(
        config, what, discriminator, register, ORDER_DECLARE, (intr,)
    )


def _orders(ns_name, name):
    """The orders at which a listener of hook *name* is (un)registered."""
    if ns_name == DEFAULT_NAMESPACE and name == 'initialized_config':
        return ORDER_INITIALIZED, ORDER_INITIALIZED
    return ORDER_REGISTER, ORDER_UNREGISTER


def listener_scope(config, what, view, route_name):
    """The view and scope key ``view=`` or ``route_name=`` give (or None)."""
    label = f'{what}: view='
    if isinstance(view, str) and '.' not in view:  # no dotted name
        label += f' (for the views of a route, route_name={view!r})'
    view = resolve(view, label, config.package)
    if view is not None and route_name is not None:
        raise ConfigurationError(
            f'{what}: give view= or route_name=, not both'
        )
    if route_name is not None:
        check_name(f'{what}: route_name', route_name)
        return view, route_key(route_name)
    if view is not None:
        return view, scope_key(view)
    return None, None


def register_hook(
    config: Configurator,
    name: str,
    listener: CallableOrName,
    namespace: str | None = None,
    view: object = None,
    route_name: str | None = None,
) -> None:
    """``config.register_hook``: register *listener* for hook *name*."""
    ns_name, what = _hook_names('register_hook', name, namespace)
    info = config.action_info
    where = f'{what} at {describe_info(info)}'
    resolved = resolve_callable(config, where, listener, 'the listener ')
    view, key = listener_scope(config, what, view, route_name)
    origin = (config.package, config.route_prefix)  # for a milestone's
    discriminator = ('pyramid_hooks listener', ns_name, name, key, resolved)
    intr = config.introspectable(
        CATEGORY_LISTENERS,
        discriminator,
        f'{object_name(resolved)} -> {describe_hook(ns_name, name)}',
        'hook listener',
    )
    intr.update(hook=name, namespace=ns_name, listener=resolved)
    intr.update(view=view, route_name=route_name)  # its scope

    def register():
        if ns_name == DEFAULT_NAMESPACE and name in PIPELINE_HOOKS:
            refuse_late(config.registry, where, key)
            watch_view_scope(config.registry, key)
        hooks = get_hooks(config.registry)
        if config.autocommit:  # the namespace may be declared later
            new = HookNamespace(ns_name, declared=False, traced=hooks.traced)
            ns = hooks.namespaces.setdefault(ns_name, new)
        else:
            ns = _existing_namespace(hooks, ns_name, what, info)
        ns.add(name, resolved, key=key, info=info)
        if ns_name == DEFAULT_NAMESPACE and name in MILESTONES:
            registry = config.registry
            origins = registry_utility(registry, IMilestoneOrigins, dict)
            origins[name, resolved] = origin

    order = _orders(ns_name, name)[0]
    directive_action(config, what, discriminator, register, order, (intr,))
    if not _settled(ns_name, name):
        config.action(
            None,
            listener_registered,
            args=(config.registry, ns_name, name, resolved, info),
            order=ORDER_LISTENERS_FINAL,
            **MARK,
        )
    if ns_name == DEFAULT_NAMESPACE and name == 'request_finished':
        config.include(add_finished_tween)


def add_finished_tween(config):
    """Add the ``request_finished`` tween once, when every call is made:
    Pyramid puts the tween added last on top."""
    config.action(
        None,
        config.add_tween,
        args=(FINISHED_TWEEN,),
        kw={'under': INGRESS},
        order=ORDER_CALLS_MADE,
        **MARK,
    )


def _settled(ns_name, name):
    """Whether a listener of hook *name* needs no :func:`listener_registered`
    action (a built-in hook no Pyramid event feeds): actions cost startup."""
    return (
        ns_name == DEFAULT_NAMESPACE
        and name in BUILTIN_HOOKS
        and name not in EVENT_BINDINGS
    )


def listener_registered(registry, ns_name, name, listener, info):
    """Once every listener is known: bridge a lifecycle hook to its Pyramid
    event; refuse an undeclared hook spelt as a declared one but for case,
    ``-`` or ``_``, or warn of one close to a declared one (a typo)."""
    hooks = get_hooks(registry)
    ns = hooks.namespaces[ns_name]
    if ns is hooks.default and name in EVENT_BINDINGS:
        bind_event(hooks, registry, name)
        return
    if ns is hooks.default:
        refuse_dotted_name(hooks, name, listener, info)
    if ns.strict or name in ns.specs:
        return
    refuse_other_spelling(ns, name, listener, info)
    meant = closest(name, ns.specs)
    if meant is not None and still_registered(ns, name, listener):
        log.warning(
            'Listener %s registered at %s is for hook %r, which is neither '
            'declared nor built in, so it runs only when that name is '
            'notified: did you mean %r?',
            object_name(listener),
            describe_info(info),
            describe_hook(ns_name, name),
            meant,
        )


def _folded(name):  # 'New-Request', 'new request', ' new_request'
    return '_'.join(name.casefold().replace('-', '_').split())


def refuse_other_spelling(ns, name, listener, info):
    """Refuse a listener of *name* when a declared or built-in hook of *ns*
    differs from it only in case, spaces, ``-`` or ``_``: it would never
    run (``hooks.on.New_Request`` in an ini file)."""
    folded = _folded(name)
    meant = [spec for spec in ns.specs if _folded(spec) == folded]
    if not meant or not still_registered(ns, name, listener):
        return
    key = f'hooks.on.{ns.name + "." if ns.name else ""}{meant[0]}'
    raise ConfigurationError(
        f'Listener {object_name(listener)} registered at '
        f'{describe_info(info)} is for the hook '
        f'{describe_hook(ns.name, name)!r}, which differs from the hook '
        f'{meant[0]!r} only in case, spaces, "-" or "_" and would never '
        f'run (names are compared exactly); spell it {meant[0]!r} (in the '
        f'settings: {key})'
    )


def still_registered(ns, name, listener):
    """Whether *listener* is registered for *name* in *ns* still."""
    return any(
        r.hook == name and r.listener is listener for r in ns.registrations
    )


def refuse_dotted_name(hooks, name, listener, info):
    """Refuse a listener of the default namespace's hook
    ``'namespace.hook'`` when that namespace is declared (TurboGears'
    spelling): the namespace's hooks are notified there, never here."""
    namespace, _, hook = name.rpartition('.')
    ns = hooks.namespaces.get(namespace) if namespace and hook else None
    if (
        ns is not None
        and ns.declared
        and still_registered(hooks.default, name, listener)
    ):
        raise ConfigurationError(
            f'Listener {object_name(listener)} registered at '
            f'{describe_info(info)} is for the hook {name!r} of the default '
            f'namespace and would never run: the hook namespace '
            f'{namespace!r} is declared and its hooks are notified there; '
            f'register it with config.register_hook({hook!r}, '
            f'{object_name(listener)}, namespace={namespace!r}) (in '
            f'settings: hooks.on.{name})'
        )


def unregister_hook(
    config: Configurator,
    name: str,
    listener: CallableOrName,
    namespace: str | None = None,
    view: object = None,
    route_name: str | None = None,
) -> None:
    """``config.unregister_hook``: undo :func:`register_hook`."""
    ns_name, what = _hook_names('unregister_hook', name, namespace)
    resolved = resolve(listener, what, config.package)
    view, key = listener_scope(config, what, view, route_name)
    info = config.action_info

    def unregister():
        if ns_name == DEFAULT_NAMESPACE and name in PIPELINE_HOOKS:
            where = f'{what} at {describe_info(info)}'
            refuse_late(config.registry, where, key, removed=True)
        hooks = get_hooks(config.registry)
        ns = _existing_namespace(hooks, ns_name, what, info)
        if not ns.remove(name, resolved, key=key):
            scope = '' if key is None else f' with {key_text(key)}'
            raise ConfigurationError(
                f'{what} at {describe_info(info)}: '
                f'{object_name(resolved)} is not registered for that '
                f'hook{scope}'
            )

    order = _orders(ns_name, name)[1]
    directive_action(config, what, None, unregister, order)


def includeme(config):
    """Add the hook directives to the configurator."""
    config.add_directive('add_hook_namespace', add_hook_namespace)
    config.add_directive('add_hook', add_hook)
    config.add_directive('register_hook', register_hook)
    config.add_directive('unregister_hook', unregister_hook)
