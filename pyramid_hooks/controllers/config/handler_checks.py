"""The checks of one controller handler's merged ``route()`` options before
its routes and views are added, each a startup error naming the handler."""

import re
from inspect import CO_VARARGS

from pyramid.exceptions import ConfigurationError

from pyramid_hooks.config import missing_renderer
from pyramid_hooks.controllers import (
    CONTROLLER_ATTRIBUTES,
    JSON_ONLY,
    RESERVED,
    ROUTE_ONLY,
    function_location,
)
from pyramid_hooks.controllers.config.merging import merge_routing
from pyramid_hooks.controllers.converters import (
    PYRAMID_PLACEHOLDER,
    pyramid_form,
)
from pyramid_hooks.error_handlers import method_name
from pyramid_hooks.shared import body_problem, did_you_mean, object_name
from pyramid_hooks.workarounds import known_view_options

#: the methods Pyramid checks no CSRF token for (its default)
SAFE = frozenset(('GET', 'HEAD', 'OPTIONS', 'TRACE'))

#: the options an error handler's route may give otherwise
MAY_DIFFER = ROUTE_ONLY | {
    'permission',
    'renderer',
    'validate',
    'error_handler',
    'controller_wrappers',
    'http_cache',
}


def check_handler(name, routing, handler):
    """Refuse merged options that contradict each other (``'*'`` with
    ``cors_credentials``), and a handler named like an attribute of
    :class:`Controller` (``request``), which would hide it."""
    where = function_location(handler)
    if routing.get('cors_credentials') and routing['cors'] in (None, '*'):
        why = (
            'the route has no cors=; give the allowed origins'
            if routing['cors'] is None
            else "not with cors='*' (browsers refuse credentials for any "
            'origin); list the allowed origins'
        )
        raise ConfigurationError(
            f'route(cors_credentials=True) on {where}: {why}'
        )
    if routing['type'] == 'json' and 'renderer' in routing:
        raise ConfigurationError(
            f'route(renderer=...) on {where}: a JSON route replies in '
            'JSON-RPC; it takes no renderer'
        )
    json_only = [key for key in JSON_ONLY if key in routing]
    if routing['type'] != 'json' and json_only:
        raise ConfigurationError(
            f'route({json_only[0]}=...) on {where}: only JSON routes take '
            "it (give type='json', or drop the option)"
        )
    if name in CONTROLLER_ATTRIBUTES:
        raise ConfigurationError(
            f'Controller handler {where} is named like the attribute '
            f'{name!r} of pyramid_hooks.Controller, which hides '
            'it on the instance made for each request; rename the method '
            '(the URL stays what route() says)'
        )
    # async def: a TypeError per request; a JSON generator: never serialized
    problem = body_problem(handler, generators=routing['type'] == 'json')
    code = getattr(handler, '__code__', None)  # called bound, self first
    if code and not code.co_argcount and not code.co_flags & CO_VARARGS:
        problem = 'it takes no self: a handler is a method, (self, ...)'
    if problem is not None:
        raise ConfigurationError(f'Controller handler {where}: {problem}')


#: Odoo's ``route()`` keys that have no counterpart here
ODOO_ONLY_KEYS = frozenset(
    {
        'website',
        'multilang',
        'sitemap',
        'save_session',
        'readonly',
        'max_content_length',
        'handle_params_access_error',
        'list_as_website_content',
    }
)


