"""What a real WSGI server hands the application: a request body that
is a stream, read from the client as the application reads it, with a
``Content-Length`` or chunked (no length, ``wsgi.input_terminated``).
Driven through WebOb requests whose ``wsgi.input`` counts what is read
(as gunicorn streams a body), and through waitress in a thread."""

import hashlib
import http.client

import pytest
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPForbidden
from pyramid.request import Request
from pyramid.response import Response
from webtest import TestApp
from webtest.http import StopableWSGIServer

from pyramid_hooks import ServerSideCallbackMixin, serverside_callback
from pyramid_hooks.controllers import Controller, route


class StreamedBody:
    """A ``wsgi.input`` as a server gives it: not seekable, read once,
    counting the bytes the application took from the client."""

    def __init__(self, body):
        self.body = body
        self.taken = 0

    def read(self, size=-1):
        end = len(self.body) if size is None or size < 0 else self.taken + size
        data = self.body[self.taken : end]
        self.taken += len(data)
        return data

    def readline(self, size=-1):
        end = self.body.find(b'\n', self.taken) + 1 or len(self.body)
        if size is not None and size >= 0:
            end = min(end, self.taken + size)
        data = self.body[self.taken : end]
        self.taken += len(data)
        return data

    def readlines(self, hint=-1):
        return list(self)

    def __iter__(self):
        return iter(self.readline, b'')


def streamed_request(path, body, chunked, content_type='x/y'):
    """A POST to *path* whose body comes from a :class:`StreamedBody`,
    with a ``Content-Length`` or, *chunked*, without one."""
    stream = StreamedBody(body)
    environ = {'wsgi.input': stream}
    if chunked:
        environ['wsgi.input_terminated'] = True
    request = Request.blank(
        path, method='POST', content_type=content_type, environ=environ
    )
    if chunked:
        request.environ.pop('CONTENT_LENGTH', None)
    else:
        request.content_length = len(body)
    return request, stream


def signed_in(callback, request):
    """An authorization handler deciding on a header, as a login check
    does, without reading the body."""
    if request.headers.get('X-User') is None:
        return HTTPForbidden()
    return Response(status=200)


#: How a handler may read the body before it allows the call.
READS = {
    'nothing': lambda request: None,
    'body': lambda request: request.body,
    'body_file': lambda request: request.body_file.read(),
    'some': lambda request: request.body_file.read(10),
    'readline': lambda request: request.body_file.readline(),
    'POST': lambda request: request.POST,
    'stream': lambda request: (
        request.body_file_raw.read(0),
        request.body_file_raw.read(None),
    ),
    'stream lines': lambda request: request.body_file_raw.readlines(),
    'stream bits': lambda request: [
        request.body_file_raw.read(3),
        request.body_file_raw.readline(2),
        request.body_file_raw.readline(None),
        next(iter(request.body_file_raw), b''),
        request.body_file_raw.read(5),
    ],
}


def reading(how):
    """An allowing handler that reads the body *how* first."""

    def handler(callback, request):
        READS[how](request)
        return Response(status=200)

    return handler


class Upload(ServerSideCallbackMixin):
    def __init__(self, handler, **kw):
        super().__init__(id='up', callback_authorization=handler, **kw)

    @serverside_callback(require_csrf=False)
    def save(self, request):
        body = request.body
        digest = hashlib.sha256(body).hexdigest()[:12]
        return Response(f'{len(body)} {digest}')

    @serverside_callback(require_csrf=False)
    def lines(self, request):
        stream = request.body_file_raw
        body = stream.readline(4) + stream.readline() + b''.join(stream)
        digest = hashlib.sha256(body).hexdigest()[:12]
        return Response(f'{len(body)} {digest}')

    @serverside_callback(require_csrf=False)
    def form(self, request):
        return Response(request.POST.get('q', 'no q')[:20])

    @serverside_callback(require_csrf=False)
    def ignore(self, request):
        return Response('ignored')


def upload_app(handler):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(Upload(handler))
    return config.make_wsgi_app()


BIG = bytes(range(256)) * 1000  # 256,000 bytes: past WebOb's tempfile limit


@pytest.mark.parametrize('chunked', [False, True])
def test_a_handler_refusing_on_a_header_reads_nothing_of_the_body(chunked):
    """Under gunicorn (a streamed body), a handler refusing anonymous
    callers had the whole body read (copied to disk) first: an endless
    chunked upload kept the worker reading.  Pyramid alone, refusing in
    the view, reads none of it."""
    request, stream = streamed_request('/_widgets/up/save', BIG, chunked)
    response = request.get_response(upload_app(signed_in))
    assert response.status_int == 403
    assert stream.taken == 0


@pytest.mark.parametrize('chunked', [False, True])
def test_a_callback_that_ignores_the_body_reads_none_of_it(chunked):
    request, stream = streamed_request('/_widgets/up/ignore', BIG, chunked)
    request.headers['X-User'] = 'ann'
    response = request.get_response(upload_app(signed_in))
    assert response.text == 'ignored'
    assert stream.taken == 0


@pytest.mark.parametrize('chunked', [False, True])
@pytest.mark.parametrize('body', [b'', b'short body\nline 2\n3', BIG])
@pytest.mark.parametrize('how', list(READS))
@pytest.mark.parametrize('callback', ['save', 'lines'])
def test_the_callback_reads_the_whole_body_whatever_the_handler_read(
    callback, how, body, chunked
):
    """The handler may read the body, any way WebOb or the stream
    allows; the callback reads all of it, from its start."""
    request, stream = streamed_request(
        f'/_widgets/up/{callback}', body, chunked
    )
    response = request.get_response(upload_app(reading(how)))
    digest = hashlib.sha256(body).hexdigest()[:12]
    assert response.text == f'{len(body)} {digest}'
    assert stream.taken == len(body)


