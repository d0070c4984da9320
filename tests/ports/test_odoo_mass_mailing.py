"""Odoo 17's mass_mailing controller, ported
(tests/ports/odoo_mass_mailing.py): unsubscribing from a signed link
(the page, its confirmation form with a CSRF token, the one-click
``POST`` of mail clients without one), the blocklist's JSON routes,
the open-tracking GIF, a tracked link to another site and the report
opt-out."""

import hashlib
import hmac
import json

from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.security import Allowed
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.ports.odoo_fakes import Env, Model, Record
from tests.ports.odoo_mass_mailing import GIF, MassMailController

SECRET = b'database secret'


def sign(*parts):
    text = '-'.join(str(p) for p in parts).encode()
    return hmac.new(SECRET, text, hashlib.sha256).hexdigest()


class Mailing(Record):
    def _generate_mailing_recipient_token(self, document_id, email):
        return sign(self.id, document_id, email)


class Mailings(Model):
    record_class = Mailing

    def _generate_mailing_report_token(self, user_id):
        return sign('report', user_id)


class MailingList(Record):
    def _update_subscription_from_email(self, email, opt_out):
        self.opted_out.append(email) if opt_out else None


class Blocklist(Model):
    def _get(self, email):
        found = self.search([('email', '=', email)])
        return found[0] if found else None

    def _add(self, email, message=None):
        record = self._get(email) or self.create({'email': email})
        record.write({'active': True, 'message': message})

    def _remove(self, email, message=None):
        record = self._get(email)
        record.write({'active': False, 'message': message})


class Mails(Model):
    def _generate_mail_recipient_token(self, mail_id):
        return sign('mail', mail_id)


class Traces(Model):
    def set_opened(self, mail_id):
        self.create({'mail_id': mail_id, 'opened': True})


class Clicks(Model):
    def add_click(self, code, **values):
        self.create({'code': code, **values})


class Links(Model):
    def get_url_from_code(self, code):
        return {'abc': 'https://odoo.example/pricing'}.get(code)


class Parameters(Model):
    params = None


class HeaderPolicy:
    """Who is logged in: the ``X-User`` header, a user id."""

    def authenticated_userid(self, request):
        uid = request.headers.get('X-User')
        return int(uid) if uid else None

    def identity(self, request):  # pragma: no cover - not asked
        return self.authenticated_userid(request)

    def permits(self, request, context, permission):  # pragma: no cover
        return Allowed('all')


class Token(Controller):
    @route('/token', auth='public')
    def token(self):
        return get_csrf_token(self.request)


def make_app():
    env = Env()
    models = {
        'mailing.mailing': Mailings, 'mail.blacklist': Blocklist,
        'mail.mail': Mails, 'mailing.trace': Traces,
        'link.tracker.click': Clicks, 'link.tracker': Links,
        'ir.config_parameter': Parameters,
    }  # fmt: skip
    for name, cls in models.items():
        env[name] = cls(name)
    env['ir.config_parameter'].params = {
        'mass_mailing.mass_mailing_reports': True
    }
    env['mailing.list'].record_class = MailingList
    newsletter = env['mailing.list'].create(
        {'name': 'Newsletter', 'is_public': True, 'opted_out': []}
    )
    env['mailing.mailing'].create({
        'subject': 'Spring sale', 'mailing_on_mailing_list': True,
        'mailing_model_real': 'mailing.contact',
        'contact_list_ids': [newsletter],
    })  # fmt: skip
    env['mailing.mailing'].create({
        'subject': 'To partners', 'mailing_on_mailing_list': False,
        'mailing_model_real': 'res.partner', 'contact_list_ids': [],
    })  # fmt: skip
    env['res.users'].create({
        'name': 'Marketing', 'email_normalized': 'marketing@example.com',
        'groups': ['mass_mailing.group_mass_mailing_user'],
    })  # fmt: skip
    env['res.users'].create(
        {
            'name': 'Clerk',
            'email_normalized': 'clerk@example.com',
            'groups': [],
        }
    )
    config = Configurator()
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.registry.odoo_env = env
    config.set_security_policy(HeaderPolicy())
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.add_controller(MassMailController)
    config.add_controller(Token)
    return TestApp(config.make_wsgi_app()), env


