"""controllers.rst, "Logging in": a session, a security policy, a login
form with its CSRF token, and routes with the default ``auth='user'``."""

import hmac
import html
import secrets

from pyramid.authentication import SessionAuthenticationHelper
from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token, new_csrf_token
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.security import forget, remember
from pyramid.session import SignedCookieSessionFactory

from pyramid_hooks import Controller, route

# A real application asks its user store and compares password hashes.
USERS = {'ada': 'correct horse'}


class SessionSecurityPolicy:
    """Pyramid's security policy, the login kept in the session."""

    def __init__(self):
        self.helper = SessionAuthenticationHelper()

    def identity(self, request):
        userid = self.helper.authenticated_userid(request)
        return userid if userid in USERS else None

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        return self.identity(request) is not None

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request, **kw)


LOGIN_PAGE = """<!DOCTYPE html>
<title>Log in</title>{message}
<form method="post">
  <input type="hidden" name="csrf_token" value="{token}">
  <input name="login" placeholder="login">
  <input name="password" type="password" placeholder="password">
  <button>Log in</button>
</form>
"""

ACCOUNT_PAGE = """<!DOCTYPE html>
<title>Account</title>
<p>Logged in as {user}.</p>
<form method="post" action="{logout}">
  <input type="hidden" name="csrf_token" value="{token}">
  <button>Log out</button>
</form>
"""


def password_ok(login, password):
    expected = USERS.get(login)
    return expected is not None and hmac.compare_digest(
        expected.encode(), (password or '').encode()
    )


class Account(Controller):
    @route('/login', auth='public', methods=['GET', 'POST'])
    def login(self, login=None, password=None):
        request = self.request
        message = ''
        if request.method == 'POST':
            if password_ok(login, password):
                new_csrf_token(request)  # a new token for the new user
                headers = remember(request, login)
                return HTTPSeeOther(
                    location=request.application_url + '/account',
                    headers=headers,
                )
            message = '<p>Wrong login or password.</p>'
        token = get_csrf_token(request)
        return LOGIN_PAGE.format(message=message, token=html.escape(token))

    @route('/account')  # auth='user', the default
    def account(self):
        request = self.request
        return ACCOUNT_PAGE.format(
            user=html.escape(request.authenticated_userid),
            logout=html.escape(request.application_url + '/logout'),
            token=html.escape(get_csrf_token(request)),
        )

    @route('/logout', methods=['POST'])
    def logout(self):
        request = self.request
        return HTTPSeeOther(
            location=request.application_url + '/login',
            headers=forget(request),
        )


def forbidden(request):
    """An anonymous visitor is sent to the login page; others get 403."""
    if request.authenticated_userid is None:
        return HTTPSeeOther(location=request.application_url + '/login')
    return HTTPForbidden()


def make_app(settings):
    config = Configurator(settings=settings)
    config.set_session_factory(
        SignedCookieSessionFactory(
            settings['session.secret'], httponly=True, samesite='Lax'
        )
    )
    config.set_security_policy(SessionSecurityPolicy())
    config.add_forbidden_view(forbidden)
    config.include('pyramid_hooks')
    config.add_controller(Account)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(
        make_app({'session.secret': secrets.token_hex(32)}),
        listen='localhost:6543',
    )
