"""Loose ends found by attackers and newcomers, each through a real
Pyramid app: bounded replies, converters that answer 404, options that
can never match refused at startup, cookies out of range, controller
wrapper factories that fail."""

import json
import sys
from datetime import timedelta

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError, ConfigurationExecutionError
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from tests.controllers_pkg.support import make_app, make_config
from tests.test_docs_examples import DOCS, example, python_blocks


def rpc(app, path, params, **kw):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post(
        path, json.dumps(body), content_type='application/json', **kw
    )


# -- 1. -32602 names a bounded number of bounded names ---------------------


class Strict(Controller):
    @route('/strict', type='json', auth='public')
    def strict(self, a, b=None):
        return a


def test_invalid_params_reply_is_bounded():
    app = make_app(_config(Strict))
    params = {f'{i:04d}' + 'x' * 900: i for i in range(1000)}
    params['bad\nname'] = 0
    response = rpc(app, '/strict', params)
    error = response.json['error']
    assert error['code'] == -32602
    message = error['data']['message']
    # ten names at most, each cut to 40 characters, then how many more;
    # the missing ones are the handler's own names, shown whole
    assert message.startswith('unexpected parameter(s): 0000xxx')
    assert 'and 991 more; missing parameter(s): a' in message
    assert message.count(', ') == 9
    assert len(message) < 600
    assert len(response.body) < 1000
    # a control character never reaches a reply or a log line raw
    response = rpc(app, '/strict', {'a': 1, 'bad\nname': 0})
    assert response.json['error']['data']['message'] == (
        'unexpected parameter(s): bad\\nname'
    )


def _config(*controllers, settings=None):
    config = make_config(settings)
    for controller in controllers:
        config.add_controller(controller)
    return config


# -- 2. a converter that cannot convert answers 404 -------------------------

HUGE = '9' * 5000  # int() refuses more than 4,300 digits


class Session:
    """The ``request.dbsession`` the documented ``record()`` reads."""

    def get(self, model, id):
        return {'model': model, 'id': id} if id == 1 else None


def documented_record(chapter):
    """The documented fragment of *chapter* defining ``record()``."""
    text = (DOCS / chapter).read_text()
    blocks = [
        code
        for _, _, code in python_blocks(text)
        if 'def record(request, value, model):' in code
    ]
    assert blocks, chapter
    return blocks[0]


@pytest.mark.parametrize('chapter', ['controllers.rst', 'directives.rst'])
def test_documented_record_converter_answers_404(chapter):
    config = make_config()
    config.add_request_method(lambda r: Session(), 'dbsession', reify=True)
    namespace = {
        'config': config,
        'Controller': Controller,
        'route': route,
        'HTTPNotFound': HTTPNotFound,
        'MODELS': {'res.partner': 'Partner'},
    }
    exec(documented_record(chapter), namespace)

    class Partners(Controller):
        @route('/p/<model("res.partner"):partner>', auth='public')
        def partner(self, partner):
            return str(partner['id'])

    config.add_controller(Partners)
    app = make_app(config)
    assert app.get('/p/1').text == '1'
    app.get('/p/2', status=404)
    app.get('/p/' + HUGE, status=404)
    app.get('/p/' + '9' * 19, status=404)  # over a 64-bit column
    if chapter == 'controllers.rst':  # its own Partners, whole
        app.get('/partner/' + HUGE, status=404)


def test_documented_examples_with_numbers_answer_404_or_400():
    tutorial = TestApp(example('step6_controller', 'tutorial').make_app())
    assert tutorial.get('/shop/item/3').text == '<p>Item 3 in black</p>'
    tutorial.get('/shop/item/x', status=404)
    tutorial.get('/shop/item/' + HUGE, status=404)
    config = make_config()
    config.add_controller(example('controllers_shop').Shop)
    shop = make_app(config)
    user = {'X-User': 'ada'}
    assert shop.get('/shop/item/7', headers=user).json['item']['id'] == 7
    shop.get('/shop/item/x', headers=user, status=404)
    grid = TestApp(example('widgets_tw2_port').main({}))
    grid.get('/_widgets/fruit/rows?page=' + HUGE, status=400)
    grid.get('/_widgets/fruit/rows?page=0', status=400)
    assert grid.get('/_widgets/fruit/rows?page=3').json['page'] == 3


@pytest.mark.parametrize(
    ('placeholder', 'error'),
    [
        ("<int(min='5'):n>", "min must be a number or None, not '5'"),
        ('<int(max=True):n>', 'max must be a number or None, not True'),
        ('<float(max=1e400):n>', 'max must be finite, not inf'),
        ('<int(min=9, max=1):n>', 'min (9) is over max (1)'),
        ("<int(signed='no'):n>", "signed must be True or False, not 'no'"),
    ],
)
def test_int_and_float_bounds_are_checked_at_startup(placeholder, error):
    class Numbers(Controller):
        @route('/n/' + placeholder, auth='public')
        def number(self, n):
            return str(n)

    config = make_config()
    config.add_controller(Numbers)
    with pytest.raises(ConfigurationError) as raised:
        make_app(config)
    message = str(raised.value)
    assert error in message
    assert 'Numbers.number' in message
    assert f'{__file__}:' in message  # where the handler is


