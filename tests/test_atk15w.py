"""The fifteenth attacker pass on widgets, wrappers, hooks, the trace,
settings and scripts (atk15w), attacked from outside."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

import pyramid_hooks
from pyramid_hooks import ApplicationWrapper, Invalid
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)

# -- an error handler's result that no renderer can take -------------------


def refuse(request, params):
    raise Invalid({'name': 'required'})


def save(request):
    return Response('saved')


def forgot_to_return(request):
    request.validation_errors  # noqa: B018


def kept_a_template_dict(request):
    return {'errors': request.validation_errors}


@pytest.mark.parametrize('handler', [forgot_to_return, kept_a_template_dict])
def test_an_error_handler_result_without_renderer_names_the_handler(handler):
    """Pyramid blamed the view, which never ran, for what the error
    handler returned: the error names the handler, and the fix."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('save', '/save')
    config.add_view(
        save, route_name='save', validate=refuse, error_handler=handler
    )
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as raised:
        app.get('/save')
    message = str(raised.value)
    assert f'{handler.__qualname__} of view' in message
    assert 'renderer=' in message
    assert 'view callable' not in message


# -- a server-side callback marked twice -----------------------------------


def test_a_callback_marked_twice_is_refused_not_opened():
    """Stacked like ``@view_config``, the outer mark replaced the inner's
    options silently: here the callback answered GET, not POST only."""
    with pytest.raises(ConfigurationError, match='marked twice'):

        class Form(ServerSideCallbackMixin):
            @serverside_callback(renderer='json')
            @serverside_callback(request_method='POST')
            def save(self, request):
                return {'saved': True}

        config = Configurator()
        config.include('pyramid_hooks')
        config.add_widget(Form(id='form', callback_authorization=always_allow))
        app = TestApp(config.make_wsgi_app())
        app.get('/_widgets/form/save', status=405)


# -- a generator function as a server-side callback ------------------------


class Feed(ServerSideCallbackMixin):
    @serverside_callback
    def rows(self, request):
        yield 'row 1\n'


def test_a_generator_callback_without_renderer_is_refused_at_startup():
    """Every call was a 500 (a generator is no response): as an ``async
    def`` callback, it is refused when the widget is added."""
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError, match=r'Feed\.rows .*yields'):
        config.add_widget(Feed(id='feed', callback_authorization=always_allow))
        app = TestApp(config.make_wsgi_app())
        app.get('/_widgets/feed/rows')


# -- a WSGI middleware hook returning what cannot serve a request ----------


class Gzip:
    """A WSGI middleware: ``Gzip(app)`` is the application."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def forgot_to_call(app):
    return Gzip  # Gzip(app) meant


async def asgi_app(scope, receive, send):
    pass


@pytest.mark.parametrize(
    'listener', [forgot_to_call, lambda app: asgi_app], ids=['class', 'asgi']
)
def test_a_middleware_listener_returning_no_wsgi_app_is_refused(listener):
    """Callable, so accepted: every request was a 500 (a TypeError, or a
    coroutine never awaited).  It is refused when the app is made."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('after_wsgi_middlewares', listener)
    config.add_route('home', '/')
    config.add_view(save, route_name='home')
    with pytest.raises(ConfigurationError, match='not a WSGI application'):
        app = TestApp(pyramid_hooks.make_wsgi_app(config))
        app.get('/')


# -- wrappers whose call is a generator function ---------------------------


def yielding_wrapper(next_caller):
    def call(context, request):
        yield next_caller(context, request)

    return call


class YieldingWrapper(ApplicationWrapper):
    def __call__(self, request):
        yield self.next_handler(request)


@pytest.mark.parametrize(
    'register',
    [
        lambda config: config.add_controller_wrapper(yielding_wrapper),
        lambda config: config.add_application_wrapper(YieldingWrapper),
    ],
    ids=['controller wrapper', 'application wrapper'],
)
def test_a_wrapper_yielding_is_refused_at_startup(register):
    """Its body never ran, nor the view: every request was a 500 (or a
    rendered generator), as with an ``async def`` one, refused at startup."""
    config = Configurator()
    config.include('pyramid_hooks')
    register(config)
    config.add_route('home', '/')
    config.add_view(save, route_name='home')
    with pytest.raises(ConfigurationError, match='generator function'):
        app = TestApp(config.make_wsgi_app())
        app.get('/')


