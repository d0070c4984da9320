"""A JSON-RPC request whose only call failed is marked failed, as Pyramid's
exception view tween marks an http route's (``request.exception``,
``request.exc_info``): pyramid_tm aborts its transaction on that mark,
pyramid_retry reads it, :meth:`ApplicationWrapper.failed` answers from
it.  The envelope answers the failure itself, so without the mark a failed
call's writes were committed (Odoo rolls them back).  A batch is marked by
its first failed call: a client sending a call in a batch must not make
its writes outlive its failure."""

import gc
import logging
import traceback

import pytest
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.tweens import MAIN
from webtest import TestApp

from pyramid_hooks import Controller, JsonRpcError, route
from tests.test_docs_examples import example
from tests.test_trace_toolbar import LOOPBACK
from tests.test_wrapper_failure import FakeManager

seen = []


def marks_tween_factory(handler, registry):
    """What pyramid_tm reads once the request is answered: the type of
    ``request.exc_info``'s exception, and whether ``request.exception`` is
    that exception."""

    def marks_tween(request):
        response = handler(request)
        info = request.exc_info
        seen.append(
            None
            if info is None
            else (info[0].__name__, request.exception is info[1])
        )
        return response

    return marks_tween


class Unencodable:
    """A result ``json.dumps`` refuses."""


class Shop(Controller):
    @route('/rpc', type='json', auth='none')
    def pay(self, fail=None):
        if fail == 'value':
            raise ValueError('card declined')
        if fail == 'rpc':
            raise JsonRpcError(42, 'out of stock')
        if fail == 'http':
            raise HTTPForbidden()
        if fail == 'result':
            return Unencodable()
        return 'paid'


