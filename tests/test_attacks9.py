"""An attacker's ninth pass, on the core and the widgets: what got in
(each test failed before its fix), and probes that found nothing, kept as
regression tests."""

import gc

import pytest
from pyramid import traversal
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import ApplicationWrapper, Invalid
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
    url_for_callback,
)


def secret_app(setup, settings=None):
    """An application whose ``/x`` answers ``secret`` (``'view ran'`` with
    a string renderer at ``/r``), *setup(config)* run before it is made."""
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    config.add_route('x', '/x')
    config.add_view(lambda request: Response('secret'), route_name='x')
    setup(config)
    return TestApp(config.make_wsgi_app())


async def async_guard(request, params):
    raise HTTPForbidden()  # pragma: no cover - refused at startup


def generator_guard(request, params):
    yield  # pragma: no cover - refused at startup
    raise HTTPForbidden()  # pragma: no cover


class AsyncCall:
    async def __call__(self, request, params):
        raise HTTPForbidden()  # pragma: no cover - refused at startup


@pytest.mark.parametrize(
    ('setup', 'settings', 'shown'),
    [
        (
            lambda c: c.register_hook('before_call', async_guard),
            None,
            'async function',
        ),
        (
            lambda c: None,
            {'hooks.on.before_call': f'{__name__}.async_guard'},
            'async function',
        ),
        (
            lambda c: c.register_hook('before_call', AsyncCall()),
            None,
            'async function',
        ),
        (
            lambda c: c.register_hook('before_call', generator_guard),
            None,
            'generator function',
        ),
        (  # a hook nobody declared is notified synchronously too
            lambda c: c.register_hook('my_guard', async_guard),
            None,
            'async function',
        ),
        (  # declared after the listener came
            lambda c: (
                c.register_hook('audit', generator_guard, namespace='app'),
                c.add_hook_namespace('app'),
                c.add_hook(
                    'audit', args=('request', 'params'), namespace='app'
                ),
            ),
            None,
            'generator function',
        ),
    ],
)
def test_a_listener_whose_body_would_never_run_is_refused(
    setup, settings, shown
):
    """An ``async def`` listener (or one that yields, of a hook whose
    return value is ignored) was accepted and called as a plain function:
    its coroutine was never run, so a guard on ``before_call`` never
    refused, and ``/x`` answered ``secret`` to everyone."""
    with pytest.raises(ConfigurationError) as info:
        secret_app(setup, settings)
    message = str(info.value)
    assert 'cannot be a listener' in message
    assert shown in message
    assert 'its body would never run' in message


def test_a_filter_that_yields_is_still_a_filter():
    """A listener of a value hook may return a generator: it is the value."""

    def lazy_upper(value):
        yield from (v.upper() for v in value)

    def setup(config):
        config.add_hook('words', value=True)
        config.register_hook('words', lazy_upper)

        def view(request):
            words = request.hooks.notify_with_value('words', ['a', 'b'])
            return Response(' '.join(words))

        config.add_route('w', '/w')
        config.add_view(view, route_name='w')

    assert secret_app(setup).get('/w').text == 'A B'


def async_wrapper(next_caller):
    async def call(context, request):  # pragma: no cover - refused
        return next_caller(context, request)

    return call


def invalid(request, params):
    raise Invalid({'q': 'bad'})


async def async_handler(request):  # pragma: no cover - refused
    return 'handled'


async def async_validator(request, params):  # pragma: no cover - refused
    return params


async def async_authorization(callback, request):  # pragma: no cover
    return Response()


class AsyncCallbackWidget(ServerSideCallbackMixin):
    callback_authorization = always_allow

    @serverside_callback(renderer='string')
    async def cb(self, request):  # pragma: no cover - refused
        return 'x'


class PlainWidget(ServerSideCallbackMixin):
    @serverside_callback
    def cb(self, request):  # pragma: no cover - refused
        return Response('x')


class AsyncWrapper(ApplicationWrapper):
    async def __call__(self, request):  # pragma: no cover - refused
        return self.next_handler(request)


def string_view(config, **options):
    config.add_route('r', '/r')
    config.add_view(
        lambda request: 'view ran',
        route_name='r',
        renderer='string',
        **options,
    )


