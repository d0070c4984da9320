"""The ``hooks.*`` settings, converted once, at the include, and written back
into ``registry.settings``; a bad value or an unknown key is an error."""

import inspect
import re
from sys import stdlib_module_names as stdlib_modules

from pyramid.exceptions import ConfigurationError
from pyramid.settings import aslist

from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.interfaces import IHooksSettings
from pyramid_hooks.shared import (
    MARK,
    call_problem,
    closest,
    object_name,
    resolve,
    safe_repr,
    shown_value,
)
from pyramid_hooks.workarounds import with_action_info

PREFIX = 'hooks.'
LISTENER_PREFIX = 'hooks.on.'
_PATH = re.compile(r'(/[A-Za-z0-9_\-.~]+)+')
#: what an ini file's reader keeps of a comment after a value
_COMMENT = re.compile(r'(?:^|\s)[#;]')


#: Pyramid's truthy and falsey strings (its glossary; ``asbool``'s words)
TRUE_WORDS = frozenset(('t', 'true', 'y', 'yes', 'on', '1'))
FALSE_WORDS = frozenset(('f', 'false', 'n', 'no', 'off', '0'))


def as_strict_bool(value, key, package=None):
    """*value* as a boolean; unlike ``asbool``, an unknown word is an error
    (``hooks.strict = ture`` must not mean "not strict")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    word = value.strip().lower() if isinstance(value, str) else None
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise ConfigurationError(
        f'{key}: expected a boolean (one of {", ".join(sorted(TRUE_WORDS))} '
        f'or {", ".join(sorted(FALSE_WORDS))}), got {value!r}'
    )


#: The most digits of a limit (:func:`int` refuses 4,300 naming nothing).
MAX_COUNT_DIGITS = 30


def as_count(value, key, package=None):
    """*value* as a non-negative integer (a limit); ``True``, ``-1``, ``1.5``
    and too many digits are errors."""
    if isinstance(value, str):
        word = value.strip()
        # not '-1', '1.5', '²', nor more digits than int() converts
        if word.isascii() and word.isdigit() and len(word) <= MAX_COUNT_DIGITS:
            return int(word)
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value < 10**MAX_COUNT_DIGITS
    ):
        return value
    raise ConfigurationError(  # shown_value: even an int repr() refuses
        f'{key}: expected a non-negative integer of at most '
        f'{MAX_COUNT_DIGITS} digits, got {shown_value(value)}'
    )


#: The deepest ``hooks.controllers.max_depth``: far below recursion's.
MAX_DEPTH_LIMIT = 200


def as_depth(value, key, package=None):
    """:func:`as_count` between 1 and :data:`MAX_DEPTH_LIMIT`."""
    depth = as_count(value, key, package)
    if not 1 <= depth <= MAX_DEPTH_LIMIT:
        raise ConfigurationError(
            f'{key}: expected a depth from 1 to {MAX_DEPTH_LIMIT} (deeper '
            "would come near the interpreter's recursion limit), got "
            f'{value!r}'
        )
    return depth


def as_dotted_list(value, key, package=None):
    """*value* (a whitespace separated string or a sequence) resolved."""
    if value is None:  # no ini file says None: a mistake, not "none"
        raise ConfigurationError(
            f"{key}: None is no list; give '' or [] for none, or leave the "
            'key out'
        )
    if isinstance(value, str):
        if ',' in value:  # no dotted name has one: 'a.b,c.d' is two
            raise ConfigurationError(
                f'{key}: {shown_value(value)} is separated by commas; a '
                'list setting is separated by spaces or lines'
            )
        value = aslist(value)
    elif not isinstance(value, (list, tuple)):
        value = [value]
    return [resolve(item, key, package) for item in value]


def as_path_prefix(value, key, package=None):
    """A mount path such as ``/_widgets`` (``/`` first, at least one
    segment), a trailing slash dropped."""
    path = value.strip().rstrip('/') if isinstance(value, str) else ''
    if not _PATH.fullmatch(path) or {'.', '..'} & set(path.split('/')):
        raise ConfigurationError(
            f'{key}: expected a path that starts with "/" and names at '
            f'least one segment (such as "/_widgets"), got {value!r}'
        )
    return path


def split_listener_key(key):
    """Split ``hooks.on.<hook>`` / ``hooks.on.<namespace>.<hook>`` into
    ``(namespace, hook)``; the namespace is ``None`` for the default one."""
    rest = key[len(LISTENER_PREFIX) :]
    namespace, _, hook = rest.rpartition('.')
    # a blank hook name refused here names the key (register_hook would not)
    if not hook.strip() or (namespace == '' and rest.startswith('.')):
        raise ConfigurationError(
            f'{key}: expected hooks.on.<hook> or hooks.on.<namespace>.<hook>'
        )
    return (namespace or None), hook


class HooksSettings:
    """The converted ``hooks.*`` settings (:func:`parse_settings`)."""

    def __init__(self):
        self.strict = False
        #: ``[(key, namespace, hook, [listener, ...]), ...]`` in key order
        self.listeners = []
        self.controller_wrappers = []
        self.application_wrappers = []
        self.widgets_prefix = '/_widgets'
        #: ``None``: the widgets feature's ``always_deny``
        self.widgets_authorization = None
        self.controllers_debug = False
        #: the exception classes of ``hooks.controllers.expose_errors``
        self.controllers_expose_errors = ()
        self.controllers_max_batch = 100  # calls in one JSON-RPC batch
        self.controllers_max_body = 1048576  # bytes of a JSON-RPC request
        self.controllers_max_depth = 100  # nesting of a JSON-RPC request
        self.controllers_discover = False  # rpc.discover on JSON URLs
        self.trace = False


def _widgets_authorization(value, key, package):
    if isinstance(value, str) and not value.strip():
        # an ini line left empty: leaving it out is the other fix
        raise ConfigurationError(
            f'{key}: {value.strip()!r} is an empty dotted name; give the '
            "handler's dotted name (package.module.name), or leave the "
            'key out for the default, pyramid_hooks.widgets.always_deny'
        )
    return authorization_handler(value, key, package)


def authorization_handler(value, what, package=None):
    """The widget callbacks' authorization handler *value* (or its dotted
    name), refused unless ``handler(callback, request)`` can answer with
    a response: a class makes an instance of itself, a built-in function
    (``print``) no response for the call."""
    handler = resolve(value, what, package)
    problem = call_problem(handler, ('callback', 'request'))
    if inspect.isclass(handler) or inspect.isbuiltin(handler):
        kind = 'class' if inspect.isclass(handler) else 'built-in function'
        problem = f'a {kind} makes no response deciding on the call'
    if problem is not None:
        raise ConfigurationError(
            f'{what}: the authorization handler {object_name(value)} cannot '
            f'be called as handler(callback, request): {problem}; give a '
            'function returning a response (status 200 lets the callback '
            'run), such as pyramid_hooks.widgets.always_deny'
        )
    return handler


def as_callable_list(value, key, package=None):
    """:func:`as_dotted_list` of listeners or wrappers, each callable."""
    items = as_dotted_list(value, key, package)
    kind = 'listener' if key.startswith(LISTENER_PREFIX) else 'wrapper'
    for item in items:
        if not callable(item):
            raise ConfigurationError(
                f'{key}: {kind} {safe_repr(item)} is not callable'
            )
    return items


def as_exception_classes(value, key, package=None):
    """:func:`as_dotted_list` as a tuple of the application's exception
    classes (not Python's own, which any library raises)."""
    items = as_dotted_list(value, key, package)
    for item in items:
        exception = inspect.isclass(item) and issubclass(item, BaseException)
        module = exception and (item.__module__ or '').partition('.')[0]
        if module in stdlib_modules:
            raise ConfigurationError(
                f'{key}: {object_name(item)} is an exception class of '
                "Python's own, raised by any library with messages that "
                'may hold paths, queries or passwords, which every client '
                "would read; list the application's own exception classes "
                '(class UserError(Exception)) and raise those'
            )
        if not (exception and issubclass(item, Exception)):
            raise ConfigurationError(
                f'{key}: {safe_repr(item)} is not an exception class (a '
                'subclass of Exception)'
            )
    return tuple(items)


#: key -> ``convert(value, key, package)``, set as ``a_b`` for ``hooks.a.b``
CONVERTERS = {
    'hooks.strict': as_strict_bool,
    'hooks.controller_wrappers': as_callable_list,
    'hooks.application_wrappers': as_callable_list,
    'hooks.widgets.prefix': as_path_prefix,
    'hooks.widgets.authorization': _widgets_authorization,
    'hooks.controllers.debug': as_strict_bool,
    'hooks.controllers.expose_errors': as_exception_classes,
    'hooks.controllers.max_batch': as_count,
    'hooks.controllers.max_body': as_count,
    'hooks.controllers.max_depth': as_depth,
    'hooks.controllers.discover': as_strict_bool,
    'hooks.trace': as_strict_bool,
}


def parse_settings(settings, package=None):
    """The :class:`HooksSettings` of *settings*, values written back."""
    parsed = HooksSettings()
    for key in settings:
        head, dot, rest = key.partition('.')  # Hooks.strict, hook.strict
        if dot and head.lower() in ('hooks', 'hook') and head != 'hooks':
            raise ConfigurationError(
                f'{key}: the hooks.* settings start with "hooks." in lower '
                f'case; spell it {PREFIX}{rest} (PasteDeploy keeps the case '
                'of ini keys)'
            )
    for key in sorted(k for k in settings if k.startswith(PREFIX)):
        if isinstance(settings[key], str) and _COMMENT.search(settings[key]):
            raise ConfigurationError(
                f'{key}: {shown_value(settings[key])} holds a comment, which '
                'an ini file takes as part of the value: put the comment on '
                'a line of its own'
            )
        if key.startswith(LISTENER_PREFIX):
            namespace, hook = split_listener_key(key)
            converted = as_callable_list(settings[key], key, package)
            parsed.listeners.append((key, namespace, hook, converted))
        elif key in CONVERTERS:
            converted = CONVERTERS[key](settings[key], key, package)
            setattr(parsed, key[len(PREFIX) :].replace('.', '_'), converted)
        else:
            known = [k.removeprefix(PREFIX) for k in CONVERTERS]
            close = closest(key.removeprefix(PREFIX), known)
            hint = f'did you mean {PREFIX + close!r}? ' if close else ''
            raise ConfigurationError(
                f'{key}: unknown setting; {hint}the hooks.* settings are '
                f'{", ".join(sorted(CONVERTERS))} and hooks.on.<hook>'
            )
        settings[key] = converted
    return parsed


def apply_settings(config, strict_order):
    """Parse the ``hooks.*`` settings and register what they declare now;
    ``hooks.strict`` by an action of *strict_order*."""
    registry = config.registry
    parsed = parse_settings(registry.settings, config.root_package)
    registry.registerUtility(parsed, IHooksSettings)
    config.action(
        None,
        set_strict,
        args=(registry, parsed.strict),
        order=strict_order,
        **MARK,
    )
    # the settings' listeners are the application's: its package, no prefix
    app_config = config.with_package(config.root_package)
    app_config.route_prefix = None
    for key, namespace, hook, listeners in parsed.listeners:
        for listener in listeners:
            with_action_info(app_config, f'setting {key}').register_hook(
                hook, listener, namespace=namespace
            )
    for kind in ('controller', 'application'):
        at = with_action_info(config, f'setting hooks.{kind}_wrappers')
        for wrapper in getattr(parsed, f'{kind}_wrappers'):
            getattr(at, f'add_{kind}_wrapper')(wrapper)
    if parsed.trace:
        config.include('pyramid_hooks.trace')
    return _hooks_items(registry.settings)


def set_strict(registry, strict):
    """Set ``hooks.strict`` before listeners are registered."""
    get_hooks(registry).default.strict = strict


def _hooks_items(settings):
    return {k: v for k, v in settings.items() if k.startswith(PREFIX)}


def check_settings(registry, parsed_items):
    """Refuse ``hooks.*`` settings changed after the include."""
    changed = sorted(
        key
        for key in parsed_items.keys() | _hooks_items(registry.settings).keys()
        if parsed_items.get(key) != registry.settings.get(key)
    )
    if changed:
        raise ConfigurationError(
            f'{", ".join(changed)}: changed after pyramid_hooks was '
            'included; the hooks.* settings are read by the include, so '
            'give them to the Configurator (or the ini file) instead'
        )
