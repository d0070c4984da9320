"""Free the request: no feature leaves cyclic garbage behind a request.

A reference cycle through the request keeps it, its environ, its body and
its response alive until the next collection, and makes the collector run
more often.  Each test sends the same requests to an application using a
feature and to bare Pyramid (the same routes and views, without the
add-on) with the collector off, and asserts that ``gc.collect()`` finds no
more in the first than in the second (bare Pyramid's count is measured,
not assumed to be zero).

Two cycles come from Pyramid and WebOb themselves.  An exception handled
by an exception view: ``request.exception`` holds the exception, whose
traceback holds the frames that hold the request (and an
``HTTPException`` answering as its own response is held by the router's
frames).  A parsed query string: WebOb's ``GET`` dict and the environ
refer to each other.  Whatever the add-on keeps in the frames or in the
environ (the trace) would join these and add to the count without making
a cycle, so both applications break them when the request is finished
(:func:`forget_known_cycles`): what remains is a cycle of the add-on's
own.
"""

import gc
import logging
import re
import types

import pytest
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden
from pyramid.response import Response
from pyramid.security import Denied
from pyramid.tweens import INGRESS
from webtest import TestApp

from pyramid_hooks import ApplicationWrapper, Invalid
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.jsonrpc import JsonRpcError
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)

#: Requests sent with the collector off, per measure.
ROUNDS = 5

RPC = {'jsonrpc': '2.0', 'method': 'add', 'params': {'a': 1, 'b': 2}}


#: Loggers whose records carry an exception: pytest's log capture would
#: keep each record, and through its exception whatever cycle holds it.
EXCEPTION_LOGGERS = (
    'pyramid_hooks.controllers.jsonrpc',
    'pyramid_hooks.hooks',
)


def garbage(app, send):
    """What the collector finds after ``ROUNDS`` times ``send(app)``, the
    collector off (one request first, for what is cached on first use),
    the records of :data:`EXCEPTION_LOGGERS` made and dropped."""
    send(app)
    loggers = [logging.getLogger(name) for name in EXCEPTION_LOGGERS]
    drop = logging.NullHandler()
    for logger in loggers:
        logger.propagate = False
        logger.addHandler(drop)
    gc.collect()
    gc.disable()
    try:
        for _ in range(ROUNDS):
            send(app)
        return gc.collect()
    finally:
        gc.enable()
        for logger in loggers:
            logger.removeHandler(drop)
            logger.propagate = True


def assert_no_more_than_bare(app, bare, send, bare_send=None):
    """*app* leaves no more garbage than *bare* for the same requests
    (*bare_send*'s, when bare Pyramid needs another view to answer the
    same)."""
    found = garbage(app, send)
    assert found <= garbage(bare, bare_send or send)


def get(path, status=200, **kw):
    def send(app):
        return app.get(path, status=status, **kw)

    return send


def post(path, params, status=200):
    def send(app):
        return app.post(path, params, status=status)

    return send


# -- the views, with and without the add-on --------------------------------


def data_view(request):
    return {'name': request.params.get('name', 'x')}


def teapot_view(request):
    return Response('teapot', status=418)


def failing_view(request):
    raise HTTPForbidden()


def error_view(exc, request):
    return Response('refused', status=403)


def value_error_view(exc, request):
    return Response('handled', status=500)


def forget_known_cycles(request):
    """Break Pyramid's cycle through ``request.exception`` and WebOb's
    through the parsed query string."""
    exception = request.__dict__.pop('exception', None)
    request.__dict__.pop('exc_info', None)
    while exception is not None:
        exception.__traceback__ = None
        exception = exception.__context__
    request.environ.pop('webob._parsed_query_vars', None)


def forget_known_cycles_tween_factory(handler, registry):
    """The outermost tween of both applications: its finished callback,
    :func:`forget_known_cycles`, runs last, whatever answered."""

    def forget_known_cycles_tween(request):
        try:
            return handler(request)
        finally:
            request.add_finished_callback(forget_known_cycles)

    return forget_known_cycles_tween


def make_config(addon=True, settings=None):
    config = Configurator(settings=settings)
    config.add_tween(
        f'{__name__}.forget_known_cycles_tween_factory', under=INGRESS
    )
    if addon:
        config.include('pyramid_hooks')
    return config


