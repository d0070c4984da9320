"""Odoo 17's portal chatter controllers, ported
(tests/ports/odoo_portal_chatter.py), over dict-backed models: a sale
order (a ``portal.mixin`` document with an access token) and its
messages."""

import hashlib

from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.controllers_pkg.support import HeaderSecurityPolicy
from tests.ports.odoo_fakes import AccessError, Model, Record
from tests.ports.odoo_portal_chatter import MailController, PortalChatter

SECRET = 'database secret'
ACCESS_TOKEN = 'a6f0c1d2-token'


def sign(record_id, pid):
    return hashlib.sha256(f'{SECRET}/{record_id}/{pid}'.encode()).hexdigest()


class User(Record):
    def has_group(self, group):
        return group in self.groups


class Order(Record):
    """A ``portal.mixin``, ``mail.thread`` record: user ``1`` (an
    employee) reads it, the others need its token."""

    def check_access_rights(self, user, mode):
        if user is None or not user.employee:
            raise AccessError('You may not read this sale order.')

    def _sign_token(self, pid):
        return sign(self.id, pid)

    def with_context(self, **context):
        return self

    def message_post(self, **values):
        return self.env['mail.message'].create(
            {
                'model': 'sale.order',
                'res_id': self.id,
                'is_internal': False,
                'attachment_ids': [],
                **values,
            }
        )

    def _get_access_action(self, force_website=False):
        return {'type': 'ir.actions.act_url', 'url': self.access_url}


class Orders(Model):
    portal_mixin = True
    _mail_post_token_field = 'access_token'


class Message(Record):
    def portal_message_format(self):
        return {
            'id': self.id,
            'body': self.body,
            'author_id': self.author_id,
            'attachment_ids': self.attachment_ids,
        }


def evaluate(domain, record):
    """An Odoo domain (prefix ``&`` / ``|``, terms side by side and-ed)."""

    def term(items):
        head = items.pop(0)
        if head in ('&', '|'):
            left, right = term(items), term(items)
            return (left and right) if head == '&' else (left or right)
        field, op, value = head
        actual = getattr(record, field, None)
        return actual == value if op == '=' else actual != value

    items = list(domain)
    result = True
    while items:
        result = term(items) and result
    return result


class Messages(Model):
    record_class = Message

    def search(self, domain, limit=None):
        return [m for m in self.records.values() if evaluate(domain, m)]

    def _get_search_domain_share(self):
        return [('is_internal', '=', False)]


class Attachments(Model):
    def check_attachments_access(self, ids, tokens):
        for attachment_id, token in zip(ids, tokens, strict=True):
            found = self.browse(attachment_id)
            if found is None or found.access_token != token:
                raise AccessError(
                    'Sorry, you are not allowed to access this attachment.'
                )

    def browse_many(self, ids):
        return [self.browse(i) for i in ids]


class Binary(Model):
    def image_response(self, request, message, width, height):
        author = message.author_id if message else 'placeholder'
        return request.make_response(
            f'avatar of {author} at {width}x{height}'.encode(),
            headers=[('Content-Type', 'image/png')],
        )


def make_app(*controllers):
    config = Configurator(
        settings={
            'hooks.controllers.expose_errors': (
                'tests.ports.odoo_fakes.AccessError'
            )
        }
    )
    config.include('pyramid_hooks')
    config.set_security_policy(HeaderSecurityPolicy())
    config.include('tests.ports.odoo_fakes')
    env = config.registry.odoo_env
    env['res.users'].record_class = User
    env['res.users'].create(
        {
            'partner_id': 11,
            'employee': True,
            'groups': ['website.group_website_restricted_editor'],
        }
    )
    env['res.users'].create(
        {'partner_id': 12, 'employee': False, 'groups': []}
    )
    env['res.partner'].create({'email': '', 'email_formatted': ''})
    for _ in range(10):
        env['res.partner'].create(
            {'email': 'x@example.com', 'email_formatted': 'X <x@example.com>'}
        )
    env['res.partner'].create(
        {'email': 'ann@example.com', 'email_formatted': 'Ann <ann@...>'}
    )
    env['sale.order'] = Orders('sale.order')
    env['sale.order'].record_class = type('Bound', (Order,), {'env': env})
    env['sale.order'].create(
        {
            'partner_id': 12,
            'access_token': ACCESS_TOKEN,
            'access_url': '/my/orders/1?report=html',
        }
    )
    env['mail.message'] = Messages('mail.message')
    env['ir.attachment'] = Attachments('ir.attachment')
    env['ir.attachment'].create(
        {
            'name': 'po.pdf',
            'mimetype': 'application/pdf',
            'access_token': 'at1',
        }
    )
    env['ir.binary'] = Binary('ir.binary')
    for controller in controllers or (PortalChatter, MailController):
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app()), env


