"""Known defects fixed in pass 15b (fix15b), each driven through a real
Pyramid app."""

import functools

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller, Invalid, JsonRpcError, route


def controllers_app(*controllers, settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    for controller in controllers:
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app())


# -- 1. CORS headers of a reused response reflect the current request -------

REUSED = Response('reused')


class Reused(Controller):
    @route(
        '/reused',
        auth='public',
        cors=['https://a.example'],
        cors_credentials=True,
    )
    def reused(self):
        return REUSED


def test_cors_headers_of_a_reused_response_are_the_current_requests():
    app = controllers_app(Reused)
    allowed = {'Origin': 'https://a.example'}
    for _ in range(2):
        res = app.get('/reused', headers=allowed)
        assert (
            res.headers['Access-Control-Allow-Origin'] == 'https://a.example'
        )
        assert res.headers['Access-Control-Allow-Credentials'] == 'true'
        for headers in ({'Origin': 'https://evil.example'}, {}):
            res = app.get('/reused', headers=headers)
            assert 'Access-Control-Allow-Origin' not in res.headers
            assert 'Access-Control-Allow-Credentials' not in res.headers
            assert res.headers['Vary'] == 'Origin'


# -- 2. JsonRpcError data and the 400 page write no object's repr ----------


class Opaque:
    """An object with no text of its own."""


class Spoken:
    def __str__(self):
        return 'spoken'


def nested(depth, inner):
    for _ in range(depth):
        inner = [inner]
    return inner


class Failing(Controller):
    @route('/rpc', type='json', auth='public')
    def fail(self):
        raise JsonRpcError(
            1, 'failed', data={'o': Opaque(), 's': {Opaque()}, 't': Spoken()}
        )


def test_json_rpc_error_data_writes_no_class_name_or_address():
    app = controllers_app(Failing)
    body = {'jsonrpc': '2.0', 'id': 1, 'method': 'fail'}
    error = app.post_json('/rpc', body).json['error']
    assert error['data'] == {
        'o': 'invalid value',
        's': ['invalid value'],
        't': 'spoken',
    }


def sets_and_depths(request, params):
    raise Invalid(
        {
            'set': {Opaque()},
            'frozen': frozenset([Opaque()]),
            'deep': nested(40, Opaque()),
            ('a', Opaque()): 'key',
        }
    )


def test_the_400_page_writes_no_repr_of_sets_or_deep_containers():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('v', '/v')
    config.add_view(
        lambda request: {},
        route_name='v',
        renderer='json',
        validate=sets_and_depths,
    )
    app = TestApp(config.make_wsgi_app())
    html = app.get('/v', status=400).text
    assert 'object at' not in html and 'Opaque' not in html
    res = app.get('/v', headers={'Accept': 'application/json'}, status=400)
    errors = res.json['errors']
    assert 'Opaque' not in res.text
    assert errors['set'] == errors['frozen'] == ['invalid value']
    assert errors["('a', 'invalid value')"] == 'key'
    deep, depth = errors['deep'], 1
    while isinstance(deep, list):
        deep, depth = deep[0], depth + 1
    assert (deep, depth) == ('invalid value', 32)


# -- 3. decoration traps on handlers are startup errors ---------------------


def refused(*controllers):
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as raised:
        for controller in controllers:
            config.add_controller(controller)
        config.commit()
    return str(raised.value)


@pytest.mark.parametrize('kind', [property, functools.cached_property])
def test_a_property_over_route_is_refused(kind):
    class Hidden(Controller):
        @route('/hidden', auth='public')
        def hidden(self):
            return 'hidden'

        hidden = kind(hidden)

    message = refused(Hidden)
    assert 'Hidden.hidden (' in message and __file__ in message
    assert f'@{kind.__name__} over route() hides the route' in message
    assert f'drop the @{kind.__name__}' in message


def test_route_over_staticmethod_over_route_is_refused_as_stacked():
    with pytest.raises(ConfigurationError) as raised:

        class Stacked(Controller):
            @route('/a', auth='public')
            @staticmethod
            @route('/b', auth='public')
            def both():
                return 'both'

    message = str(raised.value)
    assert 'Stacked.both (' in message and __file__ in message
    assert "give one with the patterns in a list (route(['/a'," in message


