"""The runnable examples of the documentation (``docs/examples/``), driven
as the chapters that include them say a user sees them."""

import importlib
import re
import sys
from pathlib import Path

import pytest
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