def call(app, url, headers=None, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body, headers=headers or {}).json


def rpc(app, url, headers=None, **params):
    reply = call(app, url, headers, **params)
    assert 'error' not in reply, reply
    return reply['result']


EMPLOYEE = {'X-User': '1'}
CUSTOMER = {'X-User': '2'}


def test_an_employee_posts_and_reads_back():
    app, env = make_app()
    posted = rpc(
        app,
        '/mail/chatter_post',
        EMPLOYEE,
        res_model='sale.order',
        res_id='1',
        message='Ready <soon>\nthanks',
    )
    assert posted == {
        'default_message': 'Ready <soon>\nthanks',
        'default_message_id': 1,
    }
    message = env['mail.message'].browse(1)
    assert message.body == '<p>Ready &lt;soon&gt;<br>thanks</p>'
    assert message.author_id == 11
    assert message.email_from == 'X <x@example.com>'
    fetched = rpc(
        app, '/mail/chatter_fetch', EMPLOYEE, res_model='sale.order', res_id=1
    )
    assert fetched['message_count'] == 1
    assert fetched['messages'][0]['body'].startswith('<p>Ready')


def test_nothing_to_post_answers_null():
    app, env = make_app()
    reply = call(
        app,
        '/mail/chatter_post',
        EMPLOYEE,
        res_model='sale.order',
        res_id=1,
        message='',
    )
    assert reply['result'] is None
    assert not env['mail.message'].records


def test_a_customer_posts_with_the_document_token():
    app, env = make_app()
    rpc(
        app,
        '/mail/chatter_post',
        res_model='sale.order',
        res_id=1,
        message='When?',
        token=ACCESS_TOKEN,
    )
    assert env['mail.message'].browse(1).author_id == 12  # the customer


def test_a_signed_token_posts_as_its_partner():
    app, env = make_app()
    rpc(
        app,
        '/mail/chatter_post',
        res_model='sale.order',
        res_id=1,
        message='Signed',
        hash=sign(1, 12),
        pid='12',
    )
    assert env['mail.message'].browse(1).author_id == 12
    forged = call(
        app,
        '/mail/chatter_post',
        res_model='sale.order',
        res_id=1,
        message='x',
        hash=sign(1, 11),
        pid='12',
    )
    assert forged['error']['code'] == -32000
    assert forged['error']['data'] == {'status': 403}


def test_without_rights_or_token_the_access_error_reaches_the_client():
    """``AccessError`` listed in ``hooks.controllers.expose_errors``: the
    client reads ``error.data.message``, as from Odoo."""
    app, env = make_app()
    reply = call(
        app,
        '/mail/chatter_post',
        CUSTOMER,
        res_model='sale.order',
        res_id=1,
        message='Hi',
    )
    assert reply['error']['code'] == -32000
    assert reply['error']['data']['message'] == (
        'You may not read this sale order.'
    )
    assert not env['mail.message'].records


def test_attachments_need_their_tokens():
    app, env = make_app()
    posted = rpc(
        app,
        '/mail/chatter_post',
        EMPLOYEE,
        res_model='sale.order',
        res_id=1,
        message='',
        attachment_ids=[1],
        attachment_tokens=['at1'],
    )
    assert posted['default_attachment_ids'] == [
        {'id': 1, 'name': 'po.pdf', 'mimetype': 'application/pdf'}
    ]
    assert env['mail.message'].browse(1).attachment_ids == [1]
    refused = call(
        app,
        '/mail/chatter_post',
        EMPLOYEE,
        res_model='sale.order',
        res_id=1,
        message='',
        attachment_ids=[1],
        attachment_tokens=['guess'],
    )
    assert 'not allowed' in refused['error']['data']['message']


def test_the_customer_sees_no_internal_notes():
    app, env = make_app()
    order = env['sale.order'].browse(1)
    order.message_post(body='<p>public</p>', author_id=11)
    order.message_post(body='<p>internal</p>', author_id=11).write(
        {'is_internal': True}
    )
    order.message_post(body='', author_id=11)  # no content: never shown
    seen = rpc(
        app,
        '/mail/chatter_fetch',
        res_model='sale.order',
        res_id=1,
        token=ACCESS_TOKEN,
    )
    assert [m['body'] for m in seen['messages']] == ['<p>public</p>']
    staff = rpc(
        app,
        '/mail/chatter_fetch',
        EMPLOYEE,
        res_model='sale.order',
        res_id=1,
        token=ACCESS_TOKEN,
    )
    assert staff['message_count'] == 2
    paged = rpc(
        app,
        '/mail/chatter_fetch',
        EMPLOYEE,
        res_model='sale.order',
        res_id=1,
        limit=1,
        offset=1,
    )
    assert [m['body'] for m in paged['messages']] == ['<p>internal</p>']
    wrong = call(
        app,
        '/mail/chatter_fetch',
        res_model='sale.order',
        res_id=1,
        token='guess',
    )
    assert wrong['error']['data'] == {'status': 403}


