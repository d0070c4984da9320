"""The per-request trace (``pyramid_hooks.trace``), through real apps."""

import gc
import json
import logging
import tracemalloc

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from webob import Request
from webtest import TestApp

from pyramid_hooks import (
    ApplicationWrapper,
    Invalid,
    ServerSideCallbackMixin,
    serverside_callback,
)
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.interfaces import ITracing
from pyramid_hooks.shared import code_location
from pyramid_hooks.trace import get_trace, tracing_enabled

PASSWORD = 'hunter2-secret-password'
TOKEN = 'tok-3f9a7c-secret-token'


# -- what the test applications register --------------------------------------


def on_new_request(request):
    request.environ['test.seen'] = True


def on_new_response(request, response):
    response.headers['X-Seen'] = 'yes'


def on_before_validate(request, params):
    pass


def on_before_call(request, params):
    pass


def on_before_render(request, params, output):
    pass


def on_after_render(request, response):
    pass


def check_password(request, params):
    if len(params.get('password', '')) < 30:
        raise Invalid({'password': f'{params.get("password")} is too short'})
    return params


def timing(next_caller):
    def call(context, request):
        return next_caller(context, request)

    return call


def refuse(next_caller):
    def call(context, request):
        return Response('refused by wrapper', status=403)

    return call


def untouched(next_caller):
    return next_caller


class Outer(ApplicationWrapper):
    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-Outer'] = 'yes'
        return response


class Gate(ApplicationWrapper):
    def __call__(self, request):
        if request.path_info == '/gated':
            return Response('gate closed', status=418)
        if request.path_info == '/forbidden':
            raise HTTPForbidden()
        return self.next_handler(request)


def home(request):
    return {'ok': True}


def add_views(config):
    config.add_route('home', '/')
    config.add_view(home, route_name='home', renderer='json')
    config.add_route('login', '/login')
    config.add_view(
        home, route_name='login', renderer='json', validate=check_password
    )
    config.add_route('blocked', '/blocked')
    config.add_view(
        home,
        route_name='blocked',
        renderer='json',
        controller_wrappers=(refuse,),
    )
    config.add_route('gated', '/gated')
    config.add_route('forbidden', '/forbidden')


def make_config(trace=True, include_first=False, settings=None):
    config = Configurator(settings=dict(settings or {}))
    if trace and include_first:
        config.include('pyramid_hooks.trace')
    config.include('pyramid_hooks')
    for hook, listener in (
        ('new_request', on_new_request),
        ('new_response', on_new_response),
        ('before_validate', on_before_validate),
        ('before_call', on_before_call),
        ('before_render', on_before_render),
        ('after_render', on_after_render),
    ):
        config.register_hook(hook, listener)
    config.add_controller_wrapper(timing)
    config.add_controller_wrapper(untouched)
    config.add_application_wrapper(Gate)
    config.add_application_wrapper(Outer, after=True)
    add_views(config)
    if trace and not include_first:
        # after every registration: the include's action still comes first
        config.include('pyramid_hooks.trace')
    return config


class Recorder:
    """WSGI middleware keeping the environ of each request, to read the
    requests' traces afterwards."""

    def __init__(self, config):
        self.config = config
        self.environs = []

    def wsgi(self):
        app = self.config.make_wsgi_app()

        def recording(environ, start_response):
            self.environs.append(environ)
            return app(environ, start_response)

        return recording

    def __call__(self, index=-1):
        return get_trace(Request(self.environs[index]))


def traced_app(**kw):
    config = make_config(**kw)
    recorder = Recorder(config)
    return TestApp(recorder.wsgi()), recorder, config


def short(steps):
    return [
        (s['kind'], s['name'].rsplit('.', 1)[-1], s['depth']) for s in steps
    ]


# -- what a request records ---------------------------------------------------


@pytest.mark.parametrize('include_first', [False, True])
def test_trace_lists_listeners_and_wrappers_in_order(include_first):
    app, recorder, _ = traced_app(include_first=include_first)
    response = app.get('/')
    assert response.json == {'ok': True}
    steps = recorder()
    assert short(steps) == [
        ('application wrapper', 'Outer', 0),
        ('application wrapper', 'Gate', 1),
        ('listener', 'on_new_request', 2),
        ('listener', 'on_before_validate', 2),
        ('listener', 'on_before_call', 2),
        ('controller wrapper', 'timing', 2),
        ('listener', 'on_before_render', 2),
        ('listener', 'on_after_render', 2),
        ('listener', 'on_new_response', 0),
    ]
    by_name = {s['name'].rsplit('.', 1)[-1]: s for s in steps}
    assert by_name['on_before_render']['detail'] == 'before_render'
    assert by_name['Outer']['outcome'] == 'ok 200'
    assert by_name['Gate']['outcome'] == 'ok 200'
    assert by_name['timing']['outcome'] == 'ok'
    assert by_name['on_new_request']['outcome'] == 'ok'
    assert all(s['duration'] >= 0 for s in steps)
    # where each was registered: this file, the line of the registration
    assert by_name['on_new_request']['where'].startswith(__file__ + ':')
    assert by_name['timing']['where'].startswith(__file__ + ':')
    assert by_name['Outer']['where'].startswith(__file__ + ':')
    json.dumps(steps)  # plain data


