"""The runnable examples of the documentation (``docs/examples/``), driven
as the chapters that include them say a user sees them."""

import importlib
import importlib.util
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import types
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest
from pyramid.config import Configurator
from pyramid.threadlocal import get_current_request
from webtest import TestApp

EXAMPLES = Path(__file__).resolve().parent.parent / 'docs' / 'examples'


def example(name, folder='.'):
    """Import the example module *name* from ``docs/examples/<folder>``
    (as ``python <file>`` run from that folder would find its siblings)."""
    path = str(EXAMPLES / folder)
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(name)


def tutorial_app(step, settings=None):
    return TestApp(example(step, 'tutorial').make_app(settings))


# -- docs/tutorial.rst ------------------------------------------------------

ALL_STEPS = [
    'step1_listener',
    'step2_validator',
    'step3_controller_wrapper',
    'step4_application_wrapper',
    'step5_widget',
    'step6_controller',
]


@pytest.mark.parametrize('step', ALL_STEPS)
def test_tutorial_step1_listener_adds_the_footer(step):
    """Step 1's listener keeps running in every later step."""
    response = tutorial_app(step).get('/hello?name=Ada')
    assert response.json == {
        'message': 'Hello, Ada!',
        'footer': 'served by the tutorial app',
    }


@pytest.mark.parametrize('step', ALL_STEPS[1:])
def test_tutorial_step2_validator(step):
    app = tutorial_app(step)
    assert app.get('/greet?name=Grace').json == {
        'message': 'Welcome, Grace!',
        'footer': 'served by the tutorial app',
    }
    refused = app.get(
        '/greet?name=', headers={'Accept': 'application/json'}, status=400
    )
    assert refused.json == {
        'errors': {'name': 'give a name of 1 to 20 characters'},
        'status': 400,
    }
    page = app.get('/greet?name=' + 'x' * 21, status=400)
    assert 'name: give a name of 1 to 20 characters' in page.text


def test_tutorial_step2_view_reads_the_validated_params():
    """The view answers with what ``check_name`` returned
    (``request.hook_params``), not with what the client sent."""
    app = tutorial_app('step2_validator')
    reply = app.get('/greet', {'name': '  Grace '})
    assert reply.json['message'] == 'Welcome, Grace!'


def test_tutorial_controller_handler_gets_validated_params():
    """What the tutorial says of a Controller handler with ``validate=``:
    its keyword arguments are the validator's result."""
    step6 = example('step6_controller', 'tutorial')
    step2 = example('step2_validator', 'tutorial')

    class Greeter(step6.Controller):
        @step6.route(
            '/hi', auth='public', renderer='json', validate=step2.check_name
        )
        def hi(self, name):
            return {'name': name, 'sent': self.request.params['name']}

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Greeter)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hi', {'name': ' Ada '}).json == {
        'name': 'Ada',
        'sent': ' Ada ',
    }


def test_tutorial_step1_has_no_greet_view():
    tutorial_app('step1_listener').get('/greet?name=Ada', status=404)


@pytest.mark.parametrize('step', ALL_STEPS[2:])
def test_tutorial_step3_controller_wrapper_times_views(step):
    app = tutorial_app(step)
    timing = app.get('/hello').headers['Server-Timing']
    assert re.fullmatch(r'view;dur=\d+\.\d\d', timing)
    assert (
        'Server-Timing'
        not in tutorial_app('step2_validator').get('/hello').headers
    )


# the pages of the later steps whose views return a response of their own
OWN_RESPONSES = [
    ('step5_widget', '/'),
    ('step5_widget', '/_widgets/names/suggest?q=g'),
    ('step6_controller', '/'),
    ('step6_controller', '/_widgets/names/suggest?q=g'),
    ('step6_controller', '/shop'),
    ('step6_controller', '/shop/item/3'),
]


@pytest.mark.parametrize(('step', 'page'), OWN_RESPONSES)
def test_tutorial_step3_times_views_that_return_a_response(step, page):
    """ "Every view's response now has a Server-Timing header": also the
    page, the widget callback and the controller handlers of the later
    steps, which return responses of their own, not request.response."""
    timing = tutorial_app(step).get(page).headers.get('Server-Timing', '')
    assert re.fullmatch(r'view;dur=\d+\.\d\d', timing)


@pytest.mark.parametrize('step', ALL_STEPS[3:])
def test_tutorial_step4_application_wrappers(step):
    app = tutorial_app(step)
    assert app.get('/hello').headers['X-Powered-By'] == 'pyramid_hooks'
    not_found = app.get('/nope', status=404)
    assert not_found.headers['X-Powered-By'] == 'pyramid_hooks'
    closed = tutorial_app(step, {'tutorial.maintenance': 'true'})
    response = closed.get('/hello', status=503)
    assert response.text == 'Back soon.'
    assert 'X-Powered-By' not in response.headers


