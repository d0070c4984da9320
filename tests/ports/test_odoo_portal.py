"""Odoo's customer portal with sale's extension, ported
(tests/ports/odoo_portal.py): the home page and its counters, the
account and address forms, the password change and the account's
deactivation, an attachment's removal, the orders paged and sorted, an
order by its access token, as a report, accepted and declined."""

import json

from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from tests.ports.odoo_auth_signup import redirect
from tests.ports.odoo_fakes import (
    Model,
    Record,
    include_model_converter,
    make_env,
    page,
    render,
)
from tests.ports.odoo_portal import (
    AccessDenied,
    CustomerPortal,
    SaleCustomerPortal,
)
from tests.ports.policies import UserHeaderPolicy


class Policy(UserHeaderPolicy):
    def forget(self, request):
        return [('Set-Cookie', 'session_id=; Max-Age=0')]


class Partner(Record):
    parent_id = None
    user_id = None
    can_edit_name = True
    active = True
    type = 'contact'

    @property
    def commercial_partner_id(self):
        return self.parent_id.commercial_partner_id if self.parent_id else self

    def _can_be_edited_by(self, user):
        mine = user.partner_id
        return self is mine or (
            self.parent_id is not None
            and self.commercial_partner_id is mine.commercial_partner_id
        )


class Partners(Model):
    record_class = Partner
    frontend_writable = {
        'name', 'email', 'street', 'city', 'zip', 'country_id', 'state_id',
        'phone',
    }  # fmt: skip


class User(Record):
    active = True

    def change_password(self, old, new):
        if old != self.password:
            raise AccessDenied()
        self.password = new

    def session_token(self):
        return f'token-{self.id}-{self.password}'


class Order(Record):
    @property
    def access_url(self):
        return f'/my/orders/{self.id}'

    def readable_by(self, user):
        return user is not None and (
            user.partner_id.commercial_partner_id is self.commercial_partner_id
        )

    def render_report(self, ref, report_type):
        return f'{ref}: {self.name}'.encode()  # Odoo's reports are bytes


class Orders(Model):
    record_class = Order

    def create(self, values):
        record = super().create({'messages': [], **values})
        record.env_model = self
        return record


class Attachment(Record):
    def readable_by(self, user):
        return False


def user(request):
    """``request.env.user``."""
    uid = request.authenticated_userid
    return request.env['res.users'].browse(int(uid)) if uid else None


def make_app(*extensions):
    env = make_env()
    env['res.partner'] = Partners('res.partner')
    env['sale.order'] = Orders('sale.order')
    env['res.users'].record_class = User
    env['ir.attachment'].record_class = Attachment
    env['res.country'].record_class = Record
    be = env['res.country'].create({
        'name': 'Belgium', 'code': 'BE', 'phone_code': 32,
        'state_required': False, 'zip_required': True,
        'address_fields': ['street', 'zip', 'city'], 'state_ids': [],
    })  # fmt: skip
    acme = env['res.partner'].create({
        'name': 'Acme', 'email': 'info@acme.example', 'street': 'Main 1',
        'city': 'Liège', 'zip': '4000', 'country_id': be, 'phone': '+32 1',
        'is_company': True,
    })  # fmt: skip
    ann = env['res.partner'].create({
        'name': 'Ann', 'email': 'ann@acme.example', 'parent_id': acme,
        'country_id': be,
    })  # fmt: skip
    bob = env['res.partner'].create({'name': 'Bob', 'country_id': be})
    env['res.users'].create({
        'login': 'ann', 'password': 'pw', 'partner_id': ann,
        'country_id': be,
    })  # fmt: skip
    env['res.users'].create({
        'login': 'bob', 'password': 'pw', 'partner_id': bob,
        'country_id': be,
    })  # fmt: skip
    for n in range(1, 6):
        env['sale.order'].create({
            'name': f'S0000{n}', 'state': 'sent' if n == 5 else 'sale',
            'partner_id': ann, 'commercial_partner_id': acme,
            'date_order': f'2026-01-0{n}', 'access_token': f'tok{n}',
        })  # fmt: skip
    env['ir.attachment'].create({
        'name': 'draft.pdf', 'res_model': 'mail.compose.message', 'res_id': 0,
        'access_token': 'att',
    })  # fmt: skip
    config = Configurator(
        settings={
            'hooks.controllers.expose_errors': (
                'tests.ports.odoo_portal.UserError'
            )
        }
    )
    config.include('pyramid_hooks')
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_request_method(render, 'render')
    config.add_request_method(redirect, 'redirect')
    config.add_request_method(user, 'user', reify=True)
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.set_security_policy(Policy())
    config.include(include_model_converter)
    config.add_route('csrf', '/csrf')
    config.add_view(
        lambda request: {'token': get_csrf_token(request)},
        route_name='csrf', renderer='json',
    )  # fmt: skip
    config.add_controller(SaleCustomerPortal)
    for extension in extensions:
        config.add_controller(extension)
    return TestApp(config.make_wsgi_app()), env


