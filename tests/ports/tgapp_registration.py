"""Port of tgapp-registration 0.9.6 to Pyramid with pyramid_hooks.

Original: ``registration/__init__.py`` (``plugme``,
``register_dal_interface``), ``registration/controllers/root.py``
(``RootController``), ``registration/lib/__init__.py`` (``get_form``,
``send_email``) and ``registration/model`` (``Registration``, the DAL
interface ``IRegistration``, ``DalIntegrityError``).  The SQLAlchemy/Ming
DALs are replaced by any object with the ``IRegistration`` methods (the
tests use a dict-backed one), the tw2 form by a small validator, the
Genshi/Kajiki templates by the ``json`` renderer; mail goes through the
tgext.mailer port (``tests/ports/tgext_mailer.py``).

TurboGears -> Pyramid:

- ``milestones.config_ready.register(...)`` -> an ``initialized_config``
  listener, which mounts the controller there (``config.add_route``,
  ``config.scan``) from the final settings;
- ``hooks.register('after_wsgi_middlewares', register_dal_interface)`` ->
  ``config.register_hook('after_wsgi_middlewares', ...)``;
- ``hooks.notify('registration.on_complete', (reg, email_data))`` ->
  ``request.hooks.notify('on_complete', reg, email_data,
  namespace='registration')``, the namespace declared by the plugin with
  ``config.add_hook_namespace('registration')`` and ``config.add_hook``;
- ``@expose(template)`` + ``@validate(form, error_handler=index)`` on a
  method -> ``@view_config(renderer=..., validate=...,
  error_handler=index)``, ``index`` the function of the class body (called
  on an instance of the class, as TurboGears does);
- ``@require(predicates.has_permission(p))`` -> ``permission=p``;
- ``tg.config`` -> ``request.registry.settings``; ``flash`` ->
  ``request.session.flash``; ``redirect(url)`` -> ``HTTPFound``;
  validated values -> ``request.hook_params``.
"""

import logging
import secrets
from datetime import datetime

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from pyramid_hooks import Invalid
from tests.ports.tgext_mailer import Message, get_mailer

log = logging.getLogger('tgapp-registration')

CONFIG_KEY = '_pluggable_registration_config'

#: The hooks the plugin notifies, and what their listeners receive.
HOOKS = {
    'before_registration_form': ('kw',),
    'before_registration': ('kw',),
    'after_registration': ('registration', 'kw'),
    'on_complete': ('registration', 'email_data'),
    'before_activation': ('registration', 'user'),
    'after_activation': ('registration', 'user'),
}


class DalIntegrityError(Exception):
    """The DAL could not store an entity (e.g. a duplicate user name)."""


class Registration:
    """A pending registration (the models' ``Registration``)."""

    def __init__(self, user_name, email_address, password, code):
        self.user_name = user_name
        self.email_address = email_address
        self.password = password
        self.code = code
        self.time = datetime.now()
        self.activated = None
        self.user_id = None
        self.activation_link = None

    @property
    def dictified(self):
        return {
            'user_name': self.user_name,
            'email_address': self.email_address,
            'code': self.code,
            'activation_link': self.activation_link,
        }

    @classmethod
    def generate_code(cls, email):
        return secrets.token_urlsafe(16)


class RegistrationForm:
    """The registration form's fields and their validation."""

    fields = ('user_name', 'email_address', 'password', 'password_confirm')

    def validate(self, dal, params):
        errors = {}
        for name in self.fields:
            if not params.get(name):
                errors[name] = 'Please enter a value'
        email = params.get('email_address', '')
        if email and '@' not in email:
            errors['email_address'] = 'An email address must contain an @'
        elif email and dal.get_user_by_email(email) is not None:
            errors['email_address'] = 'Email address has already been taken'
        user_name = params.get('user_name')
        if user_name and dal.get_user_by_user_name(user_name) is not None:
            errors['user_name'] = 'Username already in use.'
        if params.get('password') != params.get('password_confirm'):
            errors['password_confirm'] = 'Passwords do not match'
        if errors:
            raise Invalid(errors)
        return {name: params[name] for name in self.fields}


def get_form(settings):
    reg_config = settings[CONFIG_KEY]
    registration_form = reg_config.get('form_instance')
    if not registration_form:
        form_class = reg_config.get('form', RegistrationForm)
        registration_form = reg_config['form_instance'] = form_class()
    return registration_form


def validate_registration(request, params):
    settings = request.registry.settings
    return get_form(settings).validate(settings['registration_dal'], params)


def validate_email(request, params):
    if not params.get('email'):
        raise Invalid({'email': 'Please enter a value'})
    return {'email': params['email']}


def validate_code(request, params):
    if not params.get('code'):
        raise Invalid({'code': 'Please enter a value'})
    return {'code': params['code']}


def send_email(request, to_addr, sender, subject, body, rich=None):
    mailer = get_mailer(request)
    message_to_send = Message(
        subject=subject,
        sender=sender,
        recipients=[to_addr],
        body=body,
        html=rich or None,
    )
    if request.registry.settings.get('tm.enabled', False):
        mailer.send(message_to_send)
    else:
        mailer.send_immediately(message_to_send)