def test_chatter_init_calls_the_fetch_handler_and_tells_who_asks():
    app, env = make_app()
    env['sale.order'].browse(1).message_post(body='<p>hi</p>', author_id=11)
    public = rpc(
        app,
        '/mail/chatter_init',
        res_model='sale.order',
        res_id=1,
        token=ACCESS_TOKEN,
        allow_composer=True,
    )
    assert public['options'] == {
        'message_count': 1,
        'is_user_public': True,
        'is_user_employee': False,
        'is_user_publisher': False,
        'display_composer': True,
        'partner_id': False,
    }
    staff = rpc(
        app, '/mail/chatter_init', EMPLOYEE, res_model='sale.order', res_id=1
    )
    assert staff['options']['is_user_employee'] is True
    assert staff['options']['partner_id'] == 11
    assert staff['options']['display_composer'] is False


def test_update_is_internal_needs_a_user():
    app, env = make_app()
    env['sale.order'].browse(1).message_post(body='<p>hi</p>', author_id=11)
    assert (
        rpc(
            app,
            '/mail/update_is_internal',
            EMPLOYEE,
            message_id='1',
            is_internal=True,
        )
        is True
    )
    anonymous = call(
        app, '/mail/update_is_internal', message_id='1', is_internal=False
    )
    assert anonymous['error']['code'] == -32001
    assert env['mail.message'].browse(1).is_internal is True


def test_the_avatar_route_takes_two_converters_in_one_segment():
    app, env = make_app()
    env['sale.order'].browse(1).message_post(body='<p>hi</p>', author_id=12)
    url = '/mail/avatar/mail.message/1/author_avatar/64x32'
    reply = app.get(url, {'access_token': ACCESS_TOKEN})
    assert reply.content_type == 'image/png'
    assert reply.body == b'avatar of 12 at 64x32'
    assert app.get(url).body == b'avatar of placeholder at 64x32'
    wrong = app.get(url, {'access_token': 'guess'})
    assert wrong.body == b'avatar of placeholder at 64x32'
    app.get('/mail/avatar/mail.message/1/author_avatar/64x', status=404)
    app.get('/mail/avatar/mail.message/x/author_avatar/64x32', status=404)


def test_mail_view_with_the_token_goes_to_the_portal_page():
    app, _ = make_app()
    reply = app.get(
        '/mail/view',
        {
            'model': 'sale.order',
            'res_id': '1',
            'access_token': ACCESS_TOKEN,
            'pid': '12',
            'hash': 'h',
        },
    )
    assert reply.status_int == 302
    assert reply.location.endswith('/my/orders/1?report=html&pid=12&hash=h')


def test_mail_view_without_the_token_falls_back_to_mail():
    app, _ = make_app()
    employee = app.get(
        '/mail/view', {'model': 'sale.order', 'res_id': '1'}, headers=EMPLOYEE
    )
    assert employee.location.endswith('/web#model=sale.order&id=1')
    anonymous = app.get(
        '/mail/view',
        {'model': 'sale.order', 'res_id': '1', 'access_token': 'guess'},
    )
    assert '/web/login?redirect=' in anonymous.location
    other = app.get(
        '/mail/view', {'model': 'res.partner', 'res_id': '1'}, headers=EMPLOYEE
    )
    assert other.location.endswith('/web#model=res.partner&id=1')


def test_an_extension_of_the_chatter_filters_more_params():
    """``_portal_post_filter_params`` extended, as website_sale's
    ``/shop`` chatter does: the extension is combined with the port."""

    class RatingChatter(PortalChatter):
        def _portal_post_filter_params(self):
            return [*super()._portal_post_filter_params(), 'rating_value']

        @route()
        def portal_chatter_post(self, res_model, res_id, message, **kw):
            return super().portal_chatter_post(
                res_model, res_id, message, **kw
            )

    app, env = make_app(RatingChatter, MailController)
    rpc(
        app,
        '/mail/chatter_post',
        EMPLOYEE,
        res_model='sale.order',
        res_id=1,
        message='Great',
        rating_value=5,
    )
    assert env['mail.message'].browse(1).rating_value == 5
    assert isinstance(RatingChatter(None), Controller)
