"""Odoo 16's website_sale cart JSON routes and website_sale_loyalty's
override, ported (tests/ports/odoo_website_sale_cart.py), over dict-backed
``sale.order``, products and pricelists, the cart kept in Pyramid's
session as Odoo keeps it in its own."""

import pytest
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import route
from tests.ports.odoo_fakes import Record, include_model_converter, make_env
from tests.ports.odoo_website_sale_cart import WebsiteSale, WebsiteSaleLoyalty


class Line(Record):
    def unlink(self):
        self.order.order_line.remove(self)


class SaleOrder(Record):
    """``sale.order`` as the cart: ``_cart_update`` adds, sets or removes
    a product's line; the automatic reward (a 10% discount line) comes
    back after every update unless the context says a deletion."""

    context = {}

    def __bool__(self):
        return self.id is not None

    def _line(self, **values):
        line = Line(id=next(self.line_ids), order=self, **values)
        self.order_line.append(line)
        return line

    def _cart_update(self, product_id, line_id=None, add_qty=None,
                     set_qty=None, **kwargs):  # fmt: skip
        self.received = kwargs
        product = self.env['product.product'].browse(product_id)
        wanted = [ln for ln in self.order_line if ln.id == line_id] or [
            ln for ln in self.order_line if ln.product == product
        ]
        line = wanted[0] if wanted else None
        if line is None:
            line = self._line(product=product, qty=0, reward=False)
        quantity = line.qty + (add_qty or 1) if set_qty is None else set_qty
        if quantity <= 0:
            line.unlink()
        else:
            line.qty = quantity
        if not self.context.get('website_sale_loyalty_delete'):
            self._auto_apply_rewards()
        return {'line_id': line.id, 'quantity': max(quantity, 0),
                'option_ids': [], 'warning': ''}  # fmt: skip

    def _auto_apply_rewards(self):
        if self.order_line and not any(ln.reward for ln in self.order_line):
            self._line(product=None, qty=1, reward=True)

    @property
    def cart_quantity(self):
        return sum(ln.qty for ln in self.order_line if not ln.reward)

    @property
    def amount_total(self):
        total = sum(ln.qty * ln.product.price for ln in self.order_line
                    if not ln.reward)  # fmt: skip
        if any(ln.reward for ln in self.order_line):
            total = total * 0.9
        return round(total, 2)


class Website:
    """``request.website``: the cart is the order named by the session's
    ``sale_order_id``; ``with_context`` gives a website whose orders see
    that context."""

    def __init__(self, request, context=None):
        self.request = request
        self.context = context or {}

    def with_context(self, **context):
        return Website(self.request, {**self.context, **context})

    def sale_get_order(self, force_create=False, update_pricelist=False):
        session = self.request.session
        orders = self.request.env['sale.order']
        order = orders.browse(session.get('sale_order_id'))
        if order is None and force_create:
            order = orders.create({'state': 'draft', 'order_line': [],
                                   'currency_id': EUR,
                                   'pricelist_id': None})  # fmt: skip
            session['sale_order_id'] = order.id
        if order is None:  # Odoo: an empty recordset
            return SaleOrder(id=None, order_line=[])
        if order:
            order.context = self.context
            if update_pricelist:
                order.pricelist_id = session.get('website_sale_current_pl')
        return order

    def sale_reset(self):
        self.request.session['sale_order_id'] = None

    def is_pricelist_available(self, pricelist_id):
        return pricelist_id in self.request.registry.website_pricelists


EUR = Record(name='EUR', decimal_places=2)


def qweb(info):
    """A renderer standing for QWeb: the template's name and the cart."""

    def render(values, system):
        order = values['website_sale_order']
        lines = ', '.join(
            f'{ln.product.name} x {ln.qty}'
            for ln in order.order_line
            if not ln.reward
        )
        return f'<{info.name}>{lines}'

    return render


