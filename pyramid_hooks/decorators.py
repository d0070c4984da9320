"""Venusian decorators, activated by ``config.scan()`` (category
``pyramid``, scanned by default), that register through the directives with
the decorator's line as the action's info, where errors point."""

import linecache
from inspect import getattr_static
from typing import Any, TypeVar

import venusian
from pyramid.config import PHASE1_CONFIG, Configurator
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.interfaces import IScannedDecorators
from pyramid_hooks.shared import (
    MARK,
    CallableOrName,
    object_name,
    registry_utility,
)
from pyramid_hooks.workarounds import venusian_callbacks, with_action_info

_T = TypeVar('_T')


class _ScanDecorator:
    #: whether it decorates a view (else it registers what it decorates)
    on_view = True

    def __init__(self, _depth: int = 0, _category: str = 'pyramid') -> None:
        self.depth = _depth
        self.category = _category

    def __call__(self, wrapped: _T) -> _T:
        attached = Attached(self, wrapped)
        attached.info = venusian.attach(
            wrapped, attached, category=self.category, depth=self.depth + 1
        )
        attached.info.codeinfo = decorator_line(
            attached.info.codeinfo, type(self).__name__
        )
        return wrapped


class Attached:
    """The venusian callback a decorator of ours attaches to what it
    decorates (to its class, for a method decorated in a class body): a
    scan calls it to register, :func:`check_scanned` reads it to tell a
    view whose decorators no scan found."""

    __slots__ = ('decorator', 'info', 'wrapped')
    info: venusian.AttachInfo  # set once venusian attached it

    def __init__(self, decorator: '_ScanDecorator', wrapped: object) -> None:
        self.decorator = decorator
        self.wrapped = wrapped

    def __call__(self, context, name, ob):
        config = context.config.with_package(self.info.module)
        config = with_action_info(config, self.info.codeinfo)
        # an action, as every effect of a directive; before the views are
        # derived (PHASE3_CONFIG), where check_scanned reads it
        config.action(
            None,
            self.note_scanned,
            (config.registry,),
            order=PHASE1_CONFIG,
            **MARK,
        )
        self.decorator.register(config, self.wrapped)

    def note_scanned(self, registry):
        """Note in *registry* that a scan ran this callback (the action of
        :meth:`__call__`), for :func:`check_scanned`."""
        registry_utility(registry, IScannedDecorators, set).add(self)


def check_scanned(info):
    """Refuse the view being derived (*info*) when it carries a view
    decorator that no scan of the application found: only a scan registers
    what the decorator says, and the view would run without it.  A
    controller's view carries its handlers' (``hook_scope``)."""
    view = info.original_view
    scope = info.options.get('hook_scope') or ()
    attached = [
        callback
        for holder in (view, *scope)
        for callback in venusian_callbacks(holder)
        if isinstance(callback, Attached) and callback.decorator.on_view
    ]  # not another package's (Pyramid's view_config), nor @listener
    if not attached:
        return
    attr = info.options.get('attr')
    mine = (view, *scope, getattr_static(view, attr, None) if attr else None)
    found = info.registry.queryUtility(IScannedDecorators, default=())
    for callback in attached:
        wrapped = callback.wrapped
        if callback in found or not any(wrapped is m for m in mine):
            continue  # scanned, or another method of the view's class
        file, line = callback.info.codeinfo[:2]
        decorator = callback.decorator
        name = object_name(wrapped)
        raise ConfigurationError(
            f'View {name} carries {decorator._describe()} ({file}:{line}), '
            'which only config.scan() applies, and no scan of this '
            'application found it: scan its module '
            f'(config.scan({wrapped.__module__!r})) or, without the '
            f'decorator, call {decorator._directive(name)}'
        )


def decorator_line(codeinfo, name):
    """Venusian's *codeinfo* (``(file, line, function, source)``) moved from
    the ``def`` line, where Python 3.10 reports a decorator's call, to the
    ``@name(...)`` line above it, where 3.11 and later report it.  Remove
    this with Python 3.10 (``tests/test_decorators.py`` says when)."""
    file, line, function, source = codeinfo
    heads = ('def ', 'async def ', 'class ')
    if not source.lstrip().startswith(heads):
        return codeinfo
    number = line - 1
    text = linecache.getline(file, number).strip()
    while text and not text.startswith(heads):  # line 0 is ''
        if text.startswith('@') and f'{name}(' in text:
            return (file, number, function, text)
        number -= 1
        text = linecache.getline(file, number).strip()
    return codeinfo


class _ViewHookDecorator(_ScanDecorator):
    def __init__(self, listener: CallableOrName, **kw: Any) -> None:
        super().__init__(**kw)
        self.listener = listener

    def register(self, config: Configurator, wrapped: object) -> None:
        hook = type(self).__name__  # each subclass is named after its hook
        config.register_hook(hook, self.listener, view=wrapped)

    def _describe(self) -> str:
        return f'@{type(self).__name__}({shown(self.listener)})'

    def _directive(self, view: str) -> str:
        return (
            f'config.register_hook({type(self).__name__!r}, '
            f'{shown(self.listener)}, view={view})'
        )


class before_validate(_ViewHookDecorator):
    """``@before_validate(listener)`` on a view callable (a function, a
    class, or a method configured with ``view_config``): *listener* runs as
    ``listener(request, params)`` before that view's validation."""


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
        super().__init__(**kw)
        self.name = name
        self.namespace = namespace

    def register(self, config: Configurator, wrapped: object) -> None:
        config.register_hook(self.name, wrapped, namespace=self.namespace)


class controller_wrapper(_ScanDecorator):
    """``@controller_wrapper(wrapper)`` on a view callable wraps that view's
    calls in *wrapper* (see
    :meth:`~pyramid_hooks.Configurator.add_controller_wrapper`)."""

    def __init__(self, wrapper: CallableOrName, **kw: Any) -> None:
        super().__init__(**kw)
        self.wrapper = wrapper

    def register(self, config: Configurator, wrapped: object) -> None:
        config.add_controller_wrapper(self.wrapper, view=wrapped)

    def _describe(self) -> str:
        return f'@controller_wrapper({shown(self.wrapper)})'

    def _directive(self, view: str) -> str:
        wrapper = shown(self.wrapper)
        return f'config.add_controller_wrapper({wrapper}, view={view})'


def shown(given):
    """A decorator's argument as a message shows it: a dotted name quoted,
    a callable by its dotted name."""
    return repr(given) if isinstance(given, str) else object_name(given)