@pytest.mark.parametrize(
    'setup',
    [
        lambda c: string_view(c, controller_wrappers=[async_wrapper]),
        lambda c: string_view(
            c, validate=invalid, error_handler=async_handler
        ),
        lambda c: string_view(c, validate=async_validator),
        lambda c: c.add_widget(AsyncCallbackWidget(id='w')),
        lambda c: (
            c.set_callback_authorization(async_authorization),
            c.add_widget(PlainWidget(id='w')),
        ),
        lambda c: c.add_application_wrapper(AsyncWrapper),
    ],
    ids=[
        'controller-wrapper',
        'error-handler',
        'validator',
        'widget-callback',
        'authorization',
        'application-wrapper',
    ],
)
def test_an_async_callable_is_refused_at_startup(setup):
    """An ``async def`` controller wrapper call, error handler or widget
    callback was accepted: with a string renderer the reply was a 200
    whose body was ``<coroutine object ... at 0x...>`` (a code name and an
    address; the wrapper, the handler, the callback never ran); an async
    validator, authorization handler or application wrapper failed every
    request instead of the startup."""
    with pytest.raises(ConfigurationError) as info:
        secret_app(setup)
    message = str(info.value)
    assert 'async function (async def)' in message
    assert 'its body would never run' in message


class Maintenance(ApplicationWrapper):
    """Refuses every request while the ini file says so: its ``injected``
    is the setting as the ini file gives it, text."""

    @property
    def injected(self):
        return self.settings.get('maintenance', False)

    def __call__(self, request):
        return Response('Back soon', status=503)


@pytest.mark.parametrize('value', ['false', 'off', '0', None, 1])
def test_an_injected_that_is_no_boolean_is_refused(value):
    """``maintenance = false`` in the ini file: ``injected`` returned the
    text ``'false'``, which is true, and the wrapper answered every request
    503 (a debugging wrapper would have run in production).  Only ``True``
    and ``False`` say whether the wrapper takes part."""

    def setup(config):
        config.registry.settings['maintenance'] = value
        config.add_application_wrapper(Maintenance)

    with pytest.raises(ConfigurationError) as info:
        secret_app(setup)
    message = str(info.value)
    assert 'Maintenance' in message
    assert f'its injected is {value!r}, not True or False' in message
    assert 'pyramid.settings.asbool()' in message


@pytest.mark.parametrize(('value', 'status'), [(False, 200), (True, 503)])
def test_an_injected_boolean_decides(value, status):
    def setup(config):
        config.registry.settings['maintenance'] = value
        config.add_application_wrapper(Maintenance)

    secret_app(setup).get('/x', status=status)


def finishing_app(addon):
    """``/x`` queues a finished callback that raises ``KeyError``; with
    *addon*, a ``request_finished`` listener raises ``ValueError`` first."""

    def fails(request):
        raise ValueError('listener')

    def callback(request):
        raise KeyError('application')

    def view(request):
        request.add_finished_callback(callback)
        return Response('x')

    config = Configurator()
    if addon:
        config.include('pyramid_hooks')
        config.register_hook('request_finished', fails)
    config.add_route('x', '/x')
    config.add_view(view, route_name='x')
    return TestApp(config.make_wsgi_app())


def raised_and_garbage(app):
    """The exception ``GET /x`` raised and what the collector then finds."""
    with pytest.raises(KeyError):
        app.get('/x')  # cached on first use
    gc.collect()
    gc.disable()
    try:
        with pytest.raises(KeyError) as info:
            app.get('/x')
        error = info.value
        del info
        return error, gc.collect()
    finally:
        gc.enable()


def test_a_failing_listener_and_callback_leave_no_cycle_nor_silence():
    """A ``request_finished`` listener that raised was queued again as a
    callback holding its exception, after the application's: when one of
    those raised first, it stayed queued, so the request held the
    exception, whose traceback held the request (a reference cycle per
    request, ``Request`` and all in the collector's garbage), and the
    listener's failure was never seen.  Now the application's exception
    has it as its context, and nothing is left behind (as bare Pyramid)."""
    error, found = raised_and_garbage(finishing_app(addon=True))
    assert isinstance(error.__context__, ValueError)
    assert found <= raised_and_garbage(finishing_app(addon=False))[1]


def test_a_widget_url_quotes_only_the_values_its_route_takes():
    """``url_for_callback`` passed every value the current route matched
    to ``route_path``, and Pyramid keeps every path segment it quotes in a
    process-wide cache, for good: each ``/users/<name>`` a client made up
    stayed in memory (1,000 requests, 1,000 entries), on any page showing
    a widget.  Only the route prefix's placeholders take them now."""

    def setup(config):
        config.add_widget(PlainWidget(id='w'))

        def include(config):
            config.add_widget(PlainWidget(id='p'))

        config.include(include, route_prefix='/{lang}')
        config.add_route('user', '/{lang}/users/{name}')
        config.add_view(
            lambda request: Response(
                url_for_callback(request, 'w/cb')
                + ' '
                + url_for_callback(request, 'p/cb', q='1')
            ),
            route_name='user',
        )

    app = secret_app(setup)
    app.get('/de/users/first')
    cached = len(traversal._segment_cache)
    for n in range(50):
        page = app.get(f'/de/users/made-up-{n}').text
        assert page == '/_widgets/w/cb /de/_widgets/p/cb?q=1'
    assert len(traversal._segment_cache) == cached