def link(mailing_id, document_id=7, email='ann@example.com', token=None):
    token = token or sign(mailing_id, document_id, email)
    return {
        'document_id': str(document_id),
        'email': email,
        'hash_token': token,
    }


def rendered(response):
    assert response.status_int == 200
    return json.loads(response.text)


def test_unsubscribe_link_of_a_list_mailing_opts_out_of_its_lists():
    app, env = make_app()
    body = rendered(app.get('/mailing/1/unsubscribe', link(1)))
    assert body['template'] == 'mass_mailing.page_mailing_unsubscribe'
    values = body['values']
    assert values['last_action'] == 'subscription_updated'
    assert values['unsubscribed_name'] == (
        'You are no longer part of the Newsletter mailing list.'
    )
    assert values['mailing_id'] == 1
    assert env['mailing.list'].browse(1).opted_out == ['ann@example.com']


def test_unsubscribe_link_of_a_document_mailing_blocklists_the_address():
    app, env = make_app()
    values = rendered(app.get('/mailing/2/unsubscribe', link(2)))['values']
    assert values['last_action'] == 'blocklist_add'
    assert values['is_blocklisted'] is True
    entry = env['mail.blacklist']._get('ann@example.com')
    assert entry.message.endswith('of mailing 2 (document 7)')


def test_a_wrong_or_missing_token_and_an_unknown_mailing():
    app, env = make_app()
    # a token for another address: 401 (Odoo's Unauthorized)
    app.get(
        '/mailing/1/unsubscribe',
        link(1, token=sign(1, 7, 'bob@x.org')),
        status=401,
    )
    # no token, anonymous: 400; a token without the document: 400
    app.get('/mailing/1/unsubscribe', status=400)
    app.get(
        '/mailing/1/unsubscribe',
        {'hash_token': 'x', 'email': 'a@b.c'},
        status=400,
    )
    # a mailing that does not exist is a 401 too: ids do not leak
    app.get('/mailing/99/unsubscribe', link(99), status=401)
    app.get('/mailing/x/unsubscribe', status=404)  # <int:mailing_id>
    assert env['mailing.list'].browse(1).opted_out == []


def test_a_mailing_user_needs_no_token_a_clerk_does():
    app, _env = make_app()
    values = rendered(
        app.get('/mailing/2/unsubscribe', headers={'X-User': '1'})
    )['values']
    assert values['email'] == 'marketing@example.com'
    app.get('/mailing/2/unsubscribe', headers={'X-User': '2'}, status=400)


def test_one_click_post_of_a_mail_client_without_session_nor_csrf():
    """RFC 8058: the body is ``List-Unsubscribe=One-Click``; Odoo's route
    wrapper drops it when ``mailing_unsubscribe`` is called with
    ``**post``: the port does not pass it."""
    app, env = make_app()
    query = '&'.join(f'{k}={v}' for k, v in link(2).items())
    response = app.post(
        f'/mailing/2/unsubscribe_oneclick?{query}',
        {'List-Unsubscribe': 'One-Click'},
    )
    assert (response.status_int, response.body) == (200, b'')
    assert env['mail.blacklist']._get('ann@example.com').active is True
    app.get('/mailing/2/unsubscribe_oneclick', link(2), status=405)


def test_calling_a_handler_with_arguments_it_does_not_take_is_a_typeerror():
    """What the port avoids: Odoo's ``self.mailing_unsubscribe(...,
    **post)``, copied as it is, fails for every one-click POST."""

    class AsInOdoo(MassMailController):
        @route()
        def mailing_unsubscribe_oneclick(self, mailing_id, **post):
            self.mailing_unsubscribe(mailing_id, **post)
            return 'unreachable'  # pragma: no cover

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(AsInOdoo)
    app = TestApp(config.make_wsgi_app())
    try:
        app.post(
            '/mailing/2/unsubscribe_oneclick',
            {'List-Unsubscribe': 'One-Click'},
        )
    except TypeError as e:  # no exception view: WebTest sees it
        assert "unexpected keyword argument 'List-Unsubscribe'" in str(e)
    else:  # pragma: no cover
        raise AssertionError('the call did not fail')


