"""Port of Odoo's ``auth_oauth`` controllers to Pyramid with pyramid_hooks.

Original: ``addons/auth_oauth/controllers/main.py``, Odoo 18 (``/odoo``
URLs, ``request.session.authenticate(env, credential)``), with
``fragment_to_query_string`` of ``odoo/http.py`` (Odoo 17+; the module
had its own before).  ``OAuthLogin`` extends auth_signup's login
controller (``tests/ports/odoo_auth_signup.py``); ``OAuthController``
takes the provider's redirect.  The providers, the users' ``auth_oauth``
and the database are faked (``tests/ports/test_odoo_auth_oauth.py``).

Odoo -> Pyramid:

- ``@http.route(...)`` over ``@fragment_to_query_string`` (a decorator
  made with :func:`functools.wraps`, taking ``(self, *a, **kw)``): the
  same, the route stays on the wrapper; ``oea`` calling
  ``self.signin(**kw)`` runs the wrapper too, as in Odoo;
- ``readonly=False`` has no counterpart and is left out;
- ``response.is_qweb`` / ``response.qcontext[...]`` after ``super()``
  -> ``isinstance(response, dict)`` and the dict (the porting guide's
  row);
- ``request.httprequest.url_root`` -> ``request.application_url + '/'``
  (WebOb's ``host_url`` would drop the script name);
- ``request.session.db``, ``select_db``, ``http.filter_dbs_served`` and
  ``Registry(dbname)`` -> the application's one database name, the
  ``odoo.db`` setting;
- ``request.update_context(**clean_context(state['c']))`` -> the context
  kept for the call, passed to the users' model (no counterpart);
- ``request.session.authenticate(env, credential)`` -> auth_signup's
  port's ``authenticate`` (``remember``), then the session rotated as the
  guide says;
- ``resp.autocorrect_location_header = False`` is left out: WebOb's
  response takes the attribute and does nothing with it, and writes a
  relative ``Location`` absolute for the request's host, as Werkzeug
  would have without it;
- ``return BadRequest()`` / ``raise BadRequest`` -> ``HTTPBadRequest``;
- ``assert provider._name == ...`` is left out (a fixed record).
"""

import functools
import json
from urllib.parse import quote_plus, unquote_plus, urlencode, urlsplit

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.response import Response

from pyramid_hooks import Controller, route
from tests.ports.odoo_auth_signup import AuthSignupHome, authenticate


class AccessDenied(Exception):
    """``odoo.exceptions.AccessDenied``."""


FRAGMENT_PAGE = """<html><head><script>
    var l = window.location;
    var q = l.hash.substring(1);
    var r = l.pathname + l.search;
    if (q.length !== 0) {
        var s = l.search ? (l.search === '?' ? '' : '&') : '?';
        r = l.pathname + l.search + s + q;
    }
    if (r == l.pathname) { r = '/'; }
    window.location = r;
</script></head><body></body></html>"""


def fragment_to_query_string(func):
    """The provider sends the token in the URL's fragment, which the
    server never sees: without parameters, answer a page whose script
    reloads the URL with the fragment as its query."""

    @functools.wraps(func)
    def wrapper(self, *a, **kw):
        kw.pop('debug', False)
        if not kw:
            return Response(FRAGMENT_PAGE)
        return func(self, *a, **kw)

    return wrapper


def login_redirect_url(request, uid, redirect=None):
    """``web.controllers.utils._get_login_redirect_url`` (no MFA)."""
    if redirect:
        return redirect
    user = request.env['res.users'].browse(uid)
    return '/odoo' if user.internal else '/web/login_successful'


