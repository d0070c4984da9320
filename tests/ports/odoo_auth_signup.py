"""Port of Odoo 17's ``web`` login controller, auth_signup's extension of
it and Odoo 11's ``website`` extension of it, to Pyramid with
pyramid_hooks.

Originals: ``addons/web/controllers/home.py`` (``Home``: ``web_login``,
``web_load_menus``, ``health``, ``robots``), ``addons/auth_signup/
controllers/main.py`` (``AuthSignupHome(Home)``: the ``web_login``
override, ``web_auth_signup``, ``web_auth_reset_password`` and their
helpers) and Odoo 11's ``addons/website/controllers/main.py``
(``Website(Home)``: the ``web_login`` override with ``auth="public"``,
``change_lang``, ``robots``, ``sitemap_xml_index``).  Databases,
``ensure_db``, e-mails, the web client's bootstrap and the sitemap's
attachment cache are left out; users, QWeb and the website are faked
(``tests/ports/test_odoo_auth_signup.py``).  The two extensions are
siblings, combined in activation order as Odoo combines installed
modules.

Odoo -> Pyramid:

- ``request.render('web.login', values)`` -> ``renderer=`` on the route,
  the handler returns ``values`` and an override changes the dict its
  ``super()`` returned (Odoo: ``response.qcontext.update(...)``); a
  parent that may also return a redirect makes the override check
  ``isinstance(response, dict)`` (Odoo's redirect has an empty
  ``qcontext``);
- a handler another handler calls (``web_auth_signup`` returns
  ``self.web_login(...)``) names its template with
  ``request.override_renderer``: a dict is rendered by the renderer of
  the route being served, the caller's;
- ``response.headers[...] = ...`` on the rendered page ->
  ``request.response.headers``, which the renderer's response is;
- ``request.render(..., mimetype='text/plain')`` ->
  ``request.response.content_type``;
- ``request.redirect(url)`` keeps only the path, query and fragment
  (``local=True``) and answers 303: :func:`redirect` below, a request
  method (a function named ``redirect`` would be hidden by
  ``web_login``'s parameter of that name);
  ``werkzeug.utils.redirect(url, 303)`` (not local) -> ``HTTPSeeOther``;
- ``request.params['login_success'] = ...`` (WebOb's ``request.params``
  is read-only) -> an attribute of the request;
- ``request.session.uid`` -> ``request.authenticated_userid``;
  ``request.session.authenticate`` -> ``remember``;
- ``request.make_json_response(data, status=...)`` (Odoo 17.2+'s
  ``health``) -> ``request.make_response(json.dumps(data), [('Content-Type',
  'application/json; charset=utf-8')], status=...)``;
- ``raise werkzeug.exceptions.NotFound()`` -> ``raise HTTPNotFound()``;
  ``return request.not_found()`` -> ``return HTTPNotFound()``;
- ``assert login, _("No login provided.")`` -> a ``UserError`` (an
  ``assert`` vanishes under ``python -O``);
- ``website=True``, ``sitemap=False``, ``multilang=False``,
  ``save_session=False`` have no counterpart and are left out;
- ``request.context.get('lang')`` -> ``request.locale_name``.
"""

import json
import string
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from pyramid.httpexceptions import (
    HTTPNotFound,
    HTTPSeeOther,
    exception_response,
)
from pyramid.security import remember

from pyramid_hooks import Controller, route

STATIC_CACHE_LONG = 60 * 60 * 24 * 365

# Shared parameters for all login/signup flows
SIGN_UP_REQUEST_PARAMS = {
    'db', 'login', 'debug', 'token', 'message', 'error', 'scope', 'mode',
    'redirect', 'redirect_hostname', 'email', 'name', 'partner_id',
    'password', 'confirm_password', 'city', 'country_id', 'lang',
    'signup_email',
}  # fmt: skip
LOGIN_SUCCESSFUL_PARAMS = {'account_created'}


class UserError(Exception):
    """``odoo.exceptions.UserError``."""


class SignupError(Exception):
    """``auth_signup``'s ``SignupError``."""


def redirect(request, location, code=303, local=True):
    """``request.redirect`` (a request method, :func:`includeme`): with
    ``local`` (Odoo's default) only the path, query and fragment of
    *location* are kept, so a ``redirect`` parameter cannot send the
    visitor to another site; non-ASCII characters are percent-encoded."""
    if local:
        parts = urlsplit(location)._replace(scheme='', netloc='')
        location = '/' + urlunsplit(parts).lstrip('/\\')
    # Werkzeug's iri_to_uri: a header holds ISO-8859-1 only
    location = quote(location, safe=string.punctuation)
    return exception_response(code, location=location)


def authenticate(request, login, password):
    """``request.session.authenticate``: the user's id, remembered, or
    ``None``."""
    user = request.env['res.users'].check_credentials(login, password)
    if user is None:
        return None
    remember(request, user.id)
    return user.id


