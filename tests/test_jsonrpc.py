"""``type='json'`` controller routes: JSON-RPC 2.0 conformance (the
specification's examples), errors, auth, and the pipeline per call."""

import json

import pytest
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound

from pyramid_hooks import Invalid
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.jsonrpc import JsonRpcCall, JsonRpcError
from tests.controllers_pkg.support import make_app, make_config

USER = {'X-User': 'alice'}


class Calc(Controller):
    log = None

    @route('/rpc', type='json', auth='public')
    def subtract(self, minuend, subtrahend):
        return minuend - subtrahend

    @route('/sum', type='json', auth='public')
    def total(self, *args, **values):
        return sum(values.values())

    @route('/notify', type='json', auth='public')
    def notify(self, event=None):
        self.request.registry.settings.setdefault('events', []).append(event)

    @route('/fail', type='json', auth='public')
    def fail(self, kind='value'):
        if kind == 'rpc':
            raise JsonRpcError(42, 'custom', {'why': 'because'})
        if kind == 'bare':
            raise JsonRpcError(43, 'bare')
        if kind == 'http':
            raise HTTPNotFound('no such thing')
        raise ValueError('bad value')

    @route('/weird', type='json', auth='public')
    def weird(self, kind='set'):
        if kind == 'json':
            return Jsonable()
        return {1, 2}

    @route('/items/{id}', type='json', auth='public')
    def item(self, id, name=''):
        return [id, name]

    @route('/private', type='json')
    def private(self):
        return self.request.authenticated_userid

    @route('/admin', type='json', auth='public', permission='admin')
    def admin(self):
        return 'admin'

    @route('/open', type='json', auth='public', cors='*')
    def open(self):
        return 'open'


class Jsonable:
    def __json__(self, request):
        return {'path': request.path}


def app_for(settings=None, setup=None, cls=Calc):
    config = make_config(settings)
    if setup is not None:
        setup(config)
    config.add_controller(cls)
    return make_app(config)


@pytest.fixture
def app():
    return app_for()


def rpc(app, path, body, **kw):
    """POST *body* (a JSON text or a structure) as application/json."""
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode('utf-8')
    kw.setdefault('content_type', 'application/json')
    return app.post(path, body, **kw)


def call(method='subtract', params=None, id=1):
    message = {'jsonrpc': '2.0', 'method': method}
    if params is not None:
        message['params'] = params
    if id is not ...:
        message['id'] = id
    return message


# -- success ----------------------------------------------------------------


def test_named_params_call(app):
    response = rpc(
        app, '/rpc', call(params={'subtrahend': 23, 'minuend': 42}, id=3)
    )
    assert response.status_int == 200
    assert response.content_type == 'application/json'
    assert response.json == {'jsonrpc': '2.0', 'id': 3, 'result': 19}


@pytest.mark.parametrize('id_', [None, 'abc', 7, 1.5])
def test_ids_are_echoed(app, id_):
    response = rpc(
        app, '/rpc', call(params={'minuend': 1, 'subtrahend': 1}, id=id_)
    )
    assert response.json == {'jsonrpc': '2.0', 'id': id_, 'result': 0}


def test_none_result_is_present_as_null(app):
    response = rpc(app, '/notify', call(params={'event': 'x'}))
    assert response.json == {'jsonrpc': '2.0', 'id': 1, 'result': None}


def test_notification_runs_and_gets_204(app):
    response = rpc(
        app, '/notify', call(params={'event': 'n'}, id=...), status=204
    )
    assert response.body == b''
    assert app.app.registry.settings['events'] == ['n']


def test_params_omitted_and_var_kw(app):
    assert rpc(app, '/sum', call(id=1)).json['result'] == 0
    response = rpc(app, '/sum', call(params={'a': 1, 'b': 2}))
    assert response.json['result'] == 3


def test_matchdict_over_params(app):
    response = rpc(app, '/items/5', call(params={'id': 'x', 'name': 'n'}))
    assert response.json['result'] == ['5', 'n']


def test_application_json_rpc_content_type_and_charset(app):
    body = call(params={'minuend': 2, 'subtrahend': 1})
    response = rpc(app, '/rpc', body, content_type='application/json-rpc')
    assert response.json['result'] == 1
    response = rpc(
        app, '/rpc', body, content_type='application/json; charset=utf-8'
    )
    assert response.json['result'] == 1


