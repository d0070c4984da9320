"""An extensible controller, Odoo style: ``Shop`` serves ``/shop``, a cart
for logged-in users (``auth='user'``) and a JSON-RPC endpoint
(``type='json'``).  :mod:`pyramid_hooks_demo.shop_offers` extends it."""

from html import escape

from pyramid_hooks.controllers import Controller, route

#: product id -> (name, unit price)
PRODUCTS = {
    'mug': ('Pyramid mug', 4.5),
    'tee': ('Waitress tee-shirt', 12.0),
    'sticker': ('Venusian sticker', 1.0),
}

#: The largest quantity :meth:`Shop.price` prices.
MAX_QUANTITY = 1000


class UserError(Exception):
    """An error whose message is meant for the user, as Odoo's
    ``UserError``: the demo lists it in ``hooks.controllers.expose_errors``,
    so JSON-RPC clients see its message (any other exception is an
    "Internal error" that says nothing)."""


class Shop(Controller):
    @route('/shop', auth='public', renderer='html', methods=['GET'])
    def index(self):
        items = ''.join(
            f'<li>{escape(name)}: {price:.2f}</li>'
            for name, price in PRODUCTS.values()
        )
        return {
            'title': 'Shop',
            'body': (
                f'<ul id="products">{items}</ul><p>Prices come from the '
                'JSON-RPC endpoint <code>POST /rpc/price</code> too (<a '
                f'href="{self.request.application_url}/rpc">try it</a>). '
                f'<a href="{self.request.application_url}/shop/cart">Your '
                'cart</a> needs a login.</p>'
            ),
        }

    @route('/shop/cart', renderer='html')
    def cart(self):
        """``auth`` defaults to ``'user'``: visitors who are not logged in
        are sent to the login page by the app's forbidden view."""
        user = escape(self.request.authenticated_userid)
        return {
            'title': 'Your cart',
            'body': f'<p id="cart">{user}, your cart is empty.</p>',
        }

    @route('/rpc/price', type='json', auth='public')
    def price(self, product, quantity=1):
        """JSON-RPC 2.0: ``{"method": "price", "params": {"product":
        "mug", "quantity": 2}}``."""
        if product not in PRODUCTS:
            raise UserError(f'no product {product!r}')
        # bool is an int too: refused as well
        if type(quantity) is not int or not 0 < quantity <= MAX_QUANTITY:
            raise UserError(
                f'the quantity must be a whole number from 1 to {MAX_QUANTITY}'
            )
        name, unit = PRODUCTS[product]
        return {
            'product': name,
            'quantity': quantity,
            'total': unit * quantity,
        }
