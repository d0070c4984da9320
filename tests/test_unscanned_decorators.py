"""The view decorators (``@before_call``, ``@controller_wrapper``...) take
effect when ``config.scan()`` finds them.  A view that carries one and was
added without a scan finding it is a ``ConfigurationError`` at startup,
naming the view, the decorator and the two ways to fix it: it used to run
without the listener or wrapper, silently."""

import pytest
from pyramid import testing
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import (
    Controller,
    before_call,
    before_render,
    controller_wrapper,
    route,
)

HERE = __name__
CALLS = []


def check_quota(request, params):
    CALLS.append('quota')


def add_chart(request, params, output):
    output['chart'] = True


def tag(next_caller):
    def call(context, request):
        CALLS.append('tag')
        return next_caller(context, request)

    return call


@before_call(check_quota)
def upload(request):
    return {'uploaded': True}


@controller_wrapper(tag)
def report(request):
    return {'report': True}


class Reports:
    def __init__(self, request):
        self.request = request

    @before_render(add_chart)
    def monthly(self):
        return {'month': 1}


class Shop(Controller):
    @route('/shop', auth='public', renderer='json')
    @before_call(check_quota)
    def index(self):
        return {'shop': True}


def plain(request):
    return {'plain': True}


def make_config():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('upload', '/upload')
    config.add_route('report', '/report')
    config.add_route('monthly', '/monthly')
    config.add_route('plain', '/plain')
    config.add_view(plain, route_name='plain', renderer='json')
    return config


def test_a_hook_decorator_on_a_view_nobody_scanned():
    config = make_config()
    config.add_view(upload, route_name='upload', renderer='json')
    with pytest.raises(ConfigurationError) as e:
        TestApp(config.make_wsgi_app()).get('/upload')
    message = str(e.value)
    assert f'View {HERE}.upload carries @before_call({HERE}.check_quota)' in (
        message
    )
    assert 'test_unscanned_decorators.py:' in message  # the decorator's line
    assert f"config.scan('{HERE}')" in message
    assert (
        f"config.register_hook('before_call', {HERE}.check_quota, "
        f'view={HERE}.upload)'
    ) in message


def test_a_controller_wrapper_decorator_on_a_view_nobody_scanned():
    config = make_config()
    config.add_view(report, route_name='report', renderer='json')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert f'carries @controller_wrapper({HERE}.tag)' in message
    assert (
        f'config.add_controller_wrapper({HERE}.tag, view={HERE}.report)'
        in (message)
    )


def test_a_decorated_method_of_a_class_view_nobody_scanned():
    config = make_config()
    config.add_view(
        Reports, attr='monthly', route_name='monthly', renderer='json'
    )
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert f'View {HERE}.Reports.monthly carries @before_render(' in message
    assert f'view={HERE}.Reports.monthly)' in message


def test_a_decorated_controller_handler_activated_without_a_scan():
    config = make_config()
    config.add_controller(Shop)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    assert f'View {HERE}.Shop.index carries @before_call(' in str(e.value)


def test_scanned_the_decorators_apply():
    del CALLS[:]
    config = make_config()
    config.add_view(upload, route_name='upload', renderer='json')
    config.add_view(report, route_name='report', renderer='json')
    config.add_view(
        Reports, attr='monthly', route_name='monthly', renderer='json'
    )
    config.scan(HERE)  # activates Shop too
    app = TestApp(config.make_wsgi_app())
    assert app.get('/upload').json == {'uploaded': True}
    assert app.get('/report').json == {'report': True}
    assert app.get('/monthly').json == {'month': 1, 'chart': True}
    assert app.get('/shop').json == {'shop': True}
    assert app.get('/plain').json == {'plain': True}
    assert CALLS == ['quota', 'tag', 'quota']


def test_a_scan_counts_for_its_own_application_only():
    scanned = make_config()
    scanned.add_view(upload, route_name='upload', renderer='json')
    scanned.scan(HERE)
    scanned.make_wsgi_app()
    other = make_config()
    other.add_view(upload, route_name='upload', renderer='json')
    with pytest.raises(ConfigurationError) as e:
        other.make_wsgi_app()
    assert 'carries @before_call(' in str(e.value)


def test_an_autocommitting_configurator_scans_decorators_in_any_order():
    """``pyramid.testing.setUp()`` commits each directive when called, and
    a scan calls a function's decorators bottom up: a ``@view_config``
    under ``@before_call`` added the view before the listener existed (the
    check refused it as never scanned; before the check, it ran without
    the listener).  Our decorators are now called first, in their order."""
    from tests import autocommit_views_fixture as fixture

    del fixture.CALLS[:]
    config = testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.add_route('upload', '/upload')
        config.add_route('monthly', '/monthly')
        config.add_route('yearly', '/yearly')
        config.scan(fixture.__name__)
        app = TestApp(config.make_wsgi_app())
        assert app.get('/upload').json == {'uploaded': True}
        assert app.get('/monthly').json == {'month': 1}
        assert app.get('/yearly').json == {'year': 1}
    finally:
        testing.tearDown()
    assert fixture.CALLS == ['audit', 'quota', 'quota']


def test_a_decorated_method_lifted_by_a_subclass():
    """``venusian.lift`` has a scan call the base class's callbacks for the
    subclass too: ``@before_call`` registered its listener twice, a
    conflict at startup, where Pyramid's ``@view_config`` adds the
    subclass's view."""
    from tests.lift_pkg import base

    del base.CALLS[:]
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('base', '/base')
    config.add_route('sub', '/sub')
    config.scan('tests.lift_pkg')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/base').json == {'page': 'Page'}
    assert app.get('/sub').json == {'page': 'SubPage'}
    assert base.CALLS == ['quota', 'quota']  # once for each


def test_a_decorator_under_a_wrapping_decorator_is_refused():
    """``functools.wraps`` copies the callbacks venusian attached to the
    function into its wrapper, where a scan never calls them, and the view
    is the wrapper, which no listener is scoped to: the view ran without
    the listener, silently, scanned or not."""
    config = make_config()
    config.scan('tests.hidden_decorator_fixture')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    fixture = 'tests.hidden_decorator_fixture'
    assert f'View {fixture}.upload wraps a function that carries ' in message
    assert f'@before_call({fixture}.quota)' in message
    assert 'put @before_call(...) above the decorators that wrap' in message


def test_a_method_under_a_wrapping_decorator_is_refused():
    from tests.hidden_method_fixture import Reports

    for scan in (False, True):  # scanned, the listener is the function's
        config = make_config()
        if scan:
            config.scan('tests.hidden_method_fixture')
        config.add_view(
            Reports, attr='monthly', route_name='monthly', renderer='json'
        )
        with pytest.raises(ConfigurationError) as e:
            config.make_wsgi_app()
        assert 'Reports.monthly wraps a function that carries' in str(e.value)
