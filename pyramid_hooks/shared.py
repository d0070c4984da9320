"""Helpers of configuration and run-time code; it imports only the
interfaces, so that run-time code never imports configuration code."""

import difflib
import importlib
import inspect
import re
import sys
import types
from collections.abc import Callable, Iterable
from typing import Any

from pyramid.exceptions import ConfigurationError
from pyramid.path import DottedNameResolver
from webob import Response

from pyramid_hooks.interfaces import IHooksSettings

#: A callable or its dotted name, as every directive and option takes it.
CallableOrName = Callable[..., Any] | str
#: A list of names, where an option takes one name or several.
Names = list[str] | tuple[str, ...]
#: A WSGI application: ``app(environ, start_response) -> body``.
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


#: An extra key on every action we add: dicts of different sizes compare
#: unequal at once (Pyramid's ``list.remove`` of each action it runs).
MARK = {'pyramid_hooks': True}
#: The attribute :func:`~pyramid_hooks.widgets.serverside_callback` sets.
CALLBACK_MARKER = 'pyramid_hooks_serverside_callback'


def object_name(obj):
    """A readable dotted name for a callable or class (for messages): the
    one the application wrote, not a wrapper's (``__wrapped__``)."""
    try:
        obj = inspect.unwrap(obj)
    except Exception:  # a cycle, or a __getattr__ raising
        pass
    module = getattr(obj, '__module__', None)
    name = getattr(obj, '__qualname__', None) or getattr(obj, '__name__', None)
    if module and name:
        return f'{module}.{name}'
    return safe_repr(obj)


def safe_repr(value):
    """``repr(value)``, or ``<module.Class object>`` when that raises."""
    try:
        return repr(value)
    except Exception:
        return f'<{object_name(type(value))} object>'


def code_location(obj):
    """``file:line`` where the function or class *obj* (or the class of
    the instance *obj*) is defined, or ``None``."""
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
    """``file:line`` of an action's info (or venusian's ``codeinfo``)."""
    if isinstance(info, tuple):
        return f'{info[0]}:{info[1]}'
    file = getattr(info, 'file', None)
    if file is not None:
        return f'{file}:{info.line}'
    return str(info or '').strip() or 'an unknown location'


def valid_name(name, pattern=None):
    """Whether *name* is a string not blank, or matching *pattern*."""
    if not isinstance(name, str):
        return False
    return bool(name.strip() if pattern is None else pattern.match(name))


def check_name(what, name, label='a name', pattern=None):
    """Refuse a *name* not :func:`valid_name`, calling it *label*."""
    if not valid_name(name, pattern):
        must = 'be a non-empty string'
        if pattern is not None:
            must = f'match {pattern.pattern!r}'
        raise ConfigurationError(
            f'{what}: {label} must {must}, got {safe_repr(name)}'
        )


def check_flag(what, flag, given):
    """Refuse a *given* value of the option *flag* that is not a bool."""
    if not isinstance(given, bool):
        raise ConfigurationError(
            f'{what}: {flag} must be True or False, got {safe_repr(given)}'
        )


#: An HTTP method name as :func:`method_names` takes it.
METHOD_NAME = re.compile(r'[A-Za-z][A-Za-z-]*')


def method_names(value):
    """*value*, an HTTP method name or a list, tuple or set of them, as a
    tuple of upper-case names, or ``None`` when it is no such thing (a name
    is ASCII letters and hyphens: ``'GÉT'`` would be in every ``Allow``)."""
    methods = (value,) if isinstance(value, str) else value
    if isinstance(methods, (list, tuple, set, frozenset)) and all(
        isinstance(method, str) and METHOD_NAME.fullmatch(method)
        for method in methods
    ):
        return tuple(method.upper() for method in methods)
    return None


def shortened(text, limit):
    """*text* cut to *limit* characters, ``...`` ending a cut one."""
    return text if len(text) <= limit else text[: limit - 3] + '...'


def shown_value(value):
    """``repr(value)`` :func:`shortened` for a message."""
    return shortened(safe_repr(value), 80)


