"""``config.add_controller``, ``config.add_controller_auth`` and
``config.add_route_converter``; one action per commit builds the
controllers with ordinary ``add_route`` / ``add_view`` calls."""

import inspect
from collections.abc import Callable

from pyramid.config import PHASE1_CONFIG, PHASE2_CONFIG, Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.request import Request
from pyramid.viewderivers import INGRESS

from pyramid_hooks.config import (
    CATEGORY_CONTROLLERS,
    CATEGORY_ROUTE_CONVERTERS,
    ORDER_CALLS_MADE,
    ORDER_CONVERTERS,
    directive_action,
    ensure_not_frozen,
)
from pyramid_hooks.controllers import ROUTE_ATTR, Controller
from pyramid_hooks.controllers.auth import BUILTIN_AUTH
from pyramid_hooks.controllers.config.build import build_controllers
from pyramid_hooks.controllers.config.merging import route_names
from pyramid_hooks.controllers.converters import (
    BUILTIN,
    WERKZEUG_PLACEHOLDER,
    check_regex,
    user_converter,
)
from pyramid_hooks.controllers.envelope import jsonrpc_view
from pyramid_hooks.controllers.responses import make_response
from pyramid_hooks.controllers.views import controller_ingress_view
from pyramid_hooks.interfaces import IControllerRegistry
from pyramid_hooks.pipeline import AFTER_RENDER
from pyramid_hooks.shared import (
    MARK,
    CallableOrName,
    body_problem,
    call_problem,
    code_location,
    describe_info,
    object_name,
    registry_utility,
    resolve,
    safe_repr,
)
from pyramid_hooks.workarounds import default_csrf_token, with_action_info

INGRESS_DERIVER = 'pyramid_hooks_controller_ingress'
JSONRPC_DERIVER = 'pyramid_hooks_jsonrpc'
TG_ONLY = ('allow_only', '_before', '_after', '_visit', '_lookup', '_default')


class ControllerRegistry:
    """The controllers of one application (its attributes are described in
    ``docs/controllers.rst``, "Route names and introspection")."""

    def __init__(self):
        self.auth_modes = dict(BUILTIN_AUTH)
        #: ``{class: (action info, configurator adding its routes)}``
        self.activated = {}
        self.controllers = {}
        self.routes = {}
        #: the activated classes whose routes are added
        self.built = set()
        #: the form fields of CSRF tokens, dropped from http parameters
        self.csrf_tokens = ('csrf_token',)
        #: ``{url: ServedRoute}``: the first route answering each URL
        self.urls = {}
        #: the URLs (``url_key``) JSON handlers of one class shared
        self.retired = set()
        #: the shapes of the routes checked for shadowing, and their count
        self.shapes = {}
        self.shaped = 0
        #: ``{name: factory}`` of the ``route()`` converters
        self.converters = dict(BUILTIN)


def get_controller_registry(registry):
    """The application's :class:`ControllerRegistry` (made on first use)."""
    return registry_utility(registry, IControllerRegistry, ControllerRegistry)


def add_controller_auth(
    config: Configurator, name: str, check: Callable[[Request], object] | str
) -> None:
    """Add (or replace) the ``auth`` mode *name*: *check* (a callable or
    dotted name) is called as ``check(request)`` before the handler."""
    what = f'add_controller_auth {name!r}'
    if not isinstance(name, str) or not name:
        raise ConfigurationError(
            f'add_controller_auth: the mode name must be a non-empty '
            f'string, got {name!r}'
        )
    resolved = resolve(check, what, config.package)
    # a generator's body never runs: a 500 per request, not a refusal
    problem = call_problem(resolved, ('request',)) or body_problem(
        resolved, generators=True
    )
    if problem is not None:
        raise ConfigurationError(
            f'{what}: {object_name(resolved)} must accept (request): {problem}'
        )
    intr = config.introspectable(
        CATEGORY_CONTROLLERS,
        ('auth', name),
        f'auth mode {name}',
        'pyramid_hooks controller auth',
    )
    intr['name'] = name
    intr['check'] = resolved

    def register():
        get_controller_registry(config.registry).auth_modes[name] = resolved

    discriminator = ('pyramid_hooks controller auth', name)
    # read when the controller views are derived (PHASE3_CONFIG)
    directive_action(
        config, what, discriminator, register, PHASE1_CONFIG, (intr,)
    )


