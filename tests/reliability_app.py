"""An application that uses every ``pyramid_hooks`` feature, for the load,
scale-out and isolation tests.

It is served in-process by waitress (``tests/test_load.py``) and by
gunicorn workers (``reliability_app:make_app()``), so it lives in a module
of its own, importable by dotted name.

Every request carries a unique value ``u`` (query string or form).  The
``new_request`` listener copies it to ``request.tag``; every later stage
(listeners, validator, controller wrappers) echoes the tag it sees into the
response, so a response that shows another request's value is leakage.
"""

import os
import threading
from collections import Counter

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.security import Allowed, Denied
from pyramid.session import SignedCookieSessionFactory
from pyramid.view import view_config

from pyramid_hooks import (
    ApplicationWrapper,
    Controller,
    Invalid,
    ServerSideCallbackMixin,
    before_call,
    before_render,
    controller_wrapper,
    listener,
    route,
    serverside_callback,
)

SECRET = 'reliability-tests-secret-not-for-production'


class Stats:
    """Per-application counters (kept on the registry, never global)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.finished = Counter()

    def finish(self, name):
        with self.lock:
            self.finished[name] += 1


def get_stats(registry):
    return registry.reliability_stats


# -- listeners ---------------------------------------------------------------


def tag_request(request):
    """``new_request`` (registered from the ``hooks.on.new_request``
    setting): the request's unique value, as the hooks see it."""
    request.tag = request.GET.get('u', request.POST.get('u', ''))


@listener('context_found')
def context_found(request):
    request.context_tag = request.tag


def before_validate_all(request, params):
    params['bv'] = request.tag


def before_call_hooked(request, params):
    params['bc'] = request.tag


def before_render_hooked(request, params, output):
    output['br'] = params['u']


@listener('after_render')
def after_render_all(request, response):
    response.headers['X-AR'] = request.tag


@listener('new_response')
def new_response(request, response):
    response.headers['X-NR'] = getattr(request, 'tag', '')
    response.headers['X-PID'] = str(os.getpid())


@listener('request_finished')
def request_finished(request):
    get_stats(request.registry).finish(request.path_info.split('/')[1])


# -- controller wrappers -----------------------------------------------------


def app_wrapper(next_caller, info):
    """App-wide (setting ``hooks.controller_wrappers``): stamps dict
    results with the tag and the route it was composed for."""
    route = info.route_name

    def call(context, request):
        result = next_caller(context, request)
        if isinstance(result, dict):
            result['cw'] = f'{request.tag}@{route}'
        return result

    return call


def scoped_wrapper(next_caller):
    def call(context, request):
        result = next_caller(context, request)
        result['sw'] = request.tag
        return result

    return call


# -- application wrappers ----------------------------------------------------


class EchoWrapper(ApplicationWrapper):
    """Default group (setting ``hooks.application_wrappers``): what it read
    before calling inward, and the tag the hooks saw, on the way out."""

    def __call__(self, request):
        before = request.params.get('u', '')
        response = self.next_handler(request)
        tag = getattr(request, 'tag', '')
        response.headers['X-AW'] = f'{before}|{tag}'
        return response


class OuterWrapper(ApplicationWrapper):
    """``after=True``: outermost; sees the inner wrapper's header."""

    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-AW-Outer'] = response.headers.get('X-AW', '-')
        return response


# -- validation --------------------------------------------------------------


def validate_n(request, params):
    try:
        n = int(params.get('n', '0'))
    except ValueError:
        raise Invalid({'n': 'not a number'}) from None
    return dict(params, n=n)


# -- views -------------------------------------------------------------------


def plain(request):
    return Response(f'plain:{request.GET.get("u", "")}')


@view_config(route_name='hooked', renderer='json', validate=validate_n)
@before_call(before_call_hooked)
@before_render(before_render_hooked)
@controller_wrapper(scoped_wrapper)
def hooked(request):
    params = request.hook_params
    return {
        'u': params['u'],
        'n': params['n'],
        'bv': params['bv'],
        'bc': params['bc'],
        'tag': request.tag,
        'context_tag': request.context_tag,
    }


@view_config(
    route_name='form',
    request_method='POST',
    renderer='json',
    require_csrf=True,
)
def form(request):
    return {'u': request.POST['u'], 'tag': request.tag}