@pytest.mark.parametrize('body', [b'short body\nline 2\n3', BIG])
@pytest.mark.parametrize(
    'how',
    [
        lambda request: (request.body_file.read(10), request.body),
        lambda request: (request.body_file_raw.readline(), request.POST),
    ],
    ids=['some, then body', 'a line, then POST'],
)
def test_the_callback_reads_the_whole_body_after_a_partial_read_and_a_copy(
    how, body
):
    """A handler reading part of a chunked body, then ``request.body``
    (WebOb copies the rest only): the callback got the body without its
    first bytes, a request the client never sent."""

    def handler(callback, request):
        how(request)
        return Response(status=200)

    request, _ = streamed_request('/_widgets/up/save', body, chunked=True)
    response = request.get_response(upload_app(handler))
    digest = hashlib.sha256(body).hexdigest()[:12]
    assert response.text == f'{len(body)} {digest}'


@pytest.mark.parametrize('chunked', [False, True])
@pytest.mark.parametrize('how', ['nothing', 'body', 'body_file', 'POST'])
def test_the_callback_reads_the_form_whatever_the_handler_read(how, chunked):
    body = b'q=spam&pad=' + b'x' * 100_000
    request, _ = streamed_request(
        '/_widgets/up/form',
        body,
        chunked,
        content_type='application/x-www-form-urlencoded',
    )
    response = request.get_response(upload_app(reading(how)))
    assert response.text == 'spam'


def test_a_body_cut_short_is_an_error_not_a_shorter_body():
    """A client that sends less than its ``Content-Length`` announced
    gets WebOb's error, as without the handler, never a callback run
    with part of the body."""
    request, _ = streamed_request('/_widgets/up/save', BIG, chunked=False)
    request.content_length = len(BIG) + 10
    with pytest.raises(Exception, match='disconnected'):
        request.get_response(upload_app(reading('body_file')))


@pytest.fixture
def waitress_upload():
    server = StopableWSGIServer.create(
        upload_app(reading('body_file')),
        host='127.0.0.1',
        expose_tracebacks=False,
    )
    try:
        assert server.wait()
        yield server
    finally:
        server.shutdown()


@pytest.mark.parametrize('chunked', [False, True])
def test_waitress_a_callback_gets_the_body_its_handler_read(
    waitress_upload, chunked
):
    """Through waitress, with a ``Content-Length`` and chunked."""
    connection = http.client.HTTPConnection(
        waitress_upload.adj.host, waitress_upload.adj.port, timeout=10
    )
    try:
        if chunked:
            parts = (BIG[i : i + 10_000] for i in range(0, len(BIG), 10_000))
            connection.request(
                'POST', '/_widgets/up/save', parts, encode_chunked=True
            )
        else:
            connection.request('POST', '/_widgets/up/save', BIG)
        response = connection.getresponse()
        text = response.read().decode()
    finally:
        connection.close()
    digest = hashlib.sha256(BIG).hexdigest()[:12]
    assert (response.status, text) == (200, f'{len(BIG)} {digest}')


class Notified(Controller):
    @route('/rpc', type='json', auth='public')
    def rpc(self, **kw):
        return kw

    @route('/quiet', auth='public')
    def quiet(self):
        return ''


@pytest.mark.parametrize(
    'payload',
    [
        {'jsonrpc': '2.0', 'method': 'rpc'},
        [{'jsonrpc': '2.0', 'method': 'rpc'}] * 2,
    ],
)
def test_a_notifications_204_has_no_content_length(payload):
    """RFC 9110 (8.6): no ``Content-Length`` in a 204, as Pyramid's own
    ``HTTPNoContent`` and an http handler's 204 have none; the
    notification's had ``Content-Length: 0``, which waitress and
    gunicorn drop, but a server passing headers through sends on."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Notified)
    app = TestApp(config.make_wsgi_app())
    for response in (
        app.post_json('/rpc', payload, status=204),
        app.get('/quiet', status=204),
    ):
        assert 'Content-Length' not in response.headers
        assert 'Content-Type' not in response.headers
        assert response.body == b''


class Fields(Controller):
    @route('/ping', auth='public', csrf=False)
    def ping(self):
        return 'pong'

    @route('/item/<int:item>', auth='public', csrf=False)
    def item(self, item):
        return f'item {item}'

    @route('/search', auth='public', csrf=False)
    def search(self, q=''):
        return f'search {q}'


def fields_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Fields)
    return config.make_wsgi_app()


@pytest.mark.parametrize(
    ('path', 'text'), [('/ping', 'pong'), ('/item/7', 'item 7')]
)
def test_a_handler_taking_no_field_decodes_none(path, text):
    """A handler taking no query or form field (none, or only the route's
    placeholders) answers as a Pyramid view that never reads them: an
    undecodable query string (``%FF``, which every server passes on)
    was a 400, and a form body, however large, was read and parsed."""
    app = TestApp(fields_app())
    assert app.get(f'{path}?a=%FF').text == text
    request, stream = streamed_request(
        f'{path}?b=%FF',
        b'x=%FF&pad=' + b'y' * 100_000,
        chunked=True,
        content_type='application/x-www-form-urlencoded',
    )
    response = request.get_response(fields_app())
    assert response.text == text
    assert stream.taken == 0


def test_a_handler_taking_a_field_still_refuses_undecodable_ones():
    app = TestApp(fields_app())
    assert app.get('/search?q=%C3%A9').text == 'search é'
    app.get('/search?q=%FF', status=400)
    app.get('/search?other=%FF', status=400)
