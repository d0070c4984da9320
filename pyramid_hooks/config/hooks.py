"""Directives for hook namespaces, hooks and listeners.

``config.add_hook_namespace``, ``config.add_hook``, ``config.register_hook``
and ``config.unregister_hook``.  Each validates what it can at once, then
registers a configuration action, so that conflicts are detected, include
paths override, and the introspector (and ``phooks``) can show where every
registration came from.
"""

import keyword
import logging

from pyramid.exceptions import ConfigurationError
from pyramid.interfaces import (
    IApplicationCreated,
    IContextFound,
    INewRequest,
    INewResponse,
)
from pyramid.tweens import INGRESS

from pyramid_hooks.config import (
    CATEGORY_HOOKS,
    CATEGORY_LISTENERS,
    CATEGORY_NAMESPACES,
    ORDER_DECLARE,
    ORDER_LISTENERS_FINAL,
    ORDER_NAMESPACE,
    ORDER_REGISTER,
    ORDER_UNREGISTER,
    ensure_not_frozen,
)
from pyramid_hooks.finished import TWEEN_NAME as FINISHED_TWEEN
from pyramid_hooks.finished import add_finished_callback
from pyramid_hooks.hooks import (
    BUILTIN_HOOKS,
    DEFAULT_NAMESPACE,
    SCOPES,
    HookNamespace,
    HookSpec,
    describe_hook,
    get_hooks,
)
from pyramid_hooks.scopes import route_key, scope_key
from pyramid_hooks.shared import (
    closest,
    describe_info,
    object_name,
    resolve,
)

log = logging.getLogger(__name__)


def _check_name(what, name):
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(
            f'{what}: a name must be a non-empty string, got {name!r}'
        )


def _namespace_name(namespace):
    if namespace is None:
        return DEFAULT_NAMESPACE
    _check_name('hook namespace', namespace)
    return namespace


def _existing_namespace(hooks, namespace, what, info):
    ns = hooks.namespaces.get(namespace)
    if ns is None or not ns.declared:
        raise ConfigurationError(
            f'{what} at {describe_info(info)}: the hook namespace '
            f'{namespace!r} is not declared (config.add_hook_namespace)'
        )
    return ns


def add_hook_namespace(config, name, strict=True):
    """Declare the hook namespace *name*, e.g. a plugin's own ``'mailer'``.

    In a *strict* namespace (the default) only hooks declared with
    :meth:`add_hook` may have listeners; a listener for another name is a
    :class:`~pyramid.exceptions.ConfigurationError` at startup.  Declaring
    the same namespace twice is a configuration conflict.
    """
    _check_name('add_hook_namespace', name)
    if not isinstance(strict, bool):
        raise ConfigurationError(
            f'add_hook_namespace {name!r}: strict must be True or False, '
            f'got {strict!r}'
        )
    ensure_not_frozen(config, f'add_hook_namespace {name!r}')
    info = config.action_info
    intr = config.introspectable(
        CATEGORY_NAMESPACES, name, name, 'hook namespace'
    )
    intr['name'] = name
    intr['strict'] = strict

    def register():
        hooks = get_hooks(config.registry)
        ns = hooks.namespaces.get(name)
        if ns is None:
            hooks.namespaces[name] = HookNamespace(
                name, strict, info=info, traced=hooks.traced
            )
            return
        # listeners were registered first (autocommit): check them now
        ns.strict, ns.declared, ns.info = strict, True, info
        for registration in ns.registrations:
            ns.check(registration)

    config.action(
        ('pyramid_hooks namespace', name),
        register,
        introspectables=(intr,),
        order=ORDER_NAMESPACE,
    )