class OAuthLogin(AuthSignupHome):
    def list_providers(self):
        request = self.request
        try:
            providers = (
                request.env['auth.oauth.provider']
                .sudo()
                .search_read([('enabled', '=', True)])
            )
        except Exception:
            providers = []
        for provider in providers:
            return_url = request.application_url + '/auth_oauth/signin'
            state = self.get_state(provider)
            params = {
                'response_type': 'token',
                'client_id': provider['client_id'],
                'redirect_uri': return_url,
                'scope': provider['scope'],
                'state': json.dumps(state),
            }
            provider['auth_link'] = (
                f'{provider["auth_endpoint"]}?{urlencode(params)}'
            )
        return providers

    def get_state(self, provider):
        request = self.request
        redirect = request.params.get('redirect') or 'web'
        if not redirect.startswith(('//', 'http://', 'https://')):
            url_root = request.application_url + '/'
            redirect = url_root + (
                redirect[1:] if redirect[0] == '/' else redirect
            )
        state = {
            'd': request.registry.settings['odoo.db'],
            'p': provider['id'],
            'r': quote_plus(redirect),
        }
        token = request.params.get('token')
        if token:
            state['t'] = token
        return state

    @route()
    def web_login(self, *args, **kw):
        request = self.request
        if (
            request.method == 'GET'
            and request.authenticated_userid is not None
            and request.params.get('redirect')
        ):
            # Redirect if already logged in and redirect param is present
            return request.redirect(request.params.get('redirect'))
        providers = self.list_providers()

        response = super().web_login(*args, **kw)
        if isinstance(response, dict):  # Odoo: response.is_qweb
            error = request.params.get('oauth_error')
            if error == '1':
                error = 'Sign up is not allowed on this database.'
            elif error == '2':
                error = 'Access Denied'
            elif error == '3':
                error = (
                    'You do not have access to this database or your '
                    'invitation has expired. Please ask for an invitation '
                    'and be sure to follow the link in your invitation '
                    'email.'
                )
            else:
                error = None

            response['providers'] = providers
            if error:
                response['error'] = error
        return response

    def get_auth_signup_qcontext(self):
        result = super().get_auth_signup_qcontext()
        result['providers'] = self.list_providers()
        return result


class OAuthController(Controller):
    @route('/auth_oauth/signin', type='http', auth='none')
    @fragment_to_query_string
    def signin(self, **kw):
        request = self.request
        state = json.loads(kw['state'])

        dbname = state['d']
        if dbname != request.registry.settings['odoo.db']:
            return HTTPBadRequest()

        provider = state['p']
        context = dict(state.get('c', {}))
        try:
            _db, login, key = (
                request.env['res.users']
                .with_context(**context)
                .auth_oauth(provider, kw, context)
            )
            action = state.get('a')
            menu = state.get('m')
            redirect = unquote_plus(state['r']) if state.get('r') else False
            url = '/odoo'
            if redirect:
                url = redirect
            elif action:
                url = f'/odoo/action-{action}'
            elif menu:
                url = f'/odoo?menu_id={menu}'

            request.session.invalidate()  # Odoo rotates the session
            uid = authenticate(request, login, key)
            if uid is None:
                raise AccessDenied()
            resp = request.redirect(login_redirect_url(request, uid, url), 303)

            # Since /web is hardcoded, verify user has right to land on it
            user = request.env['res.users'].browse(uid)
            if urlsplit(resp.location).path == '/web' and not user.internal:
                resp.location = '/'
            return resp
        except AttributeError:
            # auth_signup is not installed
            url = '/web/login?oauth_error=1'
        except AccessDenied:
            # oauth credentials not valid, user could be on a temporary
            # session
            url = '/web/login?oauth_error=3'
        except Exception:
            # signup error
            url = '/web/login?oauth_error=2'

        return request.redirect(url, 303)

    @route('/auth_oauth/oea', type='http', auth='none')
    def oea(self, **kw):
        """login user via Odoo Account provider"""
        request = self.request
        dbname = kw.pop('db', None) or request.registry.settings['odoo.db']
        if dbname != request.registry.settings['odoo.db']:
            raise HTTPBadRequest()

        try:
            provider = request.env.ref('auth_oauth.provider_odoo')
        except ValueError:
            return request.redirect(f'/web?db={dbname}', 303)

        state = {
            'd': dbname,
            'p': provider.id,
            'c': {'no_user_creation': True},
        }
        kw['state'] = json.dumps(state)
        return self.signin(**kw)
