"""Venusian decorators, activated by ``config.scan()``, that register through
the directives, errors naming the decorator's line."""

import inspect
import linecache
from inspect import getattr_static, ismethod
from typing import Any, TypeVar

import venusian
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.interfaces import IScannedDecorators
from pyramid_hooks.scopes import scope_key
from pyramid_hooks.shared import (
    CallableOrName,
    describe_info,
    object_name,
    registry_utility,
)
from pyramid_hooks.workarounds import (
    call_before_others,
    venusian_callbacks,
    with_action_info,
)

_T = TypeVar('_T')


def outside_class(func, depth):
    """Whether a method's decorator applied to *func* from the frame *depth*
    levels up would publish nothing: on a class, or a module's function."""
    if isinstance(func, type):
        return True
    frame = inspect.currentframe().f_back  # the caller's
    for _ in range(depth):
        frame = frame.f_back
    owner = getattr(func, '__qualname__', '').rpartition('.')[0]
    return frame.f_locals is frame.f_globals and not owner


def scanned_config(context, info, found):
    """The configurator our venusian callback registers what the scan
    *found* at *info* with, refusing a scan before the include."""
    config = context.config.with_package(info.module)
    if not hasattr(config, 'add_controller'):
        raise ConfigurationError(
            f'config.scan() found {found} ({describe_info(info.codeinfo)}), '
            'but pyramid_hooks is not included: call config.include('
            "'pyramid_hooks') before config.scan() (or list it in "
            'pyramid.includes)'
        )
    return with_action_info(config, info.codeinfo)


class _ScanDecorator:
    #: whether it decorates a view (else it registers what it decorates)
    on_view = True
    #: whether it decorated something (a shorthand: ``timed = ...(timed)``)
    applied = False
    #: the listener or wrapper it was given (``None``: a ``@listener``)
    given: Any = None

    def __init__(self, _depth: int = 0, _category: str = 'pyramid') -> None:
        self.depth = _depth
        self.category = _category
        frame: Any = inspect.currentframe()
        for _ in range(_depth + 2):  # who made it
            frame = frame.f_back
        if frame.f_locals is frame.f_globals:  # bare over a function there?
            self.made = venusian.attach(
                self, self._bare, category=_category, depth=_depth + 2
            )

    def _bare(self, context, name, ob):
        """Refuse the decorator a scan finds never applied, bound to the
        name of the function it was given (written bare over it)."""
        given = self.given
        mine = getattr(given, '__module__', None) == self.made.module.__name__
        if not self.applied and mine and getattr(given, '__name__', 0) == name:
            where = decorator_line(self.made.codeinfo, type(self).__name__)
            raise ConfigurationError(
                f'{self._describe()} ({describe_info(where)}) '
                f'decorates no view: written bare over {name}, it made '
                f'{name} the decorator. '
                + self.bare_fix.format(kind=type(self).__name__, name=name)
            )

    def __call__(self, wrapped: _T) -> _T:
        self.applied = True
        attached = Attached(self, wrapped)
        info = attached.info = venusian.attach(
            wrapped, attached, category=self.category, depth=self.depth + 1
        )
        info.codeinfo = decorator_line(info.codeinfo, type(self).__name__)
        call_before_others(wrapped, info, lambda cb: isinstance(cb, Attached))
        return wrapped

    def _describe(self) -> str:
        return f'@{type(self).__name__}({shown(self.given)})'


class Attached:
    """The venusian callback our decorator attaches: a scan calls it to
    register, :func:`check_scanned` reads it."""

    __slots__ = ('decorator', 'info', 'wrapped')
    info: venusian.AttachInfo  # set once venusian attached it

    def __init__(self, decorator: '_ScanDecorator', wrapped: object) -> None:
        self.decorator = decorator
        self.wrapped = wrapped

    def __call__(self, context, name, ob):
        kind = type(self.decorator).__name__
        found = f'@{kind} on {object_name(self.wrapped)}'
        config = scanned_config(context, self.info, found)
        # noted at once: venusian.lift calls it again for each subclass
        scanned = registry_utility(config.registry, IScannedDecorators, set)
        if self in scanned:
            return
        scanned.add(self)
        self.decorator.register(config, self.wrapped)


def check_scanned(info):
    """Refuse the view being derived (*info*) when it carries a view decorator
    no scan found: the view would run without it."""
    view = info.original_view
    scope = info.options.get('hook_scope') or ()
    attr = info.options.get('attr')
    method = getattr_static(view, attr, None) if attr else None
    check_unwrapped(view if method is None else method, (view, *scope))
    if ismethod(view):  # a widget's callback: its class holds its callbacks
        scope, method = (*scope, type(view.__self__)), view.__func__
    attached = [
        callback
        for holder in (view, *scope)
        for callback in venusian_callbacks(holder)
        if isinstance(callback, Attached) and callback.decorator.on_view
    ]  # not another package's (Pyramid's view_config), nor @listener
    if not attached:
        return
    mine = (view, *scope, method)
    found = info.registry.queryUtility(IScannedDecorators, default=())
    for callback in attached:
        wrapped = callback.wrapped
        if callback in found or not any(wrapped is m for m in mine):
            continue  # scanned, or another method of the view's class
        where = describe_info(callback.info.codeinfo)
        decorator = callback.decorator
        name = object_name(wrapped)
        fix = f'scan its module (config.scan({wrapped.__module__!r}))'
        if callback.info.scope == 'function call':  # attached there
            fix = (
                'it was applied inside a function, where no scan finds it: '
                'define the view at module or class level, or, applied by '
                'a function for its caller (a TurboGears @paginate), give '
                "the decorator _depth=1 (as Pyramid's view_config takes)"
            )
        raise ConfigurationError(
            f'View {name} carries {decorator._describe()} ({where}), '
            'which only config.scan() applies, and no scan of this '
            f'application found it: {fix}; or, without the decorator, call '
            f'{decorator._directive(name)}'
        )