def test_int_and_float_converters_answer_404_for_huge_values():
    class Numbers(Controller):
        @route('/i/<int(max=99):n>', auth='public')
        def integer(self, n):
            return str(n)

        @route('/f/<float(min=1):n>', auth='public')
        def real(self, n):
            return str(n)

    app = make_app(_config(Numbers))
    assert app.get('/i/99').text == '99'
    app.get('/i/' + HUGE, status=404)
    app.get('/f/' + '9' * 400 + '.0', status=404)  # infinity
    assert app.get('/f/1.5').text == '1.5'


# -- 3. methods and origins no request can match fail at startup ------------


@pytest.mark.parametrize(
    ('options', 'error'),
    [
        (
            {'cors': 'https://a.example/'},
            "cors: 'https://a.example/': an origin is scheme://host[:port] "
            'as browsers send it: lowercase, no path, no trailing slash, no '
            "user; did you mean 'https://a.example'?",
        ),
        (
            {'cors': ['https://b.example', 'https://a.example/app']},
            "did you mean 'https://a.example'?",
        ),
        ({'cors': 'HTTPS://A.example'}, "did you mean 'https://a.example'?"),
        ({'cors': 'https://a.example:443'}, 'the port 443 is the default'),
        ({'cors': 'a.example'}, "did you mean 'https://a.example'?"),
        ({'cors': 'null'}, 'sandboxed pages'),
        ({'cors': 'https://a.example:99999'}, 'from 0 to 65535'),
        ({'cors': 'https://[::1]:443'}, "did you mean 'https://[::1]'?"),
    ],
)
def test_route_options_no_request_matches_are_refused(options, error):
    with pytest.raises(ConfigurationError) as raised:

        class Api(Controller):
            @route('/api', auth='public', **options)
            def api(self):
                return 'api'  # pragma: no cover

    message = str(raised.value)
    assert error in message
    assert 'route() on tests.test_loose_ends.' in message
    assert 'Api.api' in message
    assert f'{__file__}:' in message  # the handler's line


def test_an_origin_with_no_likely_meaning_gets_no_hint():
    with pytest.raises(ConfigurationError) as raised:
        route(cors='https://b\u00fccher.example')(lambda self: None)
    assert str(raised.value).endswith(
        "cors: 'https://b\u00fccher.example': an origin is scheme://host"
        '[:port] as browsers send it: lowercase, no path, no trailing '
        'slash, no user'
    )


def test_route_methods_and_origins_browsers_send_are_served():
    class Api(Controller):
        @route(
            '/api',
            auth='public',
            methods=['get', 'PATCH'],  # upper-cased, as documented
            cors=['https://a.example', 'http://localhost:6543'],
            csrf=False,
        )
        def api(self):
            return 'api'

    app = make_app(_config(Api))
    response = app.get('/api', headers={'Origin': 'https://a.example'})
    assert response.headers['Access-Control-Allow-Origin'] == (
        'https://a.example'
    )
    assert app.patch('/api').text == 'api'
    assert app.post('/api', status=405).headers['Allow'] == (
        'GET, PATCH, HEAD'
    )


@pytest.mark.parametrize('methods', [['GET '], 'G ET', ['GET', 'POST\n']])
def test_a_method_name_no_request_has_is_refused(methods):
    """A space or another character no method name has: the route would
    answer every request 405 (``shared.method_names``)."""
    with pytest.raises(ConfigurationError) as raised:
        route('/api', auth='public', methods=methods)
    assert 'a list of HTTP method names' in str(raised.value)


@pytest.mark.filterwarnings('ignore:Unknown REQUEST_METHOD')  # WebTest's lint
def test_an_application_method_is_served():
    """Methods outside the common ones (Varnish's ``PURGE``, WebDAV's
    ``VERSION-CONTROL``) are an application's to serve."""

    class Cache(Controller):
        @route(
            '/cache',
            auth='public',
            methods=['PURGE', 'version-control'],
            csrf=False,
        )
        def purge(self):
            return 'purged'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Cache)
    app = TestApp(config.make_wsgi_app())
    assert app.request('/cache', method='PURGE').text == 'purged'
    answer = app.request('/cache', method='GET', status=405)
    assert answer.headers['Allow'] == 'PURGE, VERSION-CONTROL'


# -- 4. a cookie's max_age out of range names the cookie -------------------


