"""A newcomer's fourteenth pass: the docs followed in order, each code
block run as written and each stated output compared with what the
application does."""

import logging

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route


class Shop(Controller):
    @route('/shop', auth='public')
    def index(self):
        return '<h1>Shop</h1>'

    @route('/shop/api', type='json', auth='public')
    def price(self, item_id):
        return 12.5


def tagged(next_caller):
    def call(context, request):
        return next_caller(context, request)

    return call


def traced_shop(*wrappers):
    config = Configurator(settings={'hooks.trace': 'true'})
    config.include('pyramid_hooks')
    for wrapper in wrappers:
        config.add_controller_wrapper(wrapper)
    config.add_controller(Shop)
    return config.make_wsgi_app()


def test_trace_names_the_handler_a_controller_wrapper_wraps(caplog):
    """docs/tracing.rst's demo line: ``controller wrapper ...timing
    [pyramid_hooks_demo.shop.ShopWithOffers.price]``, the handler, not
    ``make_view.<locals>.controller_view``, for http and JSON routes."""
    app = TestApp(traced_shop(tagged))
    with caplog.at_level(logging.DEBUG, logger='pyramid_hooks.trace'):
        app.get('/shop')
        app.post_json(
            '/shop/api',
            {
                'jsonrpc': '2.0',
                'method': 'price',
                'params': {'item_id': 7},
                'id': 1,
            },
        )
    lines = [r.getMessage() for r in caplog.records]
    name = f'{__name__}.tagged'
    assert f'controller wrapper {name} [{__name__}.Shop.index]' in lines[0]
    assert f'controller wrapper {name} [{__name__}.Shop.price]' in lines[1]
    assert 'controller_view' not in ''.join(lines)


def broken(next_caller):
    return None


def test_a_broken_wrapper_names_the_handler_with_tracing_on():
    """The startup error names the controller's handler, traced or not."""
    with pytest.raises(ConfigurationError) as info:
        traced_shop(broken)
    assert f'for view {__name__}.Shop.index:' in str(info.value)
    assert 'controller_view' not in str(info.value)


def page(request):
    return {}


def opened(request):
    pass


def made(scoped):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('page', '/page')
    config.add_view(page, route_name='page', renderer='json')
    scoped(config)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('scope', 'named'),
    [
        ({'view': page}, f'view={__name__}.page'),
        ({'route_name': 'page'}, "route_name='page'"),
    ],
)
def test_an_app_wide_hook_scoped_names_the_scope_and_the_fix(scope, named):
    """``register_hook('new_request', ..., view=page)``: the view was shown
    as ``<function page at 0x7f...>`` (a route as ``('route', 'page')``),
    and the message did not say what to do."""
    with pytest.raises(ConfigurationError) as info:
        made(
            lambda config: config.register_hook('new_request', opened, **scope)
        )
    message = str(info.value)
    assert f'registered with {named} at ' in message
    assert 'register it without view= or route_name=' in message
    assert ' at 0x' not in message


@pytest.mark.parametrize(
    ('scope', 'named'),
    [
        ({'view': page}, f'view={__name__}.page'),
        ({'route_name': 'page'}, "route_name='page'"),
    ],
)
def test_unregistering_an_unknown_scoped_listener_names_the_scope(
    scope, named
):
    with pytest.raises(ConfigurationError) as info:
        made(
            lambda config: config.unregister_hook(
                'before_call', opened, **scope
            )
        )
    message = str(info.value)
    assert f'is not registered for that hook with {named}' in message
    assert ' at 0x' not in message


def test_tracing_chapter_demo_lines_are_what_the_demo_logs(caplog):
    """docs/tracing.rst shows the demo's log lines for ``GET /`` and a
    batch of two calls, the second for a product that does not exist:
    those lines, durations aside, are what the demo writes (they said
    ``-32603`` and ``LookupError`` where the demo answers ``-32000``, its
    exposed ``UserError``)."""
    import re
    from pathlib import Path

    from tests.test_browser import make_demo

    text = (Path(__file__).parent.parent / 'docs' / 'tracing.rst').read_text()
    shown = re.findall(r'^    DEBUG \[pyramid_hooks.trace\] (.*)$', text, re.M)
    app = TestApp(make_demo())
    with caplog.at_level(logging.DEBUG, logger='pyramid_hooks.trace'):
        app.get('/')
        app.post_json(
            '/rpc/price',
            [
                {
                    'jsonrpc': '2.0',
                    'method': 'price',
                    'id': '1',
                    'params': {'product': 'mug'},
                },
                {
                    'jsonrpc': '2.0',
                    'method': 'price',
                    'id': '2',
                    'params': {'product': 'unicorn'},
                },
            ],
        )
    logged = [
        r.getMessage()
        for r in caplog.records
        if r.name == 'pyramid_hooks.trace'
    ]

    def timeless(line):
        return re.sub(r' [0-9.]+ms ', ' _ms ', line)

    assert list(map(timeless, logged)) == list(map(timeless, shown))