ANN = {'X-User': '1'}
BOB = {'X-User': '2'}


def call(app, url, headers=None, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body, headers=headers or {}).json


def token(app, headers):
    return app.get('/csrf', headers=headers).json['token']


def test_home_at_two_urls_with_the_counters_cached_in_the_session():
    app, _ = make_app()
    app.get('/my', status=403)
    for url in ('/my', '/my/home'):
        template, values = page(app.get(url, headers=ANN))
        assert template == 'portal.portal_my_home'
        assert values == {'sales_user': None, 'page_name': 'home'}
    assert call(app, '/my/counters', counters=['x'])['error']['code'] == -32001
    reply = call(
        app, '/my/counters', ANN, counters=['order_count', 'quotation_count']
    )
    assert reply['result'] == {'order_count': 4, 'quotation_count': 1}
    # Bob's session: his counters are none
    bob = TestApp(app.app)
    reply = call(bob, '/my/counters', BOB, counters=['order_count'])
    assert reply['result'] == {'order_count': 0}


def test_the_account_page_is_framed_by_the_site_only():
    app, _ = make_app()
    response = app.get('/my/account?redirect=/my/orders', headers=ANN)
    assert response.headers['X-Frame-Options'] == 'SAMEORIGIN'
    assert (
        response.headers['Content-Security-Policy'] == "frame-ancestors 'self'"
    )
    template, values = page(response)
    assert template == 'portal.portal_my_details'
    # Odoo's: the layout's values, after it, replace 'my_details'
    assert values['page_name'] == 'home'
    assert values['callback'] == '/my/orders'
    assert values['is_used_as_billing'] is True
    assert values['country'] == 'Belgium'


def test_the_addresses_hide_the_company_s_incomplete_one():
    app, env = make_app()
    _, values = page(app.get('/my/addresses', headers=ANN))
    assert values['billing_addresses'] == ['Acme', 'Ann']
    assert values['use_delivery_as_billing'] is False
    env['res.partner'].browse(1).phone = ''
    _, values = page(app.get('/my/addresses', headers=ANN))
    assert values['billing_addresses'] == ['Ann']
    assert values['use_delivery_as_billing'] is True


def test_the_address_form_is_for_the_customer_s_addresses_only():
    app, _ = make_app()
    template, values = page(
        app.get(
            '/my/address?partner_id=2&use_delivery_as_billing=true',
            headers=ANN,
        )
    )
    assert template == 'portal.address_management'
    assert values['partner_id'] == 2
    assert values['use_delivery_as_billing'] is True
    assert values['discard_url'] == '/my/addresses'
    _, values = page(app.get('/my/address', headers=ANN))
    assert values['partner_id'] is None
    app.get('/my/address?partner_id=3', headers=ANN, status=403)
    app.post('/my/address', headers=ANN, status=405)


def test_an_address_submitted_is_checked_then_made_or_written():
    app, env = make_app()
    form = {
        'name': 'Ann B',
        'email': 'not an email',
        'csrf_token': token(app, ANN),
    }
    app.post('/my/address/submit', {'name': 'x'}, headers=ANN, status=400)
    response = app.post('/my/address/submit', form, headers=ANN)
    # a JSON text as text/html, as Odoo's
    assert response.content_type == 'text/html'
    feedback = json.loads(response.text)
    assert 'email' in feedback['invalid_fields']
    assert feedback['messages'][0].startswith('Invalid Email!')
    assert feedback['messages'][-1] == 'Some required fields are empty.'
    form.update(
        email='ann.b@acme.example', street='Quai 2', city='Namur', zip='5000',
        country_id='1', phone='+32 2', address_type='delivery',
        callback='/shop/checkout', vat_note='kept apart',
    )  # fmt: skip
    response = app.post('/my/address/submit', form, headers=ANN)
    assert json.loads(response.text) == {'redirectUrl': '/shop/checkout'}
    made = env['res.partner'].browse(4)
    assert (made.name, made.type, made.parent_id.name) == (
        'Ann B',
        'delivery',
        'Acme',
    )
    assert made.country_id.name == 'Belgium'
    # an existing one: the name is refused once documents were issued
    env['res.partner'].browse(2).can_edit_name = False
    form.update(partner_id='2', name='Annie')
    response = app.post('/my/address/submit', form, headers=ANN)
    assert json.loads(response.text)['invalid_fields'] == ['name']
    form['partner_id'] = '3'
    app.post('/my/address/submit', form, headers=ANN, status=403)


