"""An extension of :class:`~pyramid_hooks_demo.shop.Shop`, as another
package would write it: it overrides ``index`` with ``@route()`` giving a
new list of paths (the shop is served at ``/offers`` as well), keeps every
other option of the parent (``auth='public'``, ``renderer='html'``,
``methods``), and calls the parent's code with ``super()``."""

from pyramid_hooks.controllers import route
from pyramid_hooks_demo.shop import Shop


class ShopWithOffers(Shop):
    @route(['/shop', '/offers'])
    def index(self):
        page = super().index()
        page['body'] += (
            '<p id="offer">Today only: 10% off every mug.</p>'
            '<p id="extension"><small>The offer above, and this page at '
            '<code>/offers</code>, come from <code>ShopWithOffers</code> '
            '(<code>shop_offers.py</code>), an extension of the '
            '<code>Shop</code> controller; the rest of the page is '
            "<code>Shop</code>'s own.</small></p>"
        )
        return page
