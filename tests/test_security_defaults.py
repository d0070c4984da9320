"""Security defaults, tested negatively.

What a user gets without asking: widget callbacks are denied unless
authorized; unsafe methods need a CSRF token on widget callbacks and http
controller routes; ``auth='user'`` (the default) refuses anonymous requests
on http and JSON routes; JSON routes refuse non-JSON content types; and
nothing from a refused or failed request reaches the next one.  Every
refusal is checked to have stopped before the user's code ran.
"""

import json

import pytest
from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPFound, HTTPUnauthorized
from pyramid.response import Response
from pyramid.security import Allowed, Denied
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import (
    Controller,
    Invalid,
    ServerSideCallbackMixin,
    always_allow,
    route,
    serverside_callback,
)

UNSAFE = ('POST', 'PUT', 'PATCH', 'DELETE')


class HeaderPolicy:
    """``X-User`` is the user id; the ``edit`` permission is for ``admin``
    only, other permissions for any user."""

    def identity(self, request):
        return request.headers.get('X-User')

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        user = self.identity(request)
        if user is None:
            return Denied('anonymous')
        if permission == 'edit' and user != 'admin':
            return Denied('not admin')
        return Allowed('ok')

    def remember(self, request, userid, **kw):
        return []

    def forget(self, request, **kw):
        return []


class Calls(list):
    """What the user's code saw (a refusal must leave it empty)."""


def base_config(settings=None):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    config.set_security_policy(HeaderPolicy())
    config.set_session_factory(SignedCookieSessionFactory('security-tests'))
    config.add_route('csrf', '/csrf')
    config.add_view(
        lambda request: {'token': get_csrf_token(request)},
        route_name='csrf',
        renderer='json',
    )
    return config


def token(app):
    return app.get('/csrf').json['token']


# -- widgets -----------------------------------------------------------------


def widget_app(calls, settings=None, **callback_options):
    class Panel(ServerSideCallbackMixin):
        @serverside_callback(**callback_options)
        def act(self, request):
            calls.append((request.method, request.params.get('v')))
            return Response(f'acted:{request.params.get("v")}')

    config = base_config(settings)
    config.add_widget(Panel(id='panel'))
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('method', ['GET', 'HEAD', *UNSAFE])
def test_widget_callbacks_are_denied_by_default(method):
    calls = Calls()
    app = widget_app(calls, require_csrf=False)
    res = app.request(
        '/_widgets/panel/act?v=1',
        method=method,
        headers={'X-User': 'admin'},
        expect_errors=True,
    )
    assert res.status_int == 403
    assert calls == []


def test_widget_callbacks_run_once_authorized():
    calls = Calls()
    app = widget_app(
        calls, {'hooks.widgets.authorization': 'pyramid_hooks.always_allow'}
    )
    assert app.get('/_widgets/panel/act?v=1').text == 'acted:1'
    assert calls == [('GET', '1')]


@pytest.mark.parametrize(
    'refusal',
    [
        HTTPUnauthorized(headers={'WWW-Authenticate': 'Basic realm="w"'}),
        HTTPFound('/login'),
        Response('created, but not 200', status=201),
        Response('no content', status=204),
    ],
    ids=['401', '302', '201', '204'],
)
def test_only_exactly_200_lets_a_callback_run(refusal):
    calls = Calls()

    def handler(callback, request):
        return refusal

    app = widget_app(calls, authorization=handler)
    res = app.get('/_widgets/panel/act?v=1', expect_errors=True)
    assert res.status_int == refusal.status_int
    for name, value in refusal.headers.items():
        if name.lower() == 'location':  # made absolute on the way out
            assert res.headers[name] == f'http://localhost{value}'
        elif name.lower() != 'content-length':
            assert res.headers[name] == value
    assert calls == []


def test_permission_is_checked_before_the_authorization_handler():
    calls = Calls()
    asked = []

    def handler(callback, request):
        asked.append(callback.__name__)
        return Response()

    app = widget_app(calls, permission='edit', authorization=handler)
    app.get('/_widgets/panel/act', headers={'X-User': 'bob'}, status=403)
    app.get('/_widgets/panel/act', status=403)
    assert asked == []
    assert calls == []
    app.get('/_widgets/panel/act?v=2', headers={'X-User': 'admin'})
    assert asked == ['act']
    assert calls == [('GET', '2')]


@pytest.mark.parametrize('method', UNSAFE)
def test_widget_unsafe_methods_need_a_csrf_token(method):
    calls = Calls()
    app = widget_app(calls, authorization=always_allow)
    path = '/_widgets/panel/act?v=1'
    res = app.request(path, method=method, expect_errors=True)
    assert res.status_int == 400
    res = app.request(
        path,
        method=method,
        headers={'X-CSRF-Token': 'forged'},
        expect_errors=True,
    )
    assert res.status_int == 400
    assert calls == []
    res = app.request(
        path, method=method, headers={'X-CSRF-Token': token(app)}
    )
    assert res.text == 'acted:1'
    assert calls == [(method, '1')]


