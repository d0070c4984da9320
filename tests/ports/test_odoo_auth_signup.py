"""Odoo's login controller with auth_signup's and website's extensions,
ported (tests/ports/odoo_auth_signup.py), over dict-backed users and a
QWeb stand-in renderer."""

import json

import pytest
from pyramid.authentication import SessionAuthenticationHelper
from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Controller, route
from pyramid_hooks.interfaces import IControllerRegistry
from tests.ports.odoo_auth_signup import (
    AuthSignupHome,
    Home,
    SignupError,
    Website,
)
from tests.ports.odoo_fakes import Env, Model, page


class Users(Model):
    def check_credentials(self, login, password):
        for user in self.records.values():
            if user.login == login and user.password == password:
                return user if user.active else None
        return None

    def signup(self, values, token=None):
        if self.search([('login', '=', values['login'])]):
            raise SignupError('duplicate login')
        self.create(
            {**values, 'email': values['login'], 'internal': False,
             'active': not self.confirm}
        )  # fmt: skip
        return values['login'], values['password']

    def reset_password(self, login):
        if not self.search([('login', '=', login)]):
            raise SignupError('no such login')
        self.resets.append(login)


class Partners(Model):
    def _signup_retrieve_info(self, token):
        for partner in self.records.values():
            if partner.signup_token == token:
                return {'name': partner.name, 'login': partner.email}
        raise ValueError('Invalid token')


class Menus(Model):
    def load_web_menus(self, lang):
        return {'root': {'name': 'Menu', 'lang': lang}}


class WebsiteRecord:
    default_lang_code = 'fr_FR'

    def __init__(self, request):
        self.request = request

    def enumerate_pages(self):
        return self.request.registry.settings.get('pages', [])


class SessionPolicy:
    """The controllers.rst recipe: the login kept in the session."""

    def __init__(self):
        self.helper = SessionAuthenticationHelper()

    def identity(self, request):
        uid = self.helper.authenticated_userid(request)
        return uid if request.env['res.users'].browse(uid) else None

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        return self.identity(request) is not None

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):  # pragma: no cover - no logout here
        return self.helper.forget(request, **kw)


def qweb(info):
    """A QWeb stand-in: ``<template>.qweb`` renders the template's name
    and values as JSON, ``website.robots`` as Odoo's text."""
    template = info.name[: -len('.qweb')]

    def render(values, system):
        if template == 'website.robots':
            return f'User-agent: *\nSitemap: {values["url_root"]}sitemap.xml\n'
        # Odoo's forms carry request.csrf_token() in a hidden field
        return json.dumps(
            {
                'template': template,
                'values': values,
                'csrf_token': get_csrf_token(system['request']),
            },
            default=str,
            sort_keys=True,
        )

    return render


def forbidden(request):
    return HTTPSeeOther('/web/login?redirect=' + request.path)


def make_app(*classes, **settings):
    env = Env()
    users = env['res.users'] = Users('res.users')
    users.confirm = settings.pop('confirm', False)
    users.resets = []
    users.create({'login': 'admin', 'password': 'admin', 'internal': True,
                  'active': True, 'email': 'admin@example.com'})  # fmt: skip
    users.create({'login': 'joe', 'password': 'joe', 'internal': False,
                  'active': True, 'email': 'joe@example.com'})  # fmt: skip
    partners = env['res.partner'] = Partners('res.partner')
    partners.create({'name': 'Invited', 'email': 'inv@example.com',
                     'signup_token': 'TOKEN'})  # fmt: skip
    env['ir.ui.menu'] = Menus('ir.ui.menu')
    env.database_up = settings.pop('database_up', True)

    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_auth_signup')
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.set_security_policy(SessionPolicy())
    config.add_forbidden_view(forbidden)
    config.add_renderer('.qweb', qweb)
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_request_method(WebsiteRecord, 'website', reify=True)
    for cls in classes or (Home, AuthSignupHome, Website):
        config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def token(app, url='/web/login'):
    """The CSRF token the login page's form carries."""
    return json.loads(app.get(url).text)['csrf_token']


