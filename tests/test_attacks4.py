"""The fourth attacker pass over the core, the widgets and the trace: each
test sends what an attacker (or a careless configuration) would, through a
real application, and asserts on what the client or the operator sees."""

import pytest
from pyramid import testing
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED, Denied
from webtest import TestApp

from pyramid_hooks import ApplicationWrapper
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)


class Gadget(ServerSideCallbackMixin):
    id = 'gadget'

    @serverside_callback
    def run(self, request):
        return Response('ran')


def strict(callback, request):
    return Response('no', status=403)


# -- the global authorization handler set after widgets were mounted -------


@pytest.mark.parametrize('commit_between', [False, True])
def test_a_global_handler_set_after_mounted_callbacks_is_refused(
    commit_between,
):
    """An autocommitting configurator (``pyramid.testing.setUp()``), or a
    ``config.commit()`` in between, composed the callback's view with the
    handler of that time: a stricter handler set afterwards was ignored and
    the callback ran for anyone."""
    config = Configurator() if commit_between else testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.set_callback_authorization(always_allow)
        config.add_widget(Gadget())
        if commit_between:
            config.commit()
        with pytest.raises(ConfigurationError) as exc:
            config.set_callback_authorization(strict)
            config.commit()
        message = str(exc.value)
        assert 'test_attacks4.py' in message  # the late call's line
        assert '/_widgets/gadget/run' in message  # what it would miss
        assert 'always_allow' in message  # what they keep
        assert 'before config.add_widget' in message  # the fix
    finally:
        testing.tearDown()


class Panel(ServerSideCallbackMixin):
    id = 'panel'

    @serverside_callback
    def a(self, request):  # pragma: no cover - never called
        return Response('a')

    b = c = d = e = f = serverside_callback(a)


def test_a_late_global_handler_names_five_callbacks_and_counts_the_rest():
    config = testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.add_widget(Panel())
        with pytest.raises(ConfigurationError) as exc:
            config.set_callback_authorization(strict)
        message = str(exc.value)
        assert '/_widgets/panel/e and 1 more)' in message
        assert 'they keep pyramid_hooks.widgets.always_deny,' in message
    finally:
        testing.tearDown()


def test_a_global_handler_set_first_decides_under_autocommit():
    config = testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.set_callback_authorization(strict)
        config.add_widget(Gadget())
        app = TestApp(config.make_wsgi_app())
        app.get('/_widgets/gadget/run', status=403)
    finally:
        testing.tearDown()


def test_a_late_global_handler_is_fine_for_callbacks_with_their_own():
    class Own(Gadget):
        id = 'own'
        callback_authorization = staticmethod(always_allow)

    config = testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.add_widget(Own())
        config.set_callback_authorization(strict)
        app = TestApp(config.make_wsgi_app())
        assert app.get('/_widgets/own/run').text == 'ran'
    finally:
        testing.tearDown()


# -- an authorization decision is a response, not content ------------------


class Vault(ServerSideCallbackMixin):
    id = 'vault'
    ran = 0

    def callback_authorization(self, callback, request):
        if request.authenticated_userid is None:
            return 'Please log in'  # a refusal, written as text
        return Response()  # pragma: no cover - nobody is logged in here

    @serverside_callback
    def wipe(self, request):
        type(self).ran += 1
        return Response('wiped')


def test_a_response_adapter_never_turns_a_decision_into_a_pass():
    """Pyramid's documented ``add_response_adapter(..., str)`` made a
    handler's text a 200 response: the callback ran for anyone.  What is
    not a response is the handler's error, whatever adapters exist."""
    Vault.ran = 0
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_response_adapter(lambda text: Response(text), str)
    config.add_widget(Vault())
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(
        TypeError,
        match=r'Vault\.callback_authorization.*'
        r"returned 'Please log in'",
    ):
        app.get('/_widgets/vault/wipe')
    assert Vault.ran == 0


# -- route_name= scopes that can never match ------------------------------


def require_admin(next_caller):
    def call(context, request):
        if request.authenticated_userid != 'admin':
            raise HTTPForbidden()
        return next_caller(context, request)

    return call


