"""Controllers in production (issue 12): custom auth modes fail closed,
``auth='none'`` never consults the security policy, ``make_response``
refuses header injection and sets safe cookies, headers and cookies set on
``request.response`` reach http replies, CORS origin lists and credentials,
and sibling extensions that disagree about unpublishing a handler.

Every test drives a real Pyramid app through WebTest with a real security
policy.
"""

import json
import logging

import pytest
from pyramid.authentication import AuthTktCookieHelper
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import (
    HTTPFound,
    HTTPUnauthorized,
)
from pyramid.response import Response
from pyramid.security import Allowed, Denied, forget, remember

from pyramid_hooks.controllers import Controller, route
from tests.controllers_pkg.support import make_app, make_config

USER = {'X-User': 'alice'}


def app_for(*classes, setup=None, **kw):
    config = make_config(**kw)
    if setup is not None:
        setup(config)
    for cls in classes:
        config.add_controller(cls)
    return make_app(config)


INTERNAL_ERROR = {'code': -32603, 'message': 'Internal error'}


def rpc(app, path, id=1, **kw):
    body = json.dumps({'jsonrpc': '2.0', 'method': 'm', 'id': id})
    return app.post(path, body, content_type='application/json', **kw)


def generic_500(exc, request):
    """A production exception view: a plain 500, no details."""
    return Response('Internal Server Error', status=500)


def with_500_view(config):
    config.add_exception_view(generic_500, context=Exception)


# -- custom auth modes fail closed -----------------------------------------


#: what the check of mode ``probe`` returns, by the ``X-Answer`` header
ANSWERS = {
    'none': None,
    'true': True,
    'false': False,
    'returned-401': HTTPUnauthorized(headers={'WWW-Authenticate': 'Key'}),
    'returned-redirect': HTTPFound('/elsewhere'),
    'returned-response': Response('go away', status=401),
    'yes': 'yes',
    'one': 1,
    'zero': 0,
    'dict': {'ok': True},
}


def probe(request):
    answer = request.headers.get('X-Answer', 'none')
    if answer == 'raise-401':
        raise HTTPUnauthorized(headers={'WWW-Authenticate': 'Key'})
    return ANSWERS[answer]


class Probed(Controller):
    @route('/probed', auth='probe')
    def probed(self):
        return 'data'

    @route('/probed-rpc', type='json', auth='probe')
    def probed_rpc(self):
        return 'data'


def probe_setup(config):
    config.add_controller_auth('probe', probe)


def test_custom_auth_passes_on_none_and_true_only():
    app = app_for(Probed, setup=probe_setup)
    for answer in ('none', 'true'):
        response = app.get('/probed', headers={'X-Answer': answer})
        assert response.text == 'data'
        response = rpc(app, '/probed-rpc', headers={'X-Answer': answer})
        assert response.json['result'] == 'data'


def test_custom_auth_false_refuses_as_auth_user_does():
    # the app's forbidden view decides: anonymous users go to the login
    app = app_for(Probed, setup=probe_setup)
    response = app.get('/probed', headers={'X-Answer': 'false'}, status=302)
    assert response.location.endswith('/login?redirect=/probed')
    assert 'data' not in response.text
    # without a forbidden view, Pyramid's 403
    app = app_for(Probed, setup=probe_setup, forbidden_view=False)
    response = app.get('/probed', headers={'X-Answer': 'false'}, status=403)
    assert 'data' not in response.text


def test_custom_auth_returned_or_raised_refusal_is_the_reply():
    app = app_for(Probed, setup=probe_setup)
    for answer in ('returned-401', 'raise-401'):
        response = app.get('/probed', headers={'X-Answer': answer}, status=401)
        assert response.headers['WWW-Authenticate'] == 'Key'
        assert 'data' not in response.text
    response = app.get(
        '/probed', headers={'X-Answer': 'returned-redirect'}, status=302
    )
    assert response.location.endswith('/elsewhere')
    response = app.get(
        '/probed', headers={'X-Answer': 'returned-response'}, status=401
    )
    assert response.text == 'go away'


