"""Odoo's website_event controller and website_event_sale's extension,
ported (tests/ports/odoo_website_event.py): the list of events with its
pages in the path, an event's pages (``<path:page>``), the tickets'
JSON form, the attendees' form and its confirmation page, and tickets
with a price going through the cart."""

import json

from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.session import SignedCookieSessionFactory
from pyramid.threadlocal import get_current_request
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.ports.odoo_fakes import Env, Model, Record
from tests.ports.odoo_website_event import (
    WebsiteEventController,
    WebsiteEventSaleController,
)


class Registrations(Model):
    """``event.registration``: ``create`` takes a list, as Odoo's."""

    _website_fields = {
        'name': str,
        'email': str,
        'phone': str,
        'event_ticket_id': int,
    }

    def create(self, values_list):
        return [Model.create(self, values) for values in values_list]


class Visitors(Model):
    """``website.visitor``: the visitor of the ``visitor_uuid`` cookie;
    one made (and its cookie set on the reply) when forced."""

    def _get_visitor_from_request(self, force_create=False):
        request = get_current_request()
        uuid = request.cookies.get('visitor_uuid', '')
        visitor = self.browse(int(uuid)) if uuid.isdigit() else None
        if visitor is None and force_create:
            visitor = self.create({'name': 'Visitor', 'email': None})
            visitor.partner_id = None
            # Odoo: request.future_response.set_cookie('visitor_uuid', ...)
            request.add_response_callback(
                lambda request, response: response.set_cookie(
                    'visitor_uuid', str(visitor.id)
                )
            )
        return visitor


class Order(Record):
    def _cart_update(self, product_id, add_qty, event_ticket_id):
        line = Record(
            id=len(self.order_line) + 1,
            product_id=product_id,
            qty=add_qty,
            event_ticket_id=event_ticket_id,
        )
        self.order_line.append(line)
        self.amount_total += product_id.price * add_qty
        return {'line_id': line.id}

    def action_confirm(self):
        self.state = 'sale'


class EmptyOrder(Record):
    """No order: an empty recordset, falsy."""

    def __bool__(self):
        return False


class Website:
    """``request.website``: the event pages it knows, the cart."""

    def __init__(self, request):
        self.request = request

    def get_template(self, name):
        if name not in ('website_event.agenda', 'my_theme.speakers'):
            raise ValueError(name)
        return name

    def _create_cart(self):
        request = self.request
        order = request.env['sale.order'].create({
            'order_line': [], 'amount_total': 0, 'state': 'draft',
        })  # fmt: skip
        request.session['sale_order_id'] = order.id
        request.cart = order
        return order

    def sale_reset(self):
        self.request.session.pop('sale_order_id', None)


def cart(request):
    """``request.cart``: the session's order, or an empty one."""
    order_id = request.session.get('sale_order_id')
    return request.env['sale.order'].browse(order_id) or EmptyOrder(
        id=False, order_line=[]
    )


class HeaderUser:
    """A security policy: the user is the ``X-User`` header's id."""

    def authenticated_userid(self, request):
        return request.headers.get('X-User')

    def identity(self, request):  # pragma: no cover - Pyramid's API
        return self.authenticated_userid(request)

    def permits(self, request, context, permission):  # pragma: no cover
        return True


def attendee_details(info):
    """A renderer standing for QWeb: the tickets and the first
    attendee's values, as text."""

    def render(values, system):
        tickets = ', '.join(
            f'{t["name"]} x {t["quantity"]} ({t.get("price", "-")})'
            for t in values['tickets']
        )
        return (
            f'<form {values["availability_check"]}>{tickets} '
            f'{json.dumps(values["default_first_attendee"])}</form>'
        )

    return render


class Token(Controller):
    @route('/token', auth='public')
    def token(self):
        return get_csrf_token(self.request)


