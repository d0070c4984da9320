"""Venusian decorators, activated by ``config.scan()``.

They attach with ``category='pyramid'`` (what :meth:`Configurator.scan`
runs by default since Pyramid 2.0) and register through the directives, with
the decorated line as the action's info so that conflicts and errors point
at it.
"""

import linecache

import venusian


class _ScanDecorator:
    venusian = venusian  # for unit testing

    def __init__(self, _depth=0, _category='pyramid'):
        self.depth = _depth
        self.category = _category

    def register(self, config, wrapped, info):  # pragma: no cover
        raise NotImplementedError

    def __call__(self, wrapped):
        def callback(context, name, ob):
            config = context.config.with_package(info.module)
            self.register(config, wrapped, info)

        info = self.venusian.attach(
            wrapped, callback, category=self.category, depth=self.depth + 1
        )
        info.codeinfo = decorator_line(info.codeinfo, type(self).__name__)
        return wrapped


def decorator_line(codeinfo, name):
    """*codeinfo* (``(file, line, function, source)``, venusian's) moved
    from the decorated ``def`` line to the ``@name(...)`` line above it.

    Python 3.11 and later report a decorator's call on the decorator's own
    line, which is where registrations should point; Python 3.10 reports
    it on the ``def`` line.  There, the decorator lines right above are
    searched for ``name(``; the ``def`` line stays when none has it.
    On 3.11 and later the source line is the decorator's, and *codeinfo*
    is returned as it is.  Remove this function with Python 3.10
    (``tests/test_decorators.py`` says when).
    """
    file, line, function, source = codeinfo
    if not source.lstrip().startswith(('def ', 'async def ', 'class ')):
        return codeinfo
    number = line - 1
    text = linecache.getline(file, number)
    while (
        number > 0
        and text.strip()
        and not text.lstrip().startswith(('def ', 'async def ', 'class '))
    ):
        if text.lstrip().startswith('@') and f'{name}(' in text:
            return (file, number, function, text.strip())
        number -= 1
        text = linecache.getline(file, number)
    return codeinfo


class _ViewHookDecorator(_ScanDecorator):
    hook_name = None

    def __init__(self, listener, **kw):
        super().__init__(**kw)
        self.listener = listener

    def register(self, config, wrapped, info):
        config.register_hook(
            self.hook_name, self.listener, view=wrapped, _info=info.codeinfo
        )


class before_validate(_ViewHookDecorator):
    """``@before_validate(listener)`` on a view callable (a function, a
    class, or a method configured with ``view_config``): *listener* runs as
    ``listener(request, params)`` before that view's validation."""

    hook_name = 'before_validate'


class before_call(_ViewHookDecorator):
    """``@before_call(listener)``: ``listener(request, params)`` runs after
    validation, before the controller wrappers and the view."""

    hook_name = 'before_call'


class before_render(_ViewHookDecorator):
    """``@before_render(listener)``: ``listener(request, params, output)``
    runs when the view returned a value to render."""

    hook_name = 'before_render'


class after_render(_ViewHookDecorator):
    """``@after_render(listener)``: ``listener(request, response)`` runs
    once the view's response exists."""

    hook_name = 'after_render'


class listener(_ScanDecorator):
    """``@listener('hook', namespace=None)`` registers the decorated
    function as an app-wide listener of that hook."""

    def __init__(self, name, namespace=None, **kw):
        super().__init__(**kw)
        self.name = name
        self.namespace = namespace

    def register(self, config, wrapped, info):
        config.register_hook(
            self.name, wrapped, namespace=self.namespace, _info=info.codeinfo
        )


class controller_wrapper(_ScanDecorator):
    """``@controller_wrapper(wrapper)`` on a view callable wraps that view's
    calls in *wrapper* (see
    :meth:`~pyramid_hooks.Configurator.add_controller_wrapper`)."""

    def __init__(self, wrapper, **kw):
        super().__init__(**kw)
        self.wrapper = wrapper

    def register(self, config, wrapped, info):
        config.add_controller_wrapper(
            self.wrapper, view=wrapped, _info=info.codeinfo
        )
