"""Venusian decorators, activated by ``config.scan()`` (category
``pyramid``, scanned by default), that register through the directives with
the decorator's line as the action's info, where errors point."""

import linecache
from typing import Any, TypeVar

import venusian
from pyramid.config import Configurator

from pyramid_hooks.shared import CallableOrName
from pyramid_hooks.workarounds import with_action_info

_T = TypeVar('_T')


class _ScanDecorator:
    def __init__(self, _depth: int = 0, _category: str = 'pyramid') -> None:
        self.depth = _depth
        self.category = _category

    def __call__(self, wrapped: _T) -> _T:
        def callback(context, name, ob):
            config = context.config.with_package(info.module)
            self.register(with_action_info(config, info.codeinfo), wrapped)

        info = venusian.attach(
            wrapped, callback, category=self.category, depth=self.depth + 1
        )
        info.codeinfo = decorator_line(info.codeinfo, type(self).__name__)
        return wrapped


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