def make_app(controller=WebsiteSale):
    config = Configurator(
        session_factory=SignedCookieSessionFactory('seekrit')
    )
    config.include('pyramid_hooks')
    env = make_env()
    config.registry.odoo_env = env
    config.add_request_method(lambda r: r.registry.odoo_env, 'env', True)
    config.add_request_method(Website, 'website', reify=True)
    config.include(include_model_converter)
    config.add_renderer('.qweb', qweb)
    products = env['product.product']
    products.record_class = type(
        'Product', (Record,), {'_is_add_to_cart_allowed': lambda s: s.sale_ok}
    )
    products.create({'name': 'Tea', 'price': 4.0, 'sale_ok': True})
    products.create({'name': 'Gift card', 'price': 50.0, 'sale_ok': False})
    env['sale.order'].record_class = SaleOrder
    SaleOrder.env = env
    SaleOrder.line_ids = iter(range(1, 1000))
    pricelists = env['product.pricelist']
    pricelists.create({'name': 'Public', 'selectable': True})
    pricelists.create({'name': 'Secret', 'selectable': False})
    config.registry.website_pricelists = {1, 2}
    config.add_controller(controller)
    return TestApp(config.make_wsgi_app()), env


def rpc(app, url, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body).json


def test_adding_to_the_cart_answers_the_cart_and_its_html():
    app, env = make_app()
    result = rpc(app, '/shop/cart/update_json', product_id=1, add_qty=2)
    result = result['result']
    assert result['line_id'] == 1
    assert result['quantity'] == 2
    assert result['cart_quantity'] == 2
    assert result['amount'] == 7.2  # the automatic 10% reward applied
    assert result['minor_amount'] == [720]  # a tuple in Odoo 16: a list
    assert result['website_sale.cart_lines'] == (
        '<website_sale.cart_lines.qweb>Tea x 2'
    )
    assert result['website_sale.short_cart_summary'].startswith(
        '<website_sale.short_cart_summary.qweb>'
    )
    # the cart is the session's: a second call adds to the same order
    again = rpc(app, '/shop/cart/update_json', product_id=1, display=False)
    assert again['result']['cart_quantity'] == 3
    assert 'website_sale.cart_lines' not in again['result']
    assert len(env['sale.order'].records) == 1


def test_the_cart_quantity_is_kept_in_the_session():
    app, _ = make_app()
    rpc(app, '/shop/cart/update_json', product_id=1, set_qty=5)
    assert rpc(app, '/shop/cart/quantity')['result'] == 5


def test_a_new_visitor_has_an_empty_cart():
    app, env = make_app()
    assert rpc(app, '/shop/cart/quantity')['result'] == 0
    assert env['sale.order'].records == {}


def test_removing_the_last_line_resets_the_cart():
    app, _ = make_app()
    rpc(app, '/shop/cart/update_json', product_id=1)
    result = rpc(app, '/shop/cart/update_json', product_id=1, set_qty=0)
    assert result['result'] == {'line_id': 1, 'quantity': 0,
                                'option_ids': [], 'warning': ''}  # fmt: skip
    # a new cart for the next product
    rpc(app, '/shop/cart/update_json', product_id=1)
    assert rpc(app, '/shop/cart/quantity')['result'] == 1


def test_extra_parameters_reach_cart_update_and_force_create():
    app, env = make_app()
    rpc(app, '/shop/cart/update_json', product_id=1)
    order = env['sale.order'].browse(1)
    order.state = 'sale'  # confirmed meanwhile
    assert rpc(app, '/shop/cart/update_json', product_id=1)['result'] == {}
    result = rpc(app, '/shop/cart/update_json', product_id=1,
                 force_create=True, linked_line_id=4)['result']  # fmt: skip
    assert result['cart_quantity'] == 1
    new = env['sale.order'].browse(2)
    assert new.received['force_create'] is True
    assert new.received['linked_line_id'] == 4


def test_a_missing_product_id_is_invalid_params():
    app, _ = make_app()
    reply = rpc(app, '/shop/cart/update_json', add_qty=1)
    assert reply['error']['code'] == -32602
    assert 'product_id' in reply['error']['data']['message']


def test_a_get_is_refused():
    app, _ = make_app()
    refused = app.get('/shop/cart/update_json', status=405)
    assert refused.headers['Allow'] == 'POST'


def test_clear_cart_and_layout_mode():
    app, env = make_app()
    rpc(app, '/shop/cart/update_json', product_id=1, add_qty=3)
    assert rpc(app, '/shop/cart/clear')['result'] is None
    assert env['sale.order'].browse(1).order_line == []
    assert rpc(app, '/shop/save_shop_layout_mode',
               layout_mode='list')['result'] is None  # fmt: skip
    bad = rpc(app, '/shop/save_shop_layout_mode', layout_mode='table')
    assert bad['error']['code'] == -32602
    assert bad['error']['message'] == 'Invalid shop layout mode'


