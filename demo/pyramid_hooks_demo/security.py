"""Login for the demo: a security policy on Pyramid's
:class:`~pyramid.authentication.AuthTktCookieHelper` (a signed cookie), two
demo users, and the widget authorization handler that lets only logged-in
users call widget callbacks."""

from pyramid.authentication import AuthTktCookieHelper
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.security import Allowed, Denied

#: user name -> password (a demo: never do this for real)
USERS = {'alice': 'wonderland', 'bob': 'builder'}


def check_password(login, password):
    return USERS.get(login) == password


class DemoSecurityPolicy:
    """Who is logged in comes from the auth_tkt cookie; any logged-in user
    has every permission."""

    def __init__(self, secret):
        self.helper = AuthTktCookieHelper(secret, hashalg='sha512')

    def identity(self, request):
        identity = self.helper.identify(request)
        if identity is None or identity['userid'] not in USERS:
            return None
        return {'userid': identity['userid']}

    def authenticated_userid(self, request):
        identity = request.identity
        return None if identity is None else identity['userid']

    def permits(self, request, context, permission):
        if request.authenticated_userid is None:
            return Denied('not logged in')
        return Allowed('logged in')

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request, **kw)


def logged_in_only(callback, request):
    """Widget callback authorization (``hooks.widgets.authorization``): a
    200 lets the callback run, anything else goes to the client as is."""
    if request.authenticated_userid is None:
        return HTTPForbidden(json_body={'error': 'log in to use this widget'})
    return Response(status=200)