@pytest.mark.parametrize('answer', ['yes', 'one', 'zero', 'dict'])
def test_custom_auth_other_results_are_an_error_not_a_pass(answer, caplog):
    name = 'tests.test_controllers_hardening.probe'
    app = app_for(Probed, setup=probe_setup)
    # a bare app: the exception reaches the WSGI server (its own 500); a
    # JSON route answers the call's -32603 (tests/test_atk14c.py)
    with pytest.raises(TypeError, match=name):
        app.get('/probed', headers={'X-Answer': answer})
    response = rpc(app, '/probed-rpc', headers={'X-Answer': answer})
    assert response.json['error'] == INTERNAL_ERROR
    # with the application's exception view: its 500, nothing leaked
    app = app_for(Probed, setup=lambda c: (probe_setup(c), with_500_view(c)))
    caplog.clear()
    with caplog.at_level(logging.ERROR, 'pyramid_hooks.controllers'):
        response = app.get('/probed', headers={'X-Answer': answer}, status=500)
        assert 'probe' not in response.text and 'data' not in response.text
        response = rpc(app, '/probed-rpc', headers={'X-Answer': answer})
        assert response.json['error'] == INTERNAL_ERROR
    logged = [
        r.getMessage()
        for r in caplog.records
        if r.name == 'pyramid_hooks.controllers'  # not the call's traceback
    ]
    assert len(logged) == 2
    assert all(name in message for message in logged)


def test_custom_auth_refusals_on_json_routes_are_json_rpc_errors():
    app = app_for(Probed, setup=probe_setup)
    # the refusal's status only: no class name, no message
    expected = {
        'false': {'status': 403},
        'returned-401': {'status': 401},
        'returned-response': {'status': 401},
    }
    for answer, data in expected.items():
        response = rpc(app, '/probed-rpc', id=7, headers={'X-Answer': answer})
        assert response.status_int == 200
        error = response.json['error']
        assert response.json['id'] == 7
        assert 'result' not in response.json
        assert error['code'] == -32001
        assert error['data'] == data
    raised = rpc(app, '/probed-rpc', headers={'X-Answer': 'raise-401'})
    assert raised.json['error']['data']['status'] == 401


# -- auth='none' and permissions -----------------------------------------


class Open(Controller):
    @route('/none', auth='none')
    def none(self):
        return 'open'

    @route('/none-admin', auth='none', permission='admin')
    def none_admin(self):
        return 'admin only'

    @route('/public', auth='public')
    def public(self):
        return 'public'

    @route('/none-rpc', type='json', auth='none')
    def none_rpc(self):
        return 'open'

    @route('/none-rpc-admin', type='json', auth='none', permission='admin')
    def none_rpc_admin(self):
        return 'admin only'


def default_view_permission(config):
    config.set_default_permission('view')


def test_auth_none_skips_the_default_permission():
    # HeaderSecurityPolicy.permits denies anonymous requests everything
    config = make_config(forbidden_view=False)
    default_view_permission(config)
    config.add_controller(Open)
    app = make_app(config)
    policy = config.policy
    before = policy.calls
    assert app.get('/none').text == 'open'
    assert rpc(app, '/none-rpc').json['result'] == 'open'
    assert policy.calls == before  # the policy was never consulted
    # the default permission still applies to other modes
    app.get('/public', status=403)
    assert app.get('/public', headers=USER).text == 'public'


def test_auth_none_with_an_explicit_permission_checks_it():
    app = app_for(Open, setup=default_view_permission, forbidden_view=False)
    app.get('/none-admin', status=403)
    app.get('/none-admin', headers=USER, status=403)
    response = app.get('/none-admin', headers={'X-User': 'admin'})
    assert response.text == 'admin only'
    error = rpc(app, '/none-rpc-admin', headers=USER).json['error']
    assert error['code'] == -32001
    response = rpc(app, '/none-rpc-admin', headers={'X-User': 'admin'})
    assert response.json['result'] == 'admin only'


# -- make_response ---------------------------------------------------------