def app_of(config):
    return TestApp(config.make_wsgi_app())


def views_app(addon=True, setup=None, view_options=None, settings=None):
    """``/data`` (JSON), ``/teapot`` (a response), ``/fail`` (an
    ``HTTPForbidden`` rendered by an exception view); *setup(config)*
    adds the feature, *view_options* go to the ``/data`` view."""
    config = make_config(addon, settings)
    if setup is not None:
        setup(config)
    config.add_route('data', '/data')
    config.add_route('teapot', '/teapot')
    config.add_route('fail', '/fail')
    config.add_view(
        data_view, route_name='data', renderer='json', **(view_options or {})
    )
    config.add_view(teapot_view, route_name='teapot')
    config.add_view(failing_view, route_name='fail')
    config.add_view(error_view, context=HTTPForbidden)
    config.add_view(value_error_view, context=ValueError)
    return app_of(config)


SENDS = {
    'GET': get('/data?name=a'),
    'GET, no parameter': get('/data'),
    'POST form': post('/data', {'name': 'a'}),
    'a response': get('/teapot', status=418),
    'an exception view': get('/fail', status=403),
}


def read_params(request, params, *rest):
    params.get('name')


def ignore_params(request, *rest):
    pass


def pipeline_listeners(listener):
    def setup(config):
        for hook in ('before_validate', 'before_call', 'before_render'):
            config.register_hook(hook, listener)
        config.register_hook('after_render', ignore_params)

    return setup


@pytest.mark.parametrize('send', SENDS.values(), ids=SENDS)
@pytest.mark.parametrize(
    'listener', [read_params, ignore_params], ids=['reading', 'not reading']
)
def test_pipeline_hooks(listener, send):
    app = views_app(setup=pipeline_listeners(listener))
    assert_no_more_than_bare(app, views_app(addon=False), send)


def test_a_listener_not_reading_params_leaves_the_request_free():
    """The issue's measure: one ``before_call`` listener, nothing found
    (before, 15 objects a request)."""
    app = views_app(
        setup=lambda c: c.register_hook('before_call', ignore_params)
    )
    assert garbage(app, get('/teapot', status=418)) == 0


def validate(request, params):
    if params.get('name') == 'bad':
        raise Invalid({'name': 'bad name'})
    return {'name': params.get('name', 'x')}


def on_invalid(request):
    return Response('invalid', status=422)


def bad_request_view(request):
    """Bare Pyramid's 400 for ``/data?name=bad``: the parameters read, an
    ``HTTPBadRequest`` raised, Pyramid's default exception view."""
    request.params.get('name')
    raise HTTPBadRequest()


def bare_bad_request_app():
    config = make_config(addon=False)
    config.add_route('data', '/data')
    config.add_view(bad_request_view, route_name='data')
    return app_of(config)


def test_validator_valid():
    app = views_app(
        setup=pipeline_listeners(read_params),
        view_options={'validate': validate},
    )
    send = get('/data?name=a')
    assert_no_more_than_bare(app, views_app(addon=False), send)


def test_validator_invalid():
    app = views_app(
        setup=pipeline_listeners(read_params),
        view_options={'validate': validate},
    )
    send = get('/data?name=bad', status=400)
    assert_no_more_than_bare(app, bare_bad_request_app(), send)


@pytest.mark.parametrize('name', ['a', 'bad'], ids=['valid', 'invalid'])
def test_error_handler(name):
    app = views_app(
        setup=pipeline_listeners(read_params),
        view_options={'validate': validate, 'error_handler': on_invalid},
    )
    status = 422 if name == 'bad' else 200
    send = get(f'/data?name={name}', status=status)
    assert_no_more_than_bare(
        app, views_app(addon=False), send, get(f'/data?name={name}')
    )


# -- wrappers and request_finished -----------------------------------------


def passing_wrapper(next_caller):
    def call(context, request):
        return next_caller(context, request)

    return call


def answering_wrapper(next_caller):
    def call(context, request):
        return Response('wrapped', status=418)

    return call


