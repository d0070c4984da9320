"""controllers.rst, "Defining a controller"."""

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPBadRequest

from pyramid_hooks import Controller, route

PRICES = {7: 12.5, 8: 3.0}


def load_item(request, id):
    return {'id': id, 'name': f'Item {id}'}


def compute_price(request, item_id, quantity):
    return PRICES[int(item_id)] * int(quantity)


class Shop(Controller):
    @route('/shop', auth='public')
    def index(self, page='1'):
        # a query parameter is any string, a list when repeated: check it,
        # its length before int() (which refuses over 4,300 digits: a 500)
        if not (
            isinstance(page, str)
            and page.isascii()
            and page.isdigit()
            and len(page) < 5
            and int(page)
        ):
            raise HTTPBadRequest('page must be a page number')
        return f'<h1>Shop, page {int(page)}</h1>'

    @route('/shop/item/<int:id>', auth='user', renderer='json')
    def item(self, id):
        return {'item': load_item(self.request, id)}

    @route('/shop/api', type='json', auth='public')
    def price(self, item_id, quantity=1):
        return compute_price(self.request, item_id, quantity)

    def helper(self):  # not decorated: never exposed
        ...


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_controller(Shop)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(make_app(), listen='localhost:6543')
