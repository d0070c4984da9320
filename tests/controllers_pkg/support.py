"""Real Pyramid pieces the controller tests share: a security policy that
reads the ``X-User`` header, a session factory for CSRF, an app factory."""

from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPFound
from pyramid.security import Allowed, Denied
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp


class HeaderSecurityPolicy:
    """The ``X-User`` header is the user id; user ``admin`` has every
    permission, other users every permission but ``'admin'``.  ``calls``
    counts the identity lookups (``auth='none'`` must make none)."""

    def __init__(self):
        self.calls = 0

    def identity(self, request):
        self.calls += 1
        return request.headers.get('X-User')

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        user = self.identity(request)
        if user is None:
            return Denied('anonymous')
        if permission == 'admin' and user != 'admin':
            return Denied('not admin')
        return Allowed('ok')

    def remember(self, request, userid, **kw):  # pragma: no cover
        return []

    def forget(self, request, **kw):  # pragma: no cover
        return []


def login_redirect(request):
    """The app's forbidden view: anonymous users go to the login page."""
    if request.authenticated_userid is None:
        return HTTPFound(f'/login?redirect={request.path}')
    return request.exception


def make_config(settings=None, forbidden_view=True):
    """A Configurator (autocommit off) with pyramid_hooks, a real security
    policy and a session factory; ``config.policy`` is the policy."""
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    policy = HeaderSecurityPolicy()
    config.set_security_policy(policy)
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    if forbidden_view:
        config.add_forbidden_view(login_redirect)
    config.add_route('csrf', '/_csrf')
    config.add_view(
        lambda request: {'token': get_csrf_token(request)},
        route_name='csrf',
        renderer='json',
    )
    config.policy = policy
    return config


def make_app(config):
    """A WebTest app over the configuration."""
    return TestApp(config.make_wsgi_app())


def csrf_token(app):
    """A CSRF token of *app*'s session (the cookie stays in the app)."""
    return app.get('/_csrf').json['token']


def include_renderer(config):
    """An include registering a renderer its includer overrides."""
    config.add_renderer('custom', 'pyramid.renderers.json_renderer_factory')