def test_dunder_json_objects_are_serialized(app):
    response = rpc(app, '/weird', call(params={'kind': 'json'}))
    assert response.json['result'] == {'path': '/weird'}


# -- the specification's error examples ------------------------------------


def test_positional_params_are_invalid_params(app):
    response = rpc(app, '/rpc', call(params=[42, 23], id=1))
    assert response.status_int == 200
    assert response.json['id'] == 1
    assert response.json['error']['code'] == -32602
    assert response.json['error']['message'] == 'Invalid params'
    assert 'positional' in response.json['error']['data']['message']


def test_parse_error(app):
    response = rpc(
        app, '/rpc', '{"jsonrpc": "2.0", "method": "foobar, "params": "bar"'
    )
    assert response.status_int == 200
    assert response.json['id'] is None
    assert response.json['error']['code'] == -32700
    assert response.json['error']['message'] == 'Parse error'


def test_invalid_utf8_is_a_parse_error(app):
    response = rpc(app, '/rpc', b'{"jsonrpc": "2.0", "method": "\xff"}')
    assert response.json['error']['code'] == -32700


@pytest.mark.parametrize(
    'body, id_',
    [
        ({'jsonrpc': '2.0', 'method': 1, 'params': 'bar'}, None),
        ({'jsonrpc': '1.0', 'method': 'x', 'id': 4}, 4),
        ({'method': 'x', 'id': 'a'}, 'a'),
        ({'jsonrpc': '2.0', 'id': 5}, 5),
        ({'jsonrpc': '2.0', 'method': 'x', 'id': {'no': 1}}, None),
        ({'jsonrpc': '2.0', 'method': 'x', 'id': True}, None),
        ({'jsonrpc': '2.0', 'method': 'x', 'params': 'bar', 'id': 6}, 6),
        ('"a string"', None),
        (42, None),
    ],
)
def test_invalid_requests(app, body, id_):
    response = rpc(app, '/rpc', body)
    assert response.status_int == 200
    assert response.json['jsonrpc'] == '2.0'
    assert response.json['id'] == id_
    assert response.json['error']['code'] == -32600
    assert response.json['error']['message'] == 'Invalid Request'


def test_empty_batch_is_invalid_request(app):
    response = rpc(app, '/rpc', '[]')
    assert response.json == {
        'jsonrpc': '2.0',
        'id': None,
        'error': {
            'code': -32600,
            'message': 'Invalid Request',
            'data': {'message': 'empty batch'},
        },
    }


def test_invalid_batch_members(app):
    response = rpc(app, '/rpc', '[1]')
    assert [r['error']['code'] for r in response.json] == [-32600]
    response = rpc(app, '/rpc', '[1, 2, 3]')
    assert len(response.json) == 3
    assert all(
        r['error']['code'] == -32600 and r['id'] is None for r in response.json
    )


def test_batch_parse_error(app):
    response = rpc(
        app,
        '/rpc',
        '[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},'
        '{"jsonrpc": "2.0", "method"]',
    )
    assert response.json['error']['code'] == -32700


def test_batch_with_mixed_notifications(app):
    batch = [
        call(params={'minuend': 3, 'subtrahend': 1}, id='1'),
        call(params={'minuend': 7}, id=...),  # notification, bad params
        call(params={'minuend': 42, 'subtrahend': 23}, id='2'),
        {'foo': 'boo'},
        call(params=[1, 2], id=...),  # notification, positional
        call(params={'minuend': 5, 'subtrahend': 'x'}, id='5'),
        call(params={'minuend': 5, 'subtrahend': 1, 'extra': 0}, id='9'),
    ]
    replies = rpc(app, '/rpc', batch).json
    assert replies[0] == {'jsonrpc': '2.0', 'id': '1', 'result': 2}
    assert replies[1] == {'jsonrpc': '2.0', 'id': '2', 'result': 19}
    assert replies[2]['id'] is None
    assert replies[2]['error']['code'] == -32600
    assert replies[3]['id'] == '5'
    assert replies[3]['error'] == {'code': -32603, 'message': 'Internal error'}
    assert replies[4]['id'] == '9'
    assert replies[4]['error']['code'] == -32602
    assert replies[4]['error']['data']['message'] == (
        'unexpected parameter(s): extra'
    )
    assert len(replies) == 5


