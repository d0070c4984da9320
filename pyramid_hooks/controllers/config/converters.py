"""``config.add_route_converter``: an application's own Werkzeug converter
for ``route()`` patterns (:mod:`pyramid_hooks.controllers.converters`)."""

import inspect

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.config import (
    CATEGORY_ROUTE_CONVERTERS,
    ORDER_CONVERTERS,
    directive_action,
)
from pyramid_hooks.controllers.config import get_controller_registry
from pyramid_hooks.controllers.converters import (
    PREDICATE,
    WERKZEUG_PLACEHOLDER,
    ConvertMatch,
    check_regex,
    user_converter,
)
from pyramid_hooks.shared import CallableOrName, object_name, resolve


def add_route_converter(
    config: Configurator,
    name: str,
    regex: str,
    to_python: CallableOrName | None = None,
) -> None:
    """Add (or replace) the converter *name* of ``route()`` patterns
    matching *regex*, its value given by *to_python* (described in
    ``docs/directives.rst``)."""
    what = f'add_route_converter {name!r}'
    if not isinstance(name, str) or not WERKZEUG_PLACEHOLDER.fullmatch(
        f'<{name}:x>'
    ):
        raise ConfigurationError(
            f'add_route_converter: the name must be an identifier, got '
            f'{name!r}'
        )
    check_regex(regex, what)
    resolved = resolve(to_python, what, config.package)
    if resolved is not None:
        problem = _signature_problem(resolved)
        if problem is not None:
            raise ConfigurationError(
                f'{what}: {object_name(resolved)} must accept (request, '
                f'value): {problem}'
            )
    factory = user_converter(regex, resolved)
    intr = config.introspectable(
        CATEGORY_ROUTE_CONVERTERS,
        name,
        f'route converter {name}',
        'pyramid_hooks route converter',
    )
    intr['name'] = name
    intr['regex'] = regex
    intr['to_python'] = resolved

    def register():
        get_controller_registry(config.registry).converters[name] = factory

    discriminator = ('pyramid_hooks route converter', name)
    directive_action(
        config, what, discriminator, register, ORDER_CONVERTERS, (intr,)
    )


def _signature_problem(func):
    """Why *func* cannot take ``(request, value)`` first, or ``None``."""
    if not callable(func):
        return f'{func!r} is not callable'
    try:
        inspect.signature(func).bind_partial(None, None)
    except TypeError as e:
        return str(e)
    return None


def includeme(config):
    """Add ``config.add_route_converter`` and the route predicate that
    converts matched values (only converted routes use it)."""
    config.add_directive('add_route_converter', add_route_converter)
    config.add_route_predicate(PREDICATE, ConvertMatch)
