"""tw2.dynforms 2.0.1, ported (tests/ports/tw2_dynforms.py): the order
form's growing grid, hiding check box and date picker, validated by the
widget's own ``check`` and redisplayed by its ``redisplay``."""

import datetime
import re

import pytest
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import always_allow
from tests.ports.tw2_dynforms import OrderForm

TODAY = datetime.date(2026, 12, 8)


def make_app(store=None, **kw):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    form = OrderForm(
        id='order',
        store={} if store is None else store,
        callback_authorization=always_allow,
        today=lambda: TODAY,
        **kw,
    )
    config.add_widget(form)
    return TestApp(config.make_wsgi_app())


def post(app, **fields):
    page = app.get('/_widgets/order/form')
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    return app.post('/_widgets/order/save', {'csrf_token': token, **fields})


def test_the_form_shows_the_template_row_hidden_and_today():
    page = make_app().get('/_widgets/order/form')
    assert 'action="/_widgets/order/save"' in page.text
    template = '<tr style="display:none;"><td><input type="text" name="items:0'
    assert template in page.text
    assert 'name="items:1:code"' in page.text  # the row to grow from
    assert 'name="items:2:code"' not in page.text
    assert 'value="08/12/2026"' in page.text
    assert '<tr id="address:container" style="display:none;">' in page.text
    assert 'onsubmit="twd_blank_deleted()"' in page.text
    assert 'twd_no_multi_submit' in page.text


def test_deleted_and_blank_rows_are_dropped_and_the_order_saved():
    store = {}
    app = make_app(store)
    res = post(
        app,
        name='Order 1',
        due='24/12/2026',
        **{
            'items:0:code': '',
            'items:0:description': '',  # template
            'items:1:code': 'Red',
            'items:1:description': ' paint ',
            'items:2:code': 'Blue',
            'items:2:del.x': '3',
            'items:2:del.y': '4',
            'items:3:code': '',
            'items:3:description': '  ',
            'items:4:code': 'Green',
        },
    )
    assert res.status_int == 302
    assert res.location.endswith('/_widgets/order/form?id=1')
    assert store['1'] == {
        'id': '1',
        'name': 'Order 1',
        'delivery': False,
        'address': None,
        'due': datetime.date(2026, 12, 24),
        'items': [
            {'code': 'Red', 'description': 'paint'},
            {'code': 'Green', 'description': ''},
        ],
    }
    page = res.follow()
    assert 'value="24/12/2026"' in page.text
    assert 'name="items:2:code" id="items:2:code" value="Green"' in page.text


def test_a_hidden_control_is_not_validated_a_shown_one_is():
    store = {}
    app = make_app(store)
    assert post(app, name='n', due='01/01/2027').status_int == 302
    page = post(app, name='n', due='01/01/2027', delivery='on')
    assert page.status_int == 200
    assert '<tr id="address:container"><th>address</th>' in page.text
    assert '<span class="error">Enter a value</span>' in page.text
    post(app, name='n', due='01/01/2027', delivery='on', address='Here')
    assert store['2']['address'] == 'Here'


def test_errors_redisplay_what_was_typed():
    page = post(
        make_app(),
        name='Kept',
        due='31/02/2027',
        **{'items:5:code': 'Pink', 'items:5:description': 'kept too'},
    )
    assert page.status_int == 200
    assert 'value="Kept"' in page.text
    assert 'value="31/02/2027"' in page.text
    assert 'Must be a date, dd/mm/yyyy' in page.text
    assert (
        'name="items:1:code" id="items:1:code" value="Pink"/>'
        '<span class="error">Invalid code</span>'
    ) in page.text


def test_the_rows_are_bounded_and_a_corrupt_value_refused():
    rows = {f'items:{i}:code': 'Red' for i in range(4)}
    page = post(make_app(max_reps=3), name='n', due='01/01/2027', **rows)
    assert 'At most 3 rows' in page.text
    assert 'value="Red"' not in page.text
    app = make_app()
    page = app.get('/_widgets/order/form')
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    page = app.post(
        '/_widgets/order/save',
        [
            ('csrf_token', token),
            ('name', 'a'),
            ('name', 'b'),
            ('items:1:code', 'Red'),
            ('items:1:code', 'Blue'),
        ],
    )
    assert 'Corrupt value' in page.text
    page = app.post(
        '/_widgets/order/save',
        [
            ('csrf_token', token),
            ('name', 'a'),
            ('due', '01/01/2027'),
            ('items:1:code', 'Red'),
            ('items:1:code', 'Blue'),
        ],
    )
    assert 'Corrupt value' in page.text


def test_a_post_needs_the_csrf_token():
    make_app().post('/_widgets/order/save', {'name': 'x'}, status=400)


@pytest.mark.parametrize(
    'mapping, message',
    [
        ({True: ['nowhere']}, 'does not exist: nowhere'),
        ({True: ['name']}, 'references a preceding widget: name'),
    ],
)
def test_the_mapping_is_checked_when_the_app_is_made(mapping, message):
    with pytest.raises(ValueError, match=message):
        OrderForm(id='order', store={}, mapping=mapping)