def test_a_country_s_address_fields_for_anyone():
    app, _ = make_app()
    reply = call(
        app, '/my/address/country_info/belgium-1', address_type='billing'
    )
    assert reply['result'] == {
        'fields': ['street', 'zip', 'city'], 'states': [], 'phone_code': 32,
        'required_fields': ['city', 'country_id', 'email', 'name', 'phone',
                            'street', 'zip'],
    }  # fmt: skip
    app.post_json('/my/address/country_info/9', {}, status=404)
    app.get('/my/address/country_info/1', status=405)


def test_an_address_is_archived_but_the_main_one():
    app, env = make_app()
    reply = call(app, '/my/address/archive', ANN, partner_id=2)
    assert (
        reply['error']['data']['message']
        == 'You cannot archive your main address'
    )
    reply = call(app, '/my/address/archive', ANN, partner_id=3)
    assert reply['error']['code'] == -32000
    assert reply['error']['message'] == 'Forbidden'
    ann = env['res.users'].browse(1)
    ann.partner_id = env['res.partner'].browse(1)  # signed in as the company
    reply = call(app, '/my/address/archive', ANN, partner_id=2)
    assert reply['result'] is None
    assert env['res.partner'].browse(2).active is False


def test_the_password_is_changed_and_the_session_s_token_kept():
    app, env = make_app()
    template, values = page(app.get('/my/security', headers=ANN))
    assert template == 'portal.portal_my_security'
    assert values['open_deactivate_modal'] is False
    csrf = token(app, ANN)
    form = {'old': 'pw', 'new1': 'a', 'new2': '', 'csrf_token': csrf}
    response = app.post('/my/security', form, headers=ANN)
    assert response.headers['X-Frame-Options'] == 'SAMEORIGIN'
    assert page(response)[1]['errors'] == {
        'password': {'new2': 'You cannot leave any password empty.'}
    }
    form.update(old='bad', new2='a')
    _, values = page(app.post('/my/security', form, headers=ANN))
    assert values['errors']['password']['old'].startswith('The old password')
    form['old'] = 'pw'
    _, values = page(app.post('/my/security', form, headers=ANN))
    assert values['success'] == {'password': True}
    assert env['res.users'].browse(1).password == 'a'


def test_the_account_is_deactivated_and_the_user_signed_out():
    app, env = make_app()
    csrf = token(app, ANN)
    form = {'validation': 'ann', 'password': 'no', 'csrf_token': csrf}
    _, values = page(app.post('/my/deactivate_account', form, headers=ANN))
    assert values['errors'] == {'deactivate': 'password'}
    assert values['open_deactivate_modal'] is True
    form.update(validation='annie')
    _, values = page(app.post('/my/deactivate_account', form, headers=ANN))
    assert values['errors'] == {'deactivate': 'validation'}
    # a required parameter missing
    app.post(
        '/my/deactivate_account', {'csrf_token': csrf}, headers=ANN, status=400
    )
    form.update(validation='ann', password='pw')
    response = app.post(
        '/my/deactivate_account', form, headers=ANN, status=303
    )
    assert response.location.endswith('/web/login?message=Account%20deleted!')
    assert response.headers['Set-Cookie'] == 'session_id=; Max-Age=0'
    assert env['res.users'].browse(1).active is False


def test_a_pending_attachment_is_removed_with_its_token():
    app, env = make_app()
    reply = call(app, '/portal/attachment/remove', attachment_id=1)
    assert reply['error']['data']['message'].startswith(
        'The attachment does not exist'
    )
    reply = call(
        app, '/portal/attachment/remove', attachment_id=1, access_token='att'
    )
    assert reply['result'] is True
    assert env['ir.attachment'].records == {}


def test_the_orders_paged_and_sorted_with_the_query_kept():
    app, _ = make_app()
    app.get('/my/orders', status=403)
    SaleCustomerPortal._items_per_page = 3
    try:
        template, values = page(app.get('/my/orders?sortby=name', headers=ANN))
        assert template == 'sale.portal_my_orders'
        assert values['orders'] == ['S00001', 'S00002', 'S00003']
        assert (
            values['pager']['page_next']['url']
            == '/my/orders/page/2?sortby=name'
        )
        _, values = page(app.get('/my/orders/page/2?sortby=name', headers=ANN))
        assert values['orders'] == ['S00004']
        # Werkzeug's url_encode leaves out None: no date filter at page 2
        _, values = page(app.get('/my/orders', headers=ANN))
        assert values['orders'] == ['S00004', 'S00003', 'S00002']
        url = values['pager']['page_next']['url']
        assert url == '/my/orders/page/2?sortby=date'
        _, values = page(app.get(url, headers=ANN))
        assert values['orders'] == ['S00001']
        _, values = page(
            app.get(
                '/my/orders?date_begin=2026-01-01&date_end=2026-01-03',
                headers=ANN,
            )
        )
        assert values['orders'] == ['S00003', 'S00002']
    finally:
        del SaleCustomerPortal._items_per_page