# Probes that found nothing, kept as regression tests.


class PassThrough(ApplicationWrapper):
    def __call__(self, request):
        return self.next_handler(request)


def conditional_app(addon):
    """A conditional (ETag, ranges) response and a streamed one, with every
    hook listened to and pass-through wrappers when *addon*."""
    config = Configurator()
    if addon:
        config.include('pyramid_hooks')
        config.add_application_wrapper(PassThrough)
        config.add_controller_wrapper(lambda next_caller: next_caller)
        for hook in (
            'before_validate',
            'before_call',
            'before_render',
            'after_render',
            'new_request',
            'context_found',
            'new_response',
            'request_finished',
        ):
            config.register_hook(hook, lambda *args: None)

    def tagged(request):
        response = Response(body=b'0123456789' * 10, conditional_response=True)
        response.etag = 'abc'
        return response

    def streamed(request):
        return Response(app_iter=iter([b'a', b'b']))

    config.add_route('tagged', '/tagged')
    config.add_view(tagged, route_name='tagged')
    config.add_route('streamed', '/streamed')
    config.add_view(streamed, route_name='streamed')
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('method', 'path', 'headers'),
    [
        ('GET', '/tagged', {}),
        ('HEAD', '/tagged', {}),
        ('GET', '/tagged', {'If-None-Match': '"abc"'}),
        ('GET', '/tagged', {'Range': 'bytes=0-4'}),
        ('GET', '/tagged', {'Range': 'bytes=500-600'}),
        ('GET', '/streamed', {}),
        ('HEAD', '/streamed', {}),
    ],
)
def test_do_nothing_registrations_keep_304_ranges_head_and_streams(
    method, path, headers
):
    def answer(app):
        response = app.request(
            path, method=method, headers=headers, expect_errors=True
        )
        kept = [(k, v) for k, v in response.headerlist if k != 'Date']
        return response.status, kept, response.body

    assert answer(conditional_app(True)) == answer(conditional_app(False))


def test_trapped_listener_failures_leave_no_garbage():
    def fails(request):
        raise ValueError('trapped')

    def setup(config):
        config.add_hook('audit', args=('request',), trap_exceptions=True)
        config.register_hook('audit', fails)
        config.add_hook(
            'total', args=('request',), value=True, trap_exceptions=True
        )
        config.register_hook('total', lambda value, request: 1 / 0)

        def view(request):
            request.hooks.notify('audit', request)
            total = request.hooks.notify_with_value('total', 1, request)
            return Response(str(total))

        config.add_route('t', '/t')
        config.add_view(view, route_name='t')

    app = secret_app(setup)
    assert app.get('/t').text == '1'
    gc.collect()
    gc.disable()
    try:
        app.get('/t')
        assert gc.collect() == 0
    finally:
        gc.enable()


class Stream:
    """A server's chunked request body: read on demand, never seekable."""

    def __init__(self, data):
        self.data = data

    def read(self, size=-1):
        size = len(self.data) if size is None or size < 0 else size
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk

    def readline(self, size=-1):
        end = self.data.find(b'\n') + 1 or len(self.data)
        return self.read(end if size is None or size < 0 else min(size, end))


def peeking(callback, request):
    """An authorization handler reading a few bytes of the body."""
    request.body_file.readline(3)
    return Response()


class Echo(ServerSideCallbackMixin):
    @serverside_callback(authorization=peeking, require_csrf=False)
    def echo(self, request):
        return Response(body=request.body + b'|' + request.POST['b'].encode())


@pytest.mark.parametrize('length', [True, False])
def test_a_handler_reading_part_of_a_streamed_body_leaves_it_whole(length):
    app = secret_app(lambda config: config.add_widget(Echo(id='e')))
    body = b'a=1&b=' + b'x' * 30 + b'\nline=2'
    environ = {
        'wsgi.input': Stream(body),
        'CONTENT_TYPE': 'application/x-www-form-urlencoded',
    }
    if length:
        environ['CONTENT_LENGTH'] = str(len(body))
    else:
        environ['wsgi.input_terminated'] = True
    response = app.app(
        dict(
            environ,
            REQUEST_METHOD='POST',
            PATH_INFO='/_widgets/e/echo',
            SCRIPT_NAME='',
            SERVER_NAME='x',
            SERVER_PORT='80',
            **{'wsgi.url_scheme': 'http'},
        ),
        lambda status, headers, exc_info=None: None,
    )
    assert b''.join(response) == body + b'|' + b'x' * 30 + b'\nline=2'