@pytest.mark.parametrize('send', SENDS.values(), ids=SENDS)
@pytest.mark.parametrize(
    'wrapper',
    [passing_wrapper, answering_wrapper],
    ids=['passing', 'answering'],
)
def test_controller_wrappers(wrapper, send):
    def setup(config):
        config.add_controller_wrapper(wrapper)
        config.register_hook('before_call', read_params)

    app = views_app(setup=setup)
    bare_send = None
    if wrapper is answering_wrapper and send is not SENDS['a response']:
        send, bare_send = get('/data', status=418), SENDS['a response']
    assert_no_more_than_bare(app, views_app(addon=False), send, bare_send)


class Passing(ApplicationWrapper):
    def __call__(self, request):
        return self.next_handler(request)


class Outer(Passing):
    pass


class Answering(ApplicationWrapper):
    """Answers ``/teapot`` as its view would."""

    def __call__(self, request):
        if request.path == '/teapot':
            return Response('teapot', status=418)
        return self.next_handler(request)


class Raising(ApplicationWrapper):
    """Raises, for ``/fail``, what its view would raise: the application's
    exception view answers it."""

    def __call__(self, request):
        if request.path == '/fail':
            raise HTTPForbidden()
        return self.next_handler(request)


class Catching(ApplicationWrapper):
    """Answers a :exc:`RuntimeError` from below."""

    def __call__(self, request):
        try:
            return self.next_handler(request)
        except RuntimeError:
            return Response('caught', status=500)


def catching_tween_factory(handler, registry):
    """Bare Pyramid's :class:`Catching`."""

    def catching_tween(request):
        try:
            return handler(request)
        except RuntimeError:
            return Response('caught', status=500)

    return catching_tween


def lookup_error_view(request):
    raise LookupError('the view fails')


def failing_error_view(exc, request):
    raise RuntimeError('so does its exception view')


def failing_error_view_app(addon):
    config = make_config(addon)
    if addon:
        config.add_application_wrapper(Catching)
    else:
        config.add_tween(f'{__name__}.catching_tween_factory')
    config.add_route('lookup', '/lookup')
    config.add_view(lookup_error_view, route_name='lookup')
    config.add_view(failing_error_view, context=LookupError)
    return app_of(config)


def test_an_exception_from_below_caught_by_a_wrapper():
    """The exception from below was kept on the request (to tell it from
    the wrappers' own), and its traceback holds the request: a cycle.
    (One that no exception view handles makes a cycle in Pyramid's
    exception-view tween, so this one is raised by the exception view.)"""
    app = failing_error_view_app(addon=True)
    bare = failing_error_view_app(addon=False)
    send = get('/lookup', status=500)
    assert garbage(bare, send) == 0
    assert_no_more_than_bare(app, bare, send)


@pytest.mark.parametrize('send', SENDS.values(), ids=SENDS)
@pytest.mark.parametrize('wrapper', [Passing, Answering, Raising])
def test_application_wrappers(wrapper, send):
    def setup(config):
        config.add_application_wrapper(wrapper)
        config.add_application_wrapper(Outer)

    app = views_app(setup=setup)
    assert_no_more_than_bare(app, views_app(addon=False), send)


@pytest.mark.parametrize('send', SENDS.values(), ids=SENDS)
def test_request_finished(send):
    finished = []

    def setup(config):
        config.register_hook('request_finished', finished.append)
        config.add_application_wrapper(Passing)

    app = views_app(setup=setup)
    assert_no_more_than_bare(app, views_app(addon=False), send)
    assert finished  # the listener ran (and its list holds the requests)


# -- controller routes, JSON-RPC, widget callbacks ------------------------


class Shop(Controller):
    @route('/greet', auth='none')
    def greet(self, name='x'):
        return f'Hello {name}'

    @route('/refuse', auth='none')
    def refuse(self):
        raise HTTPForbidden()

    @route('/rpc', type='json', auth='none')
    def add(self, a, b, fail=None):
        if fail == 'value':
            raise ValueError('bad value')
        if fail == 'rpc':
            raise JsonRpcError(42, 'custom')
        if fail == 'http':
            raise HTTPForbidden()
        return a + b

    # two JSON handlers at one URL: calls dispatch on their method
    @route('/cart', type='json', auth='none')
    def cart_add(self, item):
        return [item]

    @route('/cart', type='json', auth='none', rpc_method='cart.drop')
    def cart_drop(self, item):
        return []

    @route('/item/<int:item_id>', auth='none')
    def item(self, item_id):
        return f'item {item_id + 1}'

    def show_errors(self):
        return f'invalid {sorted(self.request.validation_errors)}'

    @route('/save', auth='none', validate=validate, error_handler=show_errors)
    def save(self, name):
        return f'saved {name}'