def test_is_add_to_cart_allowed():
    app, _ = make_app()
    url = '/shop/product/is_add_to_cart_allowed'
    assert rpc(app, url, product_id=1)['result'] is True
    assert rpc(app, url, product_id=2)['result'] is False
    assert rpc(app, url, product_id=99)['result'] is False


def test_change_pricelist_through_the_model_converter():
    app, env = make_app()
    rpc(app, '/shop/cart/update_json', product_id=1)
    referer = {'Referer': 'http://localhost/shop/cart'}
    reply = app.get('/shop/change_pricelist/public-1', headers=referer)
    assert reply.location == 'http://localhost/shop/cart'
    assert env['sale.order'].browse(1).pricelist_id == 1
    # not selectable: the cart keeps its pricelist
    assert app.get('/shop/change_pricelist/2').location.endswith('/shop')
    assert env['sale.order'].browse(1).pricelist_id == 1
    app.get('/shop/change_pricelist/7', status=404)


@pytest.mark.parametrize(
    ('controller', 'reward_kept'),
    [(WebsiteSale, True), (WebsiteSaleLoyalty, False)],
)
def test_loyalty_deleting_the_reward_line_keeps_it_deleted(
    controller, reward_kept
):
    app, env = make_app(controller)
    rpc(app, '/shop/cart/update_json', product_id=1, add_qty=2)
    order = env['sale.order'].browse(1)
    reward = next(ln for ln in order.order_line if ln.reward)
    result = rpc(app, '/shop/cart/update_json', product_id=1,
                 line_id=reward.id, set_qty=0)['result']  # fmt: skip
    assert any(ln.reward for ln in order.order_line) is reward_kept
    assert result['amount'] == (7.2 if reward_kept else 8.0)


def test_loyalty_keeps_the_parent_route_options():
    app, _ = make_app(WebsiteSaleLoyalty)
    refused = app.get('/shop/cart/update_json', status=405)
    assert refused.headers['Allow'] == 'POST'
    reply = rpc(app, '/shop/cart/update_json', product_id=1, set_qty=2)
    assert reply['result']['cart_quantity'] == 2
    # **kwargs on the override takes what the parent would refuse; the
    # parent's own call then fails (Odoo: the same TypeError)
    assert rpc(app, '/shop/cart/update_json')['error']['code'] == -32603


def test_calls_of_a_batch_share_the_request():
    """Odoo has no batches: each call has its own request.  Here the calls
    of a batch share one, so the loyalty override's ``request.website``
    (with its context) is the next call's too (porting_odoo.rst)."""
    app, env = make_app(WebsiteSaleLoyalty)
    rpc(app, '/shop/cart/update_json', product_id=1, add_qty=2)
    order = env['sale.order'].browse(1)
    reward = next(ln for ln in order.order_line if ln.reward)
    url = '/shop/cart/update_json'
    calls = [
        {'jsonrpc': '2.0', 'method': 'call', 'id': 1,
         'params': {'product_id': 1, 'line_id': reward.id, 'set_qty': 0}},
        {'jsonrpc': '2.0', 'method': 'call', 'id': 2,
         'params': {'product_id': 1, 'add_qty': 1}},
    ]  # fmt: skip
    replies = app.post_json(url, calls).json
    assert [r['result']['cart_quantity'] for r in replies] == [2, 3]
    # the second call ran with the first one's context: no reward again
    assert not any(ln.reward for ln in order.order_line)
    # alone, the same call brings the reward back
    rpc(app, url, product_id=1, add_qty=1)
    assert any(ln.reward for ln in order.order_line)


def test_an_override_refusing_batches():
    class Loyalty(WebsiteSaleLoyalty):
        @route(max_batch=1)
        def cart_update_json(self, *args, **kwargs):
            return super().cart_update_json(*args, **kwargs)

    app, _ = make_app(Loyalty)
    call = {'jsonrpc': '2.0', 'method': 'call', 'id': 1,
            'params': {'product_id': 1}}  # fmt: skip
    reply = app.post_json('/shop/cart/update_json', [call, call]).json
    assert reply['error']['code'] == -32600
    alone = app.post_json('/shop/cart/update_json', call).json
    assert alone['result']['cart_quantity'] == 1