def test_a_placeholder_named_like_self_is_refused():
    class Selfish(Controller):
        @route('/x/<int:self>', auth='public')
        def show(self, **kw):
            return repr(kw)

    message = refused(Selfish)
    assert 'Selfish.show (' in message and __file__ in message
    assert "gives 'self', which show() takes no parameter for" in message
    assert 'rename the placeholder' in message


# -- 4. a handler taking OPTIONS beside a cors= handler -----------------------


class Options(Controller):
    @route('/o', auth='public', cors='https://a.example', methods=['GET'])
    def read(self):
        return 'read'

    @route('/o', auth='public', methods=['OPTIONS'])
    def options(self):
        return 'options'


class OwnOptions(Controller):
    @route('/own', auth='public', cors='*', methods=['GET', 'OPTIONS'])
    def own(self):
        return 'own'


def test_a_handler_taking_options_beside_cors_is_refused():
    message = refused(Options)
    assert 'Options.options (' in message and 'Options.read (' in message
    assert "takes OPTIONS at '/o'" in message and 'has cors=' in message
    assert 'drop OPTIONS from its methods=' in message
    message = refused(OwnOptions)
    assert (
        'OwnOptions.own (' in message and "takes OPTIONS at '/own'" in message
    )


# -- 5. cookie flags are bools; a value WebOb would quote is refused ---------


class Cookies(Controller):
    @route('/cookie', auth='public', csrf=False)
    def cookie(self):
        return self.request.make_response(
            'made', cookies=self.request.json_body
        )


@pytest.mark.parametrize(
    'cookie, error, message',
    [
        ({'value': 'v', 'secure': 'false'}, TypeError, "'a' (secure) must"),
        ({'value': 'v', 'httponly': 'no'}, TypeError, "'a' (httponly) must"),
        ({'value': 'v', 'secure': 1}, TypeError, 'be True or False, not int'),
        ('x y', ValueError, "'a' (value) contains ' '"),
        ('x"y', ValueError, "'a' (value) contains '\"'"),
        ('x,y', ValueError, "'a' (value) contains ','"),
        ('x;y', ValueError, "'a' (value) contains ';'"),
        ('x\\y', ValueError, "'a' (value) contains '\\\\'"),
    ],
)
def test_cookie_flags_and_values_fail_closed(cookie, error, message):
    app = controllers_app(Cookies)
    with pytest.raises(error) as raised:
        app.post_json('/cookie', {'a': cookie})
    assert message in str(raised.value)
    res = app.post_json('/cookie', {'a': {'value': 'v', 'secure': False}})
    assert res.headers['Set-Cookie'] == 'a=v; Path=/; HttpOnly; SameSite=Lax'


# -- 6. a wrapper setting naming a built-in class ---------------------------


@pytest.mark.parametrize(
    'key, message',
    [
        (
            'hooks.controller_wrappers',
            "Controller wrapper builtins.type returned <class 'function'> "
            'for view tests.test_fix15b.',
        ),
        (
            'hooks.application_wrappers',
            "Application wrapper 'builtins.type' (builtins.type, registered "
            'at setting hooks.application_wrappers) raised TypeError',
        ),
    ],
)
def test_a_wrapper_setting_naming_builtins_type_is_refused(key, message):
    config = Configurator(settings={key: 'builtins.type'})
    with pytest.raises(ConfigurationError) as raised:
        config.include('pyramid_hooks')
        config.add_route('r', '/r')
        config.add_view(lambda request: 'r', route_name='r', renderer='string')
        config.make_wsgi_app()
    assert message in str(raised.value) and key in str(raised.value)
    assert 'an application wrapper is a class' in str(raised.value) or (
        'it must return call(context, request)' in str(raised.value)
    )


def refusing_wrapper(next_handler, registry):
    raise ConfigurationError('refusing: set myapp.key')


def test_an_application_wrappers_own_refusal_passes_unchanged():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_application_wrapper(refusing_wrapper)
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    assert str(raised.value) == 'refusing: set myapp.key'
