"""Tutorial step 6: an extensible controller and an extension of it."""

from pyramid.config import Configurator
from step5_widget import configure as configure_step5

from pyramid_hooks import Controller, route


class Shop(Controller):
    @route('/shop', auth='public')
    def index(self):
        return '<h1>Shop</h1>'

    @route('/shop/item/<int:item_id>', auth='public', methods=['GET'])
    def item(self, item_id, color='black'):  # /shop/item/x: a 404
        return f'<p>Item {item_id} in {color}</p>'


class ShopWithOffers(Shop):
    """An extension, as another package would write it."""

    @route()  # same URL and options as Shop.index
    def index(self):
        return super().index() + '<p>Today: 10% off everything</p>'


def configure(config):
    configure_step5(config)
    config.add_controller(Shop)
    config.add_controller(ShopWithOffers)


def make_app(settings=None):
    config = Configurator(settings=settings)
    configure(config)
    return config.make_wsgi_app()


if __name__ == '__main__':  # python <this file> [HOST:PORT]
    import sys

    from waitress import serve

    listen = sys.argv[1] if len(sys.argv) > 1 else 'localhost:6543'
    serve(make_app(), listen=listen)
