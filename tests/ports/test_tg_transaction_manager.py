"""TurboGears 2.5.1's transaction wrapper, ported
(tests/ports/tg_transaction_manager.py), around a real Pyramid app with a
fake transaction manager that records what it was asked."""

import pytest
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.response import Response
from webtest import TestApp

from tests.ports.tg_transaction_manager import TransactionApplicationWrapper


class Conflict(Exception):
    """A retryable error (a write conflict)."""


class FakeTransaction:
    def __init__(self, manager):
        self.manager = manager

    def isRetryableError(self, error):
        return isinstance(error, Conflict)

    def abort(self):
        self.manager.calls.append('abort')


class FakeManager:
    """Records begin/commit/abort; ``doomed`` dooms every transaction."""

    def __init__(self, doomed=False):
        self.calls = []
        self.doomed = doomed

    def begin(self):
        self.calls.append('begin')

    def commit(self):
        self.calls.append('commit')

    def abort(self):
        self.calls.append('abort')

    def isDoomed(self):
        return self.doomed

    def get(self):
        return FakeTransaction(self)


def make_app(manager, **settings):
    settings = {'tm.enabled': 'true', 'tm.manager': manager, **settings}
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_application_wrapper(TransactionApplicationWrapper)
    tries = []

    def ok(request):
        return Response('saved')

    def broken(request):
        raise ValueError('disk full')

    def missing(request):
        raise HTTPNotFound()

    def moved(request):
        raise HTTPFound('/ok')

    def conflicting(request):
        tries.append(1)
        if len(tries) == 1:
            raise Conflict()
        return Response(f'saved after {len(tries)} tries')

    def error_page(exc, request):
        return Response('Sorry, something went wrong', status=500)

    for name, view in [
        ('ok', ok),
        ('broken', broken),
        ('missing', missing),
        ('moved', moved),
        ('conflicting', conflicting),
    ]:
        config.add_route(name, f'/{name}')
        config.add_view(view, route_name=name)
    config.add_exception_view(error_page, context=ValueError)
    return TestApp(config.make_wsgi_app())


def test_success_commits():
    manager = FakeManager()
    assert make_app(manager).get('/ok').text == 'saved'
    assert manager.calls == ['begin', 'commit']


def test_failure_answered_by_an_exception_view_aborts():
    """The error page comes back as a response: ``request.exception`` tells
    the wrapper the request failed (issue 21, item 3)."""
    manager = FakeManager()
    reply = make_app(manager).get('/broken', status=500)
    assert reply.text == 'Sorry, something went wrong'
    assert manager.calls == ['begin', 'abort']


def test_raised_http_answers_are_not_failures():
    """As in TurboGears, where ``redirect()`` and ``abort(404)`` raise:
    the transaction commits (a commit veto may look at the status)."""
    manager = FakeManager()
    app = make_app(manager)
    app.get('/missing', status=404)
    app.get('/moved', status=302)
    assert manager.calls == ['begin', 'commit', 'begin', 'commit']


def test_retryable_error_is_retried_then_committed():
    manager = FakeManager()
    reply = make_app(manager, **{'tm.attempts': '2'}).get('/conflicting')
    assert reply.text == 'saved after 2 tries'
    assert manager.calls == ['begin', 'abort', 'begin', 'commit']


def test_out_of_attempts_aborts_and_raises():
    manager = FakeManager()
    with pytest.raises(Conflict):
        make_app(manager).get('/conflicting')
    assert manager.calls == ['begin', 'abort']


def test_doomed_transaction_aborts():
    manager = FakeManager(doomed=True)
    assert make_app(manager).get('/ok').text == 'saved'
    assert manager.calls == ['begin', 'abort']


def test_commit_veto_aborts():
    seen = []

    def veto(environ, status, headerlist):
        seen.append(status)
        return True

    manager = FakeManager()
    make_app(manager, **{'tm.commit_veto': veto}).get('/ok')
    assert seen == ['200 OK']
    assert manager.calls == ['begin', 'abort']


def test_disabled_is_left_out():
    manager = FakeManager()
    app = make_app(manager, **{'tm.enabled': 'false'})
    assert app.get('/ok').text == 'saved'
    assert manager.calls == []


def test_repoze_tm_active_skips_the_manager():
    manager = FakeManager()
    app = make_app(manager)
    app.get('/ok', extra_environ={'repoze.tm.active': True})
    assert manager.calls == []
