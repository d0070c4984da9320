"""Port of Odoo's web client session controller to Pyramid with
pyramid_hooks.

Original: ``addons/web/controllers/session.py`` (``Session``: the
session's information, the JSON login of the mobile apps and of
scripts, the languages, the installed modules, the session's check, the
odoo.com account's URL, the JSON logout and the http one), Odoo 18
(commit 07fb021: ``type='json'``, ``/odoo``).  Databases are one, named
by the application; users, the session's information and the languages
are faked (``tests/ports/test_odoo_web_session.py``).

Odoo -> Pyramid:

- ``request.session.authenticate(db, login, password)`` -> the
  application's check, then :func:`pyramid.csrf.new_csrf_token` and
  ``remember(request, uid)``, its headers on ``request.response`` (a
  JSON route's reply takes them); Odoo rotates the session there
  (``session_store.rotate``): ``request.session.invalidate()`` first,
  so a server-side session id known before the login is not the
  signed-in user's;
- ``request.future_response.set_cookie(...)`` -> not needed: the
  session factory sets its cookie;
- ``request.session.logout()`` -> ``forget(request)``, its headers on
  ``request.response`` (JSON) or on the redirect (http), and
  ``request.session.invalidate()``;
- ``request.session.touch()`` (Odoo 18+) -> left out: Pyramid's
  session is saved when changed, and ``touch`` is an ``AttributeError``;
- ``AccessError`` / ``AccessDenied`` raised to a JSON client ->
  ``hooks.controllers.expose_errors``;
- ``return {'error': e, ...}`` (an exception in a JSON result, which
  Odoo writes as its ``str()``) -> ``str(e)``: here an object JSON
  cannot write is ``-32603``;
- ``werkzeug.urls.url_encode`` -> ``urlencode``;
- ``request.redirect(redirect, 303)`` -> the application's ``redirect``
  (local: ``?redirect=https://evil.example/`` stays on the site);
- ``readonly=True`` is left out (a ``ConfigurationError`` names it).
"""

import json
from urllib.parse import urlencode

from pyramid.csrf import new_csrf_token
from pyramid.security import forget, remember

from pyramid_hooks import Controller, route
from tests.ports.odoo_fakes import AccessError


class AccessDenied(Exception):
    """``odoo.exceptions.AccessDenied``: a wrong login or password."""

    def __init__(self, message='Access Denied'):
        super().__init__(message)


class Session(Controller):
    @route('/web/session/get_session_info', type='json', auth='user')
    def get_session_info(self):
        return self.request.env['ir.http'].session_info(self.request)

    @route('/web/session/authenticate', type='json', auth='none')
    def authenticate(self, db, login, password, base_location=None):
        if db != self.request.registry.settings['odoo.db']:
            raise AccessError('Database not found.')
        user = self.request.env['res.users'].check_credentials(login, password)
        if user is None:
            raise AccessDenied()
        self.request.session.invalidate()  # Odoo's rotate
        new_csrf_token(self.request)
        headers = remember(self.request, str(user.id))
        self.request.response.headers.extend(headers)
        return self.request.env['ir.http'].session_info(self.request, user)

    @route('/web/session/get_lang_list', type='json', auth='none')
    def get_lang_list(self):
        try:
            return self.request.env['res.lang'].list_lang() or []
        except Exception as error:
            return {'error': str(error), 'title': 'Languages'}

    @route('/web/session/modules', type='json', auth='user')
    def modules(self):
        return sorted(self.request.registry.settings['odoo.modules'].split())

    @route('/web/session/check', type='json', auth='user')
    def check(self):
        return  # the auth='user' check does the job

    @route('/web/session/account', type='json', auth='user')
    def account(self):
        settings = self.request.registry.settings
        params = {
            'response_type': 'token',
            'client_id': settings.get('odoo.database_uuid') or '',
            'state': json.dumps({'d': settings['odoo.db'],
                                 'u': self.request.application_url}),
            'scope': 'userinfo',
        }  # fmt: skip
        return 'https://accounts.odoo.com/oauth2/auth?' + urlencode(params)

    @route('/web/session/destroy', type='json', auth='user')
    def destroy(self):
        self.request.response.headers.extend(forget(self.request))
        self.request.session.invalidate()

    @route('/web/session/logout', type='http', auth='none')
    def logout(self, redirect='/odoo'):
        response = self.request.redirect(redirect, 303)
        response.headers.extend(forget(self.request))
        self.request.session.invalidate()
        return response