def test_an_order_by_its_token_with_its_neighbours_and_as_a_report():
    app, env = make_app()
    page(app.get('/my/orders', headers=ANN))  # the history in the session
    template, values = page(app.get('/my/orders/2', headers=ANN))
    assert template == 'sale.sale_order_portal_template'
    assert values['prev_record'] == '/my/orders/3?access_token=tok3'
    assert values['next_record'] == '/my/orders/1?access_token=tok1'
    assert 'token' in values and values['token'] is None
    # an anonymous visitor: the token, or back to /my
    assert app.get('/my/orders/2').location.endswith('/my')
    assert app.get('/my/orders/2?access_token=tok1').location.endswith('/my')
    _, values = page(app.get('/my/orders/2?access_token=tok2&error=x'))
    assert (values['access_token'], values['error']) == ('tok2', 'x')
    assert env['sale.order'].browse(2).messages == [
        'Quotation viewed by customer Ann'
    ]
    page(app.get('/my/orders/2?access_token=tok2'))  # once a day
    assert len(env['sale.order'].browse(2).messages) == 1
    response = app.get(
        '/my/orders/2?access_token=tok2&report_type=pdf&download=1'
    )
    assert response.content_type == 'application/pdf'
    assert (
        response.headers['Content-Disposition']
        == 'attachment; filename="S00002.pdf"'
    )
    assert response.body == b'sale.action_report_saleorder: S00002'
    env['sale.order'].browse(2).name = 'Liège 2'
    response = app.get('/my/orders/2?access_token=tok2&report_type=html')
    assert response.content_type == 'text/html'
    assert response.body == 'sale.action_report_saleorder: Liège 2'.encode()
    assert 'Content-Disposition' not in response.headers
    app.get('/my/orders/9', headers=ANN, status=303)


def test_a_quotation_accepted_by_json_or_declined_by_form():
    app, env = make_app()
    reply = call(app, '/my/orders/5/accept', signature='x')
    assert reply['result'] == {'error': 'Invalid order.'}
    reply = call(app, '/my/orders/5/accept?access_token=tok5', name='Ann')
    assert reply['result'] == {'error': 'Signature is missing.'}
    # a token given twice: the first counts, as in Odoo
    url = '/my/orders/5/accept?access_token=tok5&access_token=bad'
    reply = call(app, url, name='Ann')
    assert reply['result'] == {'error': 'Signature is missing.'}
    url = '/my/orders/5/accept?access_token=bad&access_token=tok5'
    assert call(app, url, name='Ann')['result'] == {'error': 'Invalid order.'}
    reply = call(
        app,
        '/my/orders/5/accept',
        access_token='tok5',
        name='Ann',
        signature='x',
    )
    assert reply['result'] == {
        'force_refresh': True,
        'redirect_url': '/my/orders/5?message=sign_ok',
    }
    assert env['sale.order'].browse(5).state == 'sale'
    reply = call(
        app, '/my/orders/5/accept', access_token='tok5', signature='x'
    )
    assert reply['result']['error'].startswith('The order is not in a state')
    # declined: a form, posted anonymously with the order's token
    csrf = token(app, {})
    order = env['sale.order'].browse(5)
    order.state = 'sent'
    form = {'access_token': 'tok5', 'csrf_token': csrf}
    response = app.post('/my/orders/5/decline', form, status=303)
    assert response.location.endswith(
        '/my/orders/5?access_token=tok5&message=cant_reject'
    )
    form['decline_message'] = 'Too dear'
    response = app.post('/my/orders/5/decline', form, status=303)
    assert response.location.endswith('/my/orders/5?access_token=tok5')
    assert (order.state, order.messages) == ('cancel', ['Too dear'])
    response = app.post(
        '/my/orders/5/decline', {'csrf_token': csrf}, status=303
    )
    assert response.location.endswith('/my')


class AccountCustomerPortal(CustomerPortal):
    """account's extension (a sibling of sale's): its badge on ``/my``."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if 'invoice_count' in counters:
            values['invoice_count'] = 0
        return values


def test_sibling_extensions_each_add_their_counters():
    """Odoo combines every installed module's ``CustomerPortal``: each
    ``_prepare_home_portal_values`` runs, through ``super()``."""
    app, _ = make_app(AccountCustomerPortal)
    counters = ['order_count', 'invoice_count', 'quotation_count']
    reply = call(app, '/my/counters', ANN, counters=counters)
    assert reply['result'] == {
        'order_count': 4, 'quotation_count': 1, 'invoice_count': 0,
    }  # fmt: skip
    # sale's routes are served still
    assert (
        page(app.get('/my/orders', headers=ANN))[0] == 'sale.portal_my_orders'
    )