def check_error_handler(serving, routing, handler):
    """The ``renderer=`` of an ``error_handler=`` handler whose own differs
    from the failing route's (TurboGears renders with its own); a
    ConfigurationError when there is none to override, or when its route
    checks more (``auth``, ``permission``, CSRF)."""
    name = routing.get('error_handler')
    if name is None:
        return
    name = method_name(serving, name)
    if name is None or not hasattr(serving, name):
        return  # a function or dotted name: handler(request)
    given = merge_routing(serving, name)[0]
    if given is None:
        return  # not a handler: it answers as the failing route does
    where = (
        f'route() on {function_location(handler)}: its error_handler '
        f'{name!r} is a handler with'
    )
    # its body trusts what its validate= gives; itself: TurboGears' default
    if given.get('validate') is not None and name != handler.__name__:
        raise ConfigurationError(
            f'{where} validate={object_name(given["validate"])}, which does '
            'not run when it answers for this route (nor in TurboGears): it '
            "would take this route's refused parameters for its validated "
            f'ones; move what {name} answers to a method without route() '
            'that both call, or name one without validate='
        )
    # what it checks more than the failing route (TG's error_handler=index)
    free = routing['auth'] == 'none' and not routing.get('permission')
    public = 'none' if free and not given.get('permission') else 'public'
    unchecked = {'auth': ('none', public), 'permission': (None,)}
    # CSRF-checked on each request (JSON-RPC: its content type) or not:
    # a POST-only handler run for a GET (an <img>) of the failing route
    checked = [
        r['type'] == 'json'
        or (r['csrf'] and not {*(r['methods'] or SAFE)} & SAFE)
        for r in (routing, given)
    ]
    # a handler serving safe methods only checks no token (TG's new)
    moot = given['methods'] and not {*given['methods']} - SAFE
    for key, lax in (
        *unchecked.items(),
        ('csrf', (False, given['csrf']) if moot else (False,)),
        ('type', ()),
        ('methods', () if checked == [False, True] else (given['methods'],)),
        # its view's predicates and decorator= do not apply to its answer
        *((key, ()) for key in given.keys() - MAY_DIFFER),
    ):
        if given.get(key) not in (routing.get(key), *lax):
            raise ConfigurationError(
                f'{where} {key}={given.get(key)!r}, run for the requests of '
                f'this route ({key}={routing.get(key)!r}) without its own '
                'checks; give both the same auth=, permission= and csrf= (and '
                'methods=, view predicates, decorator=), or name a method '
                'without route()'
            )
    own, failing = given.get('renderer'), routing.get('renderer')
    if own == failing or routing['type'] == 'json':
        return None
    if not (isinstance(own, str) and failing):  # Pyramid adds no renderer
        raise ConfigurationError(
            f"{where} renderer={own!r}, and answers through this route's "
            f'renderer={failing!r}; give both the same renderer= '
            '(TurboGears renders an error handler with its own @expose)'
        )
    return own


def check_view_options(config, endpoint, options):
    """Refuse the view options of *endpoint* that no view deriver or
    predicate knows, and a ``renderer=`` without a factory, naming the
    handler (Pyramid names no line, or finds out on the first request)."""
    known = known_view_options(config)
    unknown = sorted(set(options) - known)
    if unknown:
        hints = [did_you_mean(n, known - set(RESERVED)) for n in unknown]
        if {'requirements', 'conditions'} & set(unknown):  # tgext.routes'
            hints.append(
                'Routes keys: a requirement is a converter in the pattern '
                '(<int:id>), conditions=dict(method=...) is methods= (the '
                'TurboGears porting guide)'
            )
        odoo = [name for name in unknown if name in ODOO_ONLY_KEYS]
        if 'captcha' in unknown:  # leaving it out would drop a bot check
            hints.append(
                "captcha: Odoo's bot check of the route; check the token "
                "in the route's validate= (the Odoo porting guide, "
                '"Security differences")'
            )
        if odoo:  # an Odoo route ported as it was
            hints.append(
                f'{", ".join(odoo)}: Odoo route() key(s) with no '
                'counterpart here; leave them out (the Odoo porting '
                'guide, "Security differences")'
            )
        hint = '; '.join(h for h in hints if h)
        raise ConfigurationError(
            f'route() on {endpoint.description}: unknown view option(s) '
            f'{", ".join(unknown)}{f" ({hint})" if hint else ""}'
        )
    name = options.get('renderer')
    if isinstance(name, str):
        problem = missing_renderer(config.registry, name)
        if problem is not None:
            raise ConfigurationError(
                f'route() on {endpoint.description}: {problem}'
            )


def check_placeholders(endpoint, pattern, converted):
    """Refuse a placeholder of *pattern* (*converted*: Pyramid's form)
    that the handler of *endpoint* takes no parameter for (``<int:id>``
    for ``def show(self, ident)``), and a required ``request`` parameter."""
    form = pyramid_form(converted)
    names = [found[1] for found in PYRAMID_PLACEHOLDER.finditer(form)]
    names += re.findall(r'\*(\w+)$', form)
    # not a JSON route's: a call's params may name one (a leave request)
    if endpoint.type != 'json' and 'request' in endpoint.required - {*names}:
        raise ConfigurationError(
            f'Controller handler {endpoint.description} takes a parameter '
            "'request', which only a query or form field so named gives "
            '(any other request is a 400): the request is self.request; '
            'drop the parameter (or take **kw, to read such a field)'
        )
    for name in names:  # **kw takes them all, but the name of its self
        if name in endpoint.refused:
            hint, fix = ' (it names its self)', 'rename the placeholder'
        elif endpoint.accepted is None or name in endpoint.accepted:
            continue
        else:
            hint = did_you_mean(name, endpoint.accepted, '; ')
            fix = f'name a parameter {name!r}, or give the handler **kw'
        read = f' (Pyramid reads {form!r})' if form != converted else ''
        raise ConfigurationError(
            f'route() on {endpoint.description}: the pattern '
            f'{pattern!r}{read} gives {name!r}, which {endpoint.name}() '
            f'takes no parameter for{hint}; every request would drop it: '
            + fix
        )
