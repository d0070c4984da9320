"""Request lifecycle hooks bridged to Pyramid events, configuration hooks
and WSGI middleware hooks."""

import pytest
from pyramid.config import Configurator
from pyramid.router import Router
from webtest import TestApp

import pyramid_hooks
from pyramid_hooks import get_hooks

from .conftest import make_app


def hello(request):
    return {'hello': 'world'}


def route(config, view=hello):
    config.add_route('r', '/')
    config.add_view(view, route_name='r', renderer='json')


def test_unused_lifecycle_hooks_subscribe_nothing(config):
    route(config)
    config.make_wsgi_app()
    assert not config.registry.has_listeners


def test_request_lifecycle_order(config):
    order = []
    config.register_hook('request_finished', lambda r: order.append('finish'))
    config.register_hook(
        'new_response',
        lambda r, resp: order.append(f'new_response {resp.status_code}'),
    )
    config.register_hook('context_found', lambda r: order.append('context'))
    config.register_hook('new_request', lambda r: order.append('new_request'))
    config.register_hook('before_call', lambda r, p: order.append('call'))
    config.register_hook(
        'after_render', lambda r, resp: order.append('after_render')
    )
    route(config)
    app = make_app(config)
    assert app.get('/').json == {'hello': 'world'}
    assert order == [
        'new_request',
        'context',
        'call',
        'after_render',
        'new_response 200',
        'finish',
    ]


def test_new_request_listener_sees_the_request_first(config):
    def tag(request):
        request.environ['test.tag'] = 'tagged'

    config.register_hook('new_request', tag)
    route(config, lambda request: {'tag': request.environ['test.tag']})
    assert make_app(config).get('/').json == {'tag': 'tagged'}


def test_new_response_may_change_the_response(config):
    def stamp(request, response):
        response.headers['X-Stamp'] = 'yes'

    config.register_hook('new_response', stamp)
    route(config)
    assert make_app(config).get('/').headers['X-Stamp'] == 'yes'


def test_request_finished_runs_after_an_unhandled_exception(config):
    finished = []

    def broken(request):
        raise RuntimeError('unhandled')

    config.register_hook('request_finished', lambda r: finished.append(r.path))
    route(config, broken)
    app = make_app(config)
    with pytest.raises(RuntimeError, match='unhandled'):
        app.get('/')
    assert finished == ['/']


def test_a_failing_request_finished_listener_lets_the_apps_callbacks_run(
    config,
):
    """Queued first, a listener that raised kept the application's own
    finished callbacks (a database session's close) from running: Pyramid
    stops at the first that raises.  It is raised after them."""
    closed = []

    def view(request):
        request.add_finished_callback(lambda r: closed.append('closed'))
        return {}

    def broken(request):
        raise RuntimeError('listener bug')

    config.register_hook('request_finished', broken)
    route(config, view)
    app = make_app(config)
    with pytest.raises(RuntimeError, match='listener bug'):
        app.get('/')
    assert closed == ['closed']


def test_each_event_hook_is_bound_once(config):
    calls = []
    config.register_hook('new_request', lambda r: calls.append(1))
    config.register_hook('new_request', lambda r: calls.append(2))
    route(config)
    make_app(config).get('/')
    assert calls == [1, 2]


def test_configuration_hooks(config):
    seen = []

    def initialized(config_, settings):
        seen.append(('initialized_config', settings['marker']))
        # settings are final and routes are not registered yet
        from pyramid.interfaces import IRoutesMapper

        mapper = config_.registry.queryUtility(IRoutesMapper)
        seen.append(('routes', len(mapper.get_routes()) if mapper else 0))

    def setup(config_, settings):
        from pyramid.interfaces import IRoutesMapper

        mapper = config_.registry.getUtility(IRoutesMapper)
        seen.append(('config_setup', len(mapper.get_routes())))

    def new_app(app):
        seen.append(('configure_new_app', type(app)))

    config.add_settings(marker='final')
    config.register_hook('initialized_config', initialized)
    config.register_hook('config_setup', setup)
    config.register_hook('configure_new_app', new_app)
    route(config)
    config.make_wsgi_app()
    assert seen == [
        ('initialized_config', 'final'),
        ('routes', 0),
        ('config_setup', 1),
        ('configure_new_app', Router),
    ]


def test_make_wsgi_app_applies_middleware_hooks_in_order(config):
    order = []

    def middleware(label):
        def factory(app):
            def wrapped(environ, start_response):
                order.append(label)
                return app(environ, start_response)

            return wrapped

        return factory

    config.register_hook('before_wsgi_middlewares', middleware('inner'))
    config.register_hook('after_wsgi_middlewares', middleware('outer'))
    config.register_hook('after_wsgi_middlewares', middleware('outermost'))
    config.register_hook('new_request', lambda r: order.append('router'))
    route(config)
    app = pyramid_hooks.make_wsgi_app(
        config, middlewares=[middleware('middle')]
    )
    assert TestApp(app).get('/').json == {'hello': 'world'}
    assert order == ['outermost', 'outer', 'middle', 'inner', 'router']


def test_make_wsgi_app_without_listeners_returns_the_router(config):
    route(config)
    assert isinstance(pyramid_hooks.make_wsgi_app(config), Router)


def test_ini_style_include_and_settings_listeners():
    config = Configurator(
        settings={
            'pyramid.includes': 'pyramid_hooks',
            'hooks.on.new_request': 'tests.test_lifecycle.mark_new_request',
            'hooks.on.mailer.sent': (
                'tests.listeners.append_a\ntests.listeners.append_b'
            ),
        }
    )
    config.add_hook_namespace('mailer', strict=False)
    route(config, lambda request: {'marked': request.environ['test.mark']})
    app = make_app(config)
    assert app.get('/').json == {'marked': True}
    seen = []
    get_hooks(config.registry).notify('sent', seen, namespace='mailer')
    assert seen == ['a', 'b']


def mark_new_request(request):
    request.environ['test.mark'] = True
