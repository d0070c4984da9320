"""Port of tgapp-resetpassword 0.2.7 to Pyramid with pyramid_hooks.

Original: ``resetpassword/__init__.py`` (``plugme``),
``resetpassword/controllers/root.py`` (``RootController``),
``resetpassword/lib/__init__.py`` (``generate_token``, ``send_email``),
``resetpassword/lib/forms.py`` and ``resetpassword/lib/validators.py``
(``ResetPasswordForm``, ``NewPasswordForm``, ``RegisteredUserValidator``).
The sprox provider is any object with ``query(model, filters=...)``
(the tests use the tgext.crud port's in-memory one), the tw2 forms small
validators, the templates the ``json`` renderer; mail goes through the
tgext.mailer port.

TurboGears -> Pyramid:

- ``class RootController(TGController)`` mounted by tgext.pluggable at
  ``/resetpassword`` -> a :class:`~pyramid_hooks.Controller` activated
  under ``config.route_prefix_context(mount_point)``; its ``index`` is
  ``/resetpassword/`` (a controller route cannot be the prefix itself:
  the application's ``append_slash`` not-found view redirects
  ``/resetpassword``);
- ``@validate(form, error_handler=index)`` -> ``validate=`` and
  ``error_handler='index'`` (``change_password`` for ``save_password``,
  which receives the submitted ``data`` as TurboGears passes it); the
  failing routes get their error handler's ``renderer='json'``: its
  result goes through theirs (TurboGears uses the error handler's own
  ``@expose``), and ``reset_request``, which redirects, had none;
- ``tg.hooks.notify_with_value('resetpassword.on_begin_reset_request',
  value)`` -> ``request.hooks.notify_with_value(...)`` under the same
  dotted name (the default namespace); ``tg.hooks.notify(name,
  args=(...))`` -> ``request.hooks.notify(name, *args)``;
- ``self.mount_point`` / ``plug_url`` -> ``request.route_url`` of the
  handler's route; ``redirect(url)`` -> ``HTTPFound``; ``flash`` ->
  ``request.session.flash``;
- ``/change_password/`` (the mail's link, with the slash object dispatch
  ignores) -> both patterns in the route list;
- ``tg.config['session.secret']`` -> ``request.registry.settings``.
- itsdangerous' ``URLSafeSerializer`` -> WebOb's ``SignedSerializer``
  (:func:`token_serializer`): no dependency WebOb does not cover.
"""

from datetime import datetime

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPFound
from webob.cookies import SignedSerializer

from pyramid_hooks import Controller, Invalid, route
from tests.ports.tgext_mailer import Message, get_mailer

CONFIG_KEY = '_pluggable_resetpassword_config'

MAIL_BODY = """
We've received a request to reset the password for this account.
Please click this link to reset your password:

%(password_reset_link)s

If you no longer wish to make the above change, or if you did not initiate
this request, please disregard and/or delete this e-mail.
"""


def _options(request):
    return request.registry.settings[CONFIG_KEY]


def _users(request, email_address):
    options = _options(request)
    _, users = options['provider'].query(
        options['user_model'], filters={'email_address': email_address}
    )
    return users


def check_reset_request(request, params):
    """``ResetPasswordForm``: ``email_address`` required, of a user
    (``RegisteredUserValidator``)."""
    email = params.get('email_address')
    if not email:
        raise Invalid({'email_address': 'Enter a value'})
    if '@' not in email:
        raise Invalid({'email_address': 'An email address must contain a @'})
    if not _users(request, email):
        raise Invalid({'email_address': 'User not found'})
    return params


def check_new_password(request, params):
    """``NewPasswordForm``: both fields required, and equal
    (``FieldsMatch``)."""
    errors = {
        name: 'Enter a value'
        for name in ('password', 'password_confirm')
        if not params.get(name)
    }
    if not errors and params['password'] != params['password_confirm']:
        errors['password_confirm'] = 'Fields do not match'
    if errors:
        raise Invalid(errors)
    return params


def token_serializer(secret):
    """itsdangerous' ``URLSafeSerializer`` -> WebOb's ``SignedSerializer``
    (JSON, signed, URL-safe base64; a bad signature is a ``ValueError``)."""
    return SignedSerializer(secret, 'resetpassword')


def _serializer(request):
    return token_serializer(request.registry.settings['session.secret'])


def generate_token(request, user, redirect_to='/'):
    return (
        _serializer(request)
        .dumps(
            {
                'request_date': datetime.utcnow().strftime('%m/%d/%Y %H:%M'),
                'email_address': user.email_address,
                'password_frag': user.password[0:4],
                'redirect_to': redirect_to,
            }
        )
        .decode('ascii')
    )