def test_batch_of_notifications_is_204(app):
    batch = [
        call('notify', {'event': 1}, id=...),
        call('notify', {'event': 2}, id=...),
    ]
    rpc(app, '/notify', batch, status=204)
    assert app.app.registry.settings['events'] == [1, 2]


def test_missing_params_are_invalid_params(app):
    response = rpc(app, '/rpc', call(params={'minuend': 1}))
    assert response.json['error']['code'] == -32602
    assert response.json['error']['data']['message'] == (
        'missing parameter(s): subtrahend'
    )
    response = rpc(app, '/rpc', call(params={'x': 1}))
    assert response.json['error']['data']['message'] == (
        'unexpected parameter(s): x; missing parameter(s): minuend, subtrahend'
    )


# -- transport rules ------------------------------------------------------


def test_non_json_content_type_is_refused_before_the_handler(app):
    response = app.post('/notify', {'event': 'form'}, status=415)
    assert response.json['error']['code'] == -32600
    assert 'Content-Type' in response.json['error']['data']['message']
    response = app.post('/notify', '{}', content_type='text/plain', status=415)
    assert response.json['error']['code'] == -32600
    assert 'events' not in app.app.registry.settings


def test_json_routes_are_post_only_and_csrf_exempt():
    def setup(config):
        config.set_default_csrf_options(require_csrf=True)

    app = app_for(setup=setup)
    response = app.get('/rpc', status=405)
    assert response.headers['Allow'] == 'POST'
    body = call(params={'minuend': 1, 'subtrahend': 1})
    assert rpc(app, '/rpc', body).json['result'] == 0  # no token needed


def test_cors_on_json_route(app):
    preflight = app.options('/open', status=204)
    assert preflight.headers['Access-Control-Allow-Methods'] == 'POST'
    response = rpc(app, '/open', call('open'))
    assert response.headers['Access-Control-Allow-Origin'] == '*'
    assert response.json['result'] == 'open'


# -- handler errors ----------------------------------------------------------


def test_handler_exception_is_internal_error_without_details(app):
    response = rpc(app, '/fail', call('fail'))
    assert response.status_int == 200
    assert response.json['error'] == {
        'code': -32603,
        'message': 'Internal error',
    }


@pytest.mark.parametrize(
    'settings',
    [{'hooks.controllers.debug': 'true'}, {'pyramid.debug_all': 'true'}],
)
def test_debug_data_only_when_enabled(settings):
    app = app_for(settings)
    error = rpc(app, '/fail', call('fail')).json['error']
    assert error['code'] == -32603
    assert error['data']['name'] == 'builtins.ValueError'
    assert error['data']['message'] == 'bad value'
    assert 'Traceback' in error['data']['debug']
    assert "raise ValueError('bad value')" in error['data']['debug']


def test_json_rpc_error_and_http_exception_from_handler(app):
    error = rpc(app, '/fail', call('fail', {'kind': 'rpc'})).json['error']
    assert error == {
        'code': 42,
        'message': 'custom',
        'data': {'why': 'because'},
    }
    error = rpc(app, '/fail', call('fail', {'kind': 'bare'})).json['error']
    assert error == {'code': 43, 'message': 'bare'}
    error = rpc(app, '/fail', call('fail', {'kind': 'http'})).json['error']
    assert error == {
        'code': -32000,
        'message': 'Not Found',
        'data': {'status': 404},
    }


def test_notification_errors_are_silent(app):
    rpc(app, '/fail', call('fail', id=...), status=204)


def test_unserializable_result_is_internal_error(app):
    error = rpc(app, '/weird', call('weird')).json['error']
    assert error == {'code': -32603, 'message': 'Internal error'}


def test_json_rpc_error_defaults():
    error = JsonRpcError(-32602)
    assert (error.code, error.message, error.data) == (
        -32602,
        'Invalid params',
        None,
    )
    assert JsonRpcError(1).message == 'Server error'
    assert repr(JsonRpcCall(1, 'm', {}, False)) == (
        "<JsonRpcCall id=1 method='m'>"
    )


