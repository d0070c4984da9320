"""Known defects fixed in pass 15 (fix15), each driven through a real
Pyramid app."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPFound
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    Controller,
    Invalid,
    ServerSideCallbackMixin,
    route,
    serverside_callback,
)

# -- 1. CORS: Vary: Origin once, also on a shared response -------------------

SHARED = Response('shared', vary=('Accept-Encoding',))
ALREADY = Response('already', vary=('origin',))


class Shared(Controller):
    @route('/shared', auth='public', cors=['https://a.example'])
    def shared(self):
        return SHARED

    @route('/already', auth='public', cors='https://a.example')
    def already(self):
        return ALREADY


def test_vary_origin_is_added_once_to_a_reused_response():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Shared)
    app = TestApp(config.make_wsgi_app())
    for _ in range(3):
        res = app.get('/shared', headers={'Origin': 'https://a.example'})
        assert res.headers.getall('Vary') == ['Accept-Encoding, Origin']
        res = app.get('/already')
        assert res.headers.getall('Vary') == ['origin']


# -- 2. the 400 page: no class name or address of an error object ------------


class Opaque:
    """An error object with no text of its own."""


class Markup:
    def __html__(self):
        return '<b>bad</b>'


class Spoken:
    def __str__(self):
        return 'too short'


def opaque_validator(request, params):
    raise Invalid(
        {
            'a': Opaque(),
            'b': Markup(),
            'c': Spoken(),
            'd': [1.5, 'x'],
            Opaque(): 1,
        }
    )


def lone_opaque_validator(request, params):
    raise Invalid(Opaque())


def validated_app():
    config = Configurator()
    config.include('pyramid_hooks')
    for name, validator in [
        ('v', opaque_validator),
        ('w', lone_opaque_validator),
    ]:
        config.add_route(name, '/' + name)
        config.add_view(
            lambda request: {},
            route_name=name,
            renderer='json',
            validate=validator,
        )
    return TestApp(config.make_wsgi_app())


def test_an_error_object_without_text_is_a_generic_text():
    app = validated_app()
    html = app.get('/v', status=400).text
    assert 'object at' not in html and 'Opaque' not in html
    assert 'Markup' not in html
    assert (
        "a: invalid value; b: invalid value; c: too short; d: [1.5, 'x']; "
        'invalid value: 1'
    ) in html
    res = app.get('/v', headers={'Accept': 'application/json'}, status=400)
    assert res.json == {
        'status': 400,
        'errors': {
            'a': 'invalid value',
            'b': 'invalid value',
            'c': 'too short',
            'd': [1.5, 'x'],
            'invalid value': 1,
        },
    }
    assert 'invalid value' in app.get('/w', status=400).text
    res = app.get('/w', headers={'Accept': 'application/json'}, status=400)
    assert res.json == {'status': 400, 'errors': 'invalid value'}


# -- 3. @route with @staticmethod / @classmethod, in either order ----------


class Tools(Controller):
    @staticmethod
    @route('/s/under', auth='public', renderer='json')
    def static_under(n='1'):
        return {'static': int(n)}

    @route('/s/over', auth='public', renderer='json')
    @staticmethod
    def static_over(n='1'):
        return {'static': int(n)}

    @classmethod
    @route('/c/under', type='json', auth='public')
    def class_under(cls, n):
        return [cls.__name__, n]

    @route('/c/over', type='json', auth='public')
    @classmethod
    def class_over(cls, n):
        return [cls.__name__, n]


class MoreTools(Tools):
    @staticmethod
    @route(auth='none')  # Odoo's override: the options given, kept the rest
    def static_over(n='1'):
        return {'static': -int(n)}


def test_a_routed_static_or_class_method_is_served_in_either_order():
    """``@staticmethod`` over ``@route`` hid the route: never served, and
    nothing said so (``@route`` over it was served)."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(MoreTools)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/s/under?n=2').json == {'static': 2}
    assert app.get('/s/over?n=2').json == {'static': -2}
    for url in ('/c/under', '/c/over'):
        body = {'jsonrpc': '2.0', 'id': 1, 'params': {'n': 3}, 'method': 'x'}
        res = app.post_json(url, body)
        assert res.json['result'] == ['MoreTools', 3]


# -- 4. a dotted callable that is no usable handler: refused at startup ------


class Clock(ServerSideCallbackMixin):
    @serverside_callback
    def now(self, request):
        return Response('now')  # pragma: no cover


NOT_HANDLERS = [
    'pyramid.httpexceptions.HTTPForbidden',  # a response class
    'builtins.print',  # returns None
    'builtins.dict',  # another class
]