@view_config(route_name='token', renderer='json')
def token(request):
    from pyramid.csrf import get_csrf_token

    return {'token': get_csrf_token(request), 'u': request.tag}


# -- security ----------------------------------------------------------------


class HeaderSecurityPolicy:
    """The ``X-User`` header is the user id; users have every permission,
    anonymous requests none."""

    def identity(self, request):
        return request.headers.get('X-User')

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        if self.identity(request) is None:
            return Denied('anonymous')
        return Allowed('user')

    def remember(self, request, userid, **kw):
        return []

    def forget(self, request, **kw):
        return []


# -- controllers -------------------------------------------------------------


class EchoController(Controller):
    """http and JSON routes; ``params`` reach handlers through the hooks
    (the app-wide ``before_validate`` listener adds ``bv``)."""

    @route('/c/echo/{k}', auth='public', renderer='json')
    def echo(self, k, u, **kw):
        return {'u': u, 'k': k, 'bv': kw['bv'], 'tag': self.request.tag}

    @route('/c/form', methods=['POST'], auth='public')
    def form(self, u):
        return f'form:{u}:{self.request.tag}'

    @route('/c/private')
    def private(self, u):
        return f'private:{u}:{self.request.authenticated_userid}'

    @route('/c/rpc', type='json', auth='public')
    def rpc(self, u, n=0, **kw):
        return {'u': u, 'n': n, 'bv': kw['bv'], 'tag': self.request.tag}

    @route('/c/rpc/private', type='json')
    def rpc_private(self, u, **kw):
        return {'u': u, 'user': self.request.authenticated_userid}


# -- widgets -----------------------------------------------------------------


class EchoWidget(ServerSideCallbackMixin):
    """Its own authorization (a method): users only."""

    def callback_authorization(self, callback, request):
        if request.authenticated_userid is None:
            return HTTPForbidden()
        return Response()

    @serverside_callback(request_method='GET')
    def show(self, request):
        bv = request.hook_params['bv']
        return Response(f'show:{request.GET["u"]}:{request.tag}:{bv}')

    @serverside_callback(request_method='POST')
    def save(self, request):
        user = request.authenticated_userid
        return Response(f'save:{request.POST["u"]}:{request.tag}:{user}')


class LockedWidget(ServerSideCallbackMixin):
    """No handler of its own: the global default (always_deny) applies."""

    @serverside_callback
    def show(self, request):
        raise AssertionError('never authorized')


WIDGET = EchoWidget(id='echo')


@view_config(route_name='widget_urls', renderer='json')
def widget_urls(request):
    """URLs generated by this worker, to be used on any other."""
    return {
        'show': WIDGET.url_for_callback(request, 'show', u='Q'),
        'save': WIDGET.url_for_callback(request, WIDGET.save),
    }


def make_config(settings=None):
    """The configuration (not yet committed) of the application."""
    settings = dict(settings or {})
    settings.setdefault(
        'hooks.on.new_request', 'tests.reliability_app.tag_request'
    )
    settings.setdefault(
        'hooks.controller_wrappers', 'tests.reliability_app.app_wrapper'
    )
    settings.setdefault(
        'hooks.application_wrappers', 'tests.reliability_app.EchoWrapper'
    )
    config = Configurator(settings=settings)
    config.set_session_factory(SignedCookieSessionFactory(SECRET))
    config.set_security_policy(HeaderSecurityPolicy())
    config.include('pyramid_hooks')
    config.registry.reliability_stats = Stats()
    config.add_route('plain', '/plain')
    config.add_route('hooked', '/hooked/{k}')
    config.add_route('form', '/form')
    config.add_route('token', '/token')
    config.add_route('widget_urls', '/widget-urls')
    config.add_widget(WIDGET)
    config.add_widget(LockedWidget(id='locked'))
    config.add_view(plain, route_name='plain')
    config.register_hook('before_validate', before_validate_all)
    config.add_application_wrapper(OuterWrapper, after=True)
    config.scan('tests.reliability_app')  # views, listeners, controllers
    return config


def make_app(global_config=None, **settings):
    """The WSGI application (a ``paste.app_factory`` / gunicorn factory)."""
    return make_config(settings).make_wsgi_app()