def make_app(controller=WebsiteEventController):
    env = Env()
    env['event.registration'] = Registrations('event.registration')
    env['website.visitor'] = Visitors('website.visitor')
    env['sale.order'].record_class = Order
    events = env['event.event']
    for n, (name, begin, end) in enumerate([
        ('Conference', '2999-03-01 09:00:00', '2999-03-02 18:00:00'),
        ('Workshop', '2999-02-01 09:00:00', '2999-02-01 18:00:00'),
        ('Old meetup', '2000-01-01 19:00:00', '2000-01-01 22:00:00'),
    ]):  # fmt: skip
        events.create({
            'name': name, 'date_begin': begin, 'date_end': end,
            'is_published': True, 'menu_id': None, 'seats_limited': n == 1,
            'seats_available': 3,
        })  # fmt: skip
    tickets = env['event.event.ticket']
    tickets.create({
        'name': 'Standard', 'event_id': 1, 'price': 50.0,
        'product_id': Record(id=7, name='Ticket', price=50.0),
    })  # fmt: skip
    tickets.create({
        'name': 'Free', 'event_id': 1, 'price': 0,
        'product_id': Record(id=8, name='Free ticket', price=0),
    })  # fmt: skip
    env['res.users'].create({
        'name': 'Mitchell', 'email': 'm@example.com', 'phone': '+32 1',
        'partner_id': 3,
    })  # fmt: skip
    config = Configurator(security_policy=HeaderUser())
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_fakes.include_model_converter')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.registry.odoo_env = env
    config.add_request_method(Website, 'website', reify=True)
    config.add_request_method(cart, 'cart', reify=True)
    config.add_request_method(
        lambda r: env['res.users'].browse(int(r.authenticated_userid)),
        'user',
        reify=True,
    )
    config.add_renderer('.qweb', attendee_details)
    config.add_controller(controller)
    config.add_controller(Token)
    return TestApp(config.make_wsgi_app()), env


def page(response):
    assert response.status_int == 200
    return json.loads(response.text)


def rpc(app, url, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body).json


def test_the_list_of_events_at_four_urls():
    app, _env = make_app()
    body = page(app.get('/event'))
    assert body['template'] == 'website_event.index'
    values = body['values']
    assert values['event_ids'] == ['Workshop', 'Conference']
    assert values['keep'] == '/event'
    assert page(app.get('/events/page/1'))['values']['search_count'] == 2
    values = page(app.get('/event/page/1?date=old'))['values']
    assert values['event_ids'] == ['Old meetup']
    assert values['canonical_params'] == [['date', 'old']]
    assert values['keep'] == '/event?date=old'
    values = page(app.get('/events?search=work'))['values']
    assert values['event_ids'] == ['Workshop']
    app.get('/event/page/x', status=404)


def test_an_event_goes_to_its_registration_page():
    app, _env = make_app()
    response = app.get('/event/conference-1', status=303)
    assert response.location == 'http://localhost/event/1/register'
    response = app.get('/event/1?enable_editor=1', status=303)
    assert response.location.endswith('/event/1/register?enable_editor=1')
    body = page(app.get('/event/conference-1/register'))
    assert body['template'] == 'website_event.event_description_full'
    assert body['values']['main_object'] == 'Conference'
    app.get('/event/99/register', status=404)


def test_an_event_page_by_its_path():
    app, _env = make_app()
    body = page(app.get('/event/1/page/agenda'))
    assert body['template'] == 'website_event.agenda'
    assert body['values']['seo_object'] == 'website_event.agenda'
    body = page(app.get('/event/1/page/my_theme.speakers'))
    assert body['template'] == 'my_theme.speakers'
    body = page(app.get('/event/1/page/nowhere/at/all'))
    assert body['template'] == 'http_routing.404'
    assert body['values']['path'] == 'nowhere/at/all'
    assert body['values']['from_template'] == 'website_event.default_page'


def test_the_tickets_form_answers_the_attendees_form():
    app, _env = make_app()
    result = rpc(app, '/event/1/registration/new', **{'nb_register-1': '2'})[
        'result'
    ]
    assert result == '<form True>Standard x 2 (-) {}</form>'
    # an event without tickets: one generic registration
    result = rpc(app, '/event/2/registration/new', **{'nb_register-0': '4'})
    assert result['result'] == '<form False>Registration x 4 (-) {}</form>'
    # nothing ordered
    assert rpc(app, '/event/2/registration/new')['result'] is False
    # a signed-in user is the first attendee
    body = {
        'jsonrpc': '2.0', 'method': 'call', 'id': 1,
        'params': {'nb_register-0': '1'},
    }  # fmt: skip
    result = app.post_json(
        '/event/2/registration/new', body, headers={'X-User': '1'}
    ).json['result']
    assert '"name": "Mitchell"' in result
    assert '"phone": "+32 1"' in result
    # a GET is refused
    app.get('/event/1/registration/new', status=405)