def test_tracing_changes_no_response():
    traced, _, _ = traced_app()
    plain = TestApp(make_config(trace=False).make_wsgi_app())
    for path, status in (
        ('/', 200),
        ('/blocked', 403),
        ('/gated', 418),
        ('/forbidden', 403),
        ('/login?password=x', 400),
        ('/nowhere', 404),
    ):
        one = traced.get(path, status=status)
        other = plain.get(path, status=status)
        assert one.body == other.body
        assert sorted(one.headerlist) == sorted(other.headerlist)


def test_off_composes_nothing_and_records_nothing():
    config = make_config(trace=False)
    recorder = Recorder(config)
    app = TestApp(recorder.wsgi())
    app.get('/')
    assert recorder() == []
    assert not tracing_enabled(config.registry)
    hooks = get_hooks(config.registry)
    # the listener tuples hold the listeners themselves
    assert hooks.default._app['new_request'] == (on_new_request,)


def test_short_circuits_and_failures():
    app, recorder, _ = traced_app()
    app.get('/blocked', status=403)
    refusing = [s for s in recorder() if s['kind'] == 'controller wrapper']
    assert [
        (s['name'].rsplit('.', 1)[-1], s['outcome']) for s in refusing
    ] == [('refuse', 'short-circuited 403')]
    # the inner wrappers and the view never ran
    assert 'on_before_render' not in str(recorder())
    app.get('/gated', status=418)
    gate = [s for s in recorder() if s['name'].endswith('Gate')]
    assert gate[0]['outcome'] == 'short-circuited 418'
    app.get('/forbidden', status=403)
    gate = [s for s in recorder() if s['name'].endswith('Gate')]
    outer = [s for s in recorder() if s['name'].endswith('Outer')]
    assert gate[0]['outcome'] == 'raised HTTPForbidden'
    assert outer[0]['outcome'] == 'raised HTTPForbidden'


def test_a_failing_listener_is_recorded_and_its_exception_propagates():
    def broken(request, params, output):
        raise ValueError('broken listener')

    config = make_config()
    config.register_hook('before_render', broken)
    recorder = Recorder(config)
    app = TestApp(recorder.wsgi())
    with pytest.raises(ValueError, match='broken listener'):
        app.get('/')
    failed = [s for s in recorder() if s['name'].endswith('broken')]
    assert failed[0]['outcome'] == 'raised ValueError'


def test_trapped_listener_records_its_failure(caplog):
    def broken(request):
        raise KeyError('x')

    def second(request):
        pass

    config = make_config()
    config.add_hook_namespace('shop')
    config.add_hook(
        'paid', args=('request',), namespace='shop', trap_exceptions=True
    )
    config.register_hook('paid', broken, namespace='shop')
    config.register_hook('paid', second, namespace='shop')

    def pay(request):
        request.hooks.notify('paid', request, namespace='shop')
        return Response('paid')

    config.add_route('pay', '/pay')
    config.add_view(pay, route_name='pay')
    recorder = Recorder(config)
    app = TestApp(recorder.wsgi())
    with caplog.at_level(logging.ERROR, 'pyramid_hooks.hooks'):
        assert app.get('/pay').text == 'paid'
    assert 'Listener ' in caplog.text and '.broken of hook' in caplog.text
    paid = [s for s in recorder() if s['detail'] == 'shop:paid']
    assert [(s['name'].rsplit('.', 1)[-1], s['outcome']) for s in paid] == [
        ('broken', 'raised KeyError'),
        ('second', 'ok'),
    ]


