"""What ``config.add_widget`` reads of a widget tree: widgets, callbacks and
authorization handlers, each checked at startup."""

import inspect
import types

from pyramid.exceptions import ConfigurationError

from pyramid_hooks.settings import authorization_handler
from pyramid_hooks.shared import (
    call_problem,
    object_name,
    safe_repr,
    valid_name,
)
from pyramid_hooks.widgets import (
    CALLBACK_NAME,
    WIDGET_ID,
    CallbackOptions,
    callback_options,
)


def _fail(what, message):
    raise ConfigurationError(f'{what}: {message}')


def widget_authorization(config, what, widget):
    """The widget's own handler; a plain function assigned in a class body
    is used unbound when its signature says so."""
    raw = inspect.getattr_static(widget, 'callback_authorization', None)
    if raw is None:
        return None
    own = getattr(widget, '__dict__', {}).get('callback_authorization')
    if isinstance(raw, types.FunctionType) and raw is not own:
        plain = call_problem(raw, ('callback', 'request')) is None
        method = call_problem(raw, ('self', 'callback', 'request')) is None
        owner = raw.__qualname__.rpartition('.')[0]
        in_class = any(k.__qualname__ == owner for k in type(widget).__mro__)
        if method and (not plain or in_class):
            return raw.__get__(widget, type(widget))
        if plain:
            return raw
        _fail(
            what,
            f'callback_authorization {object_name(raw)} must accept '
            '(callback, request), or (self, callback, request) as a method',
        )
    return authorization_handler(
        widget.callback_authorization, what, config.package
    )


def over_inherited(cls, klass, attr, options):
    """The *options* of the callback ``klass.attr`` over those of the one
    it overrides in *cls*'s bases: what the override omits is kept."""
    mro = cls.__mro__
    for base in mro[mro.index(klass) + 1 :]:
        if attr not in vars(base):
            continue
        value = vars(base)[attr]
        inherited = callback_options(getattr(value, '__func__', value))
        if inherited is None:
            break  # the base's method is no callback: nothing to keep
        *own, view_options = options
        options = CallbackOptions(
            *(
                o if o is not None else i
                for o, i in zip(own, inherited[:-1], strict=True)
            ),
            {**inherited.view_options, **view_options},
        )
    return options


def collect_callbacks(config, what, widget):
    """URL name -> (method name, function, options, handler or ``None``)
    of *widget*'s class and bases, the most derived definition winning."""
    seen = set()
    callbacks = {}
    for klass in type(widget).__mro__:
        for attr, value in vars(klass).items():
            if attr in seen:
                continue
            seen.add(attr)
            function = getattr(value, '__func__', value)
            # @serverside_callback over @staticmethod marks the staticmethod
            options = callback_options(function) or callback_options(value)
            if options is None:
                continue
            options = over_inherited(type(widget), klass, attr, options)
            if not isinstance(value, types.FunctionType):
                _fail(
                    what,
                    f'{klass.__qualname__}.{attr} must be an instance '
                    'method to be a server-side callback, got '
                    f'{safe_repr(value)}',
                )
            name = options.name or attr
            if not valid_name(name, CALLBACK_NAME):
                _fail(
                    what,
                    f'{klass.__qualname__}.{attr}: the callback name '
                    f'{name!r} cannot be a URL name (it must match '
                    f'{CALLBACK_NAME.pattern!r}); give '
                    "serverside_callback(name='...')",
                )
            problem = call_problem(value, ('self', 'request'))
            if problem is not None:
                _fail(
                    what,
                    f'{klass.__qualname__}.{attr} cannot serve as '
                    f'callback(self, request) ({problem})',
                )
            if name in callbacks:
                _fail(
                    what,
                    f'two callbacks are named {name!r} '
                    f'({callbacks[name][0]} and {attr})',
                )
            handler = None
            if options.authorization is not None:
                handler = authorization_handler(
                    options.authorization,
                    f'{what}: callback {name!r}',
                    config.package,
                )
            callbacks[name] = (attr, value, options, handler)
    return callbacks


def collect_widgets(config, what, widget, parent_id, seen):
    """``(id, widget, its handler, its callbacks)`` of the widget and of its
    ``children`` (recursively, compound ids) that have callbacks."""
    if inspect.isclass(widget):
        _fail(
            what,
            f'{object_name(widget)} is a class; add a widget instance '
            '(each instance has its own id)',
        )
    if id(widget) in seen:
        _fail(what, f'{safe_repr(widget)} is its own descendant')
    seen.add(id(widget))
    own_id = getattr(widget, 'id', None)
    callbacks = collect_callbacks(config, what, widget)
    found = []
    widget_id = own_id
    if own_id is None:
        if callbacks or parent_id is None:
            name = type(widget).__name__
            given = "a class attribute id = '...' (ToscaWidgets' own)"
            try:  # a constructor without id= (no ServerSideCallbackMixin)
                inspect.signature(type(widget)).bind(id='')
                given = f"{name}(id='...'), or {given}"
            except (TypeError, ValueError):
                given += (
                    f', or make {name} a subclass of pyramid_hooks.'
                    f"ServerSideCallbackMixin and write {name}(id='...')"
                )
            _fail(
                what,
                f'the widget {safe_repr(widget)} has no id; give it one: '
                f'{given}',
            )
        widget_id = parent_id  # a container without an id is transparent
    elif not valid_name(own_id, WIDGET_ID):
        _fail(
            what,
            f'invalid widget id {safe_repr(own_id)} of {safe_repr(widget)} '
            '(an ASCII letter, then ASCII letters, digits, "_", "-", ":" '
            'or ".": it is a segment of its callbacks\' URLs)',
        )
    elif parent_id is not None:
        widget_id = f'{parent_id}:{own_id}'  # tw2's compound id
    if callbacks:
        handler = widget_authorization(config, what, widget)
        found.append((widget_id, widget, handler, callbacks))
    for child in getattr(widget, 'children', None) or ():
        found.extend(collect_widgets(config, what, child, widget_id, seen))
    return found