def check_unwrapped(view, holders):
    """Refuse *view* when a function it wraps (``__wrapped__``) carries our
    view decorator: no scan calls a callback ``functools.wraps`` copied."""
    inner = []
    # a static, class or bound method is keyed by its function (scope_key)
    wrapped = getattr(scope_key(view), '__wrapped__', None)
    while wrapped is not None and len(inner) < MAX_WRAPPED:
        inner.append(wrapped)
        wrapped = getattr(wrapped, '__wrapped__', None)
    if not inner:
        return
    for holder in (*holders, *inner):
        for callback in venusian_callbacks(holder):
            if not (
                isinstance(callback, Attached)
                and callback.decorator.on_view
                and any(callback.wrapped is i for i in inner)
            ):
                continue
            decorator = callback.decorator
            where = describe_info(callback.info.codeinfo)
            raise ConfigurationError(
                f'View {object_name(view)} wraps a function that carries '
                f'{decorator._describe()} ({where}), under a decorator '
                'that wraps it: the view runs without it; put '
                f'@{type(decorator).__name__}(...) above the decorators '
                'that wrap the function'
            )


#: The most ``__wrapped__`` links :func:`check_unwrapped` follows.
MAX_WRAPPED = 100


def decorator_line(codeinfo, name):
    """Venusian's *codeinfo* moved from the ``def`` line (Python 3.10) to
    the ``@name(...)`` line above it, as 3.11 does (remove with 3.10)."""
    file, line, function, source = codeinfo
    heads = ('def ', 'async def ', 'class ')
    if not source.lstrip().startswith(heads):
        return codeinfo
    number = line - 1
    text = linecache.getline(file, number).strip()
    while text and not text.startswith(heads):  # line 0 is ''
        # @name(...), or @name bare (a mistake :class:`_ScanDecorator` names)
        bare = text.lstrip('@').split('.')[-1] == name
        if text.startswith('@') and (f'{name}(' in text or bare):
            return (file, number, function, text)
        number -= 1
        text = linecache.getline(file, number).strip()
    return codeinfo


class _ViewHookDecorator(_ScanDecorator):
    bare_fix = (
        '@{kind}(listener) goes over a view; over a listener, write '
        '@listener({kind!r})'
    )

    def __init__(self, listener: CallableOrName, **kw: Any) -> None:
        super().__init__(**kw)
        self.given = listener

    def register(self, config: Configurator, wrapped: object) -> None:
        hook = type(self).__name__  # each subclass is named after its hook
        config.register_hook(hook, self.given, view=wrapped)

    def _directive(self, view: str) -> str:
        return (
            f'config.register_hook({type(self).__name__!r}, '
            f'{shown(self.given)}, view={view})'
        )


class before_validate(_ViewHookDecorator):
    """``@before_validate(listener)`` on a view callable: *listener* runs
    as ``listener(request, params)`` before that view's validation."""


class before_call(_ViewHookDecorator):
    """``@before_call(listener)``: ``listener(request, params)`` runs after
    validation, before the controller wrappers and the view."""


class before_render(_ViewHookDecorator):
    """``@before_render(listener)``: ``listener(request, params, output)``
    runs when the view returned a value to render."""


class after_render(_ViewHookDecorator):
    """``@after_render(listener)``: ``listener(request, response)`` runs
    once the view's response exists."""


class listener(_ScanDecorator):
    """``@listener('hook', namespace=None)`` registers the decorated
    function as an app-wide listener of that hook."""

    on_view = False

    def __init__(
        self, name: str, namespace: str | None = None, **kw: Any
    ) -> None:
        if callable(name):  # @listener over a function
            raise ConfigurationError(
                f'@listener without the hook on {object_name(name)}: give '
                "it the hook's name, @listener('new_request')"
            )
        super().__init__(**kw)
        self.name = name
        self.namespace = namespace

    def register(self, config: Configurator, wrapped: object) -> None:
        config.register_hook(self.name, wrapped, namespace=self.namespace)


class controller_wrapper(_ScanDecorator):
    """``@controller_wrapper(wrapper)`` on a view callable wraps that view's
    calls in *wrapper* (as ``config.add_controller_wrapper``)."""

    bare_fix = (
        '@controller_wrapper(wrapper) goes over a view; to wrap every view '
        'in it, call config.add_controller_wrapper({name}) (or list it in '
        'hooks.controller_wrappers)'
    )

    def __init__(self, wrapper: CallableOrName, **kw: Any) -> None:
        super().__init__(**kw)
        self.given = wrapper

    def register(self, config: Configurator, wrapped: object) -> None:
        config.add_controller_wrapper(self.given, view=wrapped)

    def _directive(self, view: str) -> str:
        wrapper = shown(self.given)
        return f'config.add_controller_wrapper({wrapper}, view={view})'


def shown(given):
    """A decorator's argument as a message shows it."""
    return repr(given) if isinstance(given, str) else object_name(given)
