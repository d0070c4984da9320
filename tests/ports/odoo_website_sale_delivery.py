"""Port of Odoo 11's ``website_sale_delivery`` controllers to Pyramid with
pyramid_hooks.

Original: ``addons/website_sale_delivery/controllers/main.py`` (Odoo 11.0:
``WebsiteSaleDelivery(WebsiteSale)`` with ``payment``,
``update_eshop_carrier``, ``order_lines_2_google_api``,
``order_2_return_dict``, ``_get_shop_payment_values`` and
``_update_website_sale_delivery_return``).  What it extends and uses
(website_sale's ``WebsiteSale``, ``request.website``, ``request.env``,
``request.render``) is faked in ``tests/ports/odoo_fakes.py``.

Odoo -> Pyramid:

- ``from odoo.http import request`` (a global) -> ``self.request``;
- ``@http.route(..., website=True)`` -> ``@route(...)`` (no ``website``
  option: the website is ``request.website``); ``class
  WebsiteSaleDelivery(WebsiteSale)`` extends the handlers as in Odoo, the
  parent's route options merged;
- ``request.redirect(url)`` -> ``HTTPFound(url)``; ``_()`` is left out.
"""

from pyramid.httpexceptions import HTTPFound

from pyramid_hooks import route
from tests.ports.odoo_fakes import WebsiteSale


class WebsiteSaleDelivery(WebsiteSale):
    @route(['/shop/payment'], type='http', auth='public')
    def payment(self, **post):
        order = self.request.website.sale_get_order()
        carrier_id = post.get('carrier_id')
        if carrier_id:
            carrier_id = int(carrier_id)
        if order:
            order._check_carrier_quotation(force_carrier_id=carrier_id)
            if carrier_id:
                return HTTPFound('/shop/payment')

        return super().payment(**post)

    @route(
        ['/shop/update_carrier'],
        type='json',
        auth='public',
        methods=['POST'],
        csrf=False,
    )
    def update_eshop_carrier(self, **post):
        order = self.request.website.sale_get_order()
        carrier_id = int(post['carrier_id'])
        if order:
            order._check_carrier_quotation(force_carrier_id=carrier_id)
        return self._update_website_sale_delivery_return(order, **post)

    def order_lines_2_google_api(self, order_lines):
        """The analytics lines leave the delivery lines out."""
        order_lines_not_delivery = [
            line for line in order_lines if not line.is_delivery
        ]
        return super().order_lines_2_google_api(order_lines_not_delivery)

    def order_2_return_dict(self, order):
        """The analytics data, with the delivery as the shipping cost."""
        ret = super().order_2_return_dict(order)
        for line in order.order_line:
            if line.is_delivery:
                ret['transaction']['shipping'] = line.price_unit
        return ret

    def _get_shop_payment_values(self, order, **kwargs):
        values = super()._get_shop_payment_values(order, **kwargs)
        has_storable_products = any(
            line.product_type in ('consu', 'product')
            for line in order.order_line
        )

        if not order._get_delivery_methods() and has_storable_products:
            values['errors'].append(
                (
                    'Sorry, we are unable to ship your order',
                    'No shipping method is available for your current '
                    'order and shipping address. Please contact us for '
                    'more information.',
                )
            )

        if has_storable_products:
            if order.carrier_id and not order.delivery_rating_success:
                values['errors'].append(
                    (
                        'Sorry, we are unable to ship your order',
                        'No shipping method is available for your current '
                        'order and shipping address. Please contact us for '
                        'more information.',
                    )
                )
                order._remove_delivery_line()

            values['deliveries'] = order._get_delivery_methods()
        return values

    def _update_website_sale_delivery_return(self, order, **post):
        Monetary = self.request.env['ir.qweb.field.monetary']
        carrier_id = int(post['carrier_id'])
        if order:
            currency = order.currency_id

            def money(amount):
                return Monetary.value_to_html(
                    amount, {'display_currency': currency}
                )

            return {
                'status': order.delivery_rating_success,
                'error_message': order.delivery_message,
                'carrier_id': carrier_id,
                'new_amount_delivery': money(order.amount_delivery),
                'new_amount_untaxed': money(order.amount_untaxed),
                'new_amount_tax': money(order.amount_tax),
                'new_amount_total': money(order.amount_total),
            }
        return {}