class Echo(ServerSideCallbackMixin):
    @serverside_callback
    def ping(self, request):
        return Response(f'pong {request.params.get("name", "")}')

    @serverside_callback(renderer='json')
    def data(self, request):
        return {'name': request.params.get('name', '')}


def guard(callback, request):
    """A widget's authorization handler: only ``name=a`` passes."""
    allowed = request.params.get('name') == 'a'
    return Response(status=200 if allowed else 403)


class Guarded(Echo):
    callback_authorization = f'{__name__}.guard'


def answering_view(request):
    """Bare Pyramid's view for every request of the tests below: reads the
    parameters or the JSON body, answers 200 (JSON-RPC answers failing
    calls with 200 too)."""
    if request.content_type == 'application/json':
        request.json_body  # noqa: B018
    else:
        request.params.get('name')
    return Response('answered')


def add_answering_routes(config, *routes):
    """Bare Pyramid's counterparts of the add-on's routes: each *route*
    (``(name, pattern)``) answered by :func:`answering_view`."""
    for name, path in routes:
        config.add_route(name, path)
        config.add_view(answering_view, route_name=name)


def bare_answering_app():
    config = make_config(addon=False)
    add_answering_routes(
        config,
        ('greet', '/greet'),
        ('rpc', '/rpc'),
        ('widget', '/_widgets/echo/ping'),
        ('widget data', '/_widgets/echo/data'),
        ('guarded', '/_widgets/guarded/ping'),
        ('cart', '/cart'),
        ('item', '/item/{item_id}'),
        ('save', '/save'),
    )
    config.add_route('refuse', '/refuse')
    config.add_view(failing_view, route_name='refuse')
    config.add_view(error_view, context=HTTPForbidden)
    return app_of(config)


def render_call_listener(request, renderer_name, values, *response):
    pass


def everything(config):
    """Every feature at once: listeners of the four pipeline hooks (that
    read ``params``) and of the two render-call hooks,
    ``request_finished``, a controller wrapper, an application wrapper."""
    pipeline_listeners(read_params)(config)
    for hook in ('before_render_call', 'after_render_call'):
        config.register_hook(hook, render_call_listener)
    config.register_hook('request_finished', ignore_params)
    config.add_controller_wrapper(passing_wrapper)
    config.add_application_wrapper(Passing)


def addon_app(setup=None, settings=None):
    config = make_config(settings=settings)
    config.set_callback_authorization(always_allow)
    if setup is not None:
        setup(config)
    config.add_controller(Shop)
    config.add_widget(Echo(id='echo'))
    config.add_widget(Guarded(id='guarded'))
    config.add_view(error_view, context=HTTPForbidden)
    return app_of(config)


def send_json(path, body):
    def send(app):
        return app.post_json(path, body)

    return send


def rpc(body):
    return send_json('/rpc', body)


def rpc_call(id_=1, **params):
    return {**RPC, 'id': id_, 'params': {'a': 1, 'b': 2, **params}}


