"""The seventh attacker pass: each test sends what an attacker (or a
careless handler) would, through a real application, and asserts on what
the client, the WSGI server or the operator sees."""

import io
import json
from wsgiref.handlers import BaseCGIHandler

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Invalid
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)
from tests import test_no_cycles as cycles
from tests.test_transparency import same_outcome

# -- make_response: a header the gateway reads as the status ---------------


class Redirecting(Controller):
    @route('/go', auth='none')
    def go(self, name='Status'):
        # a handler porting CGI habits, or copying headers it was given
        return self.request.make_response('moved', headers={name: '302'})


def redirecting_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Redirecting)
    return config.make_wsgi_app()


def through_cgi(app, query=''):
    """What a CGI gateway (``wsgiref``'s) writes for ``/go``: the web
    server in front reads its ``Status:`` lines as the response's status."""
    out = io.BytesIO()
    environ = {
        'REQUEST_METHOD': 'GET',
        'PATH_INFO': '/go',
        'QUERY_STRING': query,
        'SERVER_NAME': 'example.com',
        'SERVER_PORT': '80',
        'SERVER_PROTOCOL': 'HTTP/1.1',
    }
    handler = BaseCGIHandler(io.BytesIO(), out, io.StringIO(), environ)
    handler.run(app)
    return out.getvalue()


@pytest.mark.parametrize('name', ['Status', 'status'])
def test_make_response_refuses_a_status_header(name):
    """A ``Status`` header went out: a second status line under a CGI or
    FastCGI gateway (which one wins is the web server's choice), and WSGI
    validators (WebTest's lint) refuse it.  It is the handler's error."""
    written = through_cgi(redirecting_app(), f'name={name}')
    assert written.count(b'Status:') == 1
    assert written.startswith(b'Status: 500')
    with pytest.raises(ValueError, match="header named 'Status'"):
        TestApp(redirecting_app()).get('/go', {'name': name})


def test_make_response_keeps_other_status_like_headers():
    written = through_cgi(redirecting_app(), 'name=X-Status')
    assert written.startswith(b'Status: 200 OK\r\n')
    assert b'X-Status: 302\r\n' in written
    response = TestApp(redirecting_app()).get('/go', {'name': 'X-Status'})
    assert response.headers['X-Status'] == '302'


# -- rpc.discover: a default is published as it was, not as it is now ------


def rates_controller():
    """A controller whose handler keeps who asked for each currency in a
    mutable default (a new one per test run)."""

    class Rates(Controller):
        @route('/rates', type='json', auth='public', discover=True)
        def rate(self, currency: str, _seen: dict = {}) -> float:  # noqa: B006
            """A rate; who asked for each currency, in a mutable default."""
            user = self.request.headers.get('X-User')
            _seen[currency] = {
                'user': user,
                'rate': float('nan'),
                'at': object(),
            }
            return 1.5

    return Rates


def _strict(text):
    raise ValueError(f'{text} is not strict JSON')


def test_discovery_publishes_a_default_as_it_was_when_the_app_was_made():
    """The document held the handler's default object itself, written
    when a client asked: a mutable default the handler fills (a cache)
    showed every client what the others' calls left there (who asked, for
    what), and a reply holding ``NaN`` (not JSON), or a 500 for an object
    JSON cannot write."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(rates_controller())
    app = TestApp(config.make_wsgi_app())

    def call(method, params=None, **kw):
        body = {'jsonrpc': '2.0', 'method': method, 'id': 1}
        if params is not None:
            body['params'] = params
        return app.post_json('/rates', body, **kw)

    before = call('rpc.discover').json
    reply = call('rate', {'currency': 'EUR'}, headers={'X-User': 'alice'})
    assert reply.json['result'] == 1.5
    after = call('rpc.discover')
    document = json.loads(after.text, parse_constant=_strict)
    assert document == before
    (seen,) = [
        param
        for param in document['result']['methods'][0]['params']
        if param['name'] == '_seen'
    ]
    assert seen['schema'] == {'type': 'object', 'default': {}}
    assert 'alice' not in after.text


# -- validate= on a JSON route: the errors whatever they hold ---------------


def check_amount(request, params):
    """A validator quoting what it read: ``"nan"`` reads as ``NaN``."""
    amount = float(params.get('amount', '0'))
    if not 0 < amount < 1000:
        raise Invalid({'amount': {'given': amount}, ('min', 'max'): '0-1000'})
    return {**params, 'amount': amount}


class Pay(Controller):
    @route('/pay', type='json', auth='public', validate=check_amount)
    def pay(self, amount):
        return amount

    @route('/pay-form', auth='public', methods=['GET'], validate=check_amount)
    def pay_form(self, amount):
        return str(amount)


@pytest.mark.parametrize('given', ['nan', '5000'])
def test_a_json_routes_validation_errors_are_invalid_params(given, caplog):
    """Errors JSON cannot write as they are (a ``NaN`` the client's
    ``"nan"`` became, a tuple key) made the whole reply an internal error
    (-32603) and an error logged per request, where the http route's 400
    writes them; they are -32602 with the errors written alike."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Pay)
    app = TestApp(config.make_wsgi_app())
    body = {'jsonrpc': '2.0', 'method': 'pay', 'id': 1}
    body['params'] = {'amount': given}
    error = app.post_json('/pay', body).json['error']
    page = app.get(
        '/pay-form',
        {'amount': given},
        headers={'Accept': 'application/json'},
        status=400,
    )
    assert error['code'] == -32602
    assert error['data'] == {'errors': page.json['errors']}
    assert page.json['errors']["('min', 'max')"] == '0-1000'
    assert not [r for r in caplog.records if r.levelname == 'ERROR']