def send_email(request, to_addr, sender, subject, body, rich=None):
    message = Message(
        subject=subject,
        sender=sender,
        recipients=[to_addr],
        body=body,
        html=rich or None,
    )
    get_mailer(request).send_immediately(message)


class RootController(Controller):
    @route('/', auth='public', renderer='json')
    def index(self, **kw):
        return {
            'form': ['email_address'],
            'csrf_token': get_csrf_token(self.request),
            'errors': getattr(self.request, 'validation_errors', {}),
            'flash': self.request.session.pop_flash()
            + self.request.session.pop_flash('error'),
            'action': self.request.route_path(
                'tests.ports.tgapp_resetpassword.RootController.reset_request'
            ),
        }

    @route(
        '/reset_request',
        auth='public',
        validate=check_reset_request,
        error_handler='index',
        renderer='json',  # index answers through it (see the docstring)
    )
    def reset_request(self, email_address, **kw):
        request = self.request
        hooks = request.hooks
        (user,) = _users(request, email_address)[:1]
        begin = hooks.notify_with_value(
            'resetpassword.on_begin_reset_request',
            {'user': user, 'redirect_to': None},
        )
        link = request.route_url(
            'tests.ports.tgapp_resetpassword.RootController.change_password',
            _query={
                'data': generate_token(request, user, begin['redirect_to'])
            },
        )
        options = _options(request)
        email_data = {
            'sender': request.registry.settings['resetpassword.email_sender'],
            'subject': options.get('mail_subject', 'Password reset request'),
            'body': options.get('mail_body', MAIL_BODY),
            'rich': options.get('mail_rich', ''),
        }
        hooks.notify('resetpassword.on_request', user, email_data, link)
        email_data['body'] %= {'password_reset_link': link}
        email_data['rich'] %= {'password_reset_link': link}
        send_email(request, user.email_address, **email_data)
        request.session.flash('Password reset request sent')
        redirect_url = hooks.notify_with_value(
            'resetpassword.before_redirect', None
        )
        return HTTPFound(redirect_url or request.route_url(_INDEX))

    @route(
        ['/change_password', '/change_password/'],
        auth='public',
        renderer='json',
    )
    def change_password(self, data=None, **kw):
        request = self.request
        if data is None:
            request.session.flash('Invalid password reset request', 'error')
            return HTTPFound(request.route_url(_INDEX))
        try:
            deserialized = _serializer(request).loads(data)
        except ValueError:  # the original lets it raise: a 500
            request.session.flash('Invalid password reset request', 'error')
            return HTTPFound(request.route_url(_INDEX))
        (user,) = _users(request, deserialized['email_address'])[:1]
        request.hooks.notify(
            'resetpassword.before_render_change_password_template',
            user,
            deserialized,
        )
        return {
            'form': ['data', 'password', 'password_confirm'],
            'form_data': {'data': data},
            'csrf_token': get_csrf_token(request),
            'errors': getattr(request, 'validation_errors', {}),
            'action': request.route_path(
                'tests.ports.tgapp_resetpassword.RootController.save_password'
            ),
        }

    @route(
        '/save_password',
        auth='public',
        methods=['POST'],
        validate=check_new_password,
        error_handler='change_password',
        renderer='json',  # change_password answers through it
    )
    def save_password(self, data, password, **kw):
        request = self.request
        session = request.session
        try:
            deserialized = _serializer(request).loads(data)
        except ValueError:
            session.flash('Invalid password reset request', 'error')
            return HTTPFound(request.route_url(_INDEX))
        request_date = datetime.strptime(
            deserialized['request_date'], '%m/%d/%Y %H:%M'
        )
        (user,) = _users(request, deserialized['email_address'])[:1]
        if abs((datetime.now() - request_date).days) > 1:
            session.flash('Password reset request timed out', 'error')
            return HTTPFound(request.route_url(_INDEX))
        if user.password[0:4] != deserialized['password_frag']:
            session.flash('Invalid password reset request', 'error')
            return HTTPFound(request.route_url(_INDEX))
        user.password = password
        session.flash('Password changed successfully')
        return HTTPFound(deserialized.get('redirect_to') or '/')


_INDEX = 'tests.ports.tgapp_resetpassword.RootController.index'


def plugme(config, mount_point='/resetpassword', **options):
    """What ``plug(base_config, 'resetpassword', **options)`` did:
    *options* hold ``provider`` and ``user_model`` (the original's
    ``model.provider`` and ``app_model.User``)."""
    config.add_settings({CONFIG_KEY: options})
    with config.route_prefix_context(mount_point):
        config.add_controller(RootController)
    return {'appid': 'resetpassword', 'global_helpers': False}
