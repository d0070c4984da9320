"""The ``hooks.*`` deployment settings: parsing, validation, write-back.

Settings arrive from an ini file as strings and from Python code as native
values.  Every key is converted once, at configuration time, the way Pyramid
converts its own (``aslist`` for lists, dotted names resolved against the
application's package), and the normalised value is written back into
``registry.settings`` so that the rest of the add-on, and ``phooks``, read
one representation only.  A value that cannot be converted is a
:class:`pyramid.exceptions.ConfigurationError` naming the key: a typo in a
deployment file must stop the application, not switch a feature off.
"""

import inspect
import re

from pyramid.exceptions import ConfigurationError
from pyramid.settings import aslist

from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.interfaces import IHooksSettings
from pyramid_hooks.shared import call_problem, resolve

PREFIX = 'hooks.'
LISTENER_PREFIX = 'hooks.on.'

#: The words accepted as true (compared case-insensitively).
TRUE_WORDS = frozenset(('true', 't', 'yes', 'y', 'on', '1'))
#: The words accepted as false (compared case-insensitively).
FALSE_WORDS = frozenset(('false', 'f', 'no', 'n', 'off', '0'))

DEFAULT_WIDGETS_PREFIX = '/_widgets'
DEFAULT_WIDGETS_AUTHORIZATION = 'pyramid_hooks.widgets.always_deny'
#: Most calls in one JSON-RPC batch (``hooks.controllers.max_batch``).
DEFAULT_MAX_BATCH = 100
#: Largest JSON-RPC request body in bytes (``hooks.controllers.max_body``).
DEFAULT_MAX_BODY = 1048576

_PREFIX_SEGMENT = re.compile(r'^[A-Za-z0-9_\-.~]+$')


