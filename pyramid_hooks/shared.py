"""Helpers that configuration code (:mod:`pyramid_hooks.config`) and
run-time code share: names and locations for messages, dotted-name
resolution, signature checks, and the registry utilities that hold the
per-application state.

It imports no other ``pyramid_hooks`` module but
:mod:`pyramid_hooks.interfaces`, so both sides can import it and the arrows
keep running one way: configuration code imports run-time code, never the
reverse (as ``pyramid/config/tweens.py`` imports ``pyramid/tweens.py``).
"""

import difflib
import importlib
import inspect
import sys

from pyramid.exceptions import ConfigurationError
from pyramid.path import DottedNameResolver

from pyramid_hooks.interfaces import IHooksSettings


def object_name(obj):
    """A readable dotted name for a callable or class (for messages)."""
    module = getattr(obj, '__module__', None)
    qualname = getattr(obj, '__qualname__', None) or getattr(
        obj, '__name__', None
    )
    if module and qualname:
        return f'{module}.{qualname}'
    return repr(obj)


def code_location(obj):
    """``file:line`` where the function or class *obj* (or the class of
    the instance *obj*) is defined, for what has no registration of its
    own (a ``validate=`` option, an authorization handler); ``None`` when
    it cannot be told."""
    obj = inspect.unwrap(obj) if callable(obj) else obj
    obj = getattr(obj, '__func__', obj)
    code = getattr(obj, '__code__', None)
    if code is not None:
        return f'{code.co_filename}:{code.co_firstlineno}'
    if not inspect.isclass(obj):
        obj = type(obj)
    try:
        return f'{inspect.getsourcefile(obj)}:{inspect.getsourcelines(obj)[1]}'
    except (OSError, TypeError):
        return None


def describe_info(info):
    """``file:line`` of an action's info, for error messages."""
    if info is None:
        return 'an unknown location'
    file = getattr(info, 'file', None)
    line = getattr(info, 'line', None)
    if file is None:
        return str(info).strip() or 'an unknown location'
    return f'{file}:{line}'


def closest(name, candidates):
    """The candidate closest to *name* (:func:`difflib.get_close_matches`),
    or ``None`` when none is close: for "did you mean" hints."""
    close = difflib.get_close_matches(name, sorted(candidates), n=1)
    return close[0] if close else None


def did_you_mean(name, candidates):
    """``"did you mean 'x'?"`` for the :func:`closest` candidate, or
    ``''``."""
    close = closest(name, candidates)
    return f'did you mean {close!r}?' if close else ''


def registry_utility(registry, iface, factory):
    """The utility *iface* of *registry*, made with ``factory()`` and
    registered the first time it is asked for."""
    found = registry.queryUtility(iface)
    if found is None:
        found = factory()
        registry.registerUtility(found, iface)
    return found


def get_hooks_settings(registry):
    """The parsed ``hooks.*`` settings of *registry* (read when
    ``pyramid_hooks`` was included), or ``None``."""
    return registry.queryUtility(IHooksSettings)


# -- dotted names -----------------------------------------------------------


def resolve(value, what, package=None):
    """Resolve the dotted name *value* (``pkg.module.attr`` or
    ``pkg.module:attr``, relative ones against *package*) as
    ``config.maybe_dotted`` does; any other value is returned as is.

    A name that cannot be resolved is a
    :class:`~pyramid.exceptions.ConfigurationError` starting with *what*
    (the directive, option or setting that needed it) and saying what went
    wrong in the user's terms: which module was found and which attribute
    was not (Python's own message, "No module named 'pkg.mod.attr'; 'pkg.mod'
    is not a package", says neither), a close attribute name, and the full
    dotted name of a built-in given by its bare name (``always_allow``).
    """
    if not isinstance(value, str):
        return value
    resolver = DottedNameResolver(package)
    try:
        return resolver.resolve(value)
    except (ImportError, AttributeError, ValueError) as e:
        why = _why_unresolved(_absolute(value, resolver.package), e)
        raise ConfigurationError(
            f'{what}: cannot import {value!r}: {why}'
        ) from e


def _absolute(value, package):
    """*value* made absolute against *package* when it is relative by one
    dot or colon (``.module.attr``, ``:attr``), else *value*."""
    if package is not None and value[:1] in '.:' and value[1:2] != '.':
        return package.__name__ + value
    return value


def _why_unresolved(name, error):
    """Why the absolute dotted *name* does not resolve: its modules are
    imported from the top down (one whose own import fails says so) and
    the first attribute missing from the last one found is named."""
    module_path, colon, attr_path = name.partition(':')
    parts = module_path.split('.')
    attrs = attr_path.split('.') if colon else []
    if not all(parts + attrs):  # relative, or not a dotted name at all
        return str(error)
    obj = found = None
    for count in range(1, len(parts) + 1):
        module_name = '.'.join(parts[:count])
        try:
            obj = importlib.import_module(module_name)
        except ImportError as e:
            if e.name != module_name:
                return (
                    f'the module {module_name!r} exists but importing it '
                    f'failed ({e})'
                )
            break  # no module of that name: the rest are attributes
        found = module_name
    if found is None:
        if len(parts) > 1 or attrs:
            return str(error)
        full = _builtin_names(name)
        hint = f'; did you mean {full[0]!r}?' if full else ''
        return (
            f'no module is called {name!r}: a dotted name starts with its '
            f'module (package.module.{name}){hint}'
        )
    for attr in parts[found.count('.') + 1 :] + attrs:
        if not hasattr(obj, attr):
            kind = 'the module ' if inspect.ismodule(obj) else ''
            hint = did_you_mean(
                attr, (n for n in dir(obj) if not n.startswith('_'))
            )
            return (
                f'{kind}{found!r} was found but has no attribute {attr!r}'
                f'{"; " + hint if hint else ""}'
            )
        obj = getattr(obj, attr)
        found = f'{found}.{attr}'
    return str(error)  # pragma: no cover - it resolves by now


def _builtin_names(name):
    """The full dotted names of the objects called *name* that a
    ``pyramid_hooks`` module defines (``always_allow`` ->
    ``pyramid_hooks.widgets.always_allow``)."""
    found = []
    for module_name, module in sorted(sys.modules.items()):
        if module_name.partition('.')[0] != 'pyramid_hooks':
            continue
        obj = vars(module).get(name)
        if obj is not None and getattr(obj, '__module__', '') == module_name:
            found.append(f'{module_name}.{name}')
    return found


# -- signatures -------------------------------------------------------------


def call_problem(func, args, unreadable=None):
    """Why *func* cannot be called with the positional arguments *args*
    (their names, for instance ``('request', 'params')``): the reason
    :meth:`inspect.Signature.bind` gives, or ``None`` when it can.

    Every directive and option that takes a callable checks it with this
    at configuration time, so a wrong signature fails at startup rather
    than on every request (TurboGears issue #145).  A callable whose
    signature cannot be read (some builtins) gets the benefit of the
    doubt: *unreadable* is returned for it.
    """
    if not callable(func):
        return f'{func!r} is not callable'
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return unreadable
    try:
        signature.bind(*args)
    except TypeError as e:
        return str(e)
    return None
