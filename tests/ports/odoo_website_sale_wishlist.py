"""Port of Odoo's ``website_sale_wishlist`` controller to Pyramid with
pyramid_hooks.

Original: ``addons/website_sale_wishlist/controllers/main.py`` (Odoo
18.0 or later, commit 1259afb: ``WebsiteSaleWishlist(WebsiteSale)`` with
``_get_additional_shop_values``, ``add_to_wishlist`` at
``/shop/wishlist/add``, ``get_wishlist`` at ``/shop/wishlist`` and
``rm_from_wishlist`` at ``/shop/wishlist/remove/<int:wish_id>``).  What
it extends (website_sale's ``WebsiteSale``, its ``/shop`` page) and uses
(``request.website``, ``request.env``, ``request.render``) is faked in
``tests/ports/odoo_fakes.py``; ``product.wishlist`` (its ``current()``,
``_add_to_wishlist`` and the rule that a user removes only their own
wishes) in the tests.

Odoo -> Pyramid:

- ``class WebsiteSaleWishlist(WebsiteSale)`` extends the shop controller
  as in Odoo: the ``/shop`` page calls the overridden
  ``_get_additional_shop_values`` (``self`` is the serving class);
- ``website=True`` and ``sitemap=False`` are left out (no counterpart);
- ``type='json'`` routes are JSON-RPC: ``add_to_wishlist`` returns the
  record as Odoo does, which Odoo writes as its ``str()``
  (``'product.wishlist(5,)'``) and JSON-RPC here only with a
  ``__json__(request)`` method, which the application's record class has
  (without it the call is ``-32603``, the wish made all the same);
- ``<int:wish_id>`` in a JSON route's path is the handler's argument, as
  in Odoo;
- ``request.env.user.partner_id.id`` -> the fake environment's user (the
  application's, for ``request.authenticated_userid``);
  ``request.website.is_public_user()`` -> the fake website's, which asks
  ``request.authenticated_userid``;
- ``request.session.touch()`` after removing an id from the session's
  list in place -> ``request.session.changed()`` (Pyramid saves what is
  assigned, not what is changed in place);
- ``request.make_response(json.dumps(ids))`` is the same;
  ``request.redirect('/shop')`` -> the porting guide's ``request.redirect``
  (``tests/ports/odoo_auth_signup.py``).
"""

import json

from pyramid_hooks import route
from tests.ports.odoo_fakes import WebsiteSale


class WebsiteSaleWishlist(WebsiteSale):
    def _get_additional_shop_values(self, values):
        """Hook to update values used for rendering website_sale.products
        template."""
        vals = super()._get_additional_shop_values(values)
        wishlist = self.request.env['product.wishlist']
        vals['products_in_wishlist'] = (
            wishlist.current().product_id.product_tmpl_id
        )
        return vals

    @route(['/shop/wishlist/add'], type='json', auth='public')
    def add_to_wishlist(self, product_id, **kw):
        request = self.request
        website = request.website
        pricelist = website.pricelist_id
        product = request.env['product.product'].browse(product_id)

        price = product._get_combination_info_variant()['price']

        Wishlist = request.env['product.wishlist']
        if request.website.is_public_user():
            Wishlist = Wishlist.sudo()
            partner_id = False
        else:
            partner_id = request.env.user.partner_id.id

        wish = Wishlist._add_to_wishlist(
            pricelist.id,
            pricelist.currency_id.id,
            request.website.id,
            price,
            product_id,
            partner_id,
        )

        if not partner_id:
            wishlist_ids = request.session.get('wishlist_ids', [])
            request.session['wishlist_ids'] = [*wishlist_ids, wish.id]

        return wish

    @route(['/shop/wishlist'], type='http', auth='public')
    def get_wishlist(self, count=False, **kw):
        request = self.request
        values = (
            request.env['product.wishlist']
            .with_context(display_default_code=False)
            .current()
        )
        if count:
            return request.make_response(
                json.dumps(values.mapped('product_id').ids)
            )

        if not len(values):
            return request.redirect('/shop')

        return request.render(
            'website_sale_wishlist.product_wishlist', {'wishes': values}
        )

    @route('/shop/wishlist/remove/<int:wish_id>', type='json', auth='public')
    def rm_from_wishlist(self, wish_id, **kw):
        request = self.request
        wish = request.env['product.wishlist'].browse(wish_id)
        if request.website.is_public_user():
            wish_ids = request.session.get('wishlist_ids') or []
            if wish_id in wish_ids:
                request.session['wishlist_ids'].remove(wish_id)
                request.session.changed()
                wish.sudo().unlink()
        else:
            wish.unlink()
        return True
