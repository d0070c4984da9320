"""Application wrappers that must see failure (issue 21, item 3): the
wrappers' tween sits over Pyramid's exception-view tween, so a failure an
exception view answered comes back as a response; ``request.exception``
and :meth:`ApplicationWrapper.failed` tell.  TurboGears' transaction
wrapper, ported as ``docs/porting_turbogears.rst`` shows, aborts then."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import ApplicationWrapper
from tests.test_docs_examples import example


class FakeManager:
    """Records what a transaction manager is asked to do."""

    def __init__(self, fail_commit=False):
        self.calls = []
        self.doomed = False
        self.fail_commit = fail_commit

    def begin(self):
        self.calls.append('begin')

    def commit(self):
        self.calls.append('commit')
        if self.fail_commit:
            raise RuntimeError('conflict')

    def abort(self):
        self.calls.append('abort')

    def isDoomed(self):  # the transaction package's name
        return self.doomed


def ok(request):
    return Response('saved')


def broken(request):
    raise RuntimeError('database is down')


def redirect(request):
    raise HTTPFound(location='/done')  # TurboGears' redirect()


def missing(request):
    raise HTTPNotFound()


def doom(request):
    request.registry.settings['tm.manager'].doomed = True
    return Response('doomed')


def error_page(exc, request):
    request.response.status = 500
    request.response.text = 'error page'
    return request.response


def transaction_app(manager, error_view=True):
    config = Configurator(settings={'tm.manager': manager})
    config.include('pyramid_hooks')
    for view in (ok, broken, redirect, missing, doom):
        config.add_route(view.__name__, f'/{view.__name__}')
        config.add_view(view, route_name=view.__name__)
    if error_view:
        config.add_exception_view(error_page, context=RuntimeError)
    wrapper = example('porting_turbogears_transaction').TransactionWrapper
    config.add_application_wrapper(wrapper)
    return TestApp(config.make_wsgi_app())


def test_a_successful_request_commits():
    manager = FakeManager()
    assert transaction_app(manager).get('/ok').text == 'saved'
    assert manager.calls == ['begin', 'commit']


def test_a_failure_rendered_by_an_exception_view_aborts():
    """The error page comes back to the wrapper as a response: it used to
    commit the failed request."""
    manager = FakeManager()
    res = transaction_app(manager).get('/broken', status=500)
    assert res.text == 'error page'
    assert manager.calls == ['begin', 'abort']


def test_a_failure_no_exception_view_took_aborts_and_propagates():
    manager = FakeManager()
    app = transaction_app(manager, error_view=False)
    with pytest.raises(RuntimeError, match='database is down'):
        app.get('/broken')
    assert manager.calls == ['begin', 'abort']


@pytest.mark.parametrize(
    'path, status', [('/redirect', 302), ('/missing', 404)]
)
def test_an_http_exception_raised_as_the_answer_commits(path, status):
    """As in TurboGears, whose dispatch returns a raised HTTP exception."""
    manager = FakeManager()
    transaction_app(manager).get(path, status=status)
    assert manager.calls == ['begin', 'commit']


def test_a_doomed_transaction_aborts():
    manager = FakeManager()
    assert transaction_app(manager).get('/doom').text == 'doomed'
    assert manager.calls == ['begin', 'abort']


def test_a_failing_commit_aborts_and_gives_the_error_page():
    """The wrapper's own exception is rendered by the exception views."""
    manager = FakeManager(fail_commit=True)
    res = transaction_app(manager).get('/ok', status=500)
    assert res.text == 'error page'
    assert manager.calls == ['begin', 'commit', 'abort']


def test_without_a_manager_the_wrapper_is_left_out():
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    config.add_route('ok', '/ok')
    config.add_view(ok, route_name='ok')
    wrapper = example('porting_turbogears_transaction').TransactionWrapper
    config.add_application_wrapper(wrapper)
    assert TestApp(config.make_wsgi_app()).get('/ok').text == 'saved'


class Witness(ApplicationWrapper):
    """Records what a wrapper sees of the request's outcome."""

    def __call__(self, request):
        response = self.next_handler(request)
        seen = self.registry.settings['seen']
        seen.append((type(request.exception).__name__, self.failed(request)))
        return response


@pytest.mark.parametrize(
    'path, expected',
    [
        ('/ok', ('NoneType', False)),
        ('/broken', ('RuntimeError', True)),
        ('/redirect', ('HTTPFound', False)),
        ('/missing', ('HTTPNotFound', False)),
        ('/nowhere', ('HTTPNotFound', False)),  # no route: Pyramid's 404
    ],
)
def test_request_exception_and_failed(path, expected):
    """``request.exception`` is set whenever an exception view answered;
    ``failed`` is true for an exception that is not an HTTP answer."""
    seen = []
    config = Configurator(settings={'seen': seen})
    config.include('pyramid_hooks')
    for view in (ok, broken, redirect, missing):
        config.add_route(view.__name__, f'/{view.__name__}')
        config.add_view(view, route_name=view.__name__)
    config.add_exception_view(error_page, context=RuntimeError)
    config.add_application_wrapper(Witness)
    TestApp(config.make_wsgi_app()).get(path, expect_errors=True)
    assert seen == [expected]


class TurboGearsForm(ApplicationWrapper):
    def __call__(self, controller, environ, context):  # pragma: no cover
        return self.next_handler(controller, environ, context)


def test_the_turbogears_form_message_maps_its_context():
    """TurboGears' ``context`` is the request and its globals, not
    Pyramid's traversal context (``request.context``)."""
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        config.add_application_wrapper(TurboGearsForm)
    message = str(e.value)
    assert 'request.context' not in message
    assert (
        "TurboGears' context.request is the request, context.app_globals "
        'and context.config are request.registry and '
        'request.registry.settings'
    ) in message