def test_widget_csrf_token_as_a_form_field():
    calls = Calls()
    app = widget_app(calls, authorization=always_allow)
    app.post(
        '/_widgets/panel/act', {'v': '3', 'csrf_token': 'forged'}, status=400
    )
    app.post('/_widgets/panel/act', {'v': '3', 'csrf_token': token(app)})
    assert calls == [('POST', '3')]


def test_widget_safe_methods_and_opt_out_need_no_token():
    calls = Calls()
    app = widget_app(calls, authorization=always_allow)
    app.get('/_widgets/panel/act?v=g')
    opted_out = widget_app(
        calls, authorization=always_allow, require_csrf=False
    )
    opted_out.post('/_widgets/panel/act', {'v': 'p'})
    assert calls == [('GET', 'g'), ('POST', 'p')]


def test_the_authorization_handler_runs_after_the_csrf_check():
    """A forged POST never reaches the authorization handler (which may
    have side effects, such as reading the body)."""
    asked = []

    def handler(callback, request):
        asked.append(request.method)
        return Response()

    calls = Calls()
    app = widget_app(calls, authorization=handler)
    app.post('/_widgets/panel/act', {'v': '1'}, status=400)
    assert asked == []
    assert calls == []


# -- controllers -------------------------------------------------------------


def refuse_invalid(request, params):
    if params.get('item') == 'invalid':
        raise Invalid({'item': 'invalid'})
    return params


def controller_app(calls, forbidden_view=None, settings=None):
    class Shop(Controller):
        @route('/shop/order', auth='public')
        def order(self, item=None):
            calls.append(('order', self.request.method, item))
            return f'ordered:{item}'

        @route('/shop/free', auth='public', csrf=False)
        def free(self, item=None):
            calls.append(('free', self.request.method, item))
            return f'free:{item}'

        @route('/shop/mine')
        def mine(self):
            calls.append(('mine', self.request.authenticated_userid))
            return f'mine:{self.request.authenticated_userid}'

        @route('/shop/rpc', type='json')
        def rpc(self, item=None):
            calls.append(('rpc', self.request.authenticated_userid, item))
            return {'item': item, 'user': self.request.authenticated_userid}

        @route(
            '/shop/public-rpc',
            type='json',
            auth='public',
            validate=refuse_invalid,
        )
        def public_rpc(self, item=None):
            calls.append(('public_rpc', item))
            errors = getattr(self.request, 'validation_errors', None)
            if item == 'fail':
                self.tainted = True
                raise ValueError('cannot order that')
            return {
                'item': item,
                'tainted': hasattr(self, 'tainted'),
                'errors': errors,
            }

    config = base_config(settings)
    if forbidden_view is not None:
        config.add_forbidden_view(forbidden_view)
    config.add_controller(Shop)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('method', UNSAFE)
def test_http_routes_need_a_csrf_token_for_unsafe_methods(method):
    calls = Calls()
    app = controller_app(calls)
    for headers in ({}, {'X-CSRF-Token': 'forged'}):
        res = app.request(
            '/shop/order?item=a',
            method=method,
            headers=headers,
            expect_errors=True,
        )
        assert res.status_int == 400
    assert calls == []
    res = app.request(
        '/shop/order?item=a',
        method=method,
        headers={'X-CSRF-Token': token(app)},
    )
    assert res.text == 'ordered:a'
    assert calls == [('order', method, 'a')]


def test_http_routes_csrf_field_and_opt_out():
    calls = Calls()
    app = controller_app(calls)
    app.post('/shop/order', {'item': 'b', 'csrf_token': 'forged'}, status=400)
    app.post('/shop/order', {'item': 'b', 'csrf_token': token(app)})
    app.get('/shop/order?item=c')
    app.post('/shop/free', {'item': 'd'})
    assert calls == [
        ('order', 'POST', 'b'),
        ('order', 'GET', 'c'),
        ('free', 'POST', 'd'),
    ]


def test_auth_user_is_the_default_and_refuses_anonymous_http():
    calls = Calls()
    app = controller_app(calls)
    app.get('/shop/mine', status=403)
    assert calls == []
    assert app.get('/shop/mine', headers={'X-User': 'ann'}).text == 'mine:ann'
    # identity is not remembered by the app between requests
    app.get('/shop/mine', status=403)
    assert calls == [('mine', 'ann')]


def test_auth_user_refusal_goes_to_the_forbidden_view():
    def login(request):
        return HTTPFound(f'/login?next={request.path}')

    calls = Calls()
    app = controller_app(calls, forbidden_view=login)
    res = app.get('/shop/mine', status=302)
    assert res.location.endswith('/login?next=/shop/mine')
    assert calls == []