def refuse_anonymous(request, params):
    if request.authenticated_userid is None:
        raise HTTPForbidden()


def admin_view(request):
    return Response('the admin page')


def admin_config():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('admin', '/admin')
    config.add_view(admin_view, route_name='admin')
    return config


@pytest.mark.parametrize('kind', ['wrapper', 'listener'])
def test_a_route_scope_naming_no_route_is_refused(kind):
    """An access check scoped to a misspelt route (``'admn'``) never ran:
    the admin page answered everyone."""
    config = admin_config()
    if kind == 'wrapper':
        config.add_controller_wrapper(require_admin, route_name='admn')
    else:
        config.register_hook(
            'before_call', refuse_anonymous, route_name='admn'
        )
    with pytest.raises(ConfigurationError) as exc:
        config.make_wsgi_app()
    message = str(exc.value)
    assert "route_name='admn'" in message
    assert 'test_attacks4.py' in message  # where it was registered
    assert "did you mean 'admin'?" in message  # the fix
    assert 'never run' in message


def test_many_dead_route_scopes_are_named_five_at_a_time():
    config = admin_config()
    for hook in ('before_validate', 'before_call', 'before_render'):
        for route in ('admn', 'amdin'):
            config.register_hook(hook, refuse_anonymous_any, route_name=route)
    with pytest.raises(ConfigurationError, match=r'; and 1 more\. '):
        config.make_wsgi_app()


def refuse_anonymous_any(request, *rest):
    refuse_anonymous(request, None)  # pragma: no cover - never runs


def test_a_route_scope_of_a_hook_no_view_pipeline_fires_is_refused():
    """``notify(..., view=...)`` matches the view callable, never a route:
    a listener of another hook scoped with ``route_name=`` never ran."""
    config = admin_config()
    config.add_hook('audit', args=('request',), scope='view')
    config.register_hook('audit', lambda request: None, route_name='admin')
    with pytest.raises(ConfigurationError, match=r"hook 'audit'.*view= "):
        config.make_wsgi_app()


@pytest.mark.parametrize('kind', ['wrapper', 'listener'])
def test_a_route_scope_of_an_existing_route_applies(kind):
    config = admin_config()
    if kind == 'wrapper':
        config.add_controller_wrapper(require_admin, route_name='admin')
    else:
        config.register_hook(
            'before_call', refuse_anonymous, route_name='admin'
        )
    app = TestApp(config.make_wsgi_app())
    app.get('/admin', status=403)


# -- a trapped hook's listener refusing the request ------------------------


def must_be_logged_in(request):
    if request.authenticated_userid is None:
        raise HTTPForbidden()


def failing_audit(request):
    raise RuntimeError('the audit log is down')


def secret_page(request):
    request.hooks.notify('page_access', request)
    return Response('the secret page')


def test_a_trapped_hook_lets_a_listeners_refusal_through(caplog):
    """``trap_exceptions=True`` logged a listener's ``HTTPForbidden`` as a
    failure and went on: the page answered anyone.  An HTTP exception is
    the listener's answer; only failures are trapped."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_hook('page_access', args=('request',), trap_exceptions=True)
    config.register_hook('page_access', failing_audit)
    config.register_hook('page_access', must_be_logged_in)
    config.add_route('page', '/page')
    config.add_view(secret_page, route_name='page')
    app = TestApp(config.make_wsgi_app())
    response = app.get('/page', status=403)
    assert 'secret' not in response.text
    # the failure before it is still trapped and logged
    assert 'failing_audit of hook page_access failed' in caplog.text
    assert 'must_be_logged_in' not in caplog.text


# -- a callback permission nothing checks ---------------------------------


class Locked(ServerSideCallbackMixin):
    """Its author opens every call; ``permission='admin'`` is the site's
    rule that no widget handler lifts (``docs/widgets.rst``)."""

    id = 'locked'
    callback_authorization = staticmethod(always_allow)
    ran = 0

    @serverside_callback(permission='admin')
    def purge(self, request):
        type(self).ran += 1
        return Response('purged')

    @serverside_callback(permission=NO_PERMISSION_REQUIRED)
    def ping(self, request):
        return Response('pong')


class NobodyIsAdmin:
    def identity(self, request):
        return None

    def authenticated_userid(self, request):
        return None

    def permits(self, request, context, permission):
        return Denied('nobody is admin')

    def remember(self, request, userid, **kw):
        return []  # pragma: no cover

    def forget(self, request, **kw):
        return []  # pragma: no cover


def test_a_callback_permission_without_a_security_policy_is_refused():
    """Pyramid checks no permission without a security policy: the
    callback answered anyone its widget's handler let through."""
    Locked.ran = 0
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(Locked())
    with pytest.raises(ConfigurationError) as exc:
        config.make_wsgi_app()
    message = str(exc.value)
    assert "'purge' of widget 'locked' has permission='admin'" in message
    assert 'config.set_security_policy()' in message  # the fix
    assert 'test_attacks4.py' in message  # the add_widget line
    assert Locked.ran == 0