class Cookies(Controller):
    @route('/cookie', auth='public')
    def cookie(self, age='0', kind='int'):
        ages = {
            'int': lambda: int(age),
            'days': lambda: timedelta(days=int(age)),
            'text': lambda: age,
            'bool': lambda: True,
            'inf': lambda: float('inf'),
        }
        return self.request.make_response(
            'set', cookies={'a': {'value': 'x', 'max_age': ages[kind]()}}
        )


@pytest.mark.parametrize(
    ('query', 'error', 'message'),
    [
        ('age=' + '1' + '0' * 30, ValueError, "'a' (max_age): 1000"),
        ('age=-' + '1' + '0' * 30, ValueError, 'is out of range'),
        ('age=' + '9' * 4000, ValueError, "'a' (max_age): 9999"),
        ('age=3153600001', ValueError, 'at most 3153600000 seconds'),
        ('age=99999999&kind=days', ValueError, 'timedelta(days=99999999)'),
        ('kind=inf', TypeError, "'a' (max_age) must be an int of seconds"),
        ('kind=bool', TypeError, 'or a timedelta, not bool'),
        ('age=10&kind=text', TypeError, 'not str'),
    ],
)
def test_cookie_max_age_out_of_range_names_the_cookie(query, error, message):
    app = make_app(_config(Cookies))
    with pytest.raises(error) as raised:
        app.get('/cookie?' + query)
    text = str(raised.value)
    assert text.startswith("make_response: cookie 'a' (max_age)")
    assert message in text
    assert len(text) < 200  # the value cut


def test_cookie_max_age_in_range_is_set():
    app = make_app(_config(Cookies))
    cookie = app.get('/cookie?age=3153600000').headers['Set-Cookie']
    assert 'Max-Age=3153600000' in cookie
    cookie = app.get('/cookie?age=-1').headers['Set-Cookie']
    assert 'Max-Age=-1' in cookie
    cookie = app.get('/cookie?age=400&kind=days').headers['Set-Cookie']
    assert 'Max-Age=34560000' in cookie


# -- 5. a controller wrapper factory that raises names itself ---------------


def hello(request):
    return Response('hello')


def broken_factory(next_caller, info):
    raise KeyError(info.options['no such option'])


def _wrapped_app(settings=None, **view_options):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    config.add_route('hello', '/hello')
    config.add_view(hello, route_name='hello', **view_options)
    return config


@pytest.mark.parametrize(
    ('wrapper', 'call'),
    [
        ('builtins.len', 'wrapper(next_caller)'),
        ('tests.test_loose_ends.broken_factory', 'wrapper(next_caller, info)'),
    ],
)
def test_a_wrapper_in_the_setting_that_raises_names_itself(wrapper, call):
    config = _wrapped_app({'hooks.controller_wrappers': wrapper})
    with pytest.raises(ConfigurationExecutionError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert message.startswith(
        f"<class 'pyramid.exceptions.ConfigurationError'>: Controller "
        f'wrapper {wrapper} (registered at setting hooks.controller_wrappers)'
        f' raised '
    )
    assert f'when called as {call} for view tests.test_loose_ends.hello' in (
        message
    )
    assert 'remove it from setting hooks.controller_wrappers' in message


def test_a_wrapper_raising_names_its_directive_line_or_the_option():
    config = _wrapped_app()
    config.add_controller_wrapper(len)  # the line named
    line = sys._getframe().f_lineno - 1
    with pytest.raises(ConfigurationExecutionError) as raised:
        config.make_wsgi_app()
    assert f'(registered at {__file__}:{line})' in str(raised.value)
    config = _wrapped_app(controller_wrappers=[len])
    with pytest.raises(ConfigurationExecutionError) as raised:
        config.make_wsgi_app()
    assert (
        'registered at the controller_wrappers= option of the view'
    ) in str(raised.value)


def refusing_factory(next_caller, info):
    raise ConfigurationError('refusing: this wrapper needs a renderer')


def test_a_wrappers_own_configuration_error_passes_unchanged():
    config = _wrapped_app(controller_wrappers=[refusing_factory])
    with pytest.raises(ConfigurationExecutionError) as raised:
        config.make_wsgi_app()
    assert str(raised.value).startswith(
        "<class 'pyramid.exceptions.ConfigurationError'>: refusing: this "
        'wrapper needs a renderer\n'
    )


def test_a_working_wrapper_from_the_setting_still_wraps():
    config = _wrapped_app(
        {'hooks.controller_wrappers': 'tests.test_loose_ends.shouting'}
    )
    assert TestApp(config.make_wsgi_app()).get('/hello').text == 'HELLO'


def shouting(next_caller):
    def call(context, request):
        response = next_caller(context, request)
        response.text = response.text.upper()
        return response

    return call