def add_hook(
    config,
    name,
    args=(),
    namespace=None,
    value=False,
    scope='app',
    trap_exceptions=False,
):
    """Declare the hook point *name*.

    *args* names the positional arguments a listener receives; every
    listener's signature is checked against them when it is registered.
    ``value=True`` declares a filter hook (``notify_with_value``): listeners
    are called ``listener(value, *args)`` and return the new value.  *scope*
    is ``'app'`` (app-wide listeners only), ``'view'`` (listeners scoped to
    views only) or ``'any'``.  With ``trap_exceptions=True`` a failing
    listener is logged and the next one runs.
    """
    _check_name('add_hook', name)
    ns_name = _namespace_name(namespace)
    hook = describe_hook(ns_name, name)
    if isinstance(args, str):
        args = (args,)
    args = tuple(args)
    for arg in args:
        if (
            not isinstance(arg, str)
            or not arg.isidentifier()
            or (keyword.iskeyword(arg))
        ):
            raise ConfigurationError(
                f'add_hook {hook!r}: args must be argument names, got {arg!r}'
            )
    if scope not in SCOPES:
        raise ConfigurationError(
            f'add_hook {hook!r}: scope must be one of '
            f'{", ".join(map(repr, SCOPES))}, got {scope!r}'
        )
    flags = (('value', value), ('trap_exceptions', trap_exceptions))
    for flag, given in flags:
        if not isinstance(given, bool):
            raise ConfigurationError(
                f'add_hook {hook!r}: {flag} must be True or False, '
                f'got {given!r}'
            )
    if ns_name == DEFAULT_NAMESPACE and name in BUILTIN_HOOKS:
        raise ConfigurationError(
            f'add_hook {hook!r}: {name!r} is a built-in hook of the default '
            'namespace and is already declared'
        )
    ensure_not_frozen(config, f'add_hook {hook!r}')
    info = config.action_info
    discriminator = ('pyramid_hooks hook', ns_name, name)
    intr = config.introspectable(CATEGORY_HOOKS, (ns_name, name), hook, 'hook')
    intr.update(
        name=name,
        namespace=ns_name,
        args=args,
        value=value,
        scope=scope,
        trap_exceptions=trap_exceptions,
    )

    def register():
        hooks = get_hooks(config.registry)
        ns = (
            hooks.default
            if ns_name == DEFAULT_NAMESPACE
            else _existing_namespace(
                hooks, ns_name, f'add_hook {hook!r}', info
            )
        )
        ns.declare(
            HookSpec(
                name,
                args=args,
                namespace=ns_name,
                value=value,
                scope=scope,
                trap_exceptions=trap_exceptions,
                info=info,
            )
        )

    config.action(
        discriminator, register, introspectables=(intr,), order=ORDER_DECLARE
    )


def listener_scope(config, what, view, route_name):
    view = resolve(view, f'{what}: view=', config.package)
    if view is not None and route_name is not None:
        raise ConfigurationError(
            f'{what}: give view= or route_name=, not both'
        )
    if route_name is not None:
        _check_name(f'{what}: route_name', route_name)
        return view, route_key(route_name)
    if view is not None:
        return view, scope_key(view)
    return None, None


def register_hook(
    config, name, listener, namespace=None, view=None, route_name=None
):
    """Register *listener* (a callable or dotted name) for hook *name*.

    Without *view* and *route_name* the listener is app-wide.  ``view=`` a
    function scopes it to that function's views, ``view=`` a class to every
    view of that class whatever its ``attr``, ``view=Class.method`` to the
    views of that class with that ``attr``; ``route_name=`` to the views of
    that route.  Registering the same listener twice for the same hook and
    scope is a configuration conflict.
    """
    _check_name('register_hook', name)
    ns_name = _namespace_name(namespace)
    hook = describe_hook(ns_name, name)
    what = f'register_hook {hook!r}'
    where = describe_info(config.action_info)
    resolved = resolve(listener, f'{what} at {where}', config.package)
    if not callable(resolved):
        raise ConfigurationError(
            f'{what} at {where}: the listener {listener!r} is not callable'
        )
    view, key = listener_scope(config, what, view, route_name)
    ensure_not_frozen(config, what)
    info = config.action_info
    discriminator = ('pyramid_hooks listener', ns_name, name, key, resolved)
    intr = config.introspectable(
        CATEGORY_LISTENERS,
        discriminator,
        f'{object_name(resolved)} -> {hook}',
        'hook listener',
    )
    intr.update(
        hook=name,
        namespace=ns_name,
        listener=resolved,
        view=view,
        route_name=route_name,
    )

    def register():
        hooks = get_hooks(config.registry)
        ns = hooks.namespaces.get(ns_name)
        if ns is None or not ns.declared:
            if not config.autocommit:
                _existing_namespace(hooks, ns_name, what, info)
            if ns is None:
                # autocommit: declared later, and checked then
                ns = hooks.namespaces[ns_name] = HookNamespace(
                    ns_name, declared=False, traced=hooks.traced
                )
        ns.add(name, resolved, key=key, info=info)

    config.action(
        discriminator,
        register,
        introspectables=(intr,),
        order=ORDER_REGISTER,
    )
    if not (ns_name == DEFAULT_NAMESPACE and name in BUILTIN_HOOKS):
        config.action(
            None,
            warn_if_misspelled,
            args=(config.registry, ns_name, name, resolved, info),
            order=ORDER_LISTENERS_FINAL,
        )
    if ns_name == DEFAULT_NAMESPACE and name in EVENT_BINDINGS:
        config.action(
            None,
            lambda: bind_event(config.registry, name),
            order=ORDER_LISTENERS_FINAL,
        )
    if ns_name == DEFAULT_NAMESPACE and name == 'request_finished':
        add_request_finished_tween(config)


def misspelling(ns, name):
    """The declared hook of the non-strict namespace *ns* that *name* is
    close to, when *name* has listeners there without being declared (nor
    built in), else ``None``.  Such a listener runs only when something
    notifies that very name, which is how a typo (``before_rendr``) goes
    unnoticed."""
    if ns.strict or name in ns.specs:
        return None
    return closest(name, ns.specs)