class Made(Controller):
    @route('/made', auth='public', renderer='json')
    def made(self):
        spec = self.request.json_body
        return self.request.make_response(
            'made',
            headers=spec.get('headers'),
            cookies=spec.get('cookies'),
            status=spec.get('status', 200),
        )


def made(app, **spec):
    return app.post_json('/made', spec, headers={'X-CSRF-Token': 'x'})


@pytest.fixture
def made_app():
    class Exempt(Made):
        @route(csrf=False)
        def made(self):
            return super().made()

    return app_for(Exempt)


@pytest.mark.parametrize(
    ('spec', 'named'),
    [
        ({'headers': {'X-Evil': 'a\r\nSet-Cookie: x=1'}}, "'X-Evil'"),
        ({'headers': [['X-Evil', 'a\nb']]}, "'X-Evil'"),
        ({'headers': [['X-Evil\r\nX-More', 'a']]}, 'X-Evil'),
        ({'headers': {'Content-Type': 'text/plain\r\nX: y'}}, 'Content-Type'),
        ({'status': '200 OK\r\nSet-Cookie: x=1'}, 'the status'),
    ],
)
def test_make_response_refuses_cr_and_lf(made_app, spec, named):
    with pytest.raises(ValueError, match=r'CR or LF') as e:
        made(made_app, **spec)
    assert named in str(e.value)


@pytest.mark.parametrize(
    ('headers', 'given'),
    [
        ('X-A: 1', 'str'),
        ([['X-A', '1', 'extra']], 'list'),
        ([['X-A']], 'list'),
        (['X-A'], 'str'),
    ],
)
def test_make_response_names_headers_that_are_not_pairs(
    made_app, headers, given
):
    """A string, or triples, were a bare unpacking error."""
    with pytest.raises(TypeError) as e:
        made(made_app, headers=headers)
    message = str(e.value)
    assert f'headers= holds a {given} that is not a (name, value)' in message
    assert "a list of pairs, e.g. [('X-A', '1')]" in message


def test_make_response_cookie_defaults_and_attributes(made_app):
    response = made(made_app, cookies={'sid': 'v'})
    assert response.headers['Set-Cookie'] == (
        'sid=v; Path=/; HttpOnly; SameSite=Lax'
    )
    response = made(
        made_app,
        cookies={
            'sid': {
                'value': 'v',
                'max_age': 3600,
                'secure': True,
                'httponly': True,
                'samesite': 'Strict',
                'path': '/app',
                'domain': 'example.com',
            }
        },
    )
    cookie = response.headers['Set-Cookie']
    assert cookie.startswith('sid=v; Domain=example.com; Max-Age=3600;')
    for part in ('Path=/app', 'secure', 'HttpOnly', 'SameSite=Strict'):
        assert part in cookie.split('; ')
    # scripts may read a cookie that says so
    response = made(
        made_app, cookies={'ui': {'value': 'dark', 'httponly': False}}
    )
    assert response.headers['Set-Cookie'] == 'ui=dark; Path=/; SameSite=Lax'
    response = made(made_app, cookies={'a': '1', 'b': {'value': '2'}})
    assert response.headers.getall('Set-Cookie') == [
        'a=1; Path=/; HttpOnly; SameSite=Lax',
        'b=2; Path=/; HttpOnly; SameSite=Lax',
    ]


@pytest.mark.parametrize(
    ('cookies', 'message'),
    [
        (
            {'sid': {'value': 'v', 'maxage': 1, 'Secure': True}},
            'Secure, maxage',
        ),
        ({'sid': {'value': 'v', 'samesite': 'sometimes'}}, 'SameSite must'),
        ({'sid': 'v\r\nx'}, r'\(value\) contains CR or LF'),
        ({'sid': {'value': 'v', 'path': '/\n'}}, r'\(path\) contains CR'),
        ({'sid': {'value': 'v', 'domain': 'a\rb'}}, r'\(domain\) contains'),
        ({'s id': 'v'}, "invalid cookie name 's id'"),
        ({'sid\r\nX': 'v'}, 'invalid cookie name'),
        ({'': 'v'}, 'invalid cookie name'),
    ],
)
def test_make_response_refuses_bad_cookies(made_app, cookies, message):
    with pytest.raises(ValueError, match=message) as e:
        made(made_app, cookies=cookies)
    assert 'make_response' in str(e.value)