@pytest.mark.parametrize('step', ALL_STEPS[4:])
def test_tutorial_step5_widget_callback(step):
    app = tutorial_app(step)
    page = app.get('/')
    url = re.search(r'const url = "([^"]+)";', page.text).group(1)
    assert url == '/_widgets/names/suggest'
    assert app.get(url, {'q': 'g'}).json == ['Grace', 'Guido']
    assert app.get(url).json == []
    assert app.post(url, status=405).headers['Allow'] == 'GET'
    # under a SCRIPT_NAME the page gives the right URL
    mounted = app.get('/', extra_environ={'SCRIPT_NAME': '/app'})
    assert 'const url = "/app/_widgets/names/suggest";' in mounted.text


def test_tutorial_step6_controller_and_extension():
    app = tutorial_app('step6_controller')
    shop = app.get('/shop')
    assert shop.content_type == 'text/html'
    assert shop.text == '<h1>Shop</h1><p>Today: 10% off everything</p>'
    item = app.get('/shop/item/3?color=red&size=9')
    assert item.text == '<p>Item 3 in red</p>'
    assert app.post('/shop/item/3', status=405).headers['Allow'] == (
        'GET, HEAD'
    )


TUTORIAL_PAGES = {
    'step1_listener': '/hello?name=Ada',
    'step2_validator': '/greet?name=Grace',
    'step3_controller_wrapper': '/hello',
    'step4_application_wrapper': '/hello',
    'step5_widget': '/_widgets/names/suggest?q=a',
    'step6_controller': '/shop',
}


def test_tutorial_shows_each_step_whole():
    """Each step's file is included whole (no excerpt options)."""
    text = (DOCS / 'tutorial.rst').read_text()
    included = re.findall(
        r'^\.\. literalinclude:: examples/tutorial/(\w+)\.py\n'
        r'((?:   :.*\n)*)',
        text,
        re.MULTILINE,
    )
    assert [name for name, _ in included] == ALL_STEPS
    for name, options in included:
        for option in re.findall(r':([\w-]+):', options):
            assert option in ('language', 'emphasize-lines'), (name, option)


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def get_when_up(url, process, attempts=300):
    """GET *url* once the server answers: a bounded number of attempts
    while *process* is alive, then a failure."""
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                return reply.status, reply.read()
        except urllib.error.URLError as e:
            if not isinstance(e.reason, ConnectionError):
                raise
            if process.poll() is not None:
                break
            time.sleep(0.1)
    raise AssertionError(f'{url} never answered')


@pytest.mark.parametrize('step', ALL_STEPS)
def test_tutorial_step_serves_as_a_program(step):
    """``python stepN_....py HOST:PORT`` serves the step (waitress)."""
    address = f'127.0.0.1:{free_port()}'
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / 'tutorial' / f'{step}.py'), address],
        cwd=EXAMPLES / 'tutorial',
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        status, body = get_when_up(
            f'http://{address}{TUTORIAL_PAGES[step]}', process
        )
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert status == 200, errors
    assert body == tutorial_app(step).get(TUTORIAL_PAGES[step]).body


# -- README.rst, "Using it" and docs/hooks.rst, before_render's output ------

README = EXAMPLES.parent.parent / 'README.rst'


def readme_example():
    """Run README's example (its only Python block, kept there because
    PyPI renders no include) and return its names."""
    (block,) = [code for _, _, code in python_blocks(README.read_text())]
    module = types.ModuleType('readme_example')
    module.__file__ = str(README)
    sys.modules[module.__name__] = module  # Configurator() looks it up
    exec(compile(block, str(README), 'exec'), vars(module))
    return vars(module)


def rpc_call(method, params=None):
    call = {'jsonrpc': '2.0', 'method': method, 'id': 1}
    if params is not None:
        call['params'] = params
    return call


def test_readme_example():
    app = TestApp(readme_example()['app'])
    cart = app.get('/shop/cart')
    assert cart.json == {'items': [], 'user': None}
    assert re.fullmatch(r'[0-9a-f]{32}', cart.headers['X-Request-Id'])
    products = app.post_json('/shop/api', rpc_call('products'))
    assert products.json == {
        'jsonrpc': '2.0',
        'id': 1,
        'result': ['tea', 'milk'],
    }


