"""Port of Odoo 16's ``website_sale`` cart JSON routes, and
``website_sale_loyalty``'s override of one of them, to Pyramid with
pyramid_hooks.

Originals (Odoo 16.0):

- ``addons/website_sale/controllers/main.py``, ``WebsiteSale``:
  ``cart_update_json`` (``/shop/cart/update_json``), ``cart_quantity``
  (``/shop/cart/quantity``), ``clear_cart`` (``/shop/cart/clear``),
  ``save_shop_layout_mode`` (``/shop/save_shop_layout_mode``),
  ``is_add_to_cart_allowed`` (``/shop/product/is_add_to_cart_allowed``)
  and ``pricelist_change``
  (``/shop/change_pricelist/<model("product.pricelist"):pricelist>``, an
  http route, for the ``model(...)`` converter);
- ``addons/website_sale_loyalty/controllers/main.py``, ``WebsiteSale``:
  ``cart_update_json(self, *args, set_qty=None, **kwargs)`` marking the
  deletion of a line in the context before ``super()``.

The models (``sale.order._cart_update``, the pricelists), the website
(``request.website``) and QWeb are faked in the tests; the rest of the
controller (shop pages, checkout, payment) is left out.

Odoo -> Pyramid:

- ``from odoo.http import request`` -> ``self.request``;
  ``@http.route(..., website=True)`` -> ``@route(...)`` without
  ``website`` (the website is ``request.website``); ``@http.route()`` on
  the override is ``@route()``, the parent's options merged;
- ``request.session[...]`` -> Pyramid's session (the application sets a
  session factory);
- ``request.env['ir.ui.view']._render_template(t, values)`` (HTML inside
  the JSON result) -> :func:`pyramid.renderers.render`;
- ``request.update_context(**kw)`` (the environment's context, not
  Pyramid's ``request.context``, which is the traversal context) -> the
  application's own: here ``request.website.with_context(...)`` and
  assigning ``request.website``, as the original also does;
- ``request.httprequest.referrer`` -> ``request.referrer``;
  ``request.redirect(url)`` -> ``HTTPFound(url)``;
- ``assert layout_mode in ...`` (a server error in Odoo; gone under
  ``python -O``) -> ``JsonRpcError(-32602, ...)``.

Kept as Odoo 16 has it: ``minor_amount`` is a one-item list (a trailing
comma makes it a tuple), and the loyalty override's ``*args`` (a JSON call
gives every parameter by name, so it stays empty).
"""

from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render

from pyramid_hooks import Controller, JsonRpcError, route


def to_minor_currency_units(amount, currency):
    """``payment.utils.to_minor_currency_units``."""
    return round(amount * 10**currency.decimal_places)


class WebsiteSale(Controller):
    @route(
        ['/shop/product/is_add_to_cart_allowed'], type='json', auth='public'
    )
    def is_add_to_cart_allowed(self, product_id, **kwargs):
        product = self.request.env['product.product'].browse(product_id)
        return bool(product) and product._is_add_to_cart_allowed()

    @route(
        ['/shop/change_pricelist/<model("product.pricelist"):pricelist>'],
        type='http',
        auth='public',
    )
    def pricelist_change(self, pricelist, **post):
        request = self.request
        redirect_url = request.referrer
        if pricelist.selectable and request.website.is_pricelist_available(
            pricelist.id
        ):
            request.session['website_sale_current_pl'] = pricelist.id
            request.website.sale_get_order(update_pricelist=True)
        return HTTPFound(redirect_url or '/shop')

    @route(
        ['/shop/cart/update_json'],
        type='json',
        auth='public',
        methods=['POST'],
        csrf=False,
    )
    def cart_update_json(
        self, product_id, line_id=None, add_qty=None, set_qty=None,
        display=True, product_custom_attribute_values=None,
        no_variant_attribute_values=None, **kw
    ):  # fmt: skip
        request = self.request
        order = request.website.sale_get_order(force_create=True)
        if order.state != 'draft':
            request.website.sale_reset()
            if kw.get('force_create'):
                order = request.website.sale_get_order(force_create=True)
            else:
                return {}

        values = order._cart_update(
            product_id=product_id,
            line_id=line_id,
            add_qty=add_qty,
            set_qty=set_qty,
            product_custom_attribute_values=product_custom_attribute_values,
            no_variant_attribute_values=no_variant_attribute_values,
            **kw,
        )

        request.session['website_sale_cart_quantity'] = order.cart_quantity

        if not order.cart_quantity:
            request.website.sale_reset()
            return values

        values['cart_quantity'] = order.cart_quantity
        values['minor_amount'] = (
            to_minor_currency_units(order.amount_total, order.currency_id),
        )
        values['amount'] = order.amount_total

        if not display:
            return values

        values['website_sale.cart_lines'] = render(
            'website_sale.cart_lines.qweb',
            {'website_sale_order': order, 'suggested_products': []},
            request=request,
        )
        values['website_sale.short_cart_summary'] = render(
            'website_sale.short_cart_summary.qweb',
            {'website_sale_order': order},
            request=request,
        )
        return values

    @route('/shop/save_shop_layout_mode', type='json', auth='public')
    def save_shop_layout_mode(self, layout_mode):
        if layout_mode not in ('grid', 'list'):
            raise JsonRpcError(-32602, 'Invalid shop layout mode')
        self.request.session['website_sale_shop_layout_mode'] = layout_mode

    @route(
        ['/shop/cart/quantity'],
        type='json',
        auth='public',
        methods=['POST'],
        csrf=False,
    )
    def cart_quantity(self):
        session = self.request.session
        if 'website_sale_cart_quantity' not in session:
            return self.request.website.sale_get_order().cart_quantity
        return session['website_sale_cart_quantity']

    @route(['/shop/cart/clear'], type='json', auth='public')
    def clear_cart(self):
        order = self.request.website.sale_get_order()
        for line in list(order.order_line):
            line.unlink()


class WebsiteSaleLoyalty(WebsiteSale):
    """website_sale_loyalty's extension (the cart route only)."""

    @route()
    def cart_update_json(self, *args, set_qty=None, **kwargs):
        # a deleted reward line leaves the rewards claimed automatically
        if set_qty == 0:
            self.request.website = self.request.website.with_context(
                website_sale_loyalty_delete=True
            )
        return super().cart_update_json(*args, set_qty=set_qty, **kwargs)
