"""The fifth attacker pass over the core, the widgets and the trace: each
test sends what an attacker (or a careless configuration) would, through a
real application, and asserts on what the client or the operator sees."""

import types

import pytest
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPForbidden
from pyramid.request import Request
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Invalid
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)

# -- a mismatch the method did not cause is not the widgets route's 405 ----


def forward(request):
    """What a callback or a view may do: hand the request to another URL
    of the application, here one that takes POST only."""
    return request.invoke_subrequest(
        Request.blank('/post-only'), use_tweens=False
    )


class Relay(ServerSideCallbackMixin):
    id = 'relay'

    @serverside_callback(request_method='GET')
    def get(self, request):
        return forward(request)

    @serverside_callback
    def any(self, request):
        return forward(request)


def relay_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_route('post-only', '/post-only')
    config.add_view(
        lambda request: Response('posted'),
        route_name='post-only',
        request_method='POST',
    )
    config.add_route('plain', '/plain')
    config.add_view(forward, route_name='plain')
    config.add_notfound_view(lambda request: Response('not here', status=404))
    config.add_widget(Relay())
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('method', ['GET', 'HEAD'])
@pytest.mark.parametrize('callback', ['get', 'any'])
def test_a_mismatch_raised_by_a_callback_is_not_a_405(callback, method):
    """A ``PredicateMismatch`` out of the callback (its own subrequest's)
    was answered by the widgets route's 405 view: ``405 Allow: GET`` to a
    GET, and a ``TypeError`` (500) for a callback taking any method.  It
    is now the application's not-found view, as from any view."""
    app = relay_app()
    plain = app.request('/plain', method=method, status=404)
    answer = app.request(
        f'/_widgets/relay/{callback}', method=method, status=404
    )
    assert answer.headers.get('Allow') is None
    assert answer.body == plain.body
    assert method == 'HEAD' or answer.text == 'not here'


def test_a_method_the_callback_excludes_is_still_a_405():
    app = relay_app()
    answer = app.post('/_widgets/relay/get', status=405)
    assert answer.headers['Allow'] == 'GET'


# -- a response adapter is called once, as Pyramid calls it -----------------


def rows(request):
    """A view whose result a response adapter makes a response of."""
    return (str(number) for number in range(3))


def rows_overridden(request):
    request.override_renderer = 'json'
    return rows(request)


class Rows(ServerSideCallbackMixin):
    id = 'rows'

    @serverside_callback
    def list(self, request):
        return rows(request)


def joined(generator):
    """An application's response adapter that consumes the value."""
    return Response(','.join(generator))


def nothing(*args):
    pass


def rows_app(addon, hook=None):
    config = Configurator()
    config.add_response_adapter(joined, types.GeneratorType)
    if addon:
        config.include('pyramid_hooks')
        config.set_callback_authorization(always_allow)
        config.add_widget(Rows())
        if hook is not None:
            config.register_hook(hook, nothing)
    config.add_route('rows', '/rows')
    config.add_view(rows, route_name='rows', renderer='json')
    config.add_route('overridden', '/overridden')
    config.add_view(rows_overridden, route_name='overridden', renderer='json')
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('hook', 'path'),
    [
        ('before_render', '/rows'),
        ('before_render_call', '/overridden'),
        (None, '/_widgets/rows/list'),
    ],
)
def test_a_response_adapter_is_called_once(hook, path):
    """A do-nothing ``before_render`` listener, a render-call listener on
    a view setting ``override_renderer``, and a widget callback had the
    application's response adapter called to learn whether the value is
    a response, then Pyramid called it again: a generator consumed by the
    first call gave an empty body."""
    bare = rows_app(False).get('/rows').body
    assert bare == b'0,1,2'
    assert rows_app(True, hook).get(path).body == bare


# -- what is scoped to a route runs for the error handler answering it -------


def admins_only(request, *args):
    """A guard of a route, as a ``before_call`` listener."""
    if request.headers.get('X-Admin') != 'yes':
        raise HTTPForbidden()


def admins_only_wrapper(next_caller):
    """The same guard, as a controller wrapper."""

    def call(context, request):
        admins_only(request)
        return next_caller(context, request)

    return call


def no_store(request, response):
    response.headers['Cache-Control'] = 'no-store'


def title_ok(request, params):
    if params.get('title') != 'ok':
        raise Invalid({'title': 'not ok'})


def edit_form(request):
    return Response('the record, to edit')


def save(request):
    return Response('saved')


def edit_app(register):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('edit', '/edit')
    register(config)
    config.add_view(
        save, route_name='edit', validate=title_ok, error_handler=edit_form
    )
    return TestApp(config.make_wsgi_app())


GUARDS = {
    'before_call listener': lambda config: config.register_hook(
        'before_call', admins_only, route_name='edit'
    ),
    'controller wrapper': lambda config: config.add_controller_wrapper(
        admins_only_wrapper, route_name='edit'
    ),
}


@pytest.mark.parametrize('title', ['ok', 'bad'])
@pytest.mark.parametrize('register', GUARDS.values(), ids=GUARDS)
def test_invalid_parameters_do_not_get_past_a_route_guard(register, title):
    """A guard scoped with ``route_name=`` ran for the view only: a
    request with invalid parameters got the error handler's page, on that
    route, without the guard (200 and the record)."""
    app = edit_app(register)
    refused = app.get(f'/edit?title={title}', status=403)
    assert 'record' not in refused.text
    admin = {'X-Admin': 'yes'}
    answer = app.get(f'/edit?title={title}', headers=admin)
    assert answer.text == ('saved' if title == 'ok' else 'the record, to edit')


def test_a_route_scoped_after_render_listener_sees_the_handlers_response():
    app = edit_app(
        lambda config: config.register_hook(
            'after_render', no_store, route_name='edit'
        )
    )
    for title in ('ok', 'bad'):
        answer = app.get(f'/edit?title={title}')
        assert answer.headers['Cache-Control'] == 'no-store'


def test_a_view_without_a_route_still_has_its_handlers_listeners():
    """A view found by traversal has no route scope: its handler keeps
    its own (``view=handler``)."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('after_render', no_store, view=edit_form)
    config.add_view(
        save, name='edit', validate=title_ok, error_handler=edit_form
    )
    app = TestApp(config.make_wsgi_app())
    answer = app.get('/edit?title=bad')
    assert answer.text == 'the record, to edit'
    assert answer.headers['Cache-Control'] == 'no-store'
    assert 'Cache-Control' not in app.get('/edit?title=ok').headers
