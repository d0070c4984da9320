"""Port of tgapp-userprofile 0.3.6 to Pyramid with pyramid_hooks.

Original: ``userprofile/__init__.py`` (``plugme``),
``userprofile/controllers/root.py`` (``RootController``),
``userprofile/lib/__init__.py`` (``create_user_form``, ``get_user_data``,
``get_profile_data``, ``update_user_data``, ``send_email``,
``_get_user_gravatar``) and ``userprofile/model/sqla/models.py``
(``ProfileActivation``).  The sprox provider is the tgext.crud port's
in-memory one, the tw2 form a list of fields and a small validator, the
Kajiki templates a renderer for ``.kajiki`` names that answers JSON
(:func:`kajiki_stand_in`); mail goes through the tgext.mailer port, the
password reset through the tgapp-resetpassword port.  The avatar upload
(``ImageField``), the css and ``fbauth`` are left out.

TurboGears -> Pyramid:

- ``plug(app_config, 'resetpassword')`` and ``plug(app_config,
  'tgext.mailer')`` unless ``plugged(...)`` -> the resetpassword port's
  ``plugme`` unless its settings are there, and
  ``config.include('tests.ports.tgext_mailer')``, which Pyramid runs once
  per configuration whoever includes it;
- ``@require(predicates.not_anonymous())`` -> ``auth='user'`` (the
  default); ``request.identity['user']`` -> the security policy's
  ``request.identity``, the user;
- ``form.validate(kw)`` in the handler, and on ``ValidationError``
  ``override_template(self.save, 'kajiki:userprofile.templates.edit')``
  and the edit page's dict -> the same in the handler, with
  ``self.request.override_renderer``: the route has a ``renderer=``
  (Pyramid overrides a renderer, it does not add one), here the edit
  page's;
- ``kw.pop('nothing')`` (the form's hidden field, a ``KeyError`` when it
  is missing: a 500) -> ``kw.pop('nothing', None)``;
- ``redirect(plug_url('userprofile', '/'))`` -> ``HTTPFound`` to the
  index route; ``flash`` -> ``request.session.flash``; ``abort(404)`` ->
  ``HTTPNotFound``;
- ``ProfileActivation.activation_link`` (``url(mount_point(...) +
  '/activate', qualified=True)``, with TurboGears' request in a thread
  local) -> :func:`activation_link` with the request;
- ``tg.config['_pluggable_userprofile_config']`` and
  ``config['userprofile.email_sender']`` -> ``request.registry.settings``.
"""

import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from hashlib import md5, sha1
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPFound, HTTPNotFound

from pyramid_hooks import Controller, Invalid, route
from tests.ports import tgapp_resetpassword
from tests.ports.tgext_crud import MemoryProvider
from tests.ports.tgext_mailer import Message, get_mailer

CONFIG_KEY = '_pluggable_userprofile_config'
INDEX = 'tests.ports.tgapp_userprofile.RootController.index'
EDIT = 'userprofile:templates/edit.kajiki'


def kajiki_stand_in(info):
    """The Kajiki templates, as a renderer of ``.kajiki`` names: the
    template's name and its values, in JSON."""

    def render(values, system):
        system['request'].response.content_type = 'application/json'
        return json.dumps({'template': info.name, **values}, default=str)

    return render


@dataclass
class ProfileActivation:
    old_email_address: str
    email_address: str
    activation_code: str
    activated: datetime = None
    _id: int = None

    fields = ('old_email_address', 'email_address', 'activation_code')

    @classmethod
    def generate_activation_code(cls, email):
        return hmac.new(
            email.encode(), str(datetime.now()).encode(), sha1
        ).hexdigest()


def _options(request):
    return request.registry.settings[CONFIG_KEY]


def by_code(request, code):
    _, found = _options(request)['activations'].query(
        ProfileActivation, filters={'activation_code': code}
    )
    return next((a for a in found if a.activated is None), None)


def get_user(request, activation):
    options = _options(request)
    _, found = options['provider'].query(
        options['user_model'],
        filters={'email_address': activation.old_email_address},
    )
    return found[0] if found else None


