"""controllers.rst, "Overriding": an extension of controllers_shop.Shop."""

from controllers_shop import Shop
from pyramid.config import Configurator

from pyramid_hooks import route

BANNER = '<p>Free delivery this week</p>'


class ShopWithBanner(Shop):
    @route()
    def index(self, page='1'):
        return BANNER + super().index(page)


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_controller(Shop)
    config.add_controller(ShopWithBanner)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(make_app(), listen='localhost:6543')