def closest(name, candidates):
    """The candidate closest to *name* ignoring case, or ``None``."""
    by_folded = {c.casefold(): c for c in sorted(candidates, reverse=True)}
    close = difflib.get_close_matches(name.casefold(), sorted(by_folded), n=1)
    return by_folded[close[0]] if close else None


def did_you_mean(name, candidates, lead=''):
    """``"did you mean 'x'?"`` after *lead*, or ``''``."""
    close = closest(name, candidates)
    return f'{lead}did you mean {close!r}?' if close else ''


def registry_utility(registry, iface, factory):
    """The utility *iface* of *registry*, ``factory()`` made on demand."""
    found = registry.queryUtility(iface)
    if found is None:
        found = factory()
        registry.registerUtility(found, iface)
    return found


def get_hooks_settings(registry):
    """The parsed ``hooks.*`` settings of *registry*, or ``None``."""
    return registry.queryUtility(IHooksSettings)


def resolve(value, what, package=None):
    """Resolve the dotted name *value* as ``config.maybe_dotted`` does, a
    failure named after *what*; any other value as is."""
    if not isinstance(value, str):
        return value
    if not value.strip():  # Pyramid's resolver fails with an IndexError
        raise ConfigurationError(
            f'{what}: {value!r} is an empty dotted name; give the object or '
            'its dotted name (package.module.name)'
        )
    resolver = DottedNameResolver(package)
    try:
        return resolver.resolve(value)
    except (ImportError, AttributeError, ValueError) as e:
        name = value
        if resolver.package and value[:1] in '.:' and value[1:2] != '.':
            name = resolver.package.__name__ + value  # '.mod.attr', ':attr'
        why = _why_unresolved(name, e)
        raise ConfigurationError(
            f'{what}: cannot import {value!r}: {why}'
        ) from e


def _why_unresolved(name, error):
    """Why the absolute dotted *name* does not resolve: the module found
    and the attribute missing, or a bare name's full one."""
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
    if found is None and (len(parts) > 1 or attrs):
        return str(error)
    if found is None:
        full = [  # the objects of that name a pyramid_hooks module defines
            f'{mod}.{name}'
            for mod, module in sorted(sys.modules.items())
            if mod.partition('.')[0] == 'pyramid_hooks'
            and getattr(vars(module).get(name), '__module__', None) == mod
        ]
        hint = f'; did you mean {full[0]!r}?' if full else ''
        return (
            f'no module is called {name!r}: a dotted name starts with its '
            f'module (package.module.{name}){hint}'
        )
    for attr in parts[found.count('.') + 1 :] + attrs:
        if not hasattr(obj, attr):
            kind = 'the module ' if inspect.ismodule(obj) else ''
            hint = did_you_mean(
                attr, (n for n in dir(obj) if not n.startswith('_')), '; '
            )
            return (
                f'{kind}{found!r} was found but has no attribute {attr!r}'
                f'{hint}'
            )
        obj = getattr(obj, attr)
        found = f'{found}.{attr}'
    return str(error)  # pragma: no cover - it resolves by now


#: The code flags of an ``async def`` function, and what we say of it.
ASYNC_FLAGS = inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
ASYNC_PROBLEM = (
    'it is an async function (async def), and it is called synchronously: '
    'its body would never run; make it a plain def'
)
GENERATOR_PROBLEM = (
    'it is a generator function (it yields), and what it returns is '
    'ignored: its body would never run; make it a plain function without '
    'yield'
)


def body_problem(func, generators=False):
    """Why calling *func* would not run its body (an ``async def``, with
    *generators* a generator function), else ``None``: we call it
    synchronously, and a guard that never runs never refuses."""
    if inspect.isclass(func):
        return None
    func = getattr(func, '__func__', func)  # a static or class method's
    calls = (func,)
    if not (inspect.isfunction(func) or inspect.ismethod(func)):
        # a callable instance runs the __call__ of its class
        calls += (inspect.getattr_static(type(func), '__call__', None),)
    for call in calls:
        if inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(
            call
        ):
            return ASYNC_PROBLEM
        if generators and inspect.isgeneratorfunction(call):
            return GENERATOR_PROBLEM
    return None