ROUTE_SENDS = {
    'http route': get('/greet?name=a'),
    'http route, no parameter': get('/greet'),
    'http route, exception view': get('/refuse', status=403),
    'JSON route': rpc(rpc_call()),
    'JSON route, invalid params': rpc(rpc_call(c=3)),
    # a single failed call marks the request failed (request.exception)
    'JSON route, failing call': rpc(rpc_call(fail='value')),
    'JSON route, JsonRpcError': rpc(rpc_call(fail='rpc')),
    'JSON route, HTTP exception': rpc(rpc_call(fail='http')),
    'JSON notification': rpc({'jsonrpc': '2.0', 'method': 'add'}),
    'JSON batch': rpc([rpc_call(i) for i in range(3)]),
    'JSON batch, failing calls': rpc(
        [rpc_call(1)]
        + [rpc_call(fail=kind) for kind in ('value', 'rpc', 'http')]
    ),
    'JSON, one URL, two methods': send_json(
        '/cart',
        [
            {**RPC, 'id': 1, 'method': 'cart_add', 'params': {'item': 1}},
            {**RPC, 'id': 2, 'method': 'cart.drop', 'params': {'item': 1}},
            {**RPC, 'id': 3, 'method': 'unknown', 'params': {}},
        ],
    ),
    'http route, converter': get('/item/41'),
    'http route, error handler method': get('/save?name=bad'),
    'widget callback': get('/_widgets/echo/ping?name=a'),
    'widget callback, renderer': get('/_widgets/echo/data?name=a'),
    'widget callback, authorized': get('/_widgets/guarded/ping?name=a'),
    'widget callback, refused': get('/_widgets/guarded/ping', status='*'),
}

FEATURES = {
    'include alone': None,
    'every feature': everything,
}


@pytest.mark.parametrize('send', ROUTE_SENDS.values(), ids=ROUTE_SENDS)
@pytest.mark.parametrize('setup', FEATURES.values(), ids=FEATURES)
def test_controller_routes_and_widget_callbacks(setup, send):
    app = addon_app(setup)
    assert_no_more_than_bare(app, bare_answering_app(), send)


# -- the trace -------------------------------------------------------------


def traced(config):
    everything(config)
    config.include('pyramid_hooks.trace')


ALL_SENDS = {**SENDS, **ROUTE_SENDS}


@pytest.mark.parametrize('send', ALL_SENDS.values(), ids=ALL_SENDS)
def test_trace(send, caplog):
    """The trace on over every feature, its log line written (the trace is
    recorded whatever the level; at DEBUG it is logged too)."""

    def setup(config):
        traced(config)
        config.add_route('data', '/data')
        config.add_route('teapot', '/teapot')
        config.add_route('fail', '/fail')
        config.add_view(data_view, route_name='data', renderer='json')
        config.add_view(teapot_view, route_name='teapot')
        config.add_view(failing_view, route_name='fail')

    app = addon_app(setup)
    bare = bare_answering_app()
    if send in SENDS.values():
        bare = views_app(addon=False)
    with caplog.at_level(logging.DEBUG, 'pyramid_hooks.trace'):
        assert_no_more_than_bare(app, bare, send)
    assert 'pyramid_hooks.trace:' in caplog.text


# -- params read after the request is gone ---------------------------------


def test_params_kept_past_the_request_fail_closed():
    """``LazyParams`` refers to its request weakly: kept, undecoded, past
    the request, reading it raises rather than passes for empty; decoded
    while the request lived, it stays readable."""
    kept = {}

    def keep(request, params):
        kept[request.path] = params
        if request.path == '/teapot':
            params.get('name')  # decoded now

    app = views_app(setup=lambda c: c.register_hook('before_call', keep))
    app.get('/teapot?name=a', status=418)
    app.get('/data?name=b')
    assert dict(kept['/teapot']) == {'name': 'a'}
    with pytest.raises(ReferenceError, match='request that is gone'):
        kept['/data'].get('name')
    assert repr(kept['/data']) == '<LazyParams (not decoded yet)>'


# -- JSON-RPC calls refused by auth or permission --------------------------


class Anonymous:
    """A security policy for anonymous clients: no identity, every
    permission denied."""

    def identity(self, request):
        return None

    def authenticated_userid(self, request):
        return None

    def permits(self, request, context, permission):
        return Denied(f'{permission!r} is denied to anonymous clients')

    def remember(self, request, userid, **kw):  # pragma: no cover
        return []

    def forget(self, request, **kw):  # pragma: no cover
        return []


def token_check(request):
    """An ``auth`` mode refusing from an ``except`` block: the refusal's
    context holds a traceback too."""
    try:
        int(request.headers.get('X-Token', 'none'))
    except ValueError:
        raise HTTPForbidden() from None