def readme_listener_app(listener):
    """README's pieces with JSON-RPC handlers returning a list and a str."""
    names = readme_example()

    class Api(names['Controller']):
        @names['route']('/api/list', auth='public', type='json')
        def a_list(self):
            return ['tea']

        @names['route']('/api/str', auth='public', type='json')
        def a_str(self):
            return 'tea'

    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('before_render', listener)
    config.add_application_wrapper(names['RequestId'])
    config.add_controller(names['Shop'])
    config.add_controller(Api)
    return TestApp(config.make_wsgi_app())


def test_readme_listener_leaves_json_rpc_results_alone():
    app = readme_listener_app(readme_example()['stamp_user'])
    for url, result in (('/api/list', ['tea']), ('/api/str', 'tea')):
        reply = app.post_json(url, rpc_call('any')).json
        assert reply == {'jsonrpc': '2.0', 'id': 1, 'result': result}
    assert app.get('/shop/cart').json == {'items': [], 'user': None}


def test_a_listener_that_assumes_a_dict_breaks_json_rpc():
    """What docs/hooks.rst warns of: the unchecked listener."""

    def stamp_user(request, params, output):
        output['user'] = request.authenticated_userid

    app = readme_listener_app(stamp_user)
    for url in ('/api/list', '/api/str'):
        reply = app.post_json(url, rpc_call('any')).json
        assert reply['error']['code'] == -32603
    assert app.get('/shop/cart').json == {'items': [], 'user': None}


# -- docs/widgets.rst, "A first widget" ------------------------------------


def test_widgets_first_widget_tells_the_time():
    app = TestApp(example('widgets_clock').main({}))
    now = app.get('/_widgets/clock/now').text
    assert datetime.fromisoformat(now) <= datetime.now()


def test_widgets_first_widget_serves_as_a_program():
    """The chapter shows ``main()`` only: it says how to serve it, and
    ``python widgets_clock.py HOST:PORT`` does."""
    assert '``python widgets_clock.py``' in (DOCS / 'widgets.rst').read_text()
    for chapter in CHAPTERS:  # waitress comes with the demo only
        text = re.sub(r'\s+', ' ', chapter.read_text())
        if re.search(r'``python \w+\.py', text):
            assert '``pip install waitress`` first' in text, chapter.name
    address = f'127.0.0.1:{free_port()}'
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / 'widgets_clock.py'), address],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        status, body = get_when_up(
            f'http://{address}/_widgets/clock/now', process
        )
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert status == 200, errors
    assert datetime.fromisoformat(body.decode()) <= datetime.now()


# -- docs/widgets.rst, "Porting from ToscaWidgets 2" -------------------------


def test_widgets_tw2_port_grid_and_jsonp_lookup():
    app = TestApp(example('widgets_tw2_port').main({}))
    rows = app.get('/_widgets/fruit/rows?page=3')
    assert rows.content_type == 'application/json'
    assert rows.json == {
        'page': 3,
        'total': 3,
        'records': 7,
        'rows': [{'id': 7, 'cell': ['grape']}],
    }
    assert app.get('/_widgets/fruit/rows').json['rows'][0] == {
        'id': 1,
        'cell': ['apple'],
    }
    for page in ('0', 'x', '\u0663', '1000'):
        app.get('/_widgets/fruit/rows', {'page': page}, status=400)
    app.post('/_widgets/fruit/rows', status=405)
    # what jQuery's $.ajax({dataType: 'jsonp', data: {term: 'b'}}) sends
    jsonp = app.get(
        '/_widgets/fruit/lookup',
        {'term': 'b', 'callback': 'jQuery3710_17', '_': '1733'},
    )
    assert jsonp.content_type == 'application/javascript'
    assert jsonp.text == '/**/jQuery3710_17(["banana"]);'
    plain = app.get('/_widgets/fruit/lookup?term=d')
    assert (plain.content_type, plain.json) == ('application/json', ['date'])


def test_widgets_tw2_port_app_wide_listeners_and_wrappers_apply():
    """The tw2 table: the application's app-wide listeners and wrappers
    run for a callback, which a tw2 controller never saw; the opt-outs it
    gives work."""
    module = example('widgets_tw2_port')
    wrapped = []

    def stamp_user(request, params, output):
        if isinstance(output, dict):
            output['user'] = None

    def add_menu(request, params, output):
        if request.matched_route.name != 'pyramid_hooks.widgets':
            output['menu'] = []

    def timing(next_caller, info):
        if info.route_name == 'pyramid_hooks.widgets':
            return next_caller

        def call(context, request):
            wrapped.append(request.path)
            return next_caller(context, request)

        return call

    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('before_render', stamp_user)
    config.register_hook('before_render', add_menu)
    config.add_controller_wrapper(timing)
    config.add_renderer('jsonp', module.JSONP(param_name='callback'))
    config.add_widget(
        module.FruitGrid(
            id='fruit', callback_authorization=module.always_allow
        )
    )
    config.add_route('home', '/')
    config.add_view(lambda request: {}, route_name='home', renderer='json')
    app = TestApp(config.make_wsgi_app())
    rows = app.get('/_widgets/fruit/rows?page=3').json
    assert rows['user'] is None
    assert 'menu' not in rows
    assert app.get('/').json == {'user': None, 'menu': []}
    assert wrapped == ['/']