# -- auth and permission -----------------------------------------------------


def test_auth_failure_is_a_json_rpc_error(app):
    response = rpc(app, '/private', call('private', id=8))
    assert response.status_int == 200
    assert response.json['id'] == 8
    assert response.json['error']['code'] == -32001
    assert response.json['error']['message'] == 'Access denied'
    assert response.json['error']['data']['status'] == 403
    response = rpc(app, '/private', call('private'), headers=USER)
    assert response.json['result'] == 'alice'
    rpc(app, '/private', call('private', id=...), status=204)
    batch = rpc(
        app, '/private', [call('private', id=1), call('private', id=2)]
    )
    assert [r['error']['code'] for r in batch.json] == [-32001, -32001]


def test_refusal_details_only_in_debug_mode():
    app = app_for({'hooks.controllers.debug': 'true'})
    error = rpc(app, '/admin', call('admin'), headers=USER).json['error']
    assert error['code'] == -32001
    assert error['data'] == {
        'status': 403,
        'name': 'pyramid.httpexceptions.HTTPForbidden',
        'message': "permission 'admin' denied",
    }


def test_permission_failure_is_a_json_rpc_error(app):
    error = rpc(app, '/admin', call('admin'), headers=USER).json['error']
    assert error['code'] == -32001
    # the refusal's status only: why is the application's business
    assert error['data'] == {'status': 403}
    response = rpc(app, '/admin', call('admin'), headers={'X-User': 'admin'})
    assert response.json['result'] == 'admin'


def pviews(app, url):
    """What Pyramid's ``pviews`` prints for *url* of *app*."""
    from pyramid.scripts.pviews import PViewsCommand

    command = PViewsCommand(['pviews', 'app.ini', url], quiet=True)
    lines = []
    command.out = lines.append
    command.setup_logging = lambda *args, **kw: None

    def bootstrap(config_uri, options=None, request=None):
        request.registry = app.app.registry
        return {'closer': lambda: None, 'request': request}

    command.bootstrap = bootstrap
    assert command.run() == 0
    return '\n'.join(lines)


def test_pviews_shows_the_real_permission_of_json_routes():
    """Pyramid's own permission check decides on JSON routes, so
    ``pviews`` shows what it requires: the route's permission, else the
    default one; ``auth='none'`` requires none."""

    class Shown(Controller):
        @route('/shown', type='json')
        def shown(self):
            return 'shown'

        @route('/free', type='json', auth='none')
        def free(self):
            return 'free'

    def setup(config):
        config.set_default_permission('view')
        config.add_controller(Shown)

    app = app_for(setup=setup)
    assert 'required permission = admin' in pviews(app, '/admin')
    assert 'required permission = view' in pviews(app, '/shown')
    free = pviews(app, '/free')
    assert 'tests.test_jsonrpc' in free
    assert 'required permission' not in free


def test_a_forbidden_raised_below_the_envelope_is_no_json_rpc_refusal():
    """Only Pyramid's permission check is answered in JSON-RPC: an
    HTTPForbidden raised by a ``decorator=`` (outside the envelope) goes
    to the application's forbidden view, as on any view."""

    def refuse(view):
        def decorated(context, request):
            raise HTTPForbidden('decorator says no')

        return decorated

    class Decorated(Controller):
        @route('/decorated', type='json', auth='public', decorator=refuse)
        def decorated(self):  # pragma: no cover - refused first
            return 'never'

    app = app_for(cls=Decorated)
    response = rpc(app, '/decorated', call('decorated'), status=302)
    assert response.location.endswith('/login?redirect=/decorated')


def test_default_permission_applies_to_json_routes():
    def setup(config):
        config.set_default_permission('view')

    app = app_for(setup=setup)
    body = call(params={'minuend': 1, 'subtrahend': 1})
    assert rpc(app, '/rpc', body).json['error']['code'] == -32001
    assert rpc(app, '/rpc', body, headers=USER).json['result'] == 0


