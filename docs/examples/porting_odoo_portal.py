"""porting_odoo.rst, "A ported example" (the JSON renderer standing in for
the Odoo template)."""

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPBadRequest

from pyramid_hooks import Controller, route

ORDERS = ['SO001', 'SO002', 'SO003']


def count_orders(request):
    return len(ORDERS)


def page_number(page):
    """The page a query parameter names (any string, a list when
    repeated), or a 400: its length checked before int(), which refuses
    over 4,300 digits (a 500)."""
    if not (
        isinstance(page, str)
        and page.isascii()
        and page.isdigit()
        and len(page) < 5
        and int(page)
    ):
        raise HTTPBadRequest('page must be a page number')
    return int(page)


class Portal(Controller):
    @route('/my/orders', auth='user', renderer='json')
    def orders(self, page='1', **kw):
        return self._prepare_values(page_number(page))

    @route('/my/orders/count', type='json', auth='user')
    def count(self):
        return count_orders(self.request)

    def _prepare_values(self, page):
        return {'page': page, 'orders': ORDERS}


class PortalExt(Portal):
    @route()
    def orders(self, page='1', **kw):
        values = super().orders(page=page, **kw)
        values['banner'] = True
        return values


def includeme(config):
    config.scan(__name__)  # activates Portal and PortalExt


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.include(includeme)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(make_app(), listen='localhost:6543')
