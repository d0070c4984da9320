"""The runnable examples of the documentation (``docs/examples/``), driven
as the chapters that include them say a user sees them."""

import importlib
import re
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from pyramid.config import Configurator
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


# -- docs/widgets.rst, "A first widget" ------------------------------------


def test_widgets_first_widget_tells_the_time():
    app = TestApp(example('widgets_clock').main({}))
    now = app.get('/_widgets/clock/now').text
    assert datetime.fromisoformat(now) <= datetime.now()


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


# -- every example is tested; every other Python block is a fragment --------

TESTED_EXAMPLES = {
    'application_wrappers_example.py',
    'controller_wrappers_example.py',
    'controllers_login.py',
    'controllers_shop.py',
    'controllers_shop_banner.py',
    'porting_odoo_portal.py',
    'porting_turbogears_transaction.py',  # tests/test_wrapper_failure.py
    'validation_search.py',
    'widgets_clock.py',
    'widgets_tw2_port.py',
    *(f'tutorial/{step}.py' for step in ALL_STEPS),
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
