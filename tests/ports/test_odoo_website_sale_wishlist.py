"""Odoo's website_sale_wishlist controller, ported
(tests/ports/odoo_website_sale_wishlist.py): wishes added and removed over
JSON-RPC, kept in Pyramid's session for a visitor and on the partner for
a user, the wishlist page and its count, and the shop page marking the
products wished, over a dict-backed ``product.wishlist``."""

import json
import logging

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from pyramid.threadlocal import get_current_request
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.controllers_pkg.support import HeaderSecurityPolicy
from tests.ports.odoo_fakes import (
    AccessError,
    Env,
    Model,
    Record,
    WebsiteSale,
    render,
)
from tests.ports.odoo_fakes import Website as ShopWebsite
from tests.ports.odoo_website_sale_wishlist import WebsiteSaleWishlist

ALICE = {'X-User': '1'}  # partner 11
BOB = {'X-User': '2'}  # partner 12


class Records(list):
    """A recordset: a field read on it is the set of the records' values;
    ``ids``, ``mapped`` and ``sudo`` as Odoo's."""

    def __getattr__(self, name):
        return Records(getattr(record, name) for record in self)

    @property
    def ids(self):
        return [record.id for record in self]

    def mapped(self, name):
        return getattr(self, name)

    def sudo(self):
        return self


class Sudo:
    """``record.sudo()``: its ``unlink`` passes the record rules."""

    def __init__(self, record):
        self.record = record

    def unlink(self):
        self.record.unlink(su=True)


class PlainWish(Record):
    """A ``product.wishlist`` record, without ``__json__``."""

    def __str__(self):
        return f'product.wishlist({self.id},)'

    def sudo(self):
        return Sudo(self)

    def unlink(self, su=False):
        """Odoo's record rule: a user removes their own wishes."""
        request = get_current_request()
        if not su and self.partner_id != request.env.user.partner_id.id:
            raise AccessError('You may not remove this wish.')
        del request.env['product.wishlist'].records[self.id]


class Wish(PlainWish):
    def __json__(self, request):
        """JSON-RPC writes the record as Odoo writes it, its ``str()``."""
        return str(self)


class NoWish:
    """``browse`` of an id no record has."""

    def sudo(self):
        return self

    def unlink(self):
        pass


class Wishlist(Model):
    record_class = Wish

    def browse(self, record_id):
        return super().browse(record_id) or NoWish()

    def current(self):
        """The wishes of the request's visitor (the session's ids) or
        user (their partner's), of published products."""
        request = get_current_request()
        if request.website.is_public_user():
            ids = request.session.get('wishlist_ids', [])
            wishes = [w for w in self.records.values() if w.id in ids]
        else:
            partner = request.env.user.partner_id.id
            wishes = [w for w in self.records.values()
                      if w.partner_id == partner
                      and w.website_id == request.website.id]  # fmt: skip
        return Records(w for w in wishes if w.product_id.published)

    def _add_to_wishlist(self, pricelist_id, currency_id, website_id,
                         price, product_id, partner_id=False):  # fmt: skip
        product = get_current_request().env['product.product']
        return self.create({'pricelist_id': pricelist_id,
                            'currency_id': currency_id,
                            'website_id': website_id, 'price': price,
                            'product_id': product.browse(product_id),
                            'partner_id': partner_id})  # fmt: skip


class Product(Record):
    def _get_combination_info_variant(self):
        return {'price': self.price}


class Website(ShopWebsite):
    """``request.website``: website 1, its pricelist in EUR."""

    id = 1
    pricelist_id = Record(id=7, currency_id=Record(id=3))

    def is_public_user(self):
        return self.request.authenticated_userid is None


def request_env(request):
    """``request.env``: the application's models and the request's user
    (the public user's partner is 10)."""
    env = Env(request.registry.odoo_env)
    uid = request.authenticated_userid
    env.user = env['res.users'].browse(int(uid) if uid else 0)
    return env


class SessionPeek(Controller):
    """The test's window on the session: the wishes' ids kept there."""

    @route('/test/wishlist_ids', type='json', auth='public')
    def wishlist_ids(self):
        return self.request.session.get('wishlist_ids')


def make_app(wish_class=Wish):
    config = Configurator(
        settings={
            'hooks.controllers.expose_errors': (
                'tests.ports.odoo_fakes.AccessError'
            )
        },
        session_factory=SignedCookieSessionFactory('w' * 32),
    )
    config.include('pyramid_hooks')
    config.set_security_policy(HeaderSecurityPolicy())
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.add_request_method(request_env, 'env', reify=True)
    config.add_request_method(Website, 'website', reify=True)
    config.add_request_method(render, 'render')
    env = config.registry.odoo_env = Env()
    env['product.wishlist'] = Wishlist('product.wishlist')
    env['product.wishlist'].record_class = wish_class
    env['product.product'].record_class = Product
    for uid in (0, 1, 2):
        env['res.users'].records[uid] = Record(
            id=uid, partner_id=Record(id=10 + uid)
        )
    for tmpl_id, (name, price, published) in enumerate(
        [
            ('Desk', 100.0, True),
            ('Chair', 40.0, True),
            ('Prototype', 1.0, False),
        ]
    ):
        env['product.product'].create({
            'name': name, 'price': price, 'published': published,
            'product_tmpl_id': Record(id=tmpl_id, name=f'{name} (tmpl)'),
        })  # fmt: skip
    config.add_controller(WebsiteSale)
    config.add_controller(WebsiteSaleWishlist)
    config.add_controller(SessionPeek)
    return TestApp(config.make_wsgi_app()), env