# -- docs/application_wrappers.rst -------------------------------------------


def test_application_wrappers_server_timing():
    app = TestApp(example('application_wrappers_example').make_app())
    response = app.get('/')
    assert response.text == 'Hello'
    assert re.fullmatch(r'app;dur=\d+\.\d', response.headers['Server-Timing'])
    not_found = app.get('/nope', status=404)
    assert not_found.headers['Server-Timing'].startswith('app;dur=')


def test_application_wrappers_maintenance():
    module = example('application_wrappers_example')
    app = TestApp(module.make_app({'maintenance': 'on', 'timing.metric': 'm'}))
    response = app.get('/', status=503)
    assert response.text == 'Back soon'
    assert 'Server-Timing' not in response.headers  # Maintenance is outside


# -- docs/controller_wrappers.rst, docs/porting_turbogears.rst --------------


def test_controller_wrappers_timing_logs(caplog):
    app = TestApp(example('controller_wrappers_example').make_app())
    with caplog.at_level('INFO', logger='controller_wrappers_example'):
        app.get('/status')
    assert re.fullmatch(r'status took \d+\.\d{3}s', caplog.messages[-1])


def test_controller_wrappers_api_only():
    app = TestApp(example('controller_wrappers_example').make_app())
    assert app.get('/api/status').json == {'status': 'ok', 'api_version': 2}
    assert app.get('/status').json == {'status': 'ok'}


def test_controller_wrappers_cached():
    app = TestApp(example('controller_wrappers_example').make_app())
    first = app.get('/report').json
    assert app.get('/report').json == first
    assert app.get('/report?fresh=1').json != first