def test_no_permission_required_overrides_the_default_permission():
    """Alone at its URL (Pyramid's check) or beside a handler that keeps
    the default permission (each call's handler is checked)."""
    from pyramid.security import NO_PERMISSION_REQUIRED

    class Free(Controller):
        @route(
            ['/free', '/mixed'],
            type='json',
            auth='public',
            permission=NO_PERMISSION_REQUIRED,
        )
        def free(self):
            return 'free'

        @route('/mixed', type='json', auth='public')
        def guarded(self):  # pragma: no cover - refused
            return 'guarded'

    def setup(config):
        config.set_default_permission('view')

    app = app_for(setup=setup, cls=Free)
    assert rpc(app, '/free', call('free')).json['result'] == 'free'
    batch = [call('guarded', id=1), call('free', id=2)]
    replies = rpc(app, '/mixed', batch).json
    assert replies[0]['error']['code'] == -32001
    assert replies[1]['result'] == 'free'


def test_custom_auth_mode_on_json_route():
    class Keyed(Controller):
        @route('/keyed', type='json', auth='key')
        def keyed(self):
            return 'in'

    def key(request):
        if request.headers.get('X-Key') != 'k':
            raise HTTPForbidden('bad key')

    def setup(config):
        config.add_controller_auth('key', key)

    app = app_for(setup=setup, cls=Keyed)
    error = rpc(app, '/keyed', call('keyed')).json['error']
    # the refusal's status, not the check's message or class
    assert error['data'] == {'status': 403}
    response = rpc(app, '/keyed', call('keyed'), headers={'X-Key': 'k'})
    assert response.json['result'] == 'in'


def test_json_route_with_renderer_is_a_configuration_error():
    from pyramid.exceptions import ConfigurationError

    class Rendered(Controller):
        @route('/r', type='json', renderer='json')
        def r(self):
            return 1

    with pytest.raises(ConfigurationError, match='takes no renderer'):
        app_for(cls=Rendered)


# -- hooks, validation and wrappers per call ----------------------------------


def test_pipeline_runs_per_call_and_after_render_per_request():
    events = []

    def before_validate(request, params):
        events.append(
            ('before_validate', request.jsonrpc_call.id, dict(params))
        )

    def before_call(request, params):
        params['subtrahend'] = params.get('subtrahend', 0) + 100
        events.append(('before_call', dict(params)))

    def before_render(request, params, output):
        events.append(('before_render', output))

    def after_render(request, response):
        events.append(('after_render', response.status_int))

    def wrapper(next_caller):
        def wrapped(context, request):
            events.append(('wrapper', request.jsonrpc_call.id))
            return next_caller(context, request)

        return wrapped

    def setup(config):
        config.register_hook(
            'before_validate', before_validate, view=Calc.subtract
        )
        config.register_hook('before_call', before_call, view=Calc)
        config.register_hook(
            'before_render', before_render, view=Calc.subtract
        )
        config.register_hook('after_render', after_render, view=Calc.subtract)
        config.add_controller_wrapper(wrapper, view=Calc.subtract)

    app = app_for(setup=setup)
    batch = [
        call(params={'minuend': 200}, id=1),
        call(params={'minuend': 300, 'subtrahend': 1}, id=2),
    ]
    replies = rpc(app, '/rpc', batch).json
    assert [r['result'] for r in replies] == [100, 199]
    assert events == [
        ('before_validate', 1, {'minuend': 200}),
        ('before_call', {'minuend': 200, 'subtrahend': 100}),
        ('wrapper', 1),
        ('before_render', 100),
        ('before_validate', 2, {'minuend': 300, 'subtrahend': 1}),
        ('before_call', {'minuend': 300, 'subtrahend': 101}),
        ('wrapper', 2),
        ('before_render', 199),
        ('after_render', 200),
    ]


def test_validation_failure_is_invalid_params():
    def validate(request, params):
        if params.get('n', 0) < 0:
            raise Invalid({'n': 'must be positive'})
        return params

    class Validated(Controller):
        @route('/v', type='json', auth='public', validate=validate)
        def v(self, n):
            return n

    app = app_for(cls=Validated)
    assert rpc(app, '/v', call('v', {'n': 1})).json['result'] == 1
    error = rpc(app, '/v', call('v', {'n': -1})).json['error']
    assert error == {
        'code': -32602,
        'message': 'Invalid params',
        'data': {'errors': {'n': 'must be positive'}},
    }
