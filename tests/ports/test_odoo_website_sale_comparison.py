"""Odoo's website_sale_comparison controller, ported
(tests/ports/odoo_website_sale_comparison.py): the comparison page of the
products named in the query, and the JSON route (Odoo 19's
``type='jsonrpc'``) giving their prices, over dict-backed products."""

import json

from pyramid.config import Configurator
from webtest import TestApp

from tests.ports.odoo_fakes import Env, Model, Record
from tests.ports.odoo_website_sale_comparison import (
    WebsiteSaleProductComparison,
)

EUR = Record(id=1, name='EUR')


class Products(list):
    """A recordset of products: ``with_context`` is itself."""

    def with_context(self, **context):
        return self


class Product(Record):
    def _get_combination_info_variant(self):
        return {
            'display_name': f'[{self.code}] {self.name}',
            'price': self.price,
            'list_price': self.list_price,
            'compare_list_price': self.compare_list_price,
            'has_discounted_price': self.price < self.list_price,
            'hide_price': False,
            'currency': EUR,
        }

    @property
    def website_url(self):
        return f'/shop/product-{self.id}'

    def _get_image_1024_url(self):
        return f'/web/image/product.product/{self.id}/image_1024'


class ProductModel(Model):
    record_class = Product

    def search(self, domain, limit=None, order=None):
        return Products(super().search(domain, limit, order))


def make_app():
    env = Env()
    env['product.product'] = products = ProductModel('product.product')
    for name, price, list_price, compare in [
        ('Desk', 100.0, 100.0, None),  # no strikethrough price
        ('Chair', 40.0, 50.0, None),  # discounted: the list price
        ('Lamp', 20.0, 20.0, 25.0),  # a compare price above the price
        ('Shelf', 30.0, 30.0, 10.0),  # a compare price below: none
    ]:
        products.create({'name': name, 'code': name[:2].upper(),
                         'price': price, 'list_price': list_price,
                         'compare_list_price': compare})  # fmt: skip
    config = Configurator()
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.registry.odoo_env = env
    config.add_controller(WebsiteSaleProductComparison)
    return TestApp(config.make_wsgi_app())


def call(app, params, **kw):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json('/shop/compare/get_product_data', body, **kw).json


def test_the_page_compares_the_products_of_the_query():
    app = make_app()
    response = app.get('/shop/compare?products=3,1,x,99')
    assert json.loads(response.text) == {
        'template': 'website_sale_comparison.product_compare',
        'values': {'products': ['Desk', 'Lamp']},  # 99 is no product
    }


def test_no_product_sends_the_visitor_to_the_shop():
    app = make_app()
    for query in ('', '?products=', '?products=x,-1'):
        response = app.get('/shop/compare' + query, status=303)
        assert response.location.endswith('/shop')


def test_a_repeated_field_is_read_as_odoo_reads_it():
    """Odoo keeps the first value; the handler gets a list, on which
    ``.split`` was a 500 (docs/porting_odoo.rst)."""
    app = make_app()
    response = app.get('/shop/compare?products=2&products=1')
    assert json.loads(response.text)['values'] == {'products': ['Chair']}


def test_the_json_route_gives_prices_and_strikethrough_prices():
    app = make_app()
    reply = call(app, {'product_ids': [1, 2, 3, 4]})
    data = {item['id']: item for item in reply['result']}
    assert data[1] == {
        'id': 1,
        'display_name': '[DE] Desk',
        'website_url': '/shop/product-1',
        'image_url': '/web/image/product.product/1/image_1024',
        'price': 100.0,
        'hide_price': False,
        'currency_id': 1,
    }
    assert data[2]['strikethrough_price'] == 50.0
    assert data[3]['strikethrough_price'] == 25.0
    assert 'strikethrough_price' not in data[4]


def test_the_json_route_is_json_rpc():
    """``type='jsonrpc'``, as Odoo 19 writes it: POST only, the params
    checked against the handler's signature."""
    app = make_app()
    assert call(app, {'product_ids': []})['result'] == []
    error = call(app, {'product_ids': [1], 'website_id': 1})['error']
    assert error['code'] == -32602
    error = call(app, {})['error']
    assert error['code'] == -32602
    app.get('/shop/compare/get_product_data', status=405)