def test_validation_outcome_names_fields_never_values(caplog):
    app, recorder, _ = traced_app()
    with caplog.at_level(logging.DEBUG, 'pyramid_hooks.trace'):
        app.post(
            '/login',
            {'password': PASSWORD, 'user': 'ann'},
            headers={'X-Auth-Token': TOKEN, 'Authorization': TOKEN},
            status=400,
        )
    validation = [s for s in recorder() if s['kind'] == 'validation']
    assert validation == [
        {
            'kind': 'validation',
            'name': f'{__name__}.check_password',
            'detail': '',
            'where': code_location(check_password),
            'depth': 2,
            'duration': validation[0]['duration'],
            'outcome': 'invalid: 1 error (password)',
        }
    ]
    for text in (json.dumps(recorder()), caplog.text):
        assert PASSWORD not in text
        assert TOKEN not in text
    long_enough = 'x' * 30
    app.post('/login', {'password': long_enough}, status=200)
    validation = [s for s in recorder() if s['kind'] == 'validation']
    assert validation[0]['outcome'] == 'valid'


def test_log_line_one_per_request(caplog):
    app, _, _ = traced_app()
    with caplog.at_level(logging.DEBUG, 'pyramid_hooks.trace'):
        app.get('/?q=' + TOKEN)
        app.get('/blocked', status=403)
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == 'pyramid_hooks.trace'
    ]
    assert len(lines) == 2
    assert lines[0].startswith('GET route home (/): application wrapper ')
    assert (
        'listener tests.test_trace.on_before_render [before_render]'
        in (lines[0])
    )
    assert TOKEN not in lines[0]
    assert 'controller wrapper tests.test_trace.refuse' in lines[1]
    assert 'short-circuited 403' in lines[1]


def test_log_line_only_at_debug(caplog):
    app, recorder, _ = traced_app()
    with caplog.at_level(logging.INFO, 'pyramid_hooks.trace'):
        app.get('/')
    assert recorder()  # recorded, not printed
    assert not [r for r in caplog.records if r.name == 'pyramid_hooks.trace']


def test_steps_are_bounded(caplog):
    config = make_config()
    recorder = Recorder(config)
    app = TestApp(recorder.wsgi())
    config.registry.getUtility(ITracing).max_steps = 3
    with caplog.at_level(logging.DEBUG, 'pyramid_hooks.trace'):
        app.get('/')
    assert len(recorder()) == 3
    assert '6 more steps not kept' in caplog.text


def test_hooks_without_a_request_record_nothing():
    seen = []

    def middleware(app):
        seen.append('wrapped')
        return app

    def setup(config, settings):
        seen.append('setup')

    config = make_config()
    config.register_hook('before_wsgi_middlewares', middleware)
    config.register_hook('config_setup', setup)
    from pyramid_hooks import make_wsgi_app

    app = TestApp(make_wsgi_app(config))
    assert seen == ['setup', 'wrapped']
    app.get('/')


def test_listeners_registered_before_the_include_are_traced():
    config = Configurator(settings={}, autocommit=True)
    config.include('pyramid_hooks')
    config.register_hook('new_request', on_new_request)
    config.add_route('home', '/')
    config.add_view(home, route_name='home', renderer='json')
    config.include('pyramid_hooks.trace')
    recorder = Recorder(config)
    TestApp(recorder.wsgi()).get('/')
    assert short(recorder()) == [('listener', 'on_new_request', 0)]


# -- settings -----------------------------------------------------------------


def test_setting_turns_tracing_on():
    config = Configurator(settings={'hooks.trace': 'true'})
    config.include('pyramid_hooks')
    config.register_hook('new_request', on_new_request)
    recorder = Recorder(config)
    TestApp(recorder.wsgi()).get('/', status=404)
    assert short(recorder()) == [('listener', 'on_new_request', 0)]
    assert config.registry.settings['hooks.trace'] is True


def test_setting_false_leaves_it_off():
    config = Configurator(settings={'hooks.trace': 'off'})
    config.include('pyramid_hooks')
    config.commit()
    assert not tracing_enabled(config.registry)


def test_setting_must_be_a_boolean():
    config = Configurator(settings={'hooks.trace': 'maybe'})
    with pytest.raises(ConfigurationError, match=r'hooks\.trace'):
        config.include('pyramid_hooks')


def test_include_twice_and_with_the_setting():
    config = Configurator(settings={'hooks.trace': True})
    config.include('pyramid_hooks.trace')
    config.include('pyramid_hooks.trace')
    config.commit()
    assert tracing_enabled(config.registry)


# -- widgets, controllers, JSON-RPC ------------------------------------------


def deny_teapot(callback, request):
    return Response(status=418)


class Clock(ServerSideCallbackMixin):
    @serverside_callback
    def now(self, request):
        return Response('12:00')

    @serverside_callback(authorization=deny_teapot)
    def secret(self, request):
        return Response('never')  # pragma: no cover