def rpc(app, path, body, content_type='application/json', **headers):
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    return app.request(
        path,
        method='POST',
        body=body.encode() if isinstance(body, str) else body,
        headers={'Content-Type': content_type, **headers},
        expect_errors=True,
    )


def call(item, id_=1):
    return {
        'jsonrpc': '2.0',
        'id': id_,
        'method': 'any',
        'params': {'item': item},
    }


def test_auth_user_refuses_anonymous_json_calls_as_jsonrpc_errors():
    calls = Calls()
    app = controller_app(calls)
    res = rpc(app, '/shop/rpc', call('x'))
    assert res.status_int == 200
    assert res.json['id'] == 1
    assert res.json['error']['code'] == -32001
    assert 'result' not in res.json
    batch = rpc(app, '/shop/rpc', [call('x', 1), call('y', 2)])
    assert [r['error']['code'] for r in batch.json] == [-32001, -32001]
    assert calls == []
    ok = rpc(app, '/shop/rpc', call('z'), **{'X-User': 'ann'})
    assert ok.json['result'] == {'item': 'z', 'user': 'ann'}
    assert calls == [('rpc', 'ann', 'z')]


@pytest.mark.parametrize(
    'content_type',
    [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'text/json',
        'application/jsonx',
        '',
    ],
)
def test_json_routes_refuse_other_content_types(content_type):
    calls = Calls()
    app = controller_app(calls)
    res = rpc(
        app, '/shop/public-rpc', call('x'), content_type, **{'X-User': 'ann'}
    )
    assert res.status_int == 415
    assert res.json['error']['code'] == -32600
    assert res.json['id'] == 1  # the body parses: its id is echoed
    assert calls == []


def test_json_routes_refuse_a_cross_site_form_post():
    """What a hostile page can send without a preflight: a form post."""
    calls = Calls()
    app = controller_app(calls)
    res = app.post(
        '/shop/public-rpc',
        {json.dumps(call('x')): ''},
        headers={'X-User': 'ann'},
        expect_errors=True,
    )
    assert res.status_int == 415
    assert res.json['error']['code'] == -32600
    res = app.get('/shop/public-rpc', expect_errors=True)
    assert res.status_int == 405
    assert calls == []


# -- nothing leaks from a failed request -------------------------------------


def test_a_failed_jsonrpc_call_does_not_leak_into_the_next_call():
    """Each call of a batch gets its own controller instance and its own
    validation state."""
    calls = Calls()
    app = controller_app(calls)
    res = rpc(
        app,
        '/shop/public-rpc',
        [
            call('fail', 1),
            call('ok', 2),
            call('invalid', 3),
            call('ok2', 4),
        ],
    )
    replies = {reply['id']: reply for reply in res.json}
    assert replies[1]['error'] == {'code': -32603, 'message': 'Internal error'}
    assert replies[3]['error']['code'] == -32602
    assert replies[3]['error']['data'] == {'errors': {'item': 'invalid'}}
    assert replies[2]['result'] == {
        'item': 'ok',
        'tainted': False,
        'errors': None,
    }
    assert replies[4]['result'] == {
        'item': 'ok2',
        'tainted': False,
        'errors': None,
    }
    assert b'Traceback' not in res.body
    assert calls == [
        ('public_rpc', 'fail'),
        ('public_rpc', 'ok'),
        ('public_rpc', 'ok2'),
    ]


def test_nothing_from_a_refused_request_reaches_the_next():
    """Identity, CSRF failure, validation errors and listener changes of
    one request are gone in the next (same client, same app)."""
    seen = []

    def listener(request, params):
        params['stamped'] = params.get('stamped', 0) + 1

    def validate(request, params):
        if params.get('v') == 'bad':
            raise Invalid({'v': 'bad'})
        return params

    def view(request):
        params = dict(request.hook_params)
        params.pop('csrf_token')
        seen.append(
            (
                params,
                getattr(request, 'validation_errors', None),
                request.authenticated_userid,
            )
        )
        return {'ok': True}

    config = base_config()
    config.register_hook('before_validate', listener)
    config.add_route('form', '/form')
    config.add_view(
        view,
        route_name='form',
        renderer='json',
        validate=validate,
        require_csrf=True,
    )
    app = TestApp(config.make_wsgi_app())
    app.post('/form', {'v': 'bad'}, headers={'X-User': 'ann'}, status=400)
    app.post(
        '/form',
        {'v': 'bad', 'csrf_token': token(app)},
        headers={'X-User': 'ann'},
        status=400,
    )
    app.post('/form', {'v': 'good', 'csrf_token': token(app)})
    assert seen == [({'v': 'good', 'stamped': 1}, None, None)]
