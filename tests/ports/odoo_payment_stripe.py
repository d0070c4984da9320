"""Port of Odoo 17's ``payment_stripe`` controller to Pyramid with
pyramid_hooks.

Original: ``addons/payment_stripe/controllers/main.py``
(``StripeController``: ``stripe_return``, ``stripe_webhook`` with
``_verify_notification_signature``, the Apple Pay domain association
file).  Stripe's API, the transactions and the refund events are faked or
left out (``tests/ports/test_odoo_payment_stripe.py``).

Odoo -> Pyramid:

- the URLs as class attributes used in the class body
  (``@route(_webhook_url, ...)``): the same, plain Python;
- ``csrf=False`` on the webhook (Stripe cannot send a token; the signature
  is its defence) and ``methods=['POST']``: the same;
- ``request.get_json_data()`` -> ``request.json_body``;
  ``request.httprequest.data`` -> ``request.body``;
  ``request.httprequest.headers`` -> ``request.headers``;
- ``raise Forbidden()`` in the signature check -> ``HTTPForbidden``, but
  **returned** by the handler, not raised: a raised one goes to the
  application's forbidden view, which in the login recipe of
  ``controllers.rst`` sends anonymous visitors (Stripe is one) to the
  login page with a ``303``;
- ``request.make_json_response('')`` -> ``request.make_response`` of
  ``'""'`` as ``application/json``;
- ``request.redirect('/payment/status')`` -> the application's local
  ``request.redirect`` (``tests/ports/odoo_auth_signup.py``).
"""

import hashlib
import hmac
import json
import time

from pyramid.httpexceptions import HTTPForbidden

from pyramid_hooks import Controller, route

HANDLED_WEBHOOK_EVENTS = (
    'payment_intent.processing',
    'payment_intent.amount_capturable_updated',
    'payment_intent.succeeded',
    'payment_intent.payment_failed',
)


class ValidationError(Exception):
    """``odoo.exceptions.ValidationError``."""


def make_json_response(request, data, status=200):
    """``request.make_json_response``."""
    return request.make_response(
        json.dumps(data),
        [('Content-Type', 'application/json; charset=utf-8')],
        status=status,
    )


class StripeController(Controller):
    _return_url = '/payment/stripe/return'
    _webhook_url = '/payment/stripe/webhook'
    _apple_pay_domain_association_url = (
        '/.well-known/apple-developer-merchantid-domain-association'
    )
    WEBHOOK_AGE_TOLERANCE = 10 * 60  # seconds

    @route(_return_url, type='http', methods=['GET'], auth='public')
    def stripe_return(self, **data):
        """Customers come back from Stripe here: the transaction named in
        the URL is updated, and the customer sent to the status page."""
        transactions = self.request.env['payment.transaction']
        tx_sudo = transactions._get_tx_from_notification_data('stripe', data)
        payment_intent = tx_sudo.provider_id._stripe_make_request(
            f'payment_intents/{data.get("payment_intent")}'
        )
        self._include_payment_intent_in_notification_data(payment_intent, data)
        tx_sudo._handle_notification_data('stripe', data)
        return self.request.redirect('/payment/status')

    @route(_webhook_url, type='http', methods=['POST'], auth='public',
           csrf=False)  # fmt: skip
    def stripe_webhook(self):
        """Stripe's notifications: an empty JSON string acknowledges."""
        event = self.request.json_body
        try:
            if event['type'] in HANDLED_WEBHOOK_EVENTS:
                stripe_object = event['data']['object']
                data = {
                    'reference': stripe_object.get('description'),
                    'event_type': event['type'],
                    'object_id': stripe_object['id'],
                }
                transactions = self.request.env['payment.transaction']
                tx_sudo = transactions._get_tx_from_notification_data(
                    'stripe', data
                )
                refusal = self._verify_notification_signature(tx_sudo)
                if refusal is not None:
                    return refusal  # Odoo raises Forbidden
                self._include_payment_intent_in_notification_data(
                    stripe_object, data
                )
                tx_sudo._handle_notification_data('stripe', data)
        except ValidationError:
            # acknowledge the notification to avoid getting spammed
            pass
        return make_json_response(self.request, '')

    @staticmethod
    def _include_payment_intent_in_notification_data(
        payment_intent, notification_data
    ):
        notification_data.update(
            {
                'payment_intent': payment_intent,
                'payment_method': payment_intent.get('payment_method'),
            }
        )

    def _verify_notification_signature(self, tx_sudo):
        """``None`` if the ``Stripe-Signature`` header signs the body, else
        the ``HTTPForbidden`` to answer (Odoo raises it)."""
        webhook_secret = tx_sudo.provider_id.stripe_webhook_secret
        if not webhook_secret:
            return None  # ignored: no secret configured

        notification_payload = self.request.body.decode('utf-8')
        signature_entries = self.request.headers.get(
            'Stripe-Signature', ''
        ).split(',')
        signature_data = dict(
            entry.split('=', 1) for entry in signature_entries if '=' in entry
        )

        timestamp = signature_data.get('t', '0')
        # Odoo's int() is a 500 for a bad value; ASCII digits, bounded
        digits = timestamp.isascii() and timestamp.isdigit()
        event_timestamp = (
            int(timestamp) if digits and len(timestamp) < 20 else 0
        )
        if not event_timestamp:
            return HTTPForbidden()
        if time.time() - event_timestamp > self.WEBHOOK_AGE_TOLERANCE:
            return HTTPForbidden()

        received_signature = signature_data.get('v1')
        if not received_signature:
            return HTTPForbidden()

        signed_payload = f'{event_timestamp}.{notification_payload}'
        expected_signature = hmac.new(
            webhook_secret.encode('utf-8'),
            signed_payload.encode('utf-8'),
            hashlib.sha256,
        ).hexdigest()
        # bytes: compare_digest refuses a str holding non-ASCII (a 500)
        if not hmac.compare_digest(
            received_signature.encode(), expected_signature.encode()
        ):
            return HTTPForbidden()
        return None

    @route(_apple_pay_domain_association_url, type='http', auth='public',
           csrf=False)  # fmt: skip
    def stripe_apple_pay_get_domain_association_file(self):
        """The file Apple reads to check the domain."""
        return self.request.registry.settings['stripe.apple_pay_association']