def login(app, user, password=None, **extra):
    return app.post(
        '/web/login',
        {'login': user, 'password': password or user,
         'csrf_token': token(app), **extra},
    )  # fmt: skip


# -- Home alone ---------------------------------------------------------------


def test_login_page_renders_with_its_headers():
    """``request.render('web.login', values)`` and headers set on it:
    ``renderer=`` and ``request.response.headers``."""
    app = make_app(Home)
    response = app.get('/web/login?login=joe&foo=bar')
    template, values = page(response)
    assert template == 'web.login'
    assert values == {'login': 'joe', 'databases': None}
    assert response.headers['X-Frame-Options'] == 'SAMEORIGIN'
    assert response.headers['Content-Security-Policy'] == (
        "frame-ancestors 'self'"
    )


def test_login_post_needs_the_csrf_token():
    app = make_app(Home)
    app.post('/web/login', {'login': 'joe', 'password': 'joe'}, status=400)


def test_login_wrong_password_shows_the_error():
    app = make_app(Home)
    template, values = page(login(app, 'joe', 'nope'))
    assert (template, values['error']) == ('web.login', 'Wrong login/password')


def test_login_redirects_by_user_and_redirect_parameter():
    assert login(make_app(Home), 'admin').location == 'http://localhost/web'
    assert login(make_app(Home), 'joe').location == (
        'http://localhost/web/login_successful'
    )
    response = login(make_app(Home), 'joe', redirect='/shop?x=1')
    assert (response.status_int, response.location) == (
        303,
        'http://localhost/shop?x=1',
    )


def test_login_redirect_stays_on_the_site():
    """Odoo's ``request.redirect`` is local by default: a ``redirect``
    parameter naming another site keeps its path only."""
    for target in (
        'https://evil.example/steal?x=1',
        '//evil.example/steal?x=1',
        '/\\evil.example/steal?x=1',
    ):
        response = login(make_app(Home), 'joe', redirect=target)
        assert response.location.startswith('http://localhost/'), target
        assert response.location.endswith('steal?x=1'), target
    response = login(make_app(Home), 'joe', redirect='/€uro?q=a b')
    assert response.location == 'http://localhost/%E2%82%ACuro?q=a%20b'


def test_logged_in_login_page_follows_redirect():
    app = make_app(Home)
    login(app, 'joe')
    assert app.get('/web/login?redirect=/my').location == (
        'http://localhost/my'
    )


def test_load_menus_json_over_http_get_only():
    """``auth='user'``, ``methods=['GET']``, ``make_response`` with a
    JSON body and headers."""
    app = make_app(Home)
    response = app.get('/web/webclient/load_menus/abc?lang=fr_FR')
    assert response.location == (
        'http://localhost/web/login?redirect=/web/webclient/load_menus/abc'
    )
    login(app, 'admin')
    response = app.get('/web/webclient/load_menus/abc?lang=fr_FR')
    assert response.json == {'root': {'name': 'Menu', 'lang': 'fr_FR'}}
    assert response.headers['Cache-Control'] == 'public, max-age=31536000'
    refused = app.post('/web/webclient/load_menus/abc', status=405)
    assert refused.headers['Allow'] == 'GET, HEAD'
    app.get('/web/webclient/load_menus/', status=404)


def test_health_as_make_json_response():
    app = make_app(Home)
    response = app.get('/web/health')
    assert response.json == {'status': 'pass'}
    assert response.headers['Cache-Control'] == 'no-store'
    assert response.content_type == 'application/json'
    down = make_app(Home, database_up=False)
    response = down.get('/web/health?db_server_status=1', status=500)
    assert response.json == {'status': 'fail', 'db_server_status': False}