def test_attendees_registered_and_shown_to_their_visitor():
    app, env = make_app()
    form = {
        'csrf_token': app.get('/token').text,
        '1-name': 'Ann', '1-email': 'ann@example.com',
        '2-name': 'Bob', '2-email': 'bob@example.com',
        '0-phone': '+32 2', '1-unknown': 'dropped',
    }  # fmt: skip
    response = app.post('/event/2/registration/confirm', form, status=303)
    assert response.location == (
        'http://localhost/event/2/registration/success?registration_ids=1%2C2'
    )
    ann, bob = env['event.registration'].search([])
    assert (ann.name, ann.phone, ann.event_id) == ('Ann', '+32 2', 2)
    assert (bob.email, bob.phone, bob.partner_id) == (
        'bob@example.com',
        '+32 2',
        False,
    )
    assert not hasattr(ann, 'unknown')
    # the visitor's cookie came with the redirect
    assert app.cookies['visitor_uuid'] == str(ann.visitor_id)
    body = page(app.get(response.location))
    assert body['template'] == 'website_event.registration_complete'
    assert body['values']['attendees'] == ['Ann', 'Bob']
    assert body['values']['event_url'] == '/event/workshop-2'
    # another visitor sees none of them; no visitor at all: 404
    app.set_cookie('visitor_uuid', '99')
    app.get(response.location, status=404)
    # without the registration ids: 400
    app.get('/event/2/registration/success', status=400)


def test_the_confirmation_needs_the_csrf_token_and_a_post():
    app, _env = make_app()
    app.post('/event/2/registration/confirm', {'1-name': 'Ann'}, status=400)
    app.get('/event/2/registration/confirm', status=405)


def test_priced_tickets_go_to_the_cart_and_the_checkout():
    app, env = make_app(WebsiteEventSaleController)
    result = rpc(
        app,
        '/event/1/registration/new',
        **{'nb_register-1': '2', 'nb_register-2': '1'},
    )['result']
    assert result == '<form True>Standard x 2 (50.0), Free x 1 (0) {}</form>'
    form = {
        'csrf_token': app.get('/token').text,
        '1-name': 'Ann', '1-event_ticket_id': '1',
        '2-name': 'Bob', '2-event_ticket_id': '1',
        '3-name': 'Cid', '3-event_ticket_id': '2',
    }  # fmt: skip
    response = app.post('/event/1/registration/confirm', form, status=303)
    assert response.location == 'http://localhost/shop/checkout'
    order = env['sale.order'].browse(1)
    assert order.amount_total == 100.0
    assert [line.qty for line in order.order_line] == [2, 1]
    registrations = env['event.registration'].search([])
    assert [r.sale_order_line_id for r in registrations] == [1, 1, 2]
    assert {r.sale_order_id for r in registrations} == {1}
    assert app.cookies['visitor_uuid'] == '1'


def test_free_tickets_without_a_cart_skip_the_sale():
    app, env = make_app(WebsiteEventSaleController)
    form = {
        'csrf_token': app.get('/token').text,
        '1-name': 'Ann', '1-event_ticket_id': '2',
    }  # fmt: skip
    response = app.post('/event/1/registration/confirm', form, status=303)
    assert '/event/1/registration/success?' in response.location
    assert env['sale.order'].records == {}
    (ann,) = env['event.registration'].search([])
    assert ann.event_ticket_id == 2
    assert not hasattr(ann, 'sale_order_id')


def test_free_tickets_added_to_a_cart_confirm_it():
    app, env = make_app(WebsiteEventSaleController)
    token = app.get('/token').text
    # a first, paid registration makes the cart
    app.post(
        '/event/1/registration/confirm',
        {'csrf_token': token, '1-name': 'Ann', '1-event_ticket_id': '1'},
    )
    order = env['sale.order'].browse(1)
    order.amount_total = 0  # say a coupon made it free
    response = app.post(
        '/event/1/registration/confirm',
        {'csrf_token': token, '1-name': 'Bob', '1-event_ticket_id': '2'},
        status=303,
    )
    assert '/registration/success?registration_ids=2' in response.location
    assert order.state == 'sale'
    assert len(order.order_line) == 2


def test_a_cookie_set_on_request_response_misses_the_redirect():
    """Odoo's ``request.future_response.set_cookie`` ported as
    ``request.response.set_cookie``: the handler returns its redirect,
    a response of its own, and the visitor's cookie is dropped, silently
    (the fake visitor uses ``request.add_response_callback``)."""

    class OnRequestResponse(Visitors):
        def _get_visitor_from_request(self, force_create=False):
            request = get_current_request()
            visitor = self.create({'name': 'Visitor', 'partner_id': None})
            request.response.set_cookie('visitor_uuid', str(visitor.id))
            return visitor

    app, env = make_app()
    env['website.visitor'] = OnRequestResponse('website.visitor')
    form = {'csrf_token': app.get('/token').text, '1-name': 'Ann'}
    app.post('/event/2/registration/confirm', form, status=303)
    assert 'visitor_uuid' not in app.cookies
