"""How activated controller classes combine into families, and how their
``route()`` options merge along the MRO (Odoo's inheritance)."""

import logging
from inspect import unwrap

from pyramid.exceptions import ConfigurationError

from pyramid_hooks.controllers import (
    COMBINED_ATTR,
    DEFAULTS,
    ROUTE_ATTR,
    Controller,
    function_location,
)
from pyramid_hooks.shared import describe_info, object_name

#: the logger of the directives that use these functions
log = logging.getLogger('pyramid_hooks.controllers.config')


def families(activated):
    """Group the activated classes by shared base controller: ``[(name,
    leaves)]``, leaves in activation order, ``name`` the bases' smallest."""
    extended = {base for cls in activated for base in cls.__mro__[1:]}
    leaves = [cls for cls in activated if cls not in extended]
    groups = {}  # {first leaf: (set of base controllers, [leaves])}
    group_of = {}  # {base controller: the first leaf of its group}
    for leaf in leaves:  # in activation order: a group's first leaf first
        tops = {k for k in leaf.__mro__ if Controller in k.__bases__}
        joined = {group_of[top] for top in tops if top in group_of}
        first = leaf
        members = [leaf]
        for other in sorted(joined, key=leaves.index):
            other_tops, other_members = groups.pop(other)
            first = other if first is leaf else first
            tops |= other_tops
            members += other_members
        groups[first] = (tops, members)
        group_of.update(dict.fromkeys(tops, first))
    order = {leaf: index for index, leaf in enumerate(leaves)}
    return [
        (min(map(object_name, tops)), sorted(members, key=order.__getitem__))
        for first, (tops, members) in sorted(
            groups.items(), key=lambda item: order[item[0]]
        )
    ]


def refuse_split_prefixes(controllers, name, family):
    """Refuse classes of the controller *name* (*family*) activated under
    different route prefixes: combined, only the first one's serves."""
    first, *others = family
    info, config = controllers.activated[first]
    prefix = (config.route_prefix or '').strip('/')
    for cls in others:
        other_info, other_config = controllers.activated[cls]
        other = (other_config.route_prefix or '').strip('/')
        if other != prefix:
            raise ConfigurationError(
                f'add_controller {object_name(cls)} at '
                f'{describe_info(other_info)} (route prefix /{other}) and '
                f'add_controller {object_name(first)} at '
                f'{describe_info(info)} (route prefix /{prefix}) activate '
                f'classes of the controller {name}, which combine into one '
                'controller served under one route prefix: the routes of '
                "one would be served under the other's. Activate both "
                'under one prefix; or, to serve a resource per prefix, '
                'make the shared class a mixin that does not subclass '
                'Controller (class Crud: ...; class Movies(Crud, '
                'Controller))'
            )


def combine(name, leaves):
    """The serving class of a family: its leaf, or one based on its leaves."""
    if len(leaves) == 1:
        return leaves[0]
    title = (
        f'{name.rpartition(".")[2]} (extended by '
        f'{", ".join(leaf.__qualname__ for leaf in leaves)})'
    )
    namespace = {COMBINED_ATTR: True, '__module__': leaves[0].__module__}
    try:
        return type(title, tuple(leaves), namespace)
    except TypeError as e:
        raise ConfigurationError(
            f'Cannot combine the extensions '
            f'{", ".join(object_name(c) for c in leaves)} of {name}: {e}'
        ) from e


def route_names(serving):
    """The names of *serving*'s ``route()`` methods, base classes first."""
    names = {}
    for klass in reversed(serving.__mro__):
        for attr_name, attr in vars(klass).items():
            if isinstance(attr, (staticmethod, classmethod)):
                # over @route it hid the mark: marked as @route over it is
                routed = getattr(attr.__func__, ROUTE_ATTR, None)
                if routed is not None:
                    vars(attr).setdefault(ROUTE_ATTR, routed)
            hidden = getattr(attr, 'fget', getattr(attr, 'func', None))
            if getattr(hidden, ROUTE_ATTR, None) is not None:  # a property
                kind = type(attr).__name__
                raise ConfigurationError(
                    f'Controller handler {function_location(hidden)}: '
                    f'@{kind} over route() hides the route, never served; '
                    f'a handler is a method: drop the @{kind}'
                )
            if getattr(attr, ROUTE_ATTR, None) is not None:
                names[attr_name] = None
    return list(names)


def names_used(function):
    """The global and attribute names *function*'s code reads; ``super``
    for a callable without code (not read: it may call anything)."""
    return getattr(
        getattr(unwrap(function), '__code__', None), 'co_names', 'super'
    )


def warn_sibling_conflicts(name, leaves, method, served):
    """Warn when sibling extensions disagree about publishing *method*, or
    one's handler never runs (a sibling's before it not calling
    ``super()``): activation order alone decides then."""
    decided = {}  # {class whose definition wins for a leaf: published}
    for leaf in leaves:
        klass = next((k for k in leaf.__mro__ if method in vars(k)), None)
        if klass is not None:  # else joined to the family by another base
            decided[klass] = hasattr(vars(klass)[method], ROUTE_ATTR)
    pairs = sorted(
        (
            (hider, publisher)
            for hider, published in decided.items()
            if not published
            for publisher, other in decided.items()
            if other
            and not issubclass(publisher, hider)
            and not issubclass(hider, publisher)
        ),
        key=lambda pair: tuple(map(object_name, pair)),
    )
    published = [klass for klass, shown in decided.items() if shown]
    for index, klass in enumerate(published):
        ahead = next(  # a sibling before it in the MRO not calling super()
            (
                k
                for k in published[:index]
                if not issubclass(k, klass)
                and not issubclass(klass, k)
                and 'super' not in names_used(vars(k)[method])
            ),
            None,
        )
        if ahead is not None:
            log.warning(
                'Controller %s: handler %s of %s never runs: '
                '%s.%s, activated before it, does not call super() (the '
                'first activated runs first; Odoo runs the module loaded '
                'last first). Activate the one that should serve first, '
                'or make one extension extend the other to choose.',
                name,
                method,
                object_name(klass),
                object_name(ahead),
                method,
            )
    for hider, publisher in pairs:
        log.warning(
            'Controller %s: handler %s is unpublished by %s (redefined '
            'without @route) and re-decorated by %s; activation order '
            'decides: %s. Redefine it in one extension that extends the '
            'other to choose.',
            name,
            method,
            object_name(hider),
            object_name(publisher),
            f'served by {object_name(publisher)}'
            if served
            else f'unpublished by {object_name(hider)}',
        )


def merge_routing(serving, name):
    """``(routing, functions, owner)`` of method *name* of *serving*: the
    ``route()`` options along the MRO merged, base first (``None`` when the
    last function defining it, of the class *owner*, is not decorated)."""
    routing = {}
    functions = []
    for klass in reversed(serving.__mro__):
        if name not in vars(klass):
            continue
        owner = klass
        functions.append(vars(klass)[name])
        given = getattr(functions[-1], ROUTE_ATTR, None)
        if given is None:
            continue
        current = routing.get('type', DEFAULTS['type'])
        if routing and given.get('type', current) != current:
            raise ConfigurationError(
                f'route(type={given["type"]!r}) on '
                f'{function_location(functions[-1])} changes the type of a '
                f'{current!r} route: an override cannot change the type'
            )
        routing.update(given)
    if getattr(functions[-1], ROUTE_ATTR, None) is None:
        return None, functions, owner
    return {**DEFAULTS, 'routes': (), **routing}, functions, owner