def includeme(config):
    """``request.redirect``, as Odoo's request has it."""
    config.add_request_method(redirect, 'redirect')


class Home(Controller):
    @route('/web/login', type='http', auth='none', renderer='web.login.qweb')
    def web_login(self, redirect=None, **kw):
        request = self.request
        request.override_renderer = 'web.login.qweb'
        request.login_success = False
        uid = request.authenticated_userid
        if request.method == 'GET' and redirect and uid:
            return request.redirect(redirect)

        values = {
            k: v
            for k, v in request.params.items()
            if k in SIGN_UP_REQUEST_PARAMS
        }
        values['databases'] = None

        if request.method == 'POST':
            uid = authenticate(
                request, request.params.get('login'),
                request.params.get('password'),
            )  # fmt: skip
            if uid is not None:
                request.login_success = True
                return request.redirect(
                    self._login_redirect(uid, redirect=redirect)
                )
            values['error'] = 'Wrong login/password'
        elif request.params.get('error') == 'access':
            values['error'] = (
                'Only employees can access this database. '
                'Please contact the administrator.'
            )

        if 'login' not in values and request.session.get('auth_login'):
            values['login'] = request.session.get('auth_login')

        request.response.headers['X-Frame-Options'] = 'SAMEORIGIN'
        request.response.headers['Content-Security-Policy'] = (
            "frame-ancestors 'self'"
        )
        return values

    def _login_redirect(self, uid, redirect=None):
        if redirect:
            return redirect
        user = self.request.env['res.users'].browse(uid)
        return '/web' if user.internal else '/web/login_successful'

    @route(
        '/web/webclient/load_menus/<string:unique>',
        type='http',
        auth='user',
        methods=['GET'],
    )
    def web_load_menus(self, unique, lang=None):
        menus = self.request.env['ir.ui.menu'].load_web_menus(lang)
        body = json.dumps(menus, default=str)
        return self.request.make_response(
            body,
            [
                # an http route whose client expects JSON
                ('Content-Type', 'application/json'),
                ('Cache-Control', f'public, max-age={STATIC_CACHE_LONG}'),
            ],
        )

    @route('/web/health', type='http', auth='none')
    def health(self, db_server_status=False):
        health_info = {'status': 'pass'}
        status = 200
        if db_server_status:
            if self.request.env.database_up:
                health_info['db_server_status'] = True
            else:
                health_info['db_server_status'] = False
                health_info['status'] = 'fail'
                status = 500
        return self.request.make_response(
            json.dumps(health_info),
            [
                ('Content-Type', 'application/json; charset=utf-8'),
                ('Cache-Control', 'no-store'),
            ],
            status=status,
        )

    @route(['/robots.txt'], type='http', auth='none')
    def robots(self, **kwargs):
        return 'User-agent: *\nDisallow: /\n'