# -- debug and expose_errors: an exception that cannot be written ---------


class Lost(LookupError):
    """An exception formatting its arguments wrongly: ``str()`` raises."""

    def __str__(self):
        return 'no %s' % self.args  # noqa: UP031 - the mistake shown


class Lookups(Controller):
    @route('/lookup', type='json', auth='none')
    def lookup(self, key):
        if key == 'lost':
            raise Lost('a', 'b')
        return key


@pytest.mark.parametrize(
    'settings',
    [
        {'hooks.controllers.expose_errors': f'{__name__}.Lost'},
        {'hooks.controllers.debug': 'true'},
    ],
    ids=['expose_errors', 'debug'],
)
def test_an_exception_whose_str_raises_fails_its_call_only(settings):
    """Its message, shown in debug mode or for an exposed class, was read
    outside the guard that keeps one call's error data from failing the
    whole reply: the batch was a 500, the call that succeeded lost."""
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_controller(Lookups)
    app = TestApp(config.make_wsgi_app())
    batch = [
        {'jsonrpc': '2.0', 'method': 'lookup', 'id': 1, 'params': {'key': k}}
        for k in ('found', 'lost')
    ]
    found, lost = app.post_json('/lookup', batch).json
    assert found['result'] == 'found'
    assert lost['error']['data']['name'] == f'{__name__}.Lost'
    assert lost['error']['data']['message'] == '<exception str() failed>'


# -- probes that found nothing, kept as regression tests -------------------


class Counter(ServerSideCallbackMixin):
    id = 'count'
    runs = 0

    @serverside_callback
    def up(self, request):
        Counter.runs += 1
        return Response('up')


@pytest.mark.parametrize(
    'path',
    [
        '/_widgets/count/up/',
        '/_widgets/count//up',
        '/_widgets//count/up',
        '/_widgets/count/./up',
        '/_widgets/other/../count/up',
        '/_widgets/count/%2e/up',
        '/_widgets/Count/up',
        '/_widgets/count/UP',
        '/_widgets/count/up;x',
        '/_widgets/count/up%00',
        '/_widgets/%EF%BD%83ount/up',  # a fullwidth c
    ],
)
def test_only_the_callbacks_own_path_runs_it(path):
    """What a server, a proxy or a browser might read as the callback's
    URL (a trailing slash, dot segments, another case, a path parameter,
    a fullwidth letter) is a 404; the callback never runs."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_widget(Counter())
    app = TestApp(config.make_wsgi_app())
    Counter.runs = 0
    app.get(path, status=404)
    assert Counter.runs == 0
    assert app.get('/_widgets/count/%75p').text == 'up'  # an unreserved %75
    assert Counter.runs == 1


def test_pyramids_wrapper_view_option_is_unchanged_by_the_addon():
    """A view with ``wrapper=`` (Pyramid's ``owrapped_view``) renders into
    its wrapper view, rendered or not, with do-nothing registrations on
    every hook and wrapper as without."""

    def outer(context, request):
        return Response(b'<' + request.wrapped_body + b'>')

    def setup(config):
        config.add_view(outer, name='outer')
        config.add_route('plain', '/plain')
        config.add_view(
            lambda request: Response('inner'),
            route_name='plain',
            wrapper='outer',
        )
        config.add_route('rendered', '/rendered')
        config.add_view(
            lambda request: {'a': 1},
            route_name='rendered',
            wrapper='outer',
            renderer='json',
        )

    assert same_outcome(setup, '/plain')[1] == b'<inner>'
    assert same_outcome(setup, '/rendered')[1] == b'<{"a": 1}>'


def test_refused_and_failed_json_calls_leave_no_cyclic_garbage():
    """A call refused by its validator, ``rpc.discover`` with a handler
    the caller may not use, and failures in debug mode (the traceback in
    the reply) leave no more garbage than bare Pyramid answering alike."""

    def refuse(request, params):
        raise Invalid({'a': 'bad'})

    class Desk(Controller):
        @route('/desk', type='json', auth='none', validate=refuse)
        def checked(self, a=1):  # never runs: refused
            return a

        @route('/desk', type='json', auth='user', discover=True)
        def private(self):  # never runs: refused
            return 'private'

        @route('/fail', type='json', auth='none')
        def fail(self):
            raise ValueError('failed')

    config = cycles.make_config(settings={'hooks.controllers.debug': 'true'})
    config.add_controller(Desk)
    app = cycles.app_of(config)
    bare = cycles.make_config(addon=False)
    cycles.add_answering_routes(bare, ('desk', '/desk'), ('fail', '/fail'))
    bare = cycles.app_of(bare)
    call = {'jsonrpc': '2.0', 'id': 1, 'params': {}}
    sends = [
        cycles.send_json('/desk', {**call, 'method': 'checked'}),
        cycles.send_json('/desk', {**call, 'method': 'rpc.discover'}),
        cycles.send_json('/desk', [{**call, 'method': 'private'}] * 2),
        cycles.send_json('/fail', {**call, 'method': 'fail'}),
    ]
    for send in sends:
        cycles.assert_no_more_than_bare(app, bare, send)
    reply = app.post_json('/desk', {**call, 'method': 'rpc.discover'}).json
    assert [m['name'] for m in reply['result']['methods']] == ['checked']