def warn_if_misspelled(registry, ns_name, name, listener, info):
    """Log a warning, at startup, for a listener registered for a
    :func:`misspelling` of a declared hook (custom names stay allowed)."""
    ns = get_hooks(registry).namespaces[ns_name]
    meant = misspelling(ns, name)
    registered = any(
        r.hook == name and r.listener is listener for r in ns.registrations
    )
    if meant is not None and registered:  # not unregistered since
        log.warning(
            'Listener %s registered at %s is for hook %r, which is neither '
            'declared nor built in, so it runs only when that name is '
            'notified: did you mean %r?',
            object_name(listener),
            describe_info(info),
            describe_hook(ns_name, name),
            meant,
        )


def unregister_hook(
    config, name, listener, namespace=None, view=None, route_name=None
):
    """Remove *listener* from hook *name*, typically one that an included
    package registered.  The arguments identify the registration as
    :meth:`register_hook` received them; naming a listener that is not
    registered is a :class:`~pyramid.exceptions.ConfigurationError`."""
    _check_name('unregister_hook', name)
    ns_name = _namespace_name(namespace)
    hook = describe_hook(ns_name, name)
    what = f'unregister_hook {hook!r}'
    resolved = resolve(listener, what, config.package)
    view, key = listener_scope(config, what, view, route_name)
    ensure_not_frozen(config, what)
    info = config.action_info

    def unregister():
        hooks = get_hooks(config.registry)
        ns = _existing_namespace(hooks, ns_name, what, info)
        if not ns.remove(name, resolved, key=key):
            scope = '' if key is None else f' scoped to {key!r}'
            raise ConfigurationError(
                f'{what} at {describe_info(info)}: '
                f'{object_name(resolved)} is not registered for that '
                f'hook{scope}'
            )

    config.action(None, unregister, order=ORDER_UNREGISTER)


# -- Pyramid events ---------------------------------------------------------
#
# The request-lifecycle hooks are bridged to Pyramid's events only once they
# have a listener: a registry without subscribers skips event dispatch
# entirely (``registry.has_listeners``), and an unused add-on keeps it so.


def _on_new_request(hooks):
    """One ``NewRequest`` subscriber for ``new_request`` and
    ``request_finished``: the finished callback is added *before* the
    ``new_request`` listeners run, so that one of them failing does not
    keep ``request_finished`` from running.  A request that never gets to
    ``NewRequest`` gets it from the tween (:mod:`pyramid_hooks.finished`)."""
    default = hooks.default

    def new_request(event):
        request = event.request
        if default.has_listeners('request_finished'):
            add_finished_callback(request)
        if default.has_listeners('new_request'):
            default.notify('new_request', request)

    return new_request


def _on_context_found(hooks):
    def context_found(event):
        hooks.default.notify('context_found', event.request)

    return context_found


def _on_new_response(hooks):
    def new_response(event):
        hooks.default.notify('new_response', event.request, event.response)

    return new_response


def _on_application_created(hooks):
    def application_created(event):
        hooks.default.notify('configure_new_app', event.app)

    return application_created


#: hook -> (Pyramid event interface, subscriber factory(hooks))
EVENT_BINDINGS = {
    'new_request': (INewRequest, _on_new_request),
    'request_finished': (INewRequest, _on_new_request),
    'context_found': (IContextFound, _on_context_found),
    'new_response': (INewResponse, _on_new_response),
    'configure_new_app': (IApplicationCreated, _on_application_created),
}


def bind_event(registry, name):
    """Subscribe the bridge of hook *name* to its Pyramid event, once."""
    hooks = get_hooks(registry)
    if name in hooks.bound_events or not hooks.default.has_listeners(name):
        return
    iface, factory = EVENT_BINDINGS[name]
    registry.registerHandler(factory(hooks), (iface,))
    hooks.bound_events.update(
        hook for hook, (_, f) in EVENT_BINDINGS.items() if f is factory
    )


def includeme(config):
    """Add the hook directives to the configurator."""
    config.add_directive('add_hook_namespace', add_hook_namespace)
    config.add_directive('add_hook', add_hook)
    config.add_directive('register_hook', register_hook)
    config.add_directive('unregister_hook', unregister_hook)


def add_request_finished_tween(config):
    """Add the ``request_finished`` tween (outermost, under
    :data:`pyramid.tweens.INGRESS`) with the application's first
    ``request_finished`` listener, so that the listeners run also for a
    request that a tween or an application wrapper ends before
    ``NewRequest``; an application without such listeners keeps its
    ``ptweens`` (and one whose listeners were all unregistered gets the
    handler itself from the tween factory).

    Called by the directive, not from an action: ``add_tween`` is then an
    ordinary action of the commit (an action adding actions would trip
    over the actions an include-path override dropped, see
    :data:`~pyramid_hooks.config.ORDER_CALLS_MADE`)."""
    hooks = get_hooks(config.registry)
    if not hooks.finished_tween:
        hooks.finished_tween = True
        config.add_tween(FINISHED_TWEEN, under=INGRESS)