def activation_link(request, activation):
    return request.route_url(
        'tests.ports.tgapp_userprofile.RootController.activate',
        _query={'activation_code': activation.activation_code},
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


def _get_user_gravatar(email_address):
    mhash = md5(email_address.encode('utf-8')).hexdigest()
    return 'http://www.gravatar.com/avatar/{}?{}'.format(
        mhash,
        urlencode({'s': 32}),
    )


def get_profile_data(user, default):
    return getattr(user, 'profile_data', default)


def get_user_data(user):
    user_data = get_profile_data(
        user,
        {
            'display_name': ('Display Name', user.display_name),
            'email_address': ('Email Address', user.email_address),
        },
    )
    user_avatar = user_data.pop('avatar', [None, None])[1]
    if user_avatar is None:
        user_avatar = _get_user_gravatar(user_data['email_address'][1])
    return user_data, user_avatar


def update_user_data(user, user_data):
    for k, v in user_data.items():
        setattr(user, k, v)


class UserForm:
    """``create_user_form``'s ``ListForm``: a ``Required`` text field per
    profile entry."""

    def __init__(self, user_data):
        self.fields = [
            {'id': name, 'label': info[0]} for name, info in user_data.items()
        ]

    def validate(self, kw):
        errors = {
            field['id']: 'Enter a value'
            for field in self.fields
            if not kw.get(field['id'])
        }
        if errors:
            raise Invalid(errors)
        return {field['id']: kw[field['id']] for field in self.fields}


def create_user_form(user):
    profile_form = getattr(user, 'profile_form', None)
    if not profile_form:
        user_data, _ = get_user_data(user)
        profile_form = UserForm(user_data)
    return profile_form


class RootController(Controller):
    @route(['', '/'], renderer='userprofile:templates/index.kajiki')
    def index(self):
        user = self.request.identity
        user_data, user_avatar = get_user_data(user)
        user_displayname = user_data.pop('display_name', (None, 'Unknown'))
        return {
            'user': get_profile_data(user, {'user_name': user.user_name}),
            'user_data': user_data,
            'user_avatar': user_avatar,
            'user_displayname': user_displayname,
            'user_partial': _options(self.request).get('user_partial'),
            'flash': self.request.session.pop_flash(),
        }

    @route('/edit', renderer=EDIT)
    def edit(self):
        user = self.request.identity
        _, user_avatar = get_user_data(user)
        return {
            'user': vars(user),
            'user_avatar': user_avatar,
            'form': create_user_form(user).fields,
        }

    @route('/save', renderer=EDIT)  # override_template's, see the docstring
    def save(self, **kw):
        request = self.request
        kw.pop('nothing', None)
        flash_message = 'Profile successfully updated'
        user = request.identity

        # validate the form
        form = create_user_form(user)
        try:
            kw = form.validate(kw)
        except Invalid as error:
            request.override_renderer = EDIT
            _, user_avatar = get_user_data(user)
            return {
                'user': kw,
                'user_avatar': user_avatar,
                'form': form.fields,
                'errors': error.errors,
            }

        # get the profile_save function that may be custom
        profile_save = getattr(user, 'save_profile', None) or update_user_data

        # we don't want to save the email until it is confirmed
        new_email = kw['email_address']
        kw['email_address'] = user.email_address
        profile_save(user, kw)

        if new_email != user.email_address:
            options = _options(request)
            activation = options['activations'].create(
                ProfileActivation,
                {
                    'old_email_address': user.email_address,
                    'email_address': new_email,
                    'activation_code': (
                        ProfileActivation.generate_activation_code(new_email)
                    ),
                },
            )
            mail_body = options.get(
                'mail_body',
                'Please click on this link to confermate your email address'
                '\n\n' + activation_link(request, activation),
            )
            email_data = {
                'sender': request.registry.settings[
                    'userprofile.email_sender'
                ],
                'subject': options.get(
                    'mail_subject', 'Please confirm your email'
                ),
                'body': mail_body,
                'rich': options.get('mail_rich', ''),
            }
            send_email(request, new_email, **email_data)
            flash_message += '.\n' + 'Confirm your email please'

        request.session.flash(flash_message)
        return HTTPFound(request.route_url(INDEX))

    @route('/activate', auth='public')
    def activate(self, activation_code, **kw):
        request = self.request
        activation = by_code(request, activation_code)
        if activation is None:
            raise HTTPNotFound()
        user = get_user(request, activation)
        user.email_address = activation.email_address
        activation.activated = datetime.utcnow()
        request.session.flash('email correctely updated')
        return HTTPFound(request.route_url(INDEX))

    @route('/reset_password')
    def reset_password(self, redirect_to='/'):
        request = self.request
        token = tgapp_resetpassword.generate_token(
            request, request.identity, redirect_to=redirect_to
        )
        return HTTPFound(
            request.route_url(
                'tests.ports.tgapp_resetpassword.RootController'
                '.change_password',
                _query={'data': token},
            )
        )


def plugme(config, mount_point='/userprofile', **options):
    """What ``plug(base_config, 'userprofile', **options)`` did:
    *options* hold ``provider`` and ``user_model`` (``app_model.User``),
    given to resetpassword too."""
    options.setdefault('activations', MemoryProvider(ProfileActivation, '_id'))
    config.add_settings({CONFIG_KEY: options})
    config.add_renderer('.kajiki', kajiki_stand_in)
    if tgapp_resetpassword.CONFIG_KEY not in config.get_settings():
        tgapp_resetpassword.plugme(
            config,
            provider=options['provider'],
            user_model=options['user_model'],
        )
    config.include('tests.ports.tgext_mailer')
    with config.route_prefix_context(mount_point):
        config.add_controller(RootController)
    return {'appid': 'userprofile', 'global_helpers': False}