def test_robots_of_home_is_a_string():
    response = make_app(Home).get('/robots.txt')
    assert response.text == 'User-agent: *\nDisallow: /\n'
    assert response.content_type == 'text/html'


# -- the siblings: auth_signup and website ------------------------------------


def web_login_options(app):
    registry = app.app.registry.getUtility(IControllerRegistry)
    for route_ in registry.routes.values():
        if route_.method == 'web_login':
            return route_.options
    raise AssertionError('no web_login route')  # pragma: no cover


def test_website_override_changes_auth():
    """``@http.route(website=True, auth="public")`` over ``auth="none"``:
    the override's ``auth`` wins, auth_signup's bare ``@route()`` keeps
    the rest."""
    options = web_login_options(make_app())
    assert options['auth'] == 'public'
    assert list(options['routes']) == ['/web/login']
    assert options['renderer'] == 'web.login.qweb'
    assert web_login_options(make_app(Home))['auth'] == 'none'


def test_signup_config_updates_the_login_page():
    """auth_signup's ``response.qcontext.update(...)`` after ``super()``:
    the dict its parent returned."""
    app = make_app(**{'auth_signup.invitation_scope': 'b2c'})
    template, values = page(app.get('/web/login'))
    assert template == 'web.login'
    assert values['signup_enabled'] is True
    assert values['reset_password_enabled'] is False


def test_website_sends_portal_users_home_and_employees_to_the_backend():
    """Website's ``web_login`` reads the flag its parent set (Odoo's
    ``request.params['login_success']``); a redirect returned by the
    parent passes through auth_signup's override untouched."""
    assert login(make_app(), 'joe').location == 'http://localhost/'
    app = make_app()
    response = app.post(
        '/web/login?debug=1',
        {'login': 'admin', 'password': 'admin', 'csrf_token': token(app)},
    )
    assert response.location == 'http://localhost/web?debug=1'
    assert login(make_app(), 'joe', redirect='/shop').location == (
        'http://localhost/shop'
    )


def test_auth_signup_redirect_when_logged_in_stays_on_the_site():
    app = make_app()
    login(app, 'joe')
    response = app.get('/web/login?redirect=https://evil.example/x')
    assert response.location == 'http://localhost/x'


def test_signup_disabled_is_a_404():
    app = make_app()
    app.get('/web/signup', status=404)
    app.get('/web/reset_password', status=404)


def test_signup_form_and_errors():
    app = make_app(**{'auth_signup.invitation_scope': 'b2c'})
    response = app.get('/web/signup?login=new@example.com&foo=1')
    template, values = page(response)
    assert template == 'auth_signup.signup'
    assert values['login'] == 'new@example.com'
    assert 'foo' not in values
    assert response.headers['X-Frame-Options'] == 'SAMEORIGIN'
    form = {'login': 'new@example.com', 'name': 'New', 'password': 'pw',
            'confirm_password': 'other', 'csrf_token': token(app)}  # fmt: skip
    template, values = page(app.post('/web/signup', form))
    assert values['error'] == 'Passwords do not match; please retype them.'
    form.update(login='joe', confirm_password='pw')
    template, values = page(app.post('/web/signup', form))
    assert values['error'] == (
        'Another user is already registered using this email address.'
    )


def test_signup_creates_the_user_and_logs_in():
    """``return self.web_login(*args, **kw)``: the login's redirect, from
    the whole sibling chain (website: a portal user goes to ``/``)."""
    app = make_app(**{'auth_signup.invitation_scope': 'b2c'})
    form = {'login': 'new@example.com', 'name': 'New', 'password': 'pw',
            'confirm_password': 'pw', 'csrf_token': token(app)}  # fmt: skip
    response = app.post('/web/signup', form, status=303)
    assert response.location == 'http://localhost/'
    assert app.get('/web/webclient/load_menus/x').status_int == 200