def make_app(tween=True, settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    if tween:
        config.add_tween(f'{__name__}.marks_tween_factory')
    config.add_controller(Shop)
    return config


def call(fail=None, id_=1, **params):
    params = {} if fail is None else {'fail': fail, **params}
    return {'jsonrpc': '2.0', 'id': id_, 'method': 'pay', 'params': params}


@pytest.fixture
def quiet():
    """The failed calls' log records dropped (a captured record would keep
    its exception, and what it holds, alive)."""
    logger = logging.getLogger('pyramid_hooks.controllers.jsonrpc')
    logger.propagate = False
    logger.addHandler(logging.NullHandler())
    yield
    logger.propagate = True
    logger.handlers.clear()


@pytest.mark.parametrize(
    ('fail', 'code', 'marked'),
    [
        ('value', -32603, 'ValueError'),
        ('rpc', 42, 'JsonRpcError'),
        ('http', -32000, 'HTTPForbidden'),
        ('result', -32603, 'TypeError'),
        (None, None, None),
    ],
)
def test_the_only_call_failing_marks_the_request(quiet, fail, code, marked):
    del seen[:]
    app = TestApp(make_app().make_wsgi_app())
    reply = app.post_json('/rpc', call(fail)).json
    assert reply.get('error', {}).get('code') == code
    expected = None if marked is None else (marked, True)
    assert seen == [expected]


def test_unknown_params_mark_the_request(quiet):
    del seen[:]
    app = TestApp(make_app().make_wsgi_app())
    reply = app.post_json('/rpc', call('value', extra=1)).json
    assert reply['error']['code'] == -32602
    assert seen == [('JsonRpcError', True)]


def test_a_failed_notification_marks_the_request(quiet):
    del seen[:]
    app = TestApp(make_app().make_wsgi_app())
    notification = {'jsonrpc': '2.0', 'method': 'pay', 'params': {}}
    notification['params']['fail'] = 'value'
    app.post_json('/rpc', notification, status=204)
    assert seen == [('ValueError', True)]


def test_a_batch_is_marked_by_its_first_failed_call(quiet):
    del seen[:]
    app = TestApp(make_app().make_wsgi_app())
    batch = [call(id_=1), call('value', id_=2), call('rpc', id_=3)]
    replies = app.post_json('/rpc', batch).json
    assert [reply.get('result') for reply in replies] == ['paid', None, None]
    assert [reply.get('error', {}).get('code') for reply in replies] == [
        None,
        -32603,
        42,
    ]
    assert seen == [('ValueError', True)]
    app.post_json('/rpc', [call(id_=1), call(id_=2)])
    assert seen[-1] is None


@pytest.mark.parametrize(
    ('batch', 'done'),
    [
        ([None, None], 'commit'),
        ([None, 'value'], 'abort'),
        (['value'], 'abort'),  # one call sent as a batch: as if alone
    ],
)
def test_the_transaction_wrapper_aborts_a_batch_with_a_failed_call(
    quiet, batch, done
):
    manager = FakeManager()
    config = make_app(tween=False, settings={'tm.manager': manager})
    wrapper = example('porting_turbogears_transaction').TransactionWrapper
    config.add_application_wrapper(wrapper)
    calls = [call(fail, id_=i) for i, fail in enumerate(batch)]
    TestApp(config.make_wsgi_app()).post_json('/rpc', calls)
    assert manager.calls == ['begin', done]


@pytest.mark.parametrize(
    ('fail', 'done'),
    [
        (None, 'commit'),
        ('value', 'abort'),
        ('rpc', 'abort'),
        # raised as the answer: TurboGears commits, as on an http route
        ('http', 'commit'),
    ],
)
def test_the_transaction_wrapper_aborts_a_failed_call(quiet, fail, done):
    manager = FakeManager()
    config = make_app(tween=False, settings={'tm.manager': manager})
    wrapper = example('porting_turbogears_transaction').TransactionWrapper
    config.add_application_wrapper(wrapper)
    TestApp(config.make_wsgi_app()).post_json('/rpc', call(fail))
    assert manager.calls == ['begin', done]


@pytest.mark.parametrize('fail', ['value', 'rpc', 'http', 'result'])
def test_the_marked_request_is_freed_when_it_ends(quiet, fail):
    """The exception kept on the request has no traceback or chain: they
    would hold the request's frames, a cycle per failed call."""
    app = TestApp(make_app(tween=False).make_wsgi_app())
    app.post_json('/rpc', call(fail))
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            app.post_json('/rpc', call(fail))
        assert gc.collect() == 0
    finally:
        gc.enable()


def traceback_tween_factory(handler, registry):
    """What pyramid_debugtoolbar and pyramid_exclog read of a squashed
    exception: the frames of ``request.exc_info``'s traceback."""

    def traceback_tween(request):
        response = handler(request)
        if request.exc_info is not None:
            frames = traceback.extract_tb(request.exc_info[2])
            seen.append([frame.name for frame in frames][-1:])
        return response

    return traceback_tween


@pytest.mark.parametrize('fail', ['value', 'rpc', 'result'])
def test_the_debug_toolbar_answers_a_failed_call(quiet, fail):
    """pyramid_debugtoolbar walks the traceback of ``request.exc_info``
    (its "Squashed exception" log line): a mark without a traceback was an
    AttributeError, and every failed call of an app with the toolbar was
    answered a 500 HTML page instead of its JSON-RPC error."""
    config = make_app(tween=False)
    config.include('pyramid_debugtoolbar')
    app = TestApp(config.make_wsgi_app(), extra_environ=LOOPBACK)
    reply = app.post_json('/rpc', call(fail))
    assert reply.content_type == 'application/json'
    assert 'error' in reply.json


def test_the_mark_has_the_calls_traceback_until_the_request_ends(quiet):
    del seen[:]
    config = make_app(tween=False)
    config.add_tween(f'{__name__}.traceback_tween_factory')
    TestApp(config.make_wsgi_app()).post_json('/rpc', call('value'))
    assert seen == [['pay']]  # the handler's frame, as for an http route


class LateError(Exception):
    """Raised by a tween once the failed call was answered."""


def late_failure_tween_factory(handler, registry):
    def late_failure_tween(request):
        handler(request)

        def finished(request):
            info = request.exc_info
            seen.append((info[0].__name__, info[2] is not None))

        request.add_finished_callback(finished)  # runs after the mark's
        raise LateError()

    return late_failure_tween


def test_a_later_exception_keeps_its_own_traceback(quiet):
    """The request's end drops the failed call's traceback only: an
    exception raised over it, which an exception view answered, keeps its
    own, as Pyramid left it."""
    del seen[:]
    config = make_app(tween=False)
    config.add_tween(f'{__name__}.late_failure_tween_factory', over=MAIN)
    config.add_view(
        lambda exc, request: Response('late', status=503), context=LateError
    )
    TestApp(config.make_wsgi_app()).post_json(
        '/rpc', call('value'), status=503
    )
    assert seen == [('LateError', True)]
