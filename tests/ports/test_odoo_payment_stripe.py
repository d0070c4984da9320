"""Odoo 17's payment_stripe controller, ported
(tests/ports/odoo_payment_stripe.py): Stripe's webhook signed with a
secret, the return URL, the Apple Pay file, in an application whose
forbidden view sends anonymous visitors to the login page (the recipe
of controllers.rst)."""

import hashlib
import hmac
import json
import time

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import route
from tests.ports.odoo_fakes import Env, Model, Record
from tests.ports.odoo_payment_stripe import StripeController, ValidationError

SECRET = 'whsec_test'


class Provider(Record):
    def _stripe_make_request(self, endpoint, payload=None, method='POST'):
        return {'id': endpoint.split('/')[-1], 'status': 'succeeded',
                'payment_method': {'id': 'pm_1'}}  # fmt: skip


class Transaction(Record):
    def _handle_notification_data(self, provider, data):
        self.notifications.append(data)


class Transactions(Model):
    record_class = Transaction

    def _get_tx_from_notification_data(self, provider, data):
        found = self.search([('reference', '=', data.get('reference'))])
        if not found:
            raise ValidationError('No transaction found')
        return found[0]


def forbidden(request):
    """The login recipe's forbidden view: anonymous visitors log in."""
    if request.authenticated_userid is None:
        return HTTPSeeOther('/web/login')
    return HTTPForbidden()  # pragma: no cover - nobody logs in here


def make_app(*classes, secret=SECRET):
    env = Env()
    env['payment.provider'] = Model('payment.provider')
    env['payment.provider'].record_class = Provider
    provider = env['payment.provider'].create(
        {'stripe_webhook_secret': secret}
    )
    transactions = env['payment.transaction'] = Transactions(
        'payment.transaction'
    )
    transactions.create(
        {'reference': 'S0001', 'provider_id': provider, 'notifications': []}
    )
    config = Configurator(
        settings={'stripe.apple_pay_association': 'apple-file-content'}
    )
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.add_forbidden_view(forbidden)
    config.add_request_method(lambda r: env, 'env', reify=True)
    for cls in classes or (StripeController,):
        config.add_controller(cls)
    return TestApp(config.make_wsgi_app()), transactions.browse(1)


def event(reference='S0001', kind='payment_intent.succeeded'):
    return json.dumps(
        {'type': kind,
         'data': {'object': {'id': 'pi_1', 'description': reference,
                             'payment_method': 'pm_1'}}}
    ).encode()  # fmt: skip


def signature(body, at=None, secret=SECRET):
    at = int(time.time()) if at is None else at
    signed = hmac.new(
        secret.encode(), f'{at}.{body.decode()}'.encode(), hashlib.sha256
    ).hexdigest()
    return f't={at},v1={signed}'


def post(app, body, sig=None, status=200):
    headers = {'Content-Type': 'application/json'}
    if sig is not None:
        headers['Stripe-Signature'] = sig
    return app.post(
        '/payment/stripe/webhook', body, headers=headers, status=status
    )


def test_signed_webhook_is_handled_without_a_csrf_token():
    """``csrf=False``: Stripe posts without a token (and the session
    factory is there: the token would be checked)."""
    app, tx = make_app()
    body = event()
    response = post(app, body, signature(body))
    assert response.json == ''
    assert response.content_type == 'application/json'
    (data,) = tx.notifications
    assert data['payment_intent']['id'] == 'pi_1'
    assert data['event_type'] == 'payment_intent.succeeded'


def test_bad_signatures_are_a_403_not_a_login_redirect():
    app, tx = make_app()
    body = event()
    for sig in (
        None,
        't=1,v1=abc',  # too old
        signature(body, secret='other'),
        signature(body).replace('v1=', 'v0='),
        't=²,v1=abc',  # int() reads it: Odoo's 500
        f't={int(time.time())},v1=é',  # compare_digest: Odoo's 500
    ):
        post(app, body, sig, status=403)
    assert tx.notifications == []


def test_unknown_or_unhandled_events_are_acknowledged():
    app, tx = make_app()
    body = event(reference='S9999')
    assert post(app, body, signature(body)).json == ''
    body = event(kind='charge.dispute.created')
    assert post(app, body).json == ''
    assert tx.notifications == []


def test_no_secret_configured_skips_the_check():
    app, tx = make_app(secret='')
    post(app, event())
    assert len(tx.notifications) == 1


def test_webhook_is_post_only():
    app, _tx = make_app()
    response = app.get('/payment/stripe/webhook', status=405)
    assert response.headers['Allow'] == 'POST'


def test_return_redirects_to_the_status_page():
    app, tx = make_app()
    response = app.get(
        '/payment/stripe/return?reference=S0001&payment_intent=pi_9'
    )
    assert response.status_int == 303
    assert response.location == 'http://localhost/payment/status'
    assert tx.notifications[0]['payment_intent']['id'] == 'pi_9'
    app.post('/payment/stripe/return', status=405)


def test_apple_pay_file_at_a_well_known_url():
    app, _tx = make_app()
    response = app.get(
        '/.well-known/apple-developer-merchantid-domain-association'
    )
    assert response.text == 'apple-file-content'
    # csrf=False: a POST is served too (no methods=), as in Odoo
    assert app.post(
        '/.well-known/apple-developer-merchantid-domain-association'
    ).text == ('apple-file-content')


class RaisingStripe(StripeController):
    """The webhook as Odoo writes it: ``raise Forbidden()``."""

    @route()
    def stripe_webhook(self):
        if self._verify_notification_signature(self.request.env[
                'payment.transaction'].browse(1)) is not None:  # fmt: skip
            raise HTTPForbidden()
        return super().stripe_webhook()


def test_a_raised_forbidden_goes_to_the_forbidden_view():
    """The trap: a raised ``HTTPForbidden`` is answered by the
    application's forbidden view, which sends Stripe (anonymous) to the
    login page: a 303, not Odoo's 403.  The port returns it instead."""
    app, _tx = make_app(StripeController, RaisingStripe)
    response = post(app, event(), 't=1,v1=abc', status=303)
    assert response.location == 'http://localhost/web/login'
