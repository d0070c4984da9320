"""Error messages a newcomer following the docs hits: each says the fix."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)


def hello(request):
    return {'hello': 'world'}


def order_listener(request, order):
    """A listener of a hook the strict application never declared."""


def make_config(settings=None):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    config.add_route('hello', '/hello')
    config.add_view(hello, route_name='hello', renderer='json')
    return config


def test_strict_default_namespace_undeclared_hook_says_add_hook():
    config = make_config({'hooks.strict': 'true'})
    config.register_hook('order_placed', order_listener)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert "Unknown hook 'order_placed'" in message
    assert "declared with config.add_hook('order_placed')" in message
    config = make_config({'hooks.strict': 'true'})
    config.add_hook('order_placed', args=('request', 'order'))
    config.register_hook('order_placed', order_listener)
    assert TestApp(config.make_wsgi_app()).get('/hello').json == {
        'hello': 'world'
    }


def test_strict_plugin_namespace_undeclared_hook_says_add_hook():
    config = make_config()
    config.add_hook_namespace('shop')
    config.register_hook('order_placed', order_listener, namespace='shop')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    assert (
        "declared with config.add_hook('order_placed', namespace='shop')"
        in str(e.value)
    )


class Form(ServerSideCallbackMixin):
    """A widget with no constructor of its own, as widgets.rst's first."""

    @serverside_callback(request_method='GET')
    def submit(self, request):
        return Response('submitted')


class Holder:
    """A widget toolkit's base class, whose constructor takes children."""

    def __init__(self, children=()):
        self.children = children


class Field(ServerSideCallbackMixin):
    @serverside_callback(request_method='GET')
    def check(self, request):
        return Response('checked')


class ToolkitForm(ServerSideCallbackMixin, Holder):
    @serverside_callback(request_method='GET')
    def submit(self, request):
        return Response('submitted')


def test_widget_constructor_extra_argument_names_class_and_fix():
    with pytest.raises(TypeError) as e:
        Form(id='signup', children=[], callback_authorization=always_allow)
    message = str(e.value)
    assert message.startswith('Form() got unexpected arguments (children)')
    assert 'takes only id and callback_authorization' in message
    assert 'set the others as class attributes' in message
    assert 'Form.__init__' in message
    with pytest.raises(TypeError, match=r'\(positional\)'):
        Form('signup')


def test_widget_constructor_passes_arguments_to_a_toolkit_base():
    field = Field(id='email', callback_authorization=always_allow)
    form = ToolkitForm(
        id='signup', children=[field], callback_authorization=always_allow
    )
    config = make_config()
    config.add_widget(form)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/signup/submit').text == 'submitted'
    assert app.get('/_widgets/signup:email/check').text == 'checked'


def footer_for_request(request):
    """A before_render listener written as a new_request one."""


def test_listener_signature_error_says_how_the_hook_calls_it():
    config = make_config()
    config.register_hook('before_render', footer_for_request)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert 'footer_for_request' in message
    assert 'too many positional arguments' in message
    assert (
        'the hook calls it as listener(request, params, output), so give '
        'it those parameters' in message
    )


def test_converter_arguments_error_shows_the_call_and_the_fix():
    """Odoo's ``model("blog.post", "[('blog_id','=',1)]")`` given to a
    ``to_python(request, value, model)``: the message said
    ``to_python(request, value, ...)``, hiding the domain it did not take,
    and not what to change.  It shows the call the pattern makes; written
    as it says, the application starts and serves the record."""
    from pyramid_hooks import Controller, route

    class Blog(Controller):
        @route(
            '/blog/<model("blog.post", "[(\'blog_id\',\'=\',1)]"):post>',
            auth='public',
        )
        def post(self, post):
            return f'post {post}'

    def make(to_python):
        config = Configurator()
        config.include('pyramid_hooks')
        config.add_route_converter('model', r'[0-9]{1,18}', to_python)
        config.add_controller(Blog)
        return TestApp(config.make_wsgi_app())

    def record(request, value, model):  # pragma: no cover - never called
        return value

    with pytest.raises(ConfigurationError) as e:
        make(record)
    message = str(e.value)
    assert (
        "cannot be called as to_python(request, value, 'blog.post', "
        "\"[('blog_id','=',1)]\"): too many positional arguments; give it "
        'a parameter for each argument the pattern writes, a default to '
        'each it may leave out'
    ) in message

    def fixed(request, value, model, domain='[]'):
        return f'{model}({value},)'

    assert make(fixed).get('/blog/7').text == 'post blog.post(7,)'


class CallObject:
    """A ``call`` that is no plain function: not read, it serves."""

    def __init__(self, next_caller):
        self.next_caller = next_caller

    def __call__(self, context, request):
        return self.next_caller(context, request)


def wrapper_returning(make_call):
    def wrapper(next_caller):
        return make_call(next_caller)

    return wrapper


def tween_like(next_caller):
    def call(request):  # a tween's call  # pragma: no cover - refused
        return next_caller(None, request)

    return call


def keyword_only(next_caller):
    def call(context, request, *, lang):  # pragma: no cover - refused
        return next_caller(context, request)

    return call


@pytest.mark.parametrize(
    ('wrapper', 'problem'),
    [
        (tween_like, 'too many positional arguments'),
        (keyword_only, "missing a required argument: 'lang'"),
    ],
)
def test_a_wrapper_call_of_the_wrong_signature_stops_the_start(
    wrapper, problem
):
    """Accepted before, each request of the view was a 500 naming
    ``call()`` only."""
    config = make_config()
    config.add_controller_wrapper(wrapper)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert f'{wrapper.__qualname__}.<locals>.call for view ' in message
    assert (
        f'which cannot be called as call(context, request) ({problem}): '
        'make it call(context, request)'
    ) in message


def passing(next_caller):
    def call(*args, lang='en'):
        return next_caller(*args)

    return call


@pytest.mark.parametrize('wrapper', [passing, wrapper_returning(CallObject)])
def test_a_wrapper_call_that_takes_context_and_request_serves(wrapper):
    config = make_config()
    config.add_controller_wrapper(wrapper)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hello').json == {'hello': 'world'}