def test_a_callback_permission_is_checked_with_a_security_policy():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(NobodyIsAdmin())
    config.add_widget(Locked())
    app = TestApp(config.make_wsgi_app())
    app.get('/_widgets/locked/purge', status=403)
    assert app.get('/_widgets/locked/ping').text == 'pong'


# -- held: transparency of do-nothing registrations (kept as tests) --------


def streamed(request):
    def chunks():
        yield b'a'
        yield b'b'

    return Response(app_iter=chunks(), content_type='text/plain')


def tagged(request):
    response = Response('hello', conditional_response=True)
    response.etag = 'xyz'
    response.last_modified = 1_000_000
    return response


def data(request):
    return {'a': 1}


class PassOn(ApplicationWrapper):
    def __call__(self, request):
        return self.next_handler(request)


def nothing(*args):
    pass


def passing(next_caller):
    def call(context, request):
        return next_caller(context, request)

    return call


NOTHING_HOOKS = (
    'before_validate',
    'before_call',
    'before_render',
    'after_render',
    'new_request',
    'context_found',
    'new_response',
    'request_finished',
    'before_render_call',
    'after_render_call',
)


def conditional_app(addon):
    config = Configurator()
    if addon:
        config.include('pyramid_hooks')
        for hook in NOTHING_HOOKS:
            config.register_hook(hook, nothing)
        config.add_controller_wrapper(passing)
        config.add_application_wrapper(PassOn)
    for name, view, options in (
        ('stream', streamed, {}),
        ('tagged', tagged, {}),
        ('data', data, {'renderer': 'json', 'http_cache': 3600}),
    ):
        config.add_route(name, f'/{name}')
        config.add_view(view, route_name=name, **options)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('method', 'path', 'headers'),
    [
        ('GET', '/stream', {}),
        ('HEAD', '/stream', {}),
        ('GET', '/tagged', {'If-None-Match': '"xyz"'}),
        ('HEAD', '/tagged', {'If-None-Match': '"xyz"'}),
        ('GET', '/tagged', {'Range': 'bytes=1-2'}),
        (
            'GET',
            '/tagged',
            {'If-Modified-Since': 'Mon, 01 Jan 2001 0:0:0 GMT'},
        ),
        ('HEAD', '/data', {}),
        ('OPTIONS', '/data', {}),
        ('GET', '/nowhere', {}),
    ],
)
def test_do_nothing_registrations_keep_head_304_ranges_and_streams(
    method, path, headers
):
    """Held: with a do-nothing listener on every request hook, a passing
    controller wrapper and a passing application wrapper, HEAD, a 304, a
    206 and a streamed body are answered as bare Pyramid answers them."""

    def answer(app):
        response = app.request(
            path, method=method, headers=headers, expect_errors=True
        )
        # a time (Date; Expires of http_cache) differs across a second
        shown = sorted(
            (name, '<time>' if name in ('Date', 'Expires') else value)
            for name, value in response.headerlist
        )
        return response.status, shown, response.body

    assert answer(conditional_app(True)) == answer(conditional_app(False))