def call(app, url, params=None, **kw):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params or {},
            'id': 1}  # fmt: skip
    return app.post_json(url, body, **kw).json


def page(response):
    assert response.status_int == 200
    return json.loads(response.text)


def test_a_visitor_s_wishes_are_kept_in_the_session():
    app, env = make_app()
    reply = call(app, '/shop/wishlist/add', {'product_id': 1})
    assert reply['result'] == 'product.wishlist(1,)'  # Odoo's str()
    call(app, '/shop/wishlist/add', {'product_id': 2, 'display': True})
    wish = env['product.wishlist'].browse(1)
    assert (wish.partner_id, wish.price, wish.pricelist_id) == (False, 100, 7)
    assert app.get('/shop/wishlist?count=1').text == '[1, 2]'
    values = page(app.get('/shop/wishlist'))['values']
    assert values == {
        'wishes': ['product.wishlist(1,)', 'product.wishlist(2,)']
    }
    # another visitor (no session cookie) has no wishes
    assert TestApp(app.app).get('/shop/wishlist?count=1').text == '[]'


def test_the_shop_page_marks_the_wished_products():
    """website_sale's ``/shop`` calls the hook the extension overrides."""
    app, _env = make_app()
    call(app, '/shop/wishlist/add', {'product_id': 2})
    values = page(app.get('/shop'))['values']
    assert values['products'] == ['Desk', 'Chair', 'Prototype']
    assert values['products_in_wishlist'] == ['Chair (tmpl)']
    assert page(app.get('/shop/page/2'))['values']['page'] == 2


def test_a_visitor_removes_their_wishes_only():
    app, env = make_app()
    call(app, '/shop/wishlist/add', {'product_id': 1})
    call(app, '/shop/wishlist/add', {'product_id': 2})
    other = TestApp(app.app)
    call(other, '/shop/wishlist/add', {'product_id': 1})  # wish 3
    # another visitor's wish is not in this session: left alone
    assert call(app, '/shop/wishlist/remove/3')['result'] is True
    assert 3 in env['product.wishlist'].records
    # the session's list changed in place is saved (session.changed())
    assert call(app, '/shop/wishlist/remove/1')['result'] is True
    assert 1 not in env['product.wishlist'].records
    assert call(app, '/test/wishlist_ids')['result'] == [2]
    assert app.get('/shop/wishlist?count=1').text == '[2]'
    assert call(app, '/shop/wishlist/remove/99')['result'] is True
    app.post_json('/shop/wishlist/remove/two', {}, status=404)
    app.get('/shop/wishlist/remove/2', status=405)


def test_an_empty_wishlist_sends_the_visitor_to_the_shop():
    app, _env = make_app()
    assert app.get('/shop/wishlist', status=303).location.endswith('/shop')
    # a wish of an unpublished product is not shown
    call(app, '/shop/wishlist/add', {'product_id': 3})
    app.get('/shop/wishlist', status=303)


def test_a_user_s_wishes_are_their_partner_s():
    app, env = make_app()
    call(app, '/shop/wishlist/add', {'product_id': 1}, headers=ALICE)
    call(app, '/shop/wishlist/add', {'product_id': 2}, headers=BOB)
    assert env['product.wishlist'].browse(1).partner_id == 11
    count = app.get('/shop/wishlist?count=1', headers=ALICE)
    assert count.text == '[1]'
    assert app.get('/shop/wishlist?count=1').text == '[]'  # anonymous
    # Bob may not remove Alice's wish: Odoo's AccessError, shown
    error = call(app, '/shop/wishlist/remove/1', headers=BOB)['error']
    assert error['code'] == -32000
    assert error['data']['message'] == 'You may not remove this wish.'
    reply = call(app, '/shop/wishlist/remove/1', headers=ALICE)
    assert reply['result'] is True
    assert app.get('/shop/wishlist?count=1', headers=ALICE).text == '[]'


def test_add_takes_odoo_s_extra_params_and_requires_the_product():
    app, _env = make_app()
    error = call(app, '/shop/wishlist/add', {})['error']
    assert error['code'] == -32602


def test_a_record_without_json_is_an_internal_error(caplog):
    """Odoo writes any object as its ``str()``; JSON-RPC here writes what
    strict JSON holds and ``__json__``: a returned record without it is a
    ``-32603`` (logged), though the handler ran (docs/porting_odoo.rst)."""
    app, env = make_app(wish_class=PlainWish)
    with caplog.at_level(logging.ERROR):
        reply = call(app, '/shop/wishlist/add', {'product_id': 1})
    assert reply['error'] == {'code': -32603, 'message': 'Internal error'}
    assert 'not JSON serializable' in caplog.text
    assert 1 in env['product.wishlist'].records