class RootController:
    def __init__(self, request):
        self.request = request
        self.settings = request.registry.settings
        self.dal = self.settings['registration_dal']
        self.mount_point = self.settings[CONFIG_KEY]['mount_point']

    def notify(self, hook, *args):
        self.request.hooks.notify(hook, *args, namespace='registration')

    @view_config(route_name='registration.index', renderer='json')
    def index(self):
        kw = dict(self.request.params)
        self.notify('before_registration_form', kw)
        self.dal.clear_expired()
        return {
            'form': list(get_form(self.settings).fields),
            'value': kw,
            'errors': getattr(self.request, 'validation_errors', {}),
            'action': self.mount_point + '/submit',
        }

    @view_config(
        route_name='registration.admin',
        renderer='json',
        permission='registration-admin',
    )
    def admin(self):
        self.dal.clear_expired()
        pending_activation = self.dal.pending_activation()
        return {'registrations': [r.dictified for r in pending_activation]}

    @view_config(
        route_name='registration.submit',
        renderer='json',
        request_method='POST',
        validate=validate_registration,
        error_handler=index,
    )
    def submit(self):
        kw = self.request.hook_params
        self.notify('before_registration', kw)

        new_reg = self.dal.new(**kw)

        self.notify('after_registration', new_reg, kw)
        return HTTPFound(
            self.request.route_url(
                'registration.complete',
                _query={'email': new_reg.email_address},
            )
        )

    @view_config(
        route_name='registration.complete',
        renderer='json',
        validate=validate_email,
        error_handler=index,
    )
    def complete(self):
        email = self.request.hook_params['email']
        reg = self.dal.by_email(email)
        if not reg:
            return HTTPFound(self.mount_point)
        email_data = self.complete_registration(self.request, reg)
        return {'email': email, 'email_data': email_data}

    @view_config(
        route_name='registration.activate',
        renderer='json',
        validate=validate_code,
        error_handler=index,
    )
    def activate(self):
        session = self.request.session
        code = self.request.hook_params['code']
        reg = self.dal.get_inactive(code)
        if not reg:
            session.flash('Registration not found or already activated')
            return HTTPFound(self.mount_point)

        u = self.dal.make_user(
            user_name=reg.user_name,
            display_name=reg.user_name,
            email_address=reg.email_address,
            password=reg.password,
        )
        self.notify('before_activation', reg, u)

        try:
            u = self.dal.out_of_uow_flush(u)
        except DalIntegrityError:
            session.flash('Username already activated')
            return HTTPFound(self.mount_point)

        reg.user_id = u.user_id
        reg.password = '******'
        reg.activated = datetime.now()

        self.notify('after_activation', reg, u)

        session.flash('Account successfully activated')
        return HTTPFound('/')

    @classmethod
    def complete_registration(cls, request, registration):
        settings = request.registry.settings
        registration.activation_link = request.route_url(
            'registration.activate', _query={'code': registration.code}
        )
        registration_config = settings[CONFIG_KEY]
        mail_body = registration_config.get(
            'mail_body',
            'Please click on this link to confirm your registration',
        )
        if '%(activation_link)s' not in mail_body:
            mail_body += '\n \n %(activation_link)s'

        email_data = {
            'sender': settings['registration.email_sender'],
            'subject': registration_config.get(
                'mail_subject', 'Please confirm your registration'
            ),
            'body': mail_body,
            'rich': registration_config.get('mail_rich', ''),
        }
        request.hooks.notify(
            'on_complete', registration, email_data, namespace='registration'
        )

        email_data['body'] = email_data['body'] % registration.dictified
        email_data['rich'] = email_data['rich'] % registration.dictified

        send_email(request, registration.email_address, **email_data)
        return email_data


def mount_registration(config, settings):
    """``initialized_config`` listener: mount the controller at the
    ``mount_point`` option (default ``/registration``)."""
    mount_point = settings[CONFIG_KEY].setdefault(
        'mount_point', '/registration'
    )
    for name in ('index', 'admin', 'submit', 'complete', 'activate'):
        path = mount_point if name == 'index' else f'{mount_point}/{name}'
        config.add_route(f'registration.{name}', path)
    config.scan(__name__)


class register_dal_interface:
    """``after_wsgi_middlewares`` listener: the DAL the plugin uses."""

    def __init__(self, settings):
        self.settings = settings

    def __call__(self, app):
        dal_factory = self.settings[CONFIG_KEY].get('dal')
        if dal_factory is None:
            raise ValueError('registration should be given its dal=')
        log.info('initializing registration with %r', dal_factory)
        self.settings['registration_dal'] = dal_factory()
        return app


def plugme(config, **options):
    """What ``plug(base_config, 'registration', **options)`` did."""
    config.add_settings({CONFIG_KEY: options})
    config.add_hook_namespace('registration')
    for name, args in HOOKS.items():
        config.add_hook(name, args=args, namespace='registration')
    config.register_hook(
        'after_wsgi_middlewares',
        register_dal_interface(config.registry.settings),
    )
    config.register_hook('initialized_config', mount_registration)
    return {'appid': 'registration', 'global_helpers': False}