class Vault(Controller):
    @route('/vault', type='json')  # auth='user', the default
    def open(self):  # pragma: no cover - refused
        return 'opened'

    @route('/token', type='json', auth='token')
    def token(self):  # pragma: no cover - refused
        return 'opened'

    @route('/locked', type='json', auth='public', permission='admin')
    def locked(self):  # pragma: no cover - refused
        return 'opened'

    # a shared URL: each call's handler checked when it first needs it
    @route('/desk', type='json')
    def desk_read(self):  # pragma: no cover - refused
        return 'read'

    @route('/desk', type='json', auth='public', rpc_method='desk.note')
    def desk_note(self):
        return 'noted'


def refusing_app(addon=True):
    """The routes of :class:`Vault` for an anonymous client (bare
    Pyramid: the same routes, answered 200 as JSON-RPC refusals are)."""
    config = make_config(addon)
    config.set_security_policy(Anonymous())
    if addon:
        config.add_controller_auth('token', token_check)
        config.add_controller(Vault)
        return app_of(config)
    add_answering_routes(
        config,
        ('vault', '/vault'),
        ('token', '/token'),
        ('locked', '/locked'),
        ('desk', '/desk'),
    )
    return app_of(config)


REFUSED_SENDS = {
    'auth user, anonymous': send_json('/vault', {**RPC, 'id': 1}),
    'auth check raising from an except block': send_json(
        '/token', {**RPC, 'id': 1}
    ),
    'permission denied': send_json('/locked', {**RPC, 'id': 1}),
    'shared URL, auth user, anonymous': send_json(
        '/desk',
        [
            {**RPC, 'id': 1, 'method': 'desk_read', 'params': {}},
            {**RPC, 'id': 2, 'method': 'desk.note', 'params': {}},
        ],
    ),
}


@pytest.mark.parametrize('send', REFUSED_SENDS.values(), ids=REFUSED_SENDS)
def test_json_rpc_calls_refused(send):
    """A refusal raised by the ``auth`` check kept its traceback, whose
    frames hold the request (several hundred objects per request)."""
    app = refusing_app()
    reply = send(app).json
    errors = [
        item['error']['code']
        for item in (reply if isinstance(reply, list) else [reply])
        if 'error' in item
    ]
    assert errors == [-32001]
    assert_no_more_than_bare(app, refusing_app(addon=False), send)


# -- the debug toolbar's panel -----------------------------------------------


def is_addon_object(obj):
    """Whether *obj* is one of the add-on's functions, frames or
    instances (asked of its type: a garbage object's attributes may not
    be readable)."""
    if isinstance(obj, types.FunctionType):
        module = obj.__module__ or ''
    elif isinstance(obj, types.FrameType):
        module = obj.f_globals.get('__name__', '')
    else:
        module = type(obj).__module__ or ''
    return module.split('.')[0] == 'pyramid_hooks'


def addon_garbage(app, send):
    """The objects of the add-on (its functions, frames and instances)
    among what the collector finds after ``ROUNDS`` times ``send(app)``,
    the collector off."""
    send(app)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(ROUNDS):
            send(app)
        gc.collect()
        found = [obj for obj in gc.garbage if is_addon_object(obj)]
        return [repr(obj) for obj in found]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def html_view(request):
    return Response('<html><body><p>page</p></body></html>')


def toolbar_app():
    """The trace's toolbar panel over an application wrapper."""
    config = Configurator(
        settings={'debugtoolbar.includes': 'pyramid_hooks.trace.toolbar'}
    )
    config.include('pyramid_debugtoolbar')
    config.include('pyramid_hooks')
    config.add_application_wrapper(Passing)
    config.add_route('page', '/page')
    config.add_view(html_view, route_name='page')
    return TestApp(
        config.make_wsgi_app(), extra_environ={'REMOTE_ADDR': '127.0.0.1'}
    )


def toolbar_page(app):
    response = app.get('/page')
    url = re.search(
        r'href="([^"]+)" target="pDebugToolbar"', response.text
    ).group(1)
    assert 'pyramid_hooks' in app.get(url).text


def test_the_toolbar_panel():
    """The panel, rendered for each toolbar page, orders the application
    wrappers: a recursive closure referred to itself, a cycle per page.
    (Mako's templates leave cycles of their own at each render, the
    toolbar's panels' as the add-on's: what is asserted is that none of
    the garbage is the add-on's.)"""
    assert addon_garbage(toolbar_app(), toolbar_page) == []