# -- an error handler that yields ------------------------------------------


def yielding_handler(request):
    yield {'errors': request.validation_errors}


class Form:
    def __init__(self, request):
        self.request = request

    def save(self):
        return Response('saved')

    def on_error(self):
        yield 'invalid'


@pytest.mark.parametrize(
    'view_options',
    [
        {'view': save, 'error_handler': yielding_handler},
        {'view': Form, 'attr': 'save', 'error_handler': 'on_error'},
    ],
    ids=['function', 'method of the view class'],
)
def test_an_error_handler_yielding_is_refused_at_startup(view_options):
    """Under ``renderer='string'`` the refused request was a 200 showing
    ``<generator object ...>``: the handler is refused at startup, as a
    ``validate=`` that yields is."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('save', '/save')
    config.add_view(
        route_name='save', renderer='string', validate=refuse, **view_options
    )
    with pytest.raises(ConfigurationError, match='generator function'):
        app = TestApp(config.make_wsgi_app())
        app.get('/save', status=400)


# -- an application wrapper's injected raising AttributeError --------------


class Profiler(ApplicationWrapper):
    """Left out unless the ``profile`` setting is true, but ``enabled`` is
    only set when it is: ``injected`` raises ``AttributeError``."""

    def __init__(self, next_handler, registry):
        super().__init__(next_handler, registry)
        if registry.settings.get('profile') == 'true':
            self.enabled = True

    @property
    def injected(self):
        return self.enabled

    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-Profile'] = 'timings'
        return response


def test_an_injected_property_raising_attribute_error_stops_the_start():
    """``getattr(wrapper, 'injected', True)`` took the property's
    ``AttributeError`` for "no such attribute": the wrapper meant to be
    left out ran on every request.  The error stops the start."""
    config = Configurator(settings={'profile': 'false'})
    config.include('pyramid_hooks')
    config.add_application_wrapper(Profiler)
    config.add_route('home', '/')
    config.add_view(save, route_name='home')
    with pytest.raises(AttributeError, match='enabled'):
        app = TestApp(config.make_wsgi_app())
        assert 'X-Profile' not in app.get('/').headers


# -- an application route matched before the widgets route ----------------


class Clock(ServerSideCallbackMixin):
    callback_authorization = staticmethod(always_allow)

    @serverside_callback
    def now(self, request):
        return Response('now')


def page(request):
    return Response('the page')


@pytest.mark.parametrize(
    'pattern', ['/{path:.*}', '/*traverse', '/{a}/{b}/{c}']
)
@pytest.mark.parametrize('widget_first', [True, False])
def test_a_route_shadowing_the_callbacks_is_refused(pattern, widget_first):
    """The widgets route is added when the commit runs, after the routes
    of the commit: a catch-all answered every callback URL, silently,
    whatever the order of the calls."""
    config = Configurator()
    config.include('pyramid_hooks')
    if widget_first:
        config.add_widget(Clock(id='clock'))
    config.add_route('catch_all', pattern)
    config.add_view(page, route_name='catch_all')
    if not widget_first:
        config.add_widget(Clock(id='clock'))
    with pytest.raises(ConfigurationError) as raised:
        app = TestApp(config.make_wsgi_app())
        assert app.get('/_widgets/clock/now').text == 'now'
    message = str(raised.value)
    assert f"route 'catch_all' ({pattern}) is matched before" in message
    assert 'matches /_widgets/clock/now' in message


def test_a_catch_all_route_of_a_later_commit_leaves_the_callbacks_served():
    """What the refusal advises."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(Clock(id='clock'))
    config.commit()
    config.add_route('catch_all', '/{path:.*}')
    config.add_view(page, route_name='catch_all')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/clock/now').text == 'now'
    assert app.get('/elsewhere').text == 'the page'


def test_a_route_with_predicates_before_the_widgets_route_is_let_be():
    """Its predicates may not match a callback's request: not refused."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(Clock(id='clock'))
    config.add_route('posts', '/{path:.*}', request_method='POST')
    config.add_view(page, route_name='posts')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/clock/now').text == 'now'