# -- request.response reaches http replies -----------------------------------


class TicketPolicy:
    """A real security policy over Pyramid's auth ticket cookie."""

    def __init__(self):
        self.helper = AuthTktCookieHelper('s3cret', hashalg='sha512')

    def identity(self, request):
        identity = self.helper.identify(request)
        return None if identity is None else identity['userid']

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        if self.identity(request) is None:
            return Denied('anonymous')
        return Allowed('user')

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request)


class Session(Controller):
    @route('/login', auth='public', csrf=False, methods=['POST'])
    def login(self, result='str'):
        self.request.response.headers.extend(remember(self.request, 'alice'))
        return RESULTS[result]

    @route('/logout', auth='user', csrf=False, methods=['POST'])
    def logout(self, result='str'):
        self.request.response.headers.extend(forget(self.request))
        return RESULTS[result]

    @route('/me')
    def me(self):
        return self.request.authenticated_userid

    @route('/created', auth='public')
    def created(self):
        self.request.response.status = 201
        self.request.response.headers['X-Extra'] = 'kept'
        return 'made'

    @route('/own', auth='public')
    def own(self):
        self.request.response.headers['X-Lost'] = 'yes'
        return Response('own')


RESULTS = {'str': 'bye', 'bytes': b'bye', 'none': None}


def ticket_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(TicketPolicy())
    config.add_controller(Session)
    return make_app(config)


@pytest.mark.parametrize('result', ['str', 'bytes', 'none'])
def test_login_and_logout_cookies_reach_the_reply(result):
    app = ticket_app()
    app.get('/me', status=403)
    response = app.post('/login', {'result': result})
    assert response.status_int == (204 if result == 'none' else 200)
    assert any(
        cookie.startswith('auth_tkt=')
        for cookie in response.headers.getall('Set-Cookie')
    )
    assert app.get('/me').text == 'alice'
    response = app.post('/logout', {'result': result})
    cleared = response.headers.getall('Set-Cookie')
    assert cleared and all('auth_tkt=;' in c for c in cleared)
    if result == 'none':
        assert response.body == b''
        assert 'Content-Type' not in response.headers
        assert 'Content-Length' not in response.headers
    elif result == 'bytes':
        assert response.content_type == 'application/octet-stream'
        assert response.body == b'bye'
    else:
        assert (response.content_type, response.text) == ('text/html', 'bye')
    app.get('/me', status=403)


def test_request_response_status_and_headers_are_kept_for_str():
    app = ticket_app()
    response = app.get('/created', status=201)
    assert response.headers['X-Extra'] == 'kept'
    assert response.text == 'made'


def test_a_returned_response_is_left_as_is():
    response = ticket_app().get('/own')
    assert response.text == 'own'
    assert 'X-Lost' not in response.headers


# -- CORS origin lists and credentials ----------------------------------


def shared_app():
    """CORS routes (made per test: cors lists are refused by older
    versions at import time)."""

    class Shared(Controller):
        @route(
            '/shared',
            auth='public',
            cors=['https://a.example', 'https://b.example'],
        )
        def shared(self):
            return 'shared'

        @route(
            '/with-cookies',
            auth='user',
            cors=('https://a.example',),
            cors_credentials=True,
            methods=['GET'],
        )
        def with_cookies(self):
            return 'yours'

        @route('/one', auth='public', cors='https://a.example')
        def one(self):
            return 'one'

    return app_for(Shared)


def origin(value):
    return {'Origin': value}


