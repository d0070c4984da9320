"""porting_odoo.rst, "odoo.http.request" and "Unknown JSON-RPC
parameters"."""

from pyramid.config import Configurator
from pyramid.threadlocal import get_current_request

from pyramid_hooks import Controller, route

PRICES = {1: 2.5, 2: 4.0}


def price_label(request, amount):
    """Odoo reads ``request`` from ``odoo.http``; here it is passed in."""
    currency = request.registry.settings.get('shop.currency', 'EUR')
    return f'{amount:.2f} {currency}'


def price_label_of_current_request(amount):
    """For code that cannot be given the request (a callback whose
    signature is fixed): the request being served, or a clear error."""
    request = get_current_request()
    if request is None:  # at import, in a script, in a thread of yours
        raise RuntimeError('price_label_of_current_request needs a request')
    return price_label(request, amount)


class Cart(Controller):
    @route('/shop/cart/update_json', type='json', auth='public')
    def cart_update_json(self, product_id, add_qty=1, **kw):
        """``**kw`` takes what the client sends and the handler does not
        use (Odoo's ``display``, ``force_create``...), as Odoo does."""
        quantity = int(add_qty)
        return {
            'quantity': quantity,
            'amount': price_label(self.request, PRICES[product_id] * quantity),
        }

    @route('/shop/cart/price', type='json', auth='public')
    def price(self, product_id):
        """Without ``**kw``: a parameter it does not take is -32602."""
        return price_label_of_current_request(PRICES[product_id])


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_controller(Cart)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(make_app(), listen='localhost:6543')