def test_widget_authorization_names_the_deciding_handler():
    config = make_config(
        settings={'hooks.widgets.authorization': 'pyramid_hooks.always_allow'}
    )
    config.add_widget(Clock(id='clock'))
    recorder = Recorder(config)
    app = TestApp(recorder.wsgi())
    assert app.get('/_widgets/clock/now').text == '12:00'
    steps = [s for s in recorder() if s['kind'] == 'widget authorization']
    assert [(s['name'], s['detail'], s['outcome']) for s in steps] == [
        (
            'pyramid_hooks.widgets.always_allow',
            'global handler, clock/now',
            'allowed 200',
        )
    ]
    app.get('/_widgets/clock/secret', status=418)
    steps = [s for s in recorder() if s['kind'] == 'widget authorization']
    assert [(s['name'], s['detail'], s['outcome']) for s in steps] == [
        (
            f'{__name__}.deny_teapot',
            'callback handler, clock/secret',
            'refused 418',
        )
    ]
    assert steps[0]['where'] == code_location(deny_teapot)


def refuse_all(request):
    return False


def make_controller_app(trace=True):
    class Shop(Controller):
        @route('/shop', auth='public')
        def index(self):
            return 'shop'

        @route('/account')  # auth='user'
        def account(self):
            return 'account'  # pragma: no cover

        @route('/vault', auth='closed')
        def vault(self):
            return 'vault'  # pragma: no cover

        @route('/rpc', type='json', auth='public')
        def add(self, a, b):
            return a + b

    config = Configurator(settings={'hooks.trace': trace})
    config.include('pyramid_hooks')
    config.add_controller_auth('closed', refuse_all)
    config.add_controller(Shop)
    config.register_hook('before_call', on_before_call)
    recorder = Recorder(config)
    return TestApp(recorder.wsgi()), recorder, Shop


def test_controller_route_serving_class_handler_and_auth():
    app, recorder, shop = make_controller_app()
    assert app.get('/shop').text == 'shop'
    controller = [s for s in recorder() if s['kind'] == 'controller']
    assert controller == [
        {
            'kind': 'controller',
            'name': f'{__name__}.{shop.__qualname__}.index',
            'detail': f'route {__name__}.{shop.__qualname__}.index, '
            'auth=public',
            'where': code_location(shop.index),
            'depth': 0,
            'duration': controller[0]['duration'],
            'outcome': 'ok',
        }
    ]
    app.get('/account', status=403)
    assert [(s['kind'], s['detail'], s['outcome']) for s in recorder()] == [
        ('auth', 'auth=user', 'refused 403')
    ]
    app.get('/vault', status=403)
    steps = recorder()
    assert [(s['kind'], s['name'], s['outcome']) for s in steps] == [
        ('auth', f'{__name__}.refuse_all', 'refused')
    ]


def test_jsonrpc_each_call_of_a_batch():
    app, recorder, _ = make_controller_app()
    batch = [
        {
            'jsonrpc': '2.0',
            'method': 'add',
            'params': {'a': 1, 'b': 2},
            'id': 1,
        },
        {'jsonrpc': '2.0', 'method': 'add', 'params': {'a': 1}, 'id': 'two'},
        {'jsonrpc': '2.0', 'method': 'add', 'params': {'a': 1, 'b': 2}},
        {
            'jsonrpc': '2.0',
            'method': 'add',
            'params': {'a': 1, 'b': 2, 'password': PASSWORD},
            'id': 4,
        },
    ]
    response = app.post_json('/rpc', batch, headers={'X-Token': TOKEN})
    assert [r.get('result') for r in response.json] == [3, None, None]
    calls = [s for s in recorder() if s['kind'] == 'jsonrpc call']
    assert [(s['detail'], s['outcome'], s['depth']) for s in calls] == [
        ("id '1'", 'ok', 0),
        ("id 'two'", 'error -32602', 0),
        ('notification', 'no reply', 0),
        ("id '4'", 'error -32602', 0),
    ]
    assert [(s['kind'], s['depth']) for s in recorder()][:3] == [
        ('jsonrpc call', 0),
        ('listener', 1),
        ('controller', 1),
    ]
    assert PASSWORD not in json.dumps(recorder())
    assert TOKEN not in json.dumps(recorder())


# -- nothing held -------------------------------------------------------------