def test_cors_list_echoes_a_listed_origin_only():
    app = shared_app()
    for listed in ('https://a.example', 'https://b.example'):
        response = app.get('/shared', headers=origin(listed))
        assert response.headers['Access-Control-Allow-Origin'] == listed
        assert response.headers['Vary'] == 'Origin'
        assert 'Access-Control-Allow-Credentials' not in response.headers
    for other in ('https://evil.example', 'null'):
        response = app.get('/shared', headers=origin(other))
        assert 'Access-Control-Allow-Origin' not in response.headers
        assert response.headers['Vary'] == 'Origin'
    response = app.get('/shared')
    assert 'Access-Control-Allow-Origin' not in response.headers
    # preflight: as before, without running the handler
    preflight = app.options('/shared', headers=origin('https://b.example'))
    assert preflight.status_int == 204
    assert preflight.headers['Access-Control-Allow-Origin'] == (
        'https://b.example'
    )
    assert preflight.body == b''
    preflight = app.options('/shared', headers=origin('https://c.example'))
    assert 'Access-Control-Allow-Origin' not in preflight.headers


def test_cors_credentials():
    app = shared_app()
    headers = {**USER, **origin('https://a.example')}
    response = app.get('/with-cookies', headers=headers)
    assert response.text == 'yours'
    assert response.headers['Access-Control-Allow-Credentials'] == 'true'
    assert response.headers['Access-Control-Allow-Origin'] == (
        'https://a.example'
    )
    # the preflight needs no auth and says credentials are allowed
    preflight = app.options(
        '/with-cookies', headers=origin('https://a.example')
    )
    assert preflight.status_int == 204
    assert preflight.headers['Access-Control-Allow-Credentials'] == 'true'
    assert preflight.headers['Access-Control-Allow-Methods'] == 'GET, HEAD'
    # an origin not listed gets neither header
    response = app.get(
        '/with-cookies', headers={**USER, **origin('https://evil.example')}
    )
    assert 'Access-Control-Allow-Origin' not in response.headers
    assert 'Access-Control-Allow-Credentials' not in response.headers
    # a single origin without credentials: unchanged
    response = app.get('/one', headers=origin('https://other.example'))
    assert response.headers['Access-Control-Allow-Origin'] == (
        'https://a.example'
    )
    assert 'Access-Control-Allow-Credentials' not in response.headers


@pytest.mark.parametrize(
    'cors', [[], ['*'], ['https://a.example', '*'], [''], [1], 42, '']
)
def test_cors_values_are_checked(cors):
    with pytest.raises(ConfigurationError, match='list of origins'):
        route('/x', cors=cors)


def test_cors_credentials_with_any_origin_is_a_startup_error():
    class Star(Controller):
        @route('/star', auth='public', cors='*', cors_credentials=True)
        def star(self):
            return 'star'

    with pytest.raises(ConfigurationError) as e:
        app_for(Star)
    assert "not with cors='*'" in str(e.value)
    assert 'Star.star' in str(e.value)


def test_cors_credentials_is_checked_after_merging():
    class Parent(Controller):
        @route('/merged', auth='public', cors='*')
        def merged(self):
            return 'merged'

    class Child(Parent):
        @route(cors_credentials=True)
        def merged(self):
            return super().merged()

    with pytest.raises(ConfigurationError) as e:
        app_for(Child)
    assert "not with cors='*'" in str(e.value)
    assert 'Child.merged' in str(e.value)

    class Listed(Child):
        @route(cors=['https://a.example'])
        def merged(self):
            return super().merged()

    response = app_for(Listed).get(
        '/merged', headers=origin('https://a.example')
    )
    assert response.headers['Access-Control-Allow-Credentials'] == 'true'


def test_cors_credentials_without_cors_is_a_startup_error():
    class Nowhere(Controller):
        @route('/nowhere', auth='public', cors_credentials=True)
        def nowhere(self):
            return 'nowhere'

    with pytest.raises(ConfigurationError, match='has no cors=') as e:
        app_for(Nowhere)
    assert 'Nowhere.nowhere' in str(e.value)


def test_cors_credentials_false_changes_nothing():
    class Plain(Controller):
        @route('/plain', auth='public', cors='*', cors_credentials=False)
        def plain(self):
            return 'plain'

    response = app_for(Plain).get('/plain')
    assert response.headers['Access-Control-Allow-Origin'] == '*'
    assert 'Access-Control-Allow-Credentials' not in response.headers
    assert 'Vary' not in response.headers


# -- sibling extensions disagreeing about unpublishing -----------------------


