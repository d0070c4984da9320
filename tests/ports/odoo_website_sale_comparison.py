"""Port of Odoo's ``website_sale_comparison`` controller to Pyramid with
pyramid_hooks.

Original: ``addons/website_sale_comparison/controllers/main.py``
(``WebsiteSaleProductComparison``: ``product_compare`` at
``/shop/compare``, an http page, and ``get_product_data`` at
``/shop/compare/get_product_data``, a JSON route), Odoo master after 18.0
(commit 00d8b78, the routes of Odoo 19: ``type='jsonrpc'``).  The
products (``search``, ``_get_combination_info_variant``) and QWeb are
faked in the tests (``tests/ports/odoo_fakes.py``).

Odoo -> Pyramid:

- ``type='jsonrpc'`` stays as written: it is Odoo 19's name for
  ``type='json'``, which pyramid_hooks takes under both names;
- ``website=True`` and ``sitemap=False`` have no counterpart and are
  left out (an unknown option does not start);
- ``post.get('products', '')`` is a list when the query repeats the
  field (``?products=1,2&products=3``), where Odoo's ``request.params``
  keeps the first value: ``.split`` on it was an ``AttributeError``, a
  500, so the handler keeps the first value as Odoo does;
- ``request.redirect('/shop')`` -> the same, with the porting guide's
  ``request.redirect`` (``tests/ports/odoo_auth_signup.py``);
  ``request.render`` -> the fake's (the template's name and values).

Kept as Odoo has it: ``i.isdigit()`` before ``int(i)`` takes ``'²'``,
which ``int()`` refuses (a 500, in Odoo too); ``isdecimal()`` is the
test ``int()`` agrees with.
"""

from pyramid_hooks import Controller, route


class WebsiteSaleProductComparison(Controller):
    @route('/shop/compare', type='http', auth='public')
    def product_compare(self, **post):
        request = self.request
        products = post.get('products', '')
        if isinstance(products, list):  # Odoo keeps the first value
            products = products[0]
        product_ids = [int(i) for i in products.split(',') if i.isdigit()]
        if not product_ids:
            return request.redirect('/shop')

        # use search to check read access on each record/ids
        products = request.env['product.product'].search(
            [('id', 'in', product_ids)]
        )
        return request.render(
            'website_sale_comparison.product_compare',
            {'products': products.with_context(display_default_code=False)},
        )

    @route('/shop/compare/get_product_data', type='jsonrpc', auth='public')
    def get_product_data(self, product_ids):
        products = self.request.env['product.product'].search(
            [('id', 'in', product_ids)]
        )
        product_data = []

        for product in products:
            combination_info = product._get_combination_info_variant()
            product_data_item = {
                'id': product.id,
                'display_name': combination_info['display_name'],
                'website_url': product.website_url,
                'image_url': product._get_image_1024_url(),
                'price': combination_info['price'],
                'hide_price': combination_info['hide_price'],
                'currency_id': combination_info['currency'].id,
            }
            if combination_info['has_discounted_price']:
                strikethrough = combination_info['list_price']
                product_data_item['strikethrough_price'] = strikethrough
            elif (
                combination_info.get('compare_list_price')
                and combination_info['compare_list_price']
                > combination_info['price']
            ):
                strikethrough = combination_info['compare_list_price']
                product_data_item['strikethrough_price'] = strikethrough
            product_data.append(product_data_item)

        return product_data