def test_no_growth_over_ten_thousand_traced_requests(caplog):
    # the log line off (pytest's log capture would keep every record)
    caplog.set_level(logging.INFO, 'pyramid_hooks.trace')
    config = make_config()
    app = config.make_wsgi_app()

    def run(n):
        for _ in range(n):
            Request.blank('/').get_response(app)

    run(200)  # warm caches up
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        objects = len(gc.get_objects())
        run(10_000)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024, grown
    assert len(gc.get_objects()) - objects < 100


# -- outcomes of every kind ---------------------------------------------------


class Noted:
    """A callable object (its location is its class's)."""

    def __call__(self, request):
        return None  # pragma: no cover


def test_code_location_of_functions_classes_and_objects():
    assert code_location(home) == f'{__file__}:{home.__code__.co_firstlineno}'
    assert code_location(Noted).startswith(f'{__file__}:')
    assert code_location(Noted()) == code_location(Noted)
    assert code_location(len) is None


@pytest.mark.parametrize(
    ('errors', 'outcome'),
    [
        (['first', 'second'], 'invalid: 2 errors'),
        (7, 'invalid'),
        ({'b': 1, 'a': 2}, 'invalid: 2 errors (a, b)'),
    ],
)
def test_validation_outcomes(errors, outcome):
    def validate(request, params):
        raise Invalid(errors)

    config = make_config()
    config.add_route('check', '/check')
    config.add_view(
        home, route_name='check', renderer='json', validate=validate
    )
    recorder = Recorder(config)
    TestApp(recorder.wsgi()).get('/check', status=400)
    steps = [s for s in recorder() if s['kind'] == 'validation']
    assert steps[0]['outcome'] == outcome


def test_a_failing_validator_and_controller_wrapper():
    def validate(request, params):
        raise LookupError('validator bug')

    def broken(next_caller):
        def call(context, request):
            raise RuntimeError('wrapper bug')

        return call

    config = make_config()
    config.add_route('v', '/v')
    config.add_view(home, route_name='v', renderer='json', validate=validate)
    config.add_route('w', '/w')
    config.add_view(
        home, route_name='w', renderer='json', controller_wrappers=(broken,)
    )
    recorder = Recorder(config)
    app = TestApp(recorder.wsgi())
    with pytest.raises(LookupError):
        app.get('/v')
    steps = [s for s in recorder() if s['kind'] == 'validation']
    assert steps[0]['outcome'] == 'raised LookupError'
    with pytest.raises(RuntimeError):
        app.get('/w')
    steps = [s for s in recorder() if s['name'].endswith('broken')]
    assert steps[0]['outcome'] == 'raised RuntimeError'


def test_a_failing_authorization_handler():
    def crash(callback, request):
        raise ZeroDivisionError

    config = make_config(settings={'hooks.widgets.authorization': crash})
    config.add_widget(Clock(id='clock'))
    recorder = Recorder(config)
    with pytest.raises(ZeroDivisionError):
        TestApp(recorder.wsgi()).get('/_widgets/clock/now')
    steps = [s for s in recorder() if s['kind'] == 'widget authorization']
    assert steps[0]['outcome'] == 'raised ZeroDivisionError'


def test_auth_checks_that_pass_refuse_with_a_response_or_fail():
    def vip(request):
        if request.headers.get('X-Vip') == 'yes':
            return True
        if request.headers.get('X-Vip') == 'broken':
            raise KeyError('check bug')
        return Response('members only', status=402)

    class Club(Controller):
        @route('/club', auth='vip')
        def enter(self):
            return 'welcome'

    config = Configurator(settings={'hooks.trace': True})
    config.include('pyramid_hooks')
    config.add_controller_auth('vip', vip)
    config.add_controller(Club)
    recorder = Recorder(config)
    app = TestApp(recorder.wsgi())
    assert app.get('/club', headers={'X-Vip': 'yes'}).text == 'welcome'
    assert [(s['kind'], s['outcome']) for s in recorder()] == [
        ('auth', 'passed'),
        ('controller', 'ok'),
    ]
    app.get('/club', status=402)
    assert [(s['kind'], s['outcome']) for s in recorder()] == [
        ('auth', 'refused 402')
    ]
    with pytest.raises(KeyError):
        app.get('/club', headers={'X-Vip': 'broken'})
    assert [(s['kind'], s['outcome']) for s in recorder()] == [
        ('auth', 'raised KeyError')
    ]


def test_tracing_turned_on_from_two_includes_is_no_conflict():
    def first(config):
        config.include('pyramid_hooks')  # the setting turns it on

    def second(config):
        config.include('pyramid_hooks.trace')

    config = Configurator(settings={'hooks.trace': 'yes'})
    config.include(first)
    config.include(second)
    config.commit()
    assert tracing_enabled(config.registry)
