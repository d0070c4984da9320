"""The view decorators (``@before_call``, ``@controller_wrapper``...) take
effect when ``config.scan()`` finds them.  A view that carries one and was
added without a scan finding it is a ``ConfigurationError`` at startup,
naming the view, the decorator and the two ways to fix it: it used to run
without the listener or wrapper, silently."""

import pytest
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


def test_a_scan_changes_the_registry_only_at_the_commit():
    """As every directive of Pyramid's: what a scan found is noted by an
    action, so an uncommitted configuration leaves the registry as it was
    (conflicts, include-path overrides and ``autocommit`` behave alike)."""
    config = make_config()
    config.commit()
    before = list(config.registry.registeredUtilities())
    config.scan(HERE)
    assert list(config.registry.registeredUtilities()) == before
    config.add_view(upload, route_name='upload', renderer='json')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/upload').json == {'uploaded': True}