class AuthSignupHome(Home):
    @route()
    def web_login(self, *args, **kw):
        response = super().web_login(*args, **kw)
        if isinstance(response, dict):  # Odoo: response.qcontext.update
            response.update(self.get_auth_signup_config())
        request = self.request
        if request.authenticated_userid is not None:
            if request.method == 'GET' and request.params.get('redirect'):
                # Redirect if already logged in and redirect param is present
                return request.redirect(request.params.get('redirect'))
            if response.location == '/web/login_successful' and kw.get(
                'confirm_password'
            ):
                return request.redirect(
                    '/web/login_successful?'
                    + urlencode({'account_created': True})
                )
        return response

    @route(
        '/web/signup',
        type='http',
        auth='public',
        renderer='auth_signup.signup.qweb',
    )
    def web_auth_signup(self, *args, **kw):
        request = self.request
        qcontext = self.get_auth_signup_qcontext()

        if not qcontext.get('token') and not qcontext.get('signup_enabled'):
            raise HTTPNotFound()

        if 'error' not in qcontext and request.method == 'POST':
            try:
                self.do_signup(qcontext)
                return self.web_login(*args, **kw)
            except UserError as e:
                qcontext['error'] = e.args[0]
            except (SignupError, AssertionError):
                users = request.env['res.users']
                if users.search([('login', '=', qcontext.get('login'))]):
                    qcontext['error'] = (
                        'Another user is already registered using this '
                        'email address.'
                    )
                else:
                    qcontext['error'] = 'Could not create a new account.'
        elif 'signup_email' in qcontext:
            users = request.env['res.users'].search(
                [('email', '=', qcontext.get('signup_email'))]
            )
            if users:
                query = urlencode(
                    {'login': users[0].login, 'redirect': '/web'}
                )
                return request.redirect('/web/login?' + query)

        request.response.headers['X-Frame-Options'] = 'SAMEORIGIN'
        request.response.headers['Content-Security-Policy'] = (
            "frame-ancestors 'self'"
        )
        return qcontext

    @route(
        '/web/reset_password',
        type='http',
        auth='public',
        renderer='auth_signup.reset_password.qweb',
    )
    def web_auth_reset_password(self, *args, **kw):
        request = self.request
        qcontext = self.get_auth_signup_qcontext()

        if not qcontext.get('token') and not qcontext.get(
            'reset_password_enabled'
        ):
            raise HTTPNotFound()

        if 'error' not in qcontext and request.method == 'POST':
            try:
                if qcontext.get('token'):
                    self.do_signup(qcontext)
                    return request.redirect('/web/session/logout')
                login = qcontext.get('login')
                if not login:  # Odoo: assert login, ...
                    raise UserError('No login provided.')
                request.env['res.users'].reset_password(login)
                qcontext['message'] = (
                    'Password reset instructions sent to your email'
                )
            except UserError as e:
                qcontext['error'] = e.args[0]
            except SignupError:
                qcontext['error'] = 'Could not reset your password'

        request.response.headers['X-Frame-Options'] = 'SAMEORIGIN'
        request.response.headers['Content-Security-Policy'] = (
            "frame-ancestors 'self'"
        )
        return qcontext

    def get_auth_signup_config(self):
        """Which features the login page shows."""
        settings = self.request.registry.settings
        return {
            'disable_database_manager': True,
            'signup_enabled': settings.get('auth_signup.invitation_scope')
            == 'b2c',
            'reset_password_enabled': settings.get(
                'auth_signup.reset_password'
            )
            == 'True',
        }

    def get_auth_signup_qcontext(self):
        """The rendering context shared by signup and reset password."""
        request = self.request
        qcontext = {
            k: v
            for (k, v) in request.params.items()
            if k in SIGN_UP_REQUEST_PARAMS
        }
        qcontext.update(self.get_auth_signup_config())
        if not qcontext.get('token') and request.session.get(
            'auth_signup_token'
        ):
            qcontext['token'] = request.session.get('auth_signup_token')
        if qcontext.get('token'):
            try:
                partners = request.env['res.partner']
                token_infos = partners._signup_retrieve_info(
                    qcontext.get('token')
                )
                for k, v in token_infos.items():
                    qcontext.setdefault(k, v)
            except Exception:
                qcontext['error'] = 'Invalid signup token'
                qcontext['invalid_token'] = True
        return qcontext

    def _prepare_signup_values(self, qcontext):
        values = {
            key: qcontext.get(key) for key in ('login', 'name', 'password')
        }
        if not values:
            raise UserError('The form was not properly filled in.')
        if values.get('password') != qcontext.get('confirm_password'):
            raise UserError('Passwords do not match; please retype them.')
        supported_lang_codes = ('en_US', 'fr_FR')
        lang = self.request.locale_name
        if lang in supported_lang_codes:
            values['lang'] = lang
        return values

    def do_signup(self, qcontext):
        """Create the user (a token names the partner), then log in."""
        values = self._prepare_signup_values(qcontext)
        self._signup_with_values(qcontext.get('token'), values)

    def _signup_with_values(self, token, values):
        login, password = self.request.env['res.users'].signup(values, token)
        authenticate(self.request, login, password)


class Website(Home):
    # Odoo: @http.route(website=True, auth="public")
    @route(auth='public')
    def web_login(self, redirect=None, *args, **kw):
        response = super().web_login(*args, redirect=redirect, **kw)
        request = self.request
        if not redirect and request.login_success:
            user = request.env['res.users'].browse(
                request.authenticated_userid
            )
            redirect = '/web?' + request.query_string if user.internal else '/'
            return HTTPSeeOther(redirect)  # http.redirect_with_hash
        return response

    @route('/website/lang/<lang>', type='http', auth='public')
    def change_lang(self, lang, r='/', **kwargs):
        if lang == 'default':
            lang = self.request.website.default_lang_code
            r = f'/{lang}{r or "/"}'
        # werkzeug.utils.redirect(..., 303): not local in Odoo 11
        response = HTTPSeeOther(r or f'/{lang}')
        response.set_cookie('website_lang', lang)
        return response

    @route(
        ['/robots.txt'],
        type='http',
        auth='public',
        renderer='website.robots.qweb',
    )
    def robots(self, **kwargs):
        self.request.response.content_type = 'text/plain'
        return {'url_root': self.request.application_url + '/'}

    @route('/sitemap.xml', type='http', auth='public')
    def sitemap_xml_index(self):
        mimetype = 'application/xml;charset=utf-8'
        locs = self.request.website.enumerate_pages()
        if not locs:
            return HTTPNotFound()
        url_root = self.request.application_url
        urls = ''.join(
            f'<url><loc>{url_root}{loc}</loc></url>' for loc in locs
        )
        content = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'{urls}</urlset>'
        )
        return self.request.make_response(
            content, [('Content-Type', mimetype)]
        )