def test_signup_by_token():
    app = make_app()
    template, values = page(app.get('/web/signup?token=TOKEN'))
    assert template == 'auth_signup.signup'
    assert (values['name'], values['login']) == ('Invited', 'inv@example.com')
    _template, values = page(app.get('/web/signup?token=WRONG'))
    assert values['error'] == 'Invalid signup token'
    assert values['invalid_token'] is True


def test_signup_then_failed_login_renders_the_login_page():
    """When the login after signing up fails (Odoo: MFA), ``web_login``'s
    dict is rendered with *its* template: it names it with
    ``request.override_renderer``, else ``/web/signup``'s renderer would
    render it."""
    app = make_app(confirm=True, **{'auth_signup.invitation_scope': 'b2c'})
    form = {'login': 'new@example.com', 'name': 'New', 'password': 'pw',
            'confirm_password': 'pw', 'csrf_token': token(app)}  # fmt: skip
    template, values = page(app.post('/web/signup', form))
    assert template == 'web.login'
    assert values['error'] == 'Wrong login/password'
    assert values['signup_enabled'] is True


class Pages(Controller):
    @route('/a', auth='public', renderer='a.qweb')
    def a(self):
        return self.b()

    @route('/b', auth='public', renderer='b.qweb')
    def b(self):
        return {'from': 'b'}


def test_a_called_handler_is_rendered_by_the_callers_renderer():
    """The trap ``override_renderer`` avoids: a handler's ``renderer=``
    applies to its own route only; called from ``/a``, ``b``'s dict is
    rendered with ``a.qweb``."""
    app = make_app(Pages)
    assert page(app.get('/b')) == ('b', {'from': 'b'})
    assert page(app.get('/a')) == ('a', {'from': 'b'})


def test_reset_password():
    app = make_app(**{'auth_signup.reset_password': 'True'})
    csrf_token = token(app)
    template, values = page(
        app.post(
            '/web/reset_password', {'login': 'joe', 'csrf_token': csrf_token}
        )
    )
    assert template == 'auth_signup.reset_password'
    assert (
        values['message'] == 'Password reset instructions sent to your email'
    )
    template, values = page(
        app.post('/web/reset_password', {'csrf_token': csrf_token})
    )
    assert values['error'] == 'No login provided.'
    template, values = page(
        app.post(
            '/web/reset_password',
            {'login': 'nobody', 'csrf_token': csrf_token},
        )
    )
    assert values['error'] == 'Could not reset your password'


def test_change_lang_redirects_with_a_cookie():
    app = make_app()
    response = app.get('/website/lang/fr_BE?r=/shop')
    assert (response.status_int, response.location) == (
        303,
        'http://localhost/shop',
    )
    assert 'website_lang=fr_BE' in response.headers['Set-Cookie']
    response = app.get('/website/lang/default')
    assert response.location == 'http://localhost/fr_FR/'


def test_website_robots_overrides_home_as_text():
    """Website's ``/robots.txt`` overrides Home's with a ``renderer=`` its
    parent did not have, and ``mimetype='text/plain'``."""
    response = make_app().get('/robots.txt')
    assert response.content_type == 'text/plain'
    assert response.text == (
        'User-agent: *\nSitemap: http://localhost/sitemap.xml\n'
    )


def test_sitemap():
    make_app().get('/sitemap.xml', status=404)
    response = make_app(pages=['/', '/shop']).get('/sitemap.xml')
    assert response.content_type == 'application/xml'
    assert '<loc>http://localhost/shop</loc>' in response.text


class WritesParams(Controller):
    @route('/flag', auth='public')
    def flag(self):
        self.request.params['login_success'] = False  # as Odoo does
        return 'never'  # pragma: no cover


def test_request_params_are_read_only():
    """Odoo's handlers write ``request.params``; WebOb's is read-only:
    the port keeps the flag on the request."""
    with pytest.raises(KeyError, match='read-only'):
        make_app(WritesParams).get('/flag')
