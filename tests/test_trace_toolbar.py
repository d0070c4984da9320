"""The "Hooks" panel of pyramid_debugtoolbar (``pyramid_hooks.trace.toolbar``),
through real apps with the toolbar (its browser test is in
tests/test_browser.py)."""

import html
import re

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    ApplicationWrapper,
    ServerSideCallbackMixin,
    serverside_callback,
)
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.trace import tracing_enabled

PASSWORD = 'hunter2-secret-password'
TOKEN = 'tok-3f9a7c-secret-token'

LOOPBACK = {'REMOTE_ADDR': '127.0.0.1'}


def on_new_request(request):
    pass


def on_new_response(request, response):
    pass


def on_before_call(request, params):
    pass


def on_request_finished(request):
    pass


def timing(next_caller):
    def call(context, request):
        return next_caller(context, request)

    return call


class Stamp(ApplicationWrapper):
    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-Stamp'] = '1'
        return response


def page(request):
    return Response('<html><body><p>page</p></body></html>')


def register(config):
    config.register_hook('new_request', on_new_request)
    config.register_hook('new_response', on_new_response)
    config.register_hook('request_finished', on_request_finished)
    config.add_controller_wrapper(timing)
    config.add_application_wrapper(Stamp)
    config.add_route('page', '/page')
    config.add_view(page, route_name='page')


def toolbar_first(settings):
    config = Configurator(
        settings={
            'debugtoolbar.includes': 'pyramid_hooks.trace.toolbar',
            **settings,
        }
    )
    config.include('pyramid_debugtoolbar')
    config.include('pyramid_hooks')
    return config


def hooks_first(settings):
    config = Configurator(
        settings={'debugtoolbar.includes': 'pyramid_hooks.trace.toolbar'}
    )
    config.include('pyramid_hooks')
    config.include('pyramid_debugtoolbar')
    return config


def app_include_before_toolbar(settings):
    config = Configurator(settings={})
    config.include('pyramid_hooks.trace.toolbar')
    config.include('pyramid_debugtoolbar')
    return config


def both_ways(settings):
    config = Configurator(
        settings={'debugtoolbar.includes': 'pyramid_hooks.trace.toolbar'}
    )
    config.include('pyramid_hooks.trace.toolbar')
    config.include('pyramid_debugtoolbar')
    return config


def app_include_after_toolbar(settings):
    config = Configurator(settings={})
    config.include('pyramid_debugtoolbar')
    config.include('pyramid_hooks.trace.toolbar')
    return config


SETUPS = (
    toolbar_first,
    hooks_first,
    app_include_before_toolbar,
    app_include_after_toolbar,
    both_ways,
)


def toolbar_page(app, response):
    url = re.search(
        r'href="([^"]+)" target="pDebugToolbar"', response.text
    ).group(1)
    return app.get(url)


def panel(text):
    start = text.index('id="pDebugPanel-pyramid_hooks-content"')
    return text[start : text.index('pDebugPanel-', start + 40)]


def rows(panel_html, table):
    body = panel_html[panel_html.index(f'id="{table}"') :]
    body = body[: body.index('</table>')]
    return [
        [
            html.unescape(re.sub(r'<[^>]+>', '', cell)).strip()
            for cell in re.findall(r'<td[^>]*>(.*?)</td>', row, re.S)
        ]
        for row in re.findall(r'<tr[^>]*>(.*?)</tr>', body, re.S)[1:]
    ]