def as_strict_bool(value, key):
    """Convert *value* to a boolean, refusing anything ambiguous.

    Unlike :func:`pyramid.settings.asbool`, which reads every unknown word
    as ``False``, an unknown word here is an error: ``hooks.strict = ture``
    must not silently mean "not strict".
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ConfigurationError(
        f'{key}: expected a boolean (one of '
        f'{", ".join(sorted(TRUE_WORDS))} or '
        f'{", ".join(sorted(FALSE_WORDS))}), got {value!r}'
    )


def as_count(value, key):
    """Convert *value* to a non-negative integer (a limit such as
    ``hooks.controllers.max_batch``); ``True``, ``-1`` and ``1.5`` are
    errors, not limits."""
    if isinstance(value, str):
        word = value.strip()
        if word.isascii() and word.isdigit():  # not '-1', '1.5', '²'
            return int(word)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ConfigurationError(
        f'{key}: expected a non-negative integer, got {value!r}'
    )


def as_dotted_list(value, key, package=None):
    """Convert *value* (a whitespace separated string or a sequence) to a
    list of resolved objects, each item a dotted name or an object."""
    if value is None:
        return []
    if isinstance(value, str):
        items = aslist(value)
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [value]
    return [resolve(item, key, package) for item in items]


def as_path_prefix(value, key):
    """Validate a mount path such as ``/_widgets``: it starts with ``/`` and
    names at least one path segment; a trailing slash is dropped."""
    if not isinstance(value, str):
        raise ConfigurationError(f'{key}: expected a path, got {value!r}')
    path = value.strip().rstrip('/')
    segments = path.split('/')[1:]
    if (
        not value.strip().startswith('/')
        or not segments
        or not all(_PREFIX_SEGMENT.match(s) for s in segments)
        or any(s in ('.', '..') for s in segments)
    ):
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
    if not hook or (namespace == '' and rest.startswith('.')):
        raise ConfigurationError(
            f'{key}: expected hooks.on.<hook> or hooks.on.<namespace>.<hook>'
        )
    return (namespace or None), hook


class HooksSettings:
    """The parsed ``hooks.*`` settings of one application.

    Built by :func:`parse_settings`; the attributes hold converted values.
    """

    def __init__(self):
        self.strict = False
        #: ``[(key, namespace, hook, [listener, ...]), ...]`` in key order
        self.listeners = []
        self.controller_wrappers = []
        self.application_wrappers = []
        self.widgets_prefix = DEFAULT_WIDGETS_PREFIX
        self.widgets_authorization = None
        self.controllers_debug = False
        #: the exception classes of ``hooks.controllers.expose_errors``
        self.controllers_expose_errors = ()
        self.controllers_max_batch = DEFAULT_MAX_BATCH
        self.controllers_max_body = DEFAULT_MAX_BODY
        #: whether every request records a trace (``hooks.trace``)
        self.trace = False


def _widgets_authorization(value, key, package):
    handler = resolve(value, key, package)
    if call_problem(handler, ('callback', 'request')) is not None:
        raise ConfigurationError(
            f'{key}: {value!r} is not callable as an authorization handler: '
            'it is called as handler(callback, request)'
        )
    return handler


def as_callable_list(value, key, package=None):
    """:func:`as_dotted_list`, each item checked to be callable."""
    items = as_dotted_list(value, key, package)
    for item in items:
        if not callable(item):
            raise ConfigurationError(f'{key}: {item!r} is not callable')
    return items


def as_exception_classes(value, key, package=None):
    """:func:`as_dotted_list` as a tuple of exception classes (for
    ``isinstance``); anything else is an error naming the item."""
    items = as_dotted_list(value, key, package)
    for item in items:
        if not (inspect.isclass(item) and issubclass(item, Exception)):
            raise ConfigurationError(
                f'{key}: {item!r} is not an exception class (a subclass '
                'of Exception)'
            )
    return tuple(items)


#: key -> (attribute of HooksSettings, converter(value, key, package))
CONVERTERS = {
    'hooks.strict': ('strict', lambda v, k, p: as_strict_bool(v, k)),
    'hooks.controller_wrappers': ('controller_wrappers', as_callable_list),
    'hooks.application_wrappers': ('application_wrappers', as_callable_list),
    'hooks.widgets.prefix': (
        'widgets_prefix',
        lambda v, k, p: as_path_prefix(v, k),
    ),
    'hooks.widgets.authorization': (
        'widgets_authorization',
        _widgets_authorization,
    ),
    'hooks.controllers.debug': (
        'controllers_debug',
        lambda v, k, p: as_strict_bool(v, k),
    ),
    'hooks.controllers.expose_errors': (
        'controllers_expose_errors',
        as_exception_classes,
    ),
    'hooks.controllers.max_batch': (
        'controllers_max_batch',
        lambda v, k, p: as_count(v, k),
    ),
    'hooks.controllers.max_body': (
        'controllers_max_body',
        lambda v, k, p: as_count(v, k),
    ),
    'hooks.trace': ('trace', lambda v, k, p: as_strict_bool(v, k)),
}


def parse_settings(settings, package=None):
    """Parse every ``hooks.*`` key of *settings* into a :class:`HooksSettings`
    and write the converted values back into *settings*.

    An unknown ``hooks.*`` key is an error too: a misspelt key would
    otherwise be ignored without a word.
    """
    parsed = HooksSettings()
    for key in sorted(settings):
        if not key.startswith(PREFIX):
            continue
        value = settings[key]
        if key.startswith(LISTENER_PREFIX):
            namespace, hook = split_listener_key(key)
            listeners = as_dotted_list(value, key, package)
            for listener in listeners:
                if not callable(listener):
                    raise ConfigurationError(
                        f'{key}: listener {listener!r} is not callable'
                    )
            parsed.listeners.append((key, namespace, hook, listeners))
            settings[key] = listeners
            continue
        try:
            attr, convert = CONVERTERS[key]
        except KeyError:
            raise ConfigurationError(
                f'{key}: unknown setting; the hooks.* settings are '
                f'{", ".join(sorted(CONVERTERS))} and hooks.on.<hook>'
            ) from None
        converted = convert(value, key, package)
        setattr(parsed, attr, converted)
        settings[key] = converted
    if parsed.widgets_authorization is None:
        parsed.widgets_authorization = resolve(
            DEFAULT_WIDGETS_AUTHORIZATION, 'hooks.widgets.authorization'
        )
    return parsed


def apply_settings(config):
    """Parse the ``hooks.*`` settings and register what they declare.

    The settings are read when ``pyramid_hooks`` is included (as
    pyramid_exclog reads its own): the registrations they make are then
    ordinary directive calls of the including configuration, so a listener
    or wrapper given both in the settings and in code is resolved by
    Pyramid's include-path rule.  A ``hooks.*`` key changed afterwards
    (``config.add_settings``) would be ignored, so :func:`check_settings`
    makes it an error at commit time.
    """
    registry = config.registry
    parsed = parse_settings(registry.settings, config.root_package)
    registry.registerUtility(parsed, IHooksSettings)
    get_hooks(registry).default.strict = parsed.strict
    for key, namespace, hook, listeners in parsed.listeners:
        for listener_ in listeners:
            config.register_hook(
                hook, listener_, namespace=namespace, _info=f'setting {key}'
            )
    for wrapper in parsed.controller_wrappers:
        config.add_controller_wrapper(
            wrapper, _info='setting hooks.controller_wrappers'
        )
    for wrapper in parsed.application_wrappers:
        config.add_application_wrapper(
            wrapper, _info='setting hooks.application_wrappers'
        )
    if parsed.trace:
        config.include('pyramid_hooks.config.trace')
    return _hooks_items(registry.settings)


def _hooks_items(settings):
    return {k: v for k, v in settings.items() if k.startswith('hooks.')}


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