def add_controller(config: Configurator, cls: type[Controller] | str) -> None:
    """Activate the controller class *cls* (a class or dotted name); twice
    is once.  An activated subclass of an activated class *extends* it."""
    resolved = resolve(cls, 'add_controller', config.package)
    if not (
        inspect.isclass(resolved)
        and issubclass(resolved, Controller)
        and resolved is not Controller
    ):
        raise ConfigurationError(
            f'add_controller: {safe_repr(cls)} is not a subclass of '
            'pyramid_hooks.Controller: give a class extending it (or its '
            'dotted name)'
        )
    problem = call_problem(resolved, ('request',))  # made per request
    # a handler named __init__ is refused when built, with its own message
    if problem is not None and not hasattr(resolved.__init__, ROUTE_ATTR):
        raise ConfigurationError(
            f'add_controller {object_name(resolved)} '
            f'({code_location(resolved)}): it cannot be made as '
            f'{resolved.__name__}(request) ({problem}); its __init__ must '
            'take the request and call super().__init__(request)'
        )
    routed = route_names(resolved)  # an extension may unpublish one
    kept = [  # TurboGears' dispatch reads them (calls all but allow_only)
        name
        for name in TG_ONLY
        if getattr(resolved, name, None) is not None
        and (name == 'allow_only' or callable(getattr(resolved, name)))
        and not hasattr(getattr(resolved, name), ROUTE_ATTR)
        and name not in routed
    ]
    if kept:
        raise ConfigurationError(
            f'add_controller {object_name(resolved)} '
            f'({code_location(resolved)}): {", ".join(kept)} would guard or '
            "run nothing (TurboGears' object dispatch reads them): allow_only "
            'is auth= or a before_validate listener of view=the class, _before'
            ' one too, _after an after_render one, _visit a context_found '
            'one, _lookup and _default route()s (docs/porting_turbogears); '
            'or rename a helper of your own'
        )
    ensure_not_frozen(config, f'add_controller {object_name(resolved)}')
    intr = config.introspectable(
        CATEGORY_CONTROLLERS,
        ('activation', object_name(resolved)),
        object_name(resolved),
        'pyramid_hooks controller activation',
    )
    intr['class'] = resolved
    # no discriminator: twice is once; a copy keeps the route prefix of now
    config.action(
        None,
        activate,
        args=(
            config.with_package(config.package),
            resolved,
            config.action_info,
        ),
        order=ORDER_CALLS_MADE,
        introspectables=(intr,),
        **MARK,
    )
    config.action(
        None,
        read_csrf_tokens,
        args=(config.registry,),
        order=PHASE2_CONFIG,
        **MARK,
    )


def activate(config, cls, info):
    """The activation action.  The first controller brings the derivers
    (an application without controllers does not pay for them) and the
    build action, whose errors name the ``add_controller`` line (*info*)."""
    controllers = get_controller_registry(config.registry)
    where = with_action_info(config, info)
    if not controllers.activated:
        where.add_view_deriver(
            controller_ingress_view,
            name=INGRESS_DERIVER,
            under=INGRESS,
            over='secured_view',
        )
        where.add_view_deriver(
            jsonrpc_view,
            name=JSONRPC_DERIVER,
            under=AFTER_RENDER,
            over='rendered_view',
        )
    first, first_config = controllers.activated.setdefault(cls, (info, config))
    prefixes = [
        (c.route_prefix or '').strip('/') for c in (first_config, config)
    ]
    if prefixes[0] != prefixes[1]:  # its routes are added once, at the first
        raise ConfigurationError(
            f'Controller {object_name(cls)} activated at '
            f'{describe_info(first)} (route prefix /{prefixes[0]}) and at '
            f'{describe_info(info)} '
            f'(route prefix /{prefixes[1]}): a controller is served under '
            'one route prefix, the URLs of the second would answer 404. '
            'Activate it once, under its prefix (config.scan() activates '
            "every Controller subclass of the module under the scan's "
            f"prefix: give it ignore='{object_name(cls)}')"
        )
    where.action(
        None,
        build_controllers,
        args=(controllers,),
        order=ORDER_CALLS_MADE,
        **MARK,
    )


def read_csrf_tokens(registry):
    """Record the CSRF tokens' form fields, which handlers do not receive."""
    token = default_csrf_token(registry)
    extra = (token,) if token and token != 'csrf_token' else ()
    get_controller_registry(registry).csrf_tokens = ('csrf_token', *extra)


def add_route_converter(
    config: Configurator,
    name: str,
    regex: str,
    to_python: CallableOrName | None = None,
) -> None:
    """Add (or replace) the converter *name* of ``route()`` patterns
    matching *regex*, its value given by *to_python*."""
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
        return f'{safe_repr(func)} is not callable'
    try:
        inspect.signature(func).bind_partial(None, None)
    except TypeError as e:
        return str(e)
    return None


def includeme(config):
    """Add the controllers' directives and ``request.make_response``,
    including the core."""
    config.include('pyramid_hooks.config.core')
    config.add_request_method(staticmethod(make_response), 'make_response')
    config.add_directive('add_controller', add_controller)
    config.add_directive('add_controller_auth', add_controller_auth)
    config.add_directive('add_route_converter', add_route_converter)
