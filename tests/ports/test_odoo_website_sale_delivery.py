"""Odoo 11's website_sale_delivery controllers, ported
(tests/ports/odoo_website_sale_delivery.py), over a dict-backed
``sale.order`` and ``delivery.carrier``."""

from pyramid.config import Configurator
from webtest import TestApp

from tests.ports.odoo_fakes import Record
from tests.ports.odoo_website_sale_delivery import WebsiteSaleDelivery


class SaleOrder(Record):
    """``sale.order`` with delivery: the carrier quotation adds a delivery
    line priced by the carrier."""

    def _get_delivery_methods(self):
        return [c for c in self.carriers.records.values() if c.available]

    def _remove_delivery_line(self):
        self.order_line = [ln for ln in self.order_line if not ln.is_delivery]

    def _check_carrier_quotation(self, force_carrier_id=None):
        carrier = self.carriers.browse(force_carrier_id or self.carrier_id)
        self._remove_delivery_line()
        if carrier is None or not carrier.available:
            self.carrier_id = None
            self.delivery_rating_success = False
            self.delivery_message = 'No carrier'
            return
        self.carrier_id = carrier.id
        self.delivery_rating_success = True
        self.delivery_message = None
        self.order_line.append(
            Record(name=carrier.name, price_unit=carrier.price,
                   is_delivery=True, product_type='service')
        )  # fmt: skip

    @property
    def amount_delivery(self):
        return sum(ln.price_unit for ln in self.order_line if ln.is_delivery)

    @property
    def amount_untaxed(self):
        return sum(line.price_unit for line in self.order_line)

    @property
    def amount_tax(self):
        return round(self.amount_untaxed * 0.2, 2)

    @property
    def amount_total(self):
        return self.amount_untaxed + self.amount_tax


def make_app(carriers_available=True, product_type='product'):
    config = Configurator()
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    env = config.registry.odoo_env
    carriers = env['delivery.carrier']
    carriers.create({'name': 'Pigeon', 'price': 5.0,
                     'available': carriers_available})  # fmt: skip
    carriers.create({'name': 'Truck', 'price': 12.5,
                     'available': carriers_available})  # fmt: skip
    orders = env['sale.order']
    orders.record_class = SaleOrder
    orders.create(
        {
            'carriers': carriers,
            'currency_id': 'EUR',
            'carrier_id': None,
            'delivery_rating_success': False,
            'delivery_message': None,
            'order_line': [
                Record(name='Tea', price_unit=10.0, is_delivery=False,
                       product_type=product_type)
            ],
        }
    )  # fmt: skip
    config.add_controller(WebsiteSaleDelivery)
    return TestApp(config.make_wsgi_app()), orders.browse(1)


CART = {'X-Order': '1'}


def rpc(app, url, params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body, headers=CART).json


def test_payment_lists_the_deliveries():
    app, _ = make_app()
    page = app.get('/shop/payment', headers=CART).json
    assert page['template'] == 'website_sale.payment'
    assert page['values']['errors'] == []
    assert page['values']['deliveries'] == ['Pigeon', 'Truck']


def test_payment_without_a_cart_goes_to_the_shop():
    app, _ = make_app()
    assert app.get('/shop/payment').location.endswith('/shop')


def test_choosing_a_carrier_quotes_it_and_redirects():
    app, order = make_app()
    reply = app.get('/shop/payment', {'carrier_id': '2'}, headers=CART)
    assert reply.status_int == 302
    assert reply.location.endswith('/shop/payment')
    assert order.carrier_id == 2
    assert order.amount_delivery == 12.5


def test_no_carrier_for_storable_products_is_an_error():
    app, _ = make_app(carriers_available=False)
    values = app.get('/shop/payment', headers=CART).json['values']
    assert values['deliveries'] == []
    assert values['errors'][0][0] == 'Sorry, we are unable to ship your order'


def test_services_need_no_delivery():
    app, _ = make_app(carriers_available=False, product_type='service')
    values = app.get('/shop/payment', headers=CART).json['values']
    assert values['errors'] == []
    assert 'deliveries' not in values


def test_update_carrier_over_json_rpc():
    app, order = make_app()
    reply = rpc(app, '/shop/update_carrier', {'carrier_id': '1'})
    assert reply['result'] == {
        'status': True,
        'error_message': None,
        'carrier_id': 1,
        'new_amount_delivery': 'EUR 5.00',
        'new_amount_untaxed': 'EUR 15.00',
        'new_amount_tax': 'EUR 3.00',
        'new_amount_total': 'EUR 18.00',
    }
    assert order.carrier_id == 1


def test_tracking_leaves_the_delivery_line_out_of_the_lines():
    app, _ = make_app()
    rpc(app, '/shop/update_carrier', {'carrier_id': '1'})
    result = rpc(app, '/shop/tracking_last_order', {})['result']
    assert result['lines'] == [{'name': 'Tea', 'price': 10.0}]
    assert result['transaction']['shipping'] == 5.0
    assert result['transaction']['revenue'] == 18.0