@pytest.mark.parametrize('value', NOT_HANDLERS)
@pytest.mark.parametrize('how', ['setting', 'directive'])
def test_an_authorization_handler_that_makes_no_response_is_refused(
    value, how
):
    key = 'hooks.widgets.authorization'
    config = Configurator(settings={key: value} if how == 'setting' else {})
    with pytest.raises(ConfigurationError) as e:
        config.include('pyramid_hooks')
        if how == 'directive':
            config.set_callback_authorization(value)
        config.add_widget(Clock(id='clock'))
        config.make_wsgi_app()
    message = str(e.value)
    assert (key if how == 'setting' else 'set_callback_authorization') in (
        message
    )
    assert value in message
    assert 'pyramid_hooks.widgets.always_deny' in message  # the fix


def test_a_response_class_as_a_listener_setting_is_refused():
    config = Configurator(
        settings={'hooks.on.new_request': 'pyramid.response.Response'}
    )
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert 'hooks.on.new_request' in message
    assert 'pyramid.response.Response is a response class' in message


# -- 6. a render-call listener scoped to JSON routes: the right fix ----------


class Sums(Controller):
    @route('/sums', type='json', auth='public')
    def add(self, a, b):
        return a + b  # pragma: no cover


@pytest.mark.parametrize('hook', ['before_render_call', 'after_render_call'])
def test_a_render_call_listener_of_json_routes_gets_their_fix(hook):
    def listener(request, renderer_name, values, response=None):
        pass  # pragma: no cover

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Sums)
    config.register_hook(hook, listener, view=Sums.add)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert 'view=tests.test_fix15.Sums.add' in message
    assert 'renderer=' not in message  # a JSON route refuses it
    assert 'JSON-RPC' in message
    assert 'before_render' in message and 'after_render ' in message


# -- 7. a list setting given as None: refused, not "none" --------------------


@pytest.mark.parametrize(
    'key',
    [
        'hooks.on.new_request',
        'hooks.controller_wrappers',
        'hooks.application_wrappers',
        'hooks.controllers.expose_errors',
    ],
)
def test_a_list_setting_given_as_none_is_refused(key):
    config = Configurator(settings={key: None})
    with pytest.raises(ConfigurationError) as e:
        config.include('pyramid_hooks')
    message = str(e.value)
    assert f'{key}: None' in message
    assert "''" in message  # the fix: an empty list, or leave the key out


# -- 5. a policy raising an HTTP exception on a JSON route: -32001 everywhere


class RaisingPolicy:
    """A security policy raising ``make()`` from ``permits`` for 'edit'."""

    def __init__(self, make=lambda: HTTPFound('/login')):
        self.make = make

    def identity(self, request):
        return 'bob'

    def authenticated_userid(self, request):
        return 'bob'

    def permits(self, request, context, permission):
        if permission == 'edit':
            raise self.make()
        return True


def raising_decorator(make):
    """A ``decorator=`` whose view raises ``make()`` for every client."""

    def decorator(view):
        def guarded(context, request):
            raise make()

        return guarded

    return decorator


to_login = raising_decorator(lambda: HTTPFound('/login'))


class Edits(Controller):
    @route('/lone', type='json', auth='public', permission='edit')
    def lone(self):
        return 'lone'  # pragma: no cover

    @route('/shared', type='json', auth='public', permission='edit')
    def write(self):
        return 'write'  # pragma: no cover

    @route('/shared', type='json', auth='public')
    def read(self):
        return 'read'

    @route(
        '/guarded',
        type='json',
        auth='public',
        permission='view',
        decorator=to_login,
    )
    def guarded(self):
        return 'guarded'  # pragma: no cover


REDIRECTED = {
    'code': -32001,
    'message': 'Access denied',
    'data': {'status': 302},
}


@pytest.mark.parametrize('url', ['/lone', '/shared'])
def test_a_policy_redirect_on_a_json_route_is_each_calls_refusal(url):
    """At a shared URL it was ``-32000`` (a handler's HTTP error), at a
    lone URL Pyramid's 302 for the whole request (a batch's other calls
    lost their answers): a JSON-RPC client follows no redirect."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(RaisingPolicy())
    config.add_controller(Edits)
    app = TestApp(config.make_wsgi_app())
    method = 'write' if url == '/shared' else 'lone'
    one = {'jsonrpc': '2.0', 'id': 1, 'method': method}
    res = app.post_json(url, one)
    assert res.json == {'jsonrpc': '2.0', 'id': 1, 'error': REDIRECTED}
    batch = [one, {**one, 'id': 2, 'method': 'read'}]
    replies = app.post_json(url, batch).json
    assert replies[0]['error'] == REDIRECTED
    assert replies[1] == (
        {'jsonrpc': '2.0', 'id': 2, 'result': 'read'}
        if url == '/shared'
        else {'jsonrpc': '2.0', 'id': 2, 'error': REDIRECTED}
    )


def test_a_decorators_redirect_past_the_policy_still_reaches_pyramid():
    """The policy permits: the decorator's own redirect is the answer."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(RaisingPolicy())
    config.add_controller(Edits)
    app = TestApp(config.make_wsgi_app())
    body = {'jsonrpc': '2.0', 'id': 1, 'method': 'guarded'}
    assert app.post_json('/guarded', body, status=302).location.endswith(
        '/login'
    )
