"""Port of tgapp-fbauth 0.3.4 to Pyramid with pyramid_hooks.

Original: ``fbauth/__init__.py`` (``plugme``),
``fbauth/controllers/root.py`` (``RootController``: ``login``,
``register``, ``connect``), ``fbauth/lib/utils.py`` (``login_user``,
``validate_token``, ``redirect_on_fail``, ``has_fbtoken_expired``,
``expirydate_from_sec``, ``add_param_to_query_string``) and
``fbauth/model/sqla_models.py`` (``FBAuthInfo``).  The models are kept in
memory (:class:`Store`), Facebook's Graph API is the ``urlopen`` option
(a test gives a fake), repoze.who's identifier is the application's
security policy; the login buttons' JavaScript (``fbauth/helpers.py``)
is left out but for the URLs it calls (:func:`login_url`).

TurboGears -> Pyramid:

- ``@expose()`` handlers taking ``token, expiry, came_from=None,
  remember=None`` -> the same signatures on routes with
  ``auth='public'``; a missing ``token`` is a 400, as TurboGears answers
  a call missing a positional argument;
- ``@require(not_anonymous())`` on ``connect`` -> ``auth='user'`` (a 403
  where repoze.who challenged with a 401);
- ``hooks.notify('fbauth.on_login', args=(answer, fb_user))`` ->
  ``request.hooks.notify('fbauth.on_login', answer, fb_user)``;
- ``login_user`` setting ``tg.response.headers`` to the identifier's
  ``remember`` headers, then ``redirect(...)`` -> ``remember(request,
  user_name, max_age=...)`` given to the ``HTTPFound`` the handler
  returns: a response a handler returns is sent as it is,
  ``request.response``'s headers are not merged into it;
- ``redirect_on_fail()`` (``tg.redirect`` raises) inside
  ``validate_token`` -> ``raise HTTPFound(...)`` there, which answers;
  ``tg.flash(msg, 'error')`` -> ``request.session.flash(msg, 'error')``;
- ``config.sa_auth['post_login_url']`` -> the plugin's options in
  ``request.registry.settings``;
- ``milestones.config_ready.register(import_models)`` -> the models
  made in ``plugme``.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

from pyramid.httpexceptions import HTTPFound
from pyramid.security import remember as remember_headers

from pyramid_hooks import Controller, route

CONFIG_KEY = '_fbauth'
GRAPH = 'https://graph.facebook.com/v2.3/me?access_token=%s'
PICTURE = 'http://graph.facebook.com/v2.3/{}/picture'


@dataclass
class User:
    user_name: str
    display_name: str
    email_address: str
    password: str


@dataclass
class FBAuthInfo:
    user: User
    facebook_id: str
    registered: bool
    just_connected: bool
    access_token: str
    access_token_expiry: datetime
    profile_picture: str


class Store:
    """``app_model.User`` and ``FBAuthInfo``, in memory."""

    def __init__(self):
        self.users = {}
        self.fbauth = {}

    def user_by_facebook_id(self, facebook_id):
        return self.fbauth.get(facebook_id)


def options(request):
    return request.registry.settings[CONFIG_KEY]


def redirect_on_fail(request):
    """``tg.redirect`` raises: so does this."""
    raise HTTPFound(request.referer or options(request)['post_logout_url'])


def validate_token(request, token, expiry):
    if not token or not token.strip():
        request.session.flash('Missing facebook token', 'error')
        redirect_on_fail(request)
    try:
        expiry = expirydate_from_sec(int(expiry))
    except ValueError:
        request.session.flash(
            'Invalid Expiry Time for facebook token', 'error'
        )
        redirect_on_fail(request)
    return token, expiry


def login_user(request, user_name, expire=None):
    """repoze.who's ``identifier.remember``: the headers that log
    *user_name* in, none when the request is logged in already."""
    if request.identity is not None:
        return []
    login_options = {}
    if expire:
        login_options['max_age'] = int(expire)
    return remember_headers(request, user_name, **login_options)


def has_fbtoken_expired(user):
    expire = user.access_token_expiry
    return not expire or datetime.now() > expire


def expirydate_from_sec(seconds):
    seconds -= 3
    if seconds <= 0:
        raise ValueError('Facebook token already expired')
    return datetime.now() + timedelta(seconds=seconds)


def add_param_to_query_string(url, param, value):
    url_parts = list(urlparse(url))
    query_parts = parse_qs(url_parts[4])
    query_parts[param] = value
    url_parts[4] = urlencode(query_parts, doseq=True)
    return urlunparse(url_parts)


def login_url(request, what='login'):
    """The URL the login and register buttons' script sends the token
    to (``fbauth_javascript_function_for_base_facebook_login``)."""
    return request.route_path(f'{__name__}.RootController.{what}')


class RootController(Controller):
    def _facebook(self, token):
        """The Graph API's answer for *token*, or the failure's
        redirect."""
        fbanswer = options(self.request)['urlopen'](GRAPH % token)
        try:
            answer = json.loads(fbanswer.read())
            return answer, answer['id']
        except Exception:
            self.request.session.flash(
                'Fatal error while trying to contact Facebook', 'error'
            )
            redirect_on_fail(self.request)
        finally:
            fbanswer.close()

    def _post_login(self, came_from, headers):
        redirect_to = add_param_to_query_string(
            options(self.request)['post_login_url'], 'came_from', came_from
        )
        return HTTPFound(redirect_to, headers=headers)

    @route('/login', auth='public')
    def login(self, token, expiry, came_from=None, remember=None):
        request = self.request
        token, expiry = validate_token(request, token, expiry)
        answer, facebook_id = self._facebook(token)
        fb_user = options(request)['store'].user_by_facebook_id(facebook_id)
        if not fb_user:
            request.session.flash(
                'Unable to find an user for the specified facebook token',
                'error',
            )
            redirect_on_fail(request)
        headers = login_user(request, fb_user.user.user_name, remember)
        request.hooks.notify('fbauth.on_login', answer, fb_user)
        if has_fbtoken_expired(fb_user):
            fb_user.access_token = token
            fb_user.access_token_expiry = expiry
        return self._post_login(came_from, headers)

    @route('/register', auth='public')
    def register(self, token, expiry, came_from=None, remember=None):
        request = self.request
        token, expiry = validate_token(request, token, expiry)
        answer, facebook_id = self._facebook(token)
        store = options(request)['store']
        fb_user = store.user_by_facebook_id(facebook_id)
        if fb_user:  # if the user already exists, just log him in
            headers = login_user(request, fb_user.user.user_name, remember)
            if has_fbtoken_expired(fb_user):
                fb_user.access_token = token
                fb_user.access_token_expiry = expiry
            request.hooks.notify('fbauth.on_login', answer, fb_user)
            return self._post_login(came_from, headers)
        username = answer.get('username', facebook_id)
        user_dict = {
            'user_name': f'fb:{facebook_id}',
            'display_name': answer.get(
                'name',
                answer.get('username', answer.get('first_name', 'Anonymous')),
            ),
            'email_address': answer.get('email', f'{username}@facebook.com'),
            'password': token,
        }
        request.hooks.notify('fbauth.on_registration', answer, user_dict)
        u = store.users[user_dict['user_name']] = User(**user_dict)
        fbi_user = store.fbauth[facebook_id] = FBAuthInfo(
            user=u,
            facebook_id=facebook_id,
            registered=True,
            just_connected=True,
            access_token=token,
            access_token_expiry=expiry,
            profile_picture=PICTURE.format(facebook_id),
        )
        headers = login_user(request, u.user_name, remember)
        if has_fbtoken_expired(fbi_user):
            fbi_user.access_token = token
            fbi_user.access_token_expiry = expiry
        return self._post_login(came_from, headers)

    @route('/connect')  # auth='user': not_anonymous()
    def connect(self, token, expiry, came_from=None):
        request = self.request
        if not came_from:
            came_from = request.referer or options(request)['post_login_url']
        token, expiry = validate_token(request, token, expiry)
        _, facebook_id = self._facebook(token)
        store = options(request)['store']
        if store.user_by_facebook_id(facebook_id):
            request.session.flash(
                'An user for this facebook token is already registered',
                'error',
            )
            return HTTPFound(came_from)
        store.fbauth[facebook_id] = FBAuthInfo(
            user=store.users[request.identity],
            facebook_id=facebook_id,
            registered=False,
            just_connected=True,
            access_token=token,
            access_token_expiry=expiry,
            profile_picture=PICTURE.format(facebook_id),
        )
        return HTTPFound(came_from)


def plugme(config, mount_point='/fbauth', **opts):
    """What ``plug(base_config, 'fbauth')`` did; ``sa_auth``'s URLs and
    the Graph API's ``urlopen`` are options."""
    opts.setdefault('post_login_url', '/post_login')
    opts.setdefault('post_logout_url', '/post_logout')
    opts['store'] = Store()
    config.add_settings({CONFIG_KEY: opts})
    with config.route_prefix_context(mount_point):
        config.add_controller(RootController)
    return {'appid': 'fbauth', 'global_helpers': False}