@pytest.mark.parametrize('setup', SETUPS)
def test_panel_lists_the_steps_in_order(setup):
    config = setup({})
    register(config)
    app = TestApp(config.make_wsgi_app(), extra_environ=LOOPBACK)
    assert tracing_enabled(config.registry)
    response = app.get('/page')
    assert response.headers['X-Stamp'] == '1'
    content = panel(toolbar_page(app, response).text)
    steps = rows(content, 'pyramid-hooks-trace')
    assert [(s[1], s[2].rsplit('.', 1)[-1], s[6]) for s in steps] == [
        ('application wrapper', 'Stamp', 'ok 200'),
        ('listener', 'on_new_request', 'ok'),
        ('controller wrapper', 'timing', 'ok 200'),
        # after the toolbar saw the response: shown all the same
        ('listener', 'on_new_response', 'ok'),
        ('listener', 'on_request_finished', 'ok'),
    ]
    assert all(s[4].startswith('tests/test_trace_toolbar.py:') for s in steps)
    # each step links to its configuration entry
    links = re.findall(
        r'<a href="#([^"]+)" class="pyramid-hooks-name">', content
    )
    assert len(links) == 5
    for anchor in links:
        assert f'<tr id="{anchor}">' in content
    configuration = rows(content, 'pyramid-hooks-configuration')
    assert ['application wrapper', f'{__name__}.Stamp'] in [
        row[:2] for row in configuration
    ]


def test_panel_shows_no_request_data():
    config = toolbar_first({})
    register(config)

    def login(request):
        return Response('<html><body>ok</body></html>')

    config.add_route('login', '/login')
    config.add_view(login, route_name='login')
    app = TestApp(config.make_wsgi_app(), extra_environ=LOOPBACK)
    response = app.post(
        '/login?token=' + TOKEN,
        {'password': PASSWORD},
        headers={'X-Auth-Token': TOKEN},
    )
    content = panel(toolbar_page(app, response).text)
    assert 'on_new_request' in content
    assert PASSWORD not in content
    assert TOKEN not in content


def test_panel_of_a_request_that_ran_nothing():
    config = toolbar_first({})
    config.add_route('page', '/page')
    config.add_view(page, route_name='page')
    app = TestApp(config.make_wsgi_app(), extra_environ=LOOPBACK)
    content = panel(toolbar_page(app, app.get('/page')).text)
    assert 'Nothing of pyramid_hooks ran for this request.' in content


def validate(request, params):
    return params


class Shop(Controller):
    @route('/shop', auth='public')
    def index(self):
        return '<html><body>shop</body></html>'

    @route('/shop/rpc', type='json', auth='public')
    def add(self, a, b):
        return a + b


class Clock(ServerSideCallbackMixin):
    @serverside_callback(authorization='pyramid_hooks.always_allow')
    def now(self, request):
        return Response('<html><body>12:00</body></html>')


def test_configuration_table_and_links_for_every_kind():
    config = app_include_before_toolbar({})
    register(config)
    config.register_hook('before_call', on_before_call, route_name='form')
    config.add_route('form', '/form')
    config.add_view(page, route_name='form', validate=validate)
    config.add_controller(Shop)
    config.add_widget(Clock(id='clock'))
    app = TestApp(config.make_wsgi_app(), extra_environ=LOOPBACK)
    for path, kinds in (
        ('/form', {'listener', 'validation', 'controller wrapper'}),
        ('/shop', {'controller'}),
        ('/_widgets/clock/now', {'widget authorization'}),
    ):
        content = panel(toolbar_page(app, app.get(path)).text)
        configuration = rows(content, 'pyramid-hooks-configuration')
        steps = rows(content, 'pyramid-hooks-trace')
        linked = re.findall(
            r'<td>([^<]+)</td>\s*<td[^>]*>\s*<a href="#', content
        )
        assert kinds <= set(linked), (path, steps)
    # a JSON-RPC call links to the controller route serving it
    call = {
        'jsonrpc': '2.0',
        'method': 'add',
        'params': {'a': 1, 'b': 2},
        'id': 1,
    }
    assert app.post_json('/shop/rpc', call).json['result'] == 3
    content = panel(app.get('/_debug_toolbar/').text)  # the last request
    linked = re.findall(r'<td>([^<]+)</td>\s*<td[^>]*>\s*<a href="#', content)
    assert {'jsonrpc call', 'controller'} <= set(linked)
    assert [
        'listener',
        f'{__name__}.on_before_call',
        'before_call (route form)',
    ] in [row[:3] for row in configuration]