def test_confirm_page_then_its_form_posted_with_the_csrf_token():
    app, env = make_app()
    values = rendered(app.get('/mailing/1/confirm_unsubscribe', link(1)))[
        'values'
    ]
    assert values['unsubscribed_str'] == (
        'Are you sure you want to unsubscribe from the mailing list '
        '"Newsletter"?'
    )
    form = dict(link(1), mailing_id='1')
    app.post('/mailing/confirm_unsubscribe', form, status=400)  # no token
    form['csrf_token'] = app.get('/token').text
    body = rendered(app.post('/mailing/confirm_unsubscribe', form))
    assert body['values']['success_str'] == 'Successfully unsubscribed!'
    assert body['values']['settings_url'].startswith('/mailing/1/unsubscribe?')
    assert env['mailing.list'].browse(1).opted_out == ['ann@example.com']
    # the confirmation of a mailing that does not exist: 401
    app.get('/mailing/99/confirm_unsubscribe', link(99), status=401)
    # mailing_id is required: 400 (Odoo: a TypeError, 500)
    del form['mailing_id']
    app.post('/mailing/confirm_unsubscribe', form, status=400)


def test_blocklist_json_routes_answer_strings_for_bad_credentials():
    app, env = make_app()

    def call(url, **params):
        body = {'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': params}
        return app.post_json(url, body).json['result']

    credentials = dict(link(2), mailing_id=2)
    assert call('/mailing/blocklist/add', **credentials) is True
    assert env['mail.blacklist']._get('ann@example.com').active is True
    assert call('/mailing/blocklist/remove', **credentials) is True
    assert env['mail.blacklist']._get('ann@example.com').active is False
    assert call('/mailing/blocklist/add') == 'error'  # anonymous, no token
    assert call('/mailing/blocklist/remove') == 'error'
    wrong = dict(credentials, hash_token='forged')
    assert call('/mailing/blocklist/add', **wrong) == 'unauthorized'
    assert call('/mailing/blocklist/remove', **wrong) == 'unauthorized'
    # a logged-in user's own address, no mailing
    response = app.post_json(
        '/mailing/blocklist/add',
        {'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {}},
        headers={'X-User': '2'},
    )
    assert response.json['result'] is True
    assert env['mail.blacklist']._get('clerk@example.com').message == (
        'Blocklist request from portal'
    )


def test_placeholder_link_is_moved_to_my_subscriptions():
    app, _env = make_app()
    response = app.get('/unsubscribe_from_list', status=301)
    assert response.location == 'http://localhost/mailing/my'


def test_open_tracking_gif():
    app, env = make_app()
    response = app.get(f'/mail/track/5/{sign("mail", 5)}/blank.gif')
    assert (response.content_type, response.body) == ('image/gif', GIF)
    assert env['mailing.trace'].search([('mail_id', '=', 5)])
    app.get(f'/mail/track/6/{sign("mail", 5)}/blank.gif', status=401)


def test_tracked_link_goes_to_another_site():
    app, env = make_app()
    response = app.get('/r/abc/m/3', headers={'X-Country': 'BE'}, status=301)
    assert response.location == 'https://odoo.example/pricing'
    click = env['link.tracker.click'].browse(1)
    assert (click.code, click.country_code, click.mailing_trace_id) == (
        'abc',
        'BE',
        3,
    )
    app.get('/r/nope/m/3', status=404)


def test_report_opt_out_from_a_signed_link():
    app, env = make_app()
    params = env['ir.config_parameter'].params
    app.get(
        '/mailing/report/unsubscribe',
        {'token': 'x', 'user_id': '2'},
        status=401,
    )
    app.get(
        '/mailing/report/unsubscribe',
        {'token': 'x', 'user_id': '9'},
        status=401,
    )
    app.get(
        '/mailing/report/unsubscribe',
        {'token': '', 'user_id': '1'},
        status=400,
    )
    app.get(
        '/mailing/report/unsubscribe', {'token': 'x'}, status=400
    )  # missing
    assert params['mass_mailing.mass_mailing_reports'] is True
    token = sign('report', 1)
    body = rendered(
        app.get(
            '/mailing/report/unsubscribe', {'token': token, 'user_id': '1'}
        )
    )
    assert body['template'] == 'mass_mailing.mailing_report_deactivated'
    assert params['mass_mailing.mass_mailing_reports'] is False