class Shop(Controller):
    @route('/thing', auth='public')
    def thing(self):
        return 'thing'

    @route('/other', auth='public')
    def other(self):
        return 'other'


class HideThing(Shop):
    def thing(self):  # unpublished
        return 'hidden'


class KeepThing(Shop):
    @route()
    def thing(self):
        return 'kept ' + super().thing()


CONFLICT = 'tests.test_controllers_hardening'


@pytest.mark.parametrize(
    ('order', 'status', 'won'),
    [
        ((HideThing, KeepThing), 404, f'unpublished by {CONFLICT}.HideThing'),
        ((KeepThing, HideThing), 200, f'served by {CONFLICT}.KeepThing'),
    ],
)
def test_sibling_unpublish_conflict_is_a_startup_warning(
    order, status, won, caplog
):
    with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
        app = app_for(*order)
    app.get('/thing', status=status)
    assert app.get('/other').text == 'other'
    warnings = [
        r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
    ]
    assert len(warnings) == 1
    message = warnings[0]
    assert f'{CONFLICT}.HideThing' in message
    assert f'{CONFLICT}.KeepThing' in message
    assert 'handler thing' in message
    assert f'activation order decides: {won}.' in message


def test_no_warning_when_activation_order_does_not_decide(caplog):
    class Inherits(Shop):
        """Does not redefine thing: HideThing's unpublishing wins in any
        order."""

    class Mid(Shop):
        def thing(self):  # unpublished ...
            return 'mid'

    class Mine(Mid):
        pass

    class Republish(Mid):
        @route()  # ... and published again below: Republish always wins
        def thing(self):
            return 'republished'

    for order in ((HideThing, Inherits), (Inherits, HideThing)):
        with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
            app = app_for(*order)
        app.get('/thing', status=404)
    for order in ((Mine, Republish), (Republish, Mine)):
        with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
            app = app_for(*order)
        assert app.get('/thing').text == 'republished'
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    'methods', ['G\u00c9T', ['GET', 'P\u0158IDAT'], 'GET POST', ['GET', '']]
)
def test_route_methods_are_ascii_letters_as_a_callbacks(methods):
    """One rule for a method name, ``serverside_callback``'s: ``'GÉT'``
    never matches, and a name beyond Latin-1 made every 405 of the URL
    fail (its ``Allow`` header cannot be sent)."""
    with pytest.raises(ConfigurationError) as e:
        route('/x', methods=methods)
    assert str(e.value) == (
        f'route(methods={methods!r}): a list of HTTP method names (ASCII '
        'letters)'
    )


def test_route_methods_in_any_case_still_answer():
    class Shop(Controller):
        @route('/shop', auth='public', methods=['get', 'Post'], csrf=False)
        def shop(self):
            return 'shop'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Shop)
    app = make_app(config)
    assert app.get('/shop').text == 'shop'
    assert app.post('/shop').text == 'shop'
    refused = app.delete('/shop', status=405)
    assert refused.headers['Allow'] == 'GET, POST, HEAD'


@pytest.mark.parametrize('flag', ['csrf', 'cors_credentials', 'discover'])
@pytest.mark.parametrize('given', ['false', 'no', 0, 1])
def test_route_flags_are_true_or_false(flag, given):
    """As every other flag (``check_flag``): ``bool('false')`` is ``True``,
    so ``cors_credentials='false'`` let credentialed cross-origin calls
    in and ``discover='no'`` published the URL's methods."""
    with pytest.raises(ConfigurationError) as e:
        route('/x', **{flag: given})
    assert str(e.value) == (
        f'route(): {flag} must be True or False, got {given!r}'
    )


def test_route_cors_credentials_false_sends_no_credentials_header():
    """What the strict flag prevents: the credentials header on replies."""

    class Api(Controller):
        @route(
            '/api',
            auth='public',
            cors='https://a.example',
            cors_credentials=False,
        )
        def api(self):
            return 'api'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Api)
    reply = make_app(config).get(
        '/api', headers={'Origin': 'https://a.example'}
    )
    assert 'Access-Control-Allow-Credentials' not in reply.headers