def test_controller_wrappers_cached_is_bounded():
    module = example('controller_wrappers_example')
    config = Configurator()
    config.include('pyramid_hooks')
    counter = iter(range(1000))
    config.add_route('count', '/count')
    config.add_view(
        lambda request: {'n': next(counter)},
        route_name='count',
        renderer='json',
        controller_wrappers=[module.cached(60, max_entries=2)],
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/count?a').json == {'n': 0}
    assert app.get('/count?b').json == {'n': 1}
    assert app.get('/count?a').json == {'n': 0}  # cached
    assert app.get('/count?c').json == {'n': 2}  # full: emptied first
    assert app.get('/count?a').json == {'n': 3}


def test_controller_wrappers_cached_result_is_not_changed_by_listeners():
    """A ``before_render`` listener that changes the output in place (as
    README's ``stamp_user`` does) changes a copy, not the cached value."""
    module = example('controller_wrappers_example')

    def stamp(request, params, output):
        output.setdefault('seen_by', []).append(request.params.get('u'))

    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('before_render', stamp)
    config.add_route('report', '/report')
    config.add_view(
        lambda request: {'n': 1},
        route_name='report',
        renderer='json',
        controller_wrappers=[module.cached(60)],
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/report?u=a').json == {'n': 1, 'seen_by': ['a']}
    assert app.get('/report?u=a').json == {'n': 1, 'seen_by': ['a']}


# -- docs/validation.rst ------------------------------------------------------


def test_validation_search():
    app = TestApp(example('validation_search').make_app())
    assert app.get('/search?page=2').json == {'page': 2, 'results': []}
    refused = app.get(
        '/search?page=two', headers={'Accept': 'application/json'}, status=400
    )
    assert refused.json == {
        'errors': {'page': 'must be a number'},
        'status': 400,
    }


#: query values that once made the examples calling int() answer 500:
#: not a number, over int()'s 4,300 digits, not ASCII, repeated (a list)
BAD_PAGES = ('page=x', 'page=' + '9' * 5000, 'page=%C2%B2', 'page=1&page=2')


def test_validation_search_bad_pages_are_400():
    app = TestApp(example('validation_search').make_app())
    for query in BAD_PAGES:
        refused = app.get(
            f'/search?{query}',
            headers={'Accept': 'application/json'},
            status=400,
        )
        assert refused.json['errors'] == {'page': 'must be a number'}


def test_validation_error_handler():
    app = TestApp(example('validation_search').make_app())
    assert app.get('/search/form').json == {'errors': {}, 'results': ['...']}
    again = app.get('/search/form?page=two', status=422)
    assert again.json == {
        'errors': {'page': 'must be a number'},
        'results': [],
    }


# -- docs/controllers.rst ----------------------------------------------------


def test_controllers_shop():
    app = TestApp(example('controllers_shop').make_app())
    assert app.get('/shop?page=2').text == '<h1>Shop, page 2</h1>'
    app.get('/shop/item/3', status=403)  # auth='user', nobody logged in
    reply = app.post_json(
        '/shop/api',
        {
            'jsonrpc': '2.0',
            'method': 'price',
            'params': {'item_id': 7},
            'id': 1,
        },
    )
    assert reply.json == {'jsonrpc': '2.0', 'id': 1, 'result': 12.5}


def test_controllers_shop_bad_pages_are_400():
    app = TestApp(example('controllers_shop').make_app())
    for query in (*BAD_PAGES, 'page=0'):
        refused = app.get(f'/shop?{query}', status=400)
        assert 'page must be a page number' in refused.text


def test_controllers_shop_with_banner():
    app = TestApp(example('controllers_shop_banner').make_app())
    assert app.get('/shop').text == (
        '<p>Free delivery this week</p><h1>Shop, page 1</h1>'
    )


def csrf_token(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_controllers_login_recipe():
    module = example('controllers_login')
    app = TestApp(module.make_app({'session.secret': 's' * 64}))
    # before logging in: the forbidden view sends the visitor to /login
    assert app.get('/account', status=303).location.endswith('/login')
    form = app.get('/login')
    token = csrf_token(form)
    credentials = {'login': 'ada', 'password': 'correct horse'}
    app.post('/login', credentials, status=400)  # no CSRF token
    app.post('/login', dict(credentials, csrf_token='forged'), status=400)
    wrong = app.post('/login', {'login': 'ada', 'csrf_token': token})
    assert 'Wrong login or password.' in wrong.text
    assert app.get('/account', status=303).location.endswith('/login')
    done = app.post('/login', dict(credentials, csrf_token=token), status=303)
    assert done.location.endswith('/account')
    account = app.get('/account')
    assert 'Logged in as ada.' in account.text
    new_token = csrf_token(account)
    assert new_token != token  # a new token after the login
    app.post('/logout', {'csrf_token': token}, status=400)  # the old one
    app.post('/logout', {'csrf_token': new_token}, status=303)
    assert app.get('/account', status=303).location.endswith('/login')


# -- docs/porting_odoo.rst ---------------------------------------------------


class HeaderSecurityPolicy:
    """A security policy for the test: the user named by a header."""

    def identity(self, request):
        return request.headers.get('X-Test-User')

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        return self.identity(request) is not None


def test_porting_odoo_portal():
    module = example('porting_odoo_portal')
    TestApp(module.make_app()).get('/my/orders', status=403)  # no policy
    config = Configurator()
    config.set_security_policy(HeaderSecurityPolicy())
    config.include('pyramid_hooks')
    config.include(module.includeme)
    app = TestApp(config.make_wsgi_app())
    app.get('/my/orders', status=403)
    user = {'X-Test-User': 'ada'}
    assert app.get('/my/orders?page=2', headers=user).json == {
        'page': 2,
        'orders': ['SO001', 'SO002', 'SO003'],
        'banner': True,
    }
    call = {'jsonrpc': '2.0', 'method': 'count', 'id': 1}
    assert app.post_json('/my/orders/count', call, headers=user).json == {
        'jsonrpc': '2.0',
        'id': 1,
        'result': 3,
    }
    refused = app.post_json('/my/orders/count', call).json
    assert refused['error']['code'] == -32001
    for query in BAD_PAGES:
        bad = app.get(f'/my/orders?{query}', headers=user, status=400)
        assert 'page must be a page number' in bad.text


def cart_call(app, url, params):
    return app.post_json(url, rpc_call('call', params)).json  # as Odoo's


def test_porting_odoo_unknown_params():
    """With ``**kw`` the handler takes what it does not name, as Odoo;
    without, a parameter it cannot take is -32602."""
    app = TestApp(example('porting_odoo_request').make_app())
    sent = {'product_id': 1, 'add_qty': 2, 'display': True}
    reply = cart_call(app, '/shop/cart/update_json', sent)
    assert reply['result'] == {'quantity': 2, 'amount': '5.00 EUR'}
    refused = cart_call(app, '/shop/cart/price', sent)
    assert refused['error']['code'] == -32602
    assert 'result' not in refused


def test_porting_odoo_current_request():
    module = example('porting_odoo_request')
    app = TestApp(module.make_app({'shop.currency': 'CHF'}))
    reply = cart_call(app, '/shop/cart/price', {'product_id': 2})
    assert reply['result'] == '4.00 CHF'
    # outside a request (at import, in a script): no current request
    with pytest.raises(RuntimeError, match='needs a request'):
        module.price_label_of_current_request(1.0)


def test_porting_odoo_no_current_request_in_a_thread_of_yours():
    """What the chapter says: a thread started during a request does not
    see it."""
    seen = {}

    def view(request):
        seen['view'] = get_current_request()
        worker = threading.Thread(
            target=lambda: seen.setdefault('thread', get_current_request())
        )
        worker.start()
        worker.join()
        return 'ok'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('home', '/')
    config.add_view(view, route_name='home', renderer='string')
    TestApp(config.make_wsgi_app()).get('/')
    assert seen['view'] is not None
    assert seen['thread'] is None
    assert get_current_request() is None  # after the request


# -- docs/porting_turbogears.rst, "tg.config, app_globals and context" ----


def test_porting_turbogears_context():
    module = example('porting_turbogears_context')
    settings = {'site.name': 'Tea shop', 'site.debug': 'true'}
    about = TestApp(module.make_app(settings)).get('/about')
    assert about.json == {'site': 'Tea shop', 'debug': True, 'path': '/about'}
    assert about.headers['X-Served-By'] == 'Tea shop'
    # one application's globals are not another's
    other = TestApp(module.make_app()).get('/about')
    assert other.json['site'] == 'My site'
    assert other.headers['X-Served-By'] == 'My site'


# -- docs/porting_turbogears.rst, "A RootController" ----------------------


def test_porting_turbogears_root_controller():
    app = TestApp(example('porting_turbogears_root').make_app())
    index = app.get('/')
    assert index.json == {'page': 'index'}
    saved = app.get('/save?age=3')
    assert saved.json == {'saved': 3}  # the handler got the validated int
    refused = app.get('/save?age=x', status=422)
    assert refused.json == {'errors': {'age': 'Please enter an integer value'}}
    for response in (index, saved, refused):  # _after ran, once
        assert re.fullmatch(r'\d+\.\d{4}', response.headers['X-Elapsed'])
    for page in ('/save', '/save?age=1&age=2', '/save?age=' + '9' * 5000):
        app.get(page, status=422)


def test_porting_turbogears_before_and_after_run_once():
    """``_before`` (before_validate) and ``_after`` (after_render), each
    registered once for the class, run once per request, on the error
    handler's path too (the handler is a method of the class), also when
    the handler is a route of the class as well (TurboGears'
    ``error_handler=index``)."""
    module = example('porting_turbogears_root')
    calls = []

    def before(request, params):
        calls.append('before')

    def after(request, response):
        calls.append('after')

    config = Configurator()
    config.include('pyramid_hooks')
    root = module.RootController
    config.register_hook('before_validate', before, view=root)
    config.register_hook('after_render', after, view=root)
    config.add_controller(root)

    from pyramid_hooks.controllers import Controller, route

    class Again(Controller):  # the error handler is a route too
        @route('/again', auth='public', renderer='json')
        def form(self):
            return {'errors': getattr(self.request, 'validation_errors', {})}

        @route(
            '/again/save',
            auth='public',
            renderer='json',
            validate=module.check_age,
            error_handler=form,
        )
        def save_again(self, age):
            return {'saved': age}

    config.register_hook('before_validate', before, view=Again)
    config.register_hook('after_render', after, view=Again)
    config.add_controller(Again)
    app = TestApp(config.make_wsgi_app())
    for page, status in (
        ('/', 200),
        ('/save?age=1', 200),
        ('/save', 422),
        ('/again', 200),
        ('/again/save?age=2', 200),
        ('/again/save', 200),  # the form, with the errors
    ):
        del calls[:]
        app.get(page, status=status)
        assert calls == ['before', 'after'], page


def test_porting_turbogears_errors_of_a_verbatim_port():
    """The errors porting_turbogears.rst quotes for TurboGears code left
    as it was: ``notify(name, args=...)`` and a wrapper's four-parameter
    ``call``."""

    def timing(next_caller):
        def call(config, controller, remainder, params):
            return next_caller(config, controller, remainder, params)

        return call

    def view(request):
        request.hooks.notify('user_created', args=('bob',))
        return {}

    def make(*wrappers):
        config = Configurator()
        config.include('pyramid_hooks')
        for wrapper in wrappers:
            config.add_controller_wrapper(wrapper)
        config.add_route('home', '/')
        config.add_view(view, route_name='home', renderer='json')
        return TestApp(config.make_wsgi_app())

    with pytest.raises(TypeError) as notified:
        make().get('/')
    assert str(notified.value).endswith(  # its qualified name since 3.10
        "notify() got an unexpected keyword argument 'args'"
    )
    # the wrapper's call is refused when the application is made, naming
    # the wrapper and the fix, not a TypeError on each request
    from pyramid.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError) as called:
        make(timing)
    message = str(called.value)
    assert 'Controller wrapper ' in message
    assert 'timing.<locals>.call for view ' in message
    assert (
        'which cannot be called as call(context, request) (missing a '
        "required argument: 'remainder'): make it call(context, request)"
    ) in message


# -- docs/controllers.rst, "Hooks, validation and wrappers" --------------


def test_controllers_validator_sees_the_handlers_parameters():
    """On an http route the validator sees the parameters the handler
    accepts only: ``confirm`` reaches it when the handler takes it (or
    ``**kw``)."""
    from pyramid_hooks import Controller, Invalid, route

    def check(request, params):
        if params.get('password') != params.get('confirm'):
            raise Invalid({'confirm': 'the passwords differ'})
        return params

    class Signup(Controller):
        @route('/narrow', auth='public', renderer='json', validate=check)
        def narrow(self, password):
            return {}

        @route('/wide', auth='public', renderer='json', validate=check)
        def wide(self, password, **kw):
            return kw

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Signup)
    app = TestApp(config.make_wsgi_app())
    form = '?password=tea&confirm=tea'
    app.get('/narrow' + form, status=400)  # confirm was not in params
    assert app.get('/wide' + form).json == {'confirm': 'tea'}


# -- docs/testing.rst: its example tests, run as they are ----------------

TESTING_MODULES = ('test_notes_app', 'test_notes_units')


def chapter_tests():
    """Every ``test_*`` function of the chapter's test modules."""
    for name in TESTING_MODULES:
        module = example(name, 'testing')
        for attribute, value in vars(module).items():
            if attribute.startswith('test_') and callable(value):
                yield pytest.param(value, id=f'{name}.{attribute}')


@pytest.mark.parametrize('test', list(chapter_tests()))
def test_testing_chapter(test):
    test()


def test_testing_chapter_tests_are_collected():
    assert len(list(chapter_tests())) == 14


# -- docs/installation.rst: the extras --------------------------------------


def test_installation_lists_every_extra():
    """Each extra of pyproject.toml is in "Extras", installed from a
    checkout; no chapter installs the package from an index, where it is
    not."""
    pyproject = (EXAMPLES.parent.parent / 'pyproject.toml').read_text()
    extras = pyproject.split('[project.optional-dependencies]\n')[1]
    extras = extras.split('\n[')[0]
    names = re.findall(r'^(\w+) = \[', extras, re.MULTILINE)
    assert 'toolbar' in names
    text = (DOCS / 'installation.rst').read_text()
    for name in names:
        assert f'``pip install -e ".[{name}]"``' in text, name
    for chapter in DOCS.glob('*.rst'):
        assert 'install pyramid_hooks' not in chapter.read_text(), chapter
        assert "install 'pyramid_hooks[" not in chapter.read_text(), chapter


def test_installation_ini_for_a_module_that_is_no_distribution(tmp_path):
    """``use = egg:myapp`` needs a distribution with an entry point, which
    a first try has not: the chapter shows ``use = call:myapp:main``, and
    that ini file, with the chapter's ``main()``, loads and serves."""
    import plaster
    from pyramid.paster import get_app

    from pyramid_hooks.interfaces import IHooksSettings

    text = (DOCS / 'installation.rst').read_text()
    ini = re.search(
        r'::\n\n((?:    .*\n|\n)*?    use = call:myapp:main\n'
        r'(?:    .*\n|\n)*?)(?=\S)',
        text,
    )
    assert ini, 'no ini file with use = call:myapp:main'
    (tmp_path / 'development.ini').write_text(textwrap.dedent(ini.group(1)))
    setup = text.split('.. code-block:: python\n', 1)[1].split('\nor in')[0]
    (tmp_path / 'myapp.py').write_text(textwrap.dedent(setup))
    sys.path.insert(0, str(tmp_path))
    try:
        app = get_app(str(tmp_path / 'development.ini'))
        loader = plaster.get_loader(str(tmp_path / 'development.ini'))
        assert callable(loader.get_wsgi_server())
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop('myapp', None)
    assert app.registry.queryUtility(IHooksSettings) is not None


# -- every example is tested; every other Python block is a fragment --------

TESTED_EXAMPLES = {
    'application_wrappers_example.py',
    'controller_wrappers_example.py',
    'controllers_login.py',
    'controllers_shop.py',
    'controllers_shop_banner.py',
    'porting_odoo_portal.py',
    'porting_turbogears_transaction.py',  # tests/test_wrapper_failure.py
    'porting_odoo_request.py',
    'porting_turbogears_context.py',
    'porting_turbogears_root.py',
    'validation_search.py',
    'widgets_clock.py',
    'widgets_tw2_port.py',
    *(f'tutorial/{step}.py' for step in ALL_STEPS),
    'testing/notes_app.py',
    *(f'testing/{name}.py' for name in TESTING_MODULES),
}


def test_every_example_file_is_tested():
    found = {
        path.relative_to(EXAMPLES).as_posix()
        for path in EXAMPLES.rglob('*.py')
    }
    assert found == TESTED_EXAMPLES


def python_blocks(text):
    """(line, caption, code) of each ``.. code-block:: python``."""
    lines = text.split('\n')
    for number, line in enumerate(lines):
        found = re.match(r'( *)\.\. code-block:: python\s*$', line)
        if not found:
            continue
        indent = len(found.group(1))
        body = []
        for following in lines[number + 1 :]:
            if following.strip() and (
                len(following) - len(following.lstrip()) <= indent
            ):
                break
            body.append(following)
        options = [b.strip() for b in body if b.strip().startswith(':')]
        caption = next(
            (
                o[len(':caption:') :].strip()
                for o in options
                if o.startswith(':caption:')
            ),
            None,
        )
        code = '\n'.join(b for b in body if not b.strip().startswith(':'))
        yield number + 1, caption, textwrap.dedent(code)


DOCS = EXAMPLES.parent
# installation.rst is left to the installation chapter's own work (its setup
# block is to be marked a fragment there).
CHAPTERS = sorted(
    path for path in DOCS.glob('*.rst') if path.name != 'installation.rst'
)


@pytest.mark.parametrize('chapter', CHAPTERS, ids=lambda path: path.name)
def test_python_blocks_are_marked_fragments(chapter):
    """A complete program belongs in docs/examples/ (included, and run
    above); a block written inline is a fragment and says so."""
    for line, caption, code in python_blocks(chapter.read_text()):
        where = f'{chapter.name}:{line}'
        assert caption and caption.lower().startswith('fragment'), where
        compile(code, where, 'exec')  # at least it is Python


def shown_excerpts():
    """(chapter, file, code) of each ``literalinclude`` of a Python file
    as the chapter shows it (``:start-at:``, ``:end-before:``,
    ``:prepend:``) when what it shows starts with its imports."""
    directive = re.compile(
        r'^\.\. literalinclude:: (\S+\.py)\n((?:   [ :].*\n)*)', re.MULTILINE
    )
    for chapter in CHAPTERS:
        for found in directive.finditer(chapter.read_text()):
            options, name = {}, None
            for line in found.group(2).splitlines():
                option = re.match(r'   :([\w-]+):(?: (.*))?$', line)
                if option:
                    name = option.group(1)
                    options[name] = option.group(2) or ''
                else:  # a continuation line of the option above
                    options[name] += '\n' + line.strip()
            if 'pyobject' in options:  # one class or function, on purpose
                continue
            path = (DOCS / found.group(1)).resolve()
            lines = path.read_text().splitlines()
            if 'start-at' in options:
                start = [options['start-at'] in line for line in lines]
                lines = lines[start.index(True) :]
            if 'end-before' in options:
                end = [options['end-before'] in line for line in lines]
                lines = lines[: end.index(True)]
            lines = options.get('prepend', '').splitlines() + lines
            if lines[0].startswith(('import ', 'from ')):
                yield pytest.param(
                    path, '\n'.join(lines), id=f'{chapter.name}:{path.name}'
                )


@pytest.mark.parametrize(('path', 'code'), list(shown_excerpts()))
def test_excerpts_with_their_imports_run_as_shown(path, code, tmp_path):
    """An excerpt that shows its imports is copied as a whole: it must
    import and define everything it uses (``@cached`` of
    porting_turbogears.rst named ``view_config`` without its import)."""
    copied = tmp_path / 'copied.py'
    copied.write_text(code)
    sys.path.insert(0, str(path.parent))  # an example's sibling modules
    try:
        spec = importlib.util.spec_from_file_location('copied', copied)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    finally:
        sys.path.remove(str(path.parent))