def call_problem(func, args, unreadable=None):
    """Why *func* cannot be called with the positional arguments named
    *args* (or run), else ``None``, or *unreadable*: refused at startup."""
    if not callable(func):
        return f'{safe_repr(func)} is not callable'
    if inspect.isclass(func) and issubclass(func, Response):
        return (
            f'{object_name(func)} is a response class: calling it makes a '
            'response of these arguments; give a function returning one'
        )
    if type(func) is types.FunctionType and not func.__dict__:
        # a plain function: its code, at a fraction of inspect.signature's
        problem = positional_problem(func, len(args))
        code = func.__code__
        first = code.co_varnames[0] if code.co_argcount else None
        names = code.co_varnames[: code.co_argcount]
        if problem is None and any(  # the count cannot tell a swap
            name in args and args.index(name) != place
            for place, name in enumerate(names)
        ):
            problem = (
                f'its parameters ({", ".join(names)}) name those '
                'arguments in another order'
            )
    else:
        problem = body_problem(func)
        if problem is not None:
            return problem
        try:
            signature = inspect.signature(func)
        except (TypeError, ValueError):
            return unreadable
        first = next(iter(signature.parameters), None)
        try:
            signature.bind(*args)
        except TypeError as e:
            problem = str(e)
    if first == 'self' and 'self' not in args:  # self would be args[0]
        problem = (f'{problem}; ' if problem else '') + (
            'its first parameter is self, but it is called as a plain '
            'function, never on an instance: drop self (a module function, '
            'or a @staticmethod)'
        )
    return problem


def positional_problem(func, count, generators=False):
    """Why the callable *func* cannot be called with *count* positional
    arguments and run (as :func:`body_problem`), ``None`` when it can: read
    from a plain function's code object, cheap enough for what each
    controller wrapper returns."""
    if not isinstance(func, types.FunctionType):  # the usual case first
        if isinstance(func, types.MethodType):
            func, count = func.__func__, count + 1
        else:  # an instance, or a class (its metaclass's __call__)
            call = inspect.getattr_static(type(func), '__call__', None)
            if isinstance(call, types.FunctionType):
                func, count = call, count + 1
        if not isinstance(func, types.FunctionType):
            return body_problem(func, generators)
    code = func.__code__
    if code.co_flags & ASYNC_FLAGS:
        return ASYNC_PROBLEM
    if generators and code.co_flags & inspect.CO_GENERATOR:
        return GENERATOR_PROBLEM
    if code.co_argcount == count and not code.co_kwonlyargcount:
        return None  # call(context, request): the usual case, at once
    kwdefaults = func.__kwdefaults__ or {}
    required = code.co_argcount - len(func.__defaults__ or ())
    if required > count:
        return f'missing a required argument: {code.co_varnames[count]!r}'
    if count > code.co_argcount and not code.co_flags & inspect.CO_VARARGS:
        return 'too many positional arguments'
    end = code.co_argcount + code.co_kwonlyargcount
    for name in code.co_varnames[code.co_argcount : end]:
        if name not in kwdefaults:
            return f'missing a required argument: {name!r}'
    return None


def resolve_option(info, option, value, args=None):
    """A dotted-name view option resolved, callable as ``option(*args)``."""
    what = f'{option}= of view {object_name(info.original_view)}'
    resolved = resolve(value, what, info.package)
    if not callable(resolved):
        raise ConfigurationError(
            f'{what} must be a callable or its dotted name, got '
            f'{safe_repr(value)}'
        )
    problem = None if args is None else call_problem(resolved, args)
    if problem is None and option == 'validate':  # its result is read
        problem = body_problem(resolved, generators=True)
    if problem is not None:
        raise ConfigurationError(
            f'{what}: {object_name(resolved)} cannot be called as '
            f'{option}({", ".join(args)}) ({problem})'
        )
    return resolved
