"""``error_handler=`` as a method of the view's class (issue 21, item 7):
given from the class body, as TurboGears writes it, or by name without a
dot, it runs on a new instance of the class, as Pyramid runs the view."""

import pytest
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.controllers import Controller, route
from tests.controllers_pkg.support import make_config
from tests.test_validation import validate_number

from .conftest import make_app

#: what ``Shop.form`` answers for ``n=x``
FORM = {'page': 'form', 'n': 'x', 'errors': {'n': 'not a number'}}


class RequestOnly:
    """A class view made as ``cls(request)``."""

    def __init__(self, request):
        self.request = request

    def form(self):
        return {
            'page': 'form',
            'errors': self.request.validation_errors,
            'by': type(self).__name__,
        }

    def save(self):
        return {'saved': self.request.hook_params['n']}


class WithContext:
    """A class view made as ``cls(context, request)``."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def again(self):
        return {'context': type(self.context).__name__}

    def save(self):  # pragma: no cover - the validator always refuses
        return {}


def add(config, view, **kw):
    config.add_route('r', '/')
    config.add_view(view, route_name='r', renderer='json', **kw)


def add_save(config, cls, error_handler, **kw):
    """Serve ``cls``'s ``save`` at ``/``, *error_handler* answering when
    ``n`` is not a number."""
    add(
        config,
        cls,
        attr='save',
        validate=validate_number,
        error_handler=error_handler,
        **kw,
    )


def test_function_from_the_class_body_runs_on_an_instance(config):
    class Form(RequestOnly):
        def save(self):
            return super().save()

    add(
        config,
        Form,
        attr='save',
        validate=validate_number,
        error_handler=RequestOnly.form,  # the plain function, TG's way
    )
    app = make_app(config)
    assert app.get('/?n=4').json == {'saved': 4}
    assert app.get('/?n=x').json == {
        'page': 'form',
        'errors': {'n': 'not a number'},
        'by': 'Form',
    }


def test_handler_named_without_a_dot(config):
    add_save(config, RequestOnly, 'form')
    assert make_app(config).get('/?n=x').json['page'] == 'form'


def test_the_class_is_made_as_the_view_mapper_makes_it(config):
    add_save(config, WithContext, 'again')
    assert make_app(config).get('/?n=x').json == {
        'context': 'DefaultRootFactory'
    }


def test_a_custom_view_mapper_maps_the_handler_too(config):
    class Mapper:
        def __init__(self, **kw):
            self.attr = kw['attr']

        def __call__(self, cls):
            def call(context, request):
                instance = cls(request)
                result = getattr(instance, self.attr)()
                return {**result, 'mapped': self.attr}

            return call

    add_save(config, RequestOnly, 'form', mapper=Mapper)
    app = make_app(config)
    assert app.get('/?n=1').json == {'saved': 1, 'mapped': 'save'}
    assert app.get('/?n=x').json['mapped'] == 'form'


def test_listeners_and_wrappers_scoped_to_the_method_run_for_it(config):
    seen = []

    def before_render(request, params, output):
        output['hooked'] = True

    def wrapper(next_caller):
        def call(context, request):
            seen.append('wrapper')
            return next_caller(context, request)

        return call

    config.register_hook('before_render', before_render, view=RequestOnly.form)
    config.register_hook(
        'after_render',
        lambda request, response: seen.append('after_render'),
        view=RequestOnly.form,
    )
    config.add_controller_wrapper(wrapper, view=RequestOnly.form)
    add_save(config, RequestOnly, 'form')
    app = make_app(config)
    assert app.get('/?n=x').json['hooked'] is True
    assert seen == ['wrapper', 'after_render']
    assert 'hooked' not in app.get('/?n=2').json
    assert seen == ['wrapper', 'after_render']


class Shop(Controller):
    @route('/buy', auth='public', renderer='json', validate=validate_number)
    def buy(self, n):
        return {'bought': n}

    @route(
        '/sell',
        auth='public',
        validate=validate_number,
        error_handler='text_form',
    )
    def sell(self, n):  # pragma: no cover - the validator always refuses
        return 'sold'

    @route('/rpc', type='json', auth='public', validate=validate_number)
    def rpc(self, n):  # pragma: no cover - the validator always refuses
        return n

    def form(self, n=None, **kw):
        return {
            'page': 'form',
            'n': n,
            'errors': self.request.validation_errors,
        }

    def text_form(self):
        return f'errors: {self.request.validation_errors["n"]}'


class TgShop(Shop):
    """TurboGears' spelling: the function object from the class body."""

    @route(error_handler=Shop.form)
    def buy(self, n):
        return super().buy(n)

    @route(error_handler=Shop.text_form)
    def sell(self, n):  # pragma: no cover - the validator always refuses
        return 'sold'

    @route(error_handler='form')
    def rpc(self, n):  # pragma: no cover - the validator always refuses
        return n


def controller_app(*classes):
    config = make_config()
    for cls in classes:
        config.add_controller(cls)
    return make_app(config)


def test_controller_error_handler_gets_the_instance_and_params():
    app = controller_app(TgShop)
    assert app.get('/buy?n=3').json == {'bought': 3}
    assert app.get('/buy?n=x').json == FORM


def test_controller_error_handler_result_is_coerced_as_the_handlers():
    response = controller_app(TgShop).get('/sell?n=x')
    assert response.content_type == 'text/html'
    assert response.text == 'errors: not a number'


def test_controller_error_handler_of_a_json_route():
    app = controller_app(TgShop)
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'rpc', 'params': {'n': 'x'}}
    assert app.post_json('/rpc', call).json['result'] == FORM


def test_controller_error_handler_named_in_the_base_class():
    response = controller_app(Shop).get('/sell?n=x')
    assert response.text == 'errors: not a number'


def test_a_plain_function_keeps_handler_request(config):
    def handler(request):
        return {'errors': request.validation_errors}

    add_save(config, RequestOnly, handler)
    assert make_app(config).get('/?n=x').json == {
        'errors': {'n': 'not a number'}
    }


# -- what cannot be called that way is a startup error ------------------


def test_unknown_method_name_is_an_error(config):
    add_save(config, RequestOnly, 'from')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert "error_handler='from'" in message
    assert 'RequestOnly' in message
    assert "has no method 'from'" in message
    assert "did you mean 'form'?" in message


def test_attribute_that_is_no_function_is_an_error(config):
    class Holder(RequestOnly):
        label = 'not callable'

    add_save(config, Holder, 'label')
    with pytest.raises(ConfigurationError, match="has no method 'label'\\n"):
        config.make_wsgi_app()


def test_method_that_needs_arguments_is_an_error(config):
    class Needy(RequestOnly):
        def again(self, name):  # pragma: no cover - refused at startup
            return {}

    add_save(config, Needy, Needy.again)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert 'Needy.again' in message
    assert 'give its other parameters defaults' in message
    assert "'name'" in message


def test_name_without_a_dot_for_a_function_view_is_an_error(config):
    def view(request):  # pragma: no cover - refused at startup
        return {}

    add(config, view, validate=validate_number, error_handler='form')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert "error_handler='form' of view" in message
    assert 'not served by a class' in message


def test_controller_handler_that_needs_arguments_gets_them():
    """A controller's error handler gets the parameters it takes, as the
    handler (tgapp-permissions, ``tests/test_port10t.py``); one the
    request lacks is a 400."""

    class Strict(Controller):
        @route(
            '/s',
            auth='public',
            validate=validate_number,
            error_handler='again',
        )
        def save(self, n):  # pragma: no cover - never valid here
            return 'saved'

        def again(self, n):
            return f'again {n}'

    app = controller_app(Strict)
    assert app.get('/s?n=x').text == 'again x'
    assert 'Missing parameter(s): n' in app.get('/s', status=400).text


@pytest.mark.parametrize('given', [RequestOnly.form, 'form'])
def test_listeners_and_wrappers_of_the_class_run_for_its_handler(
    config, given
):
    """A method of the view's class answering as error handler is in the
    class's scope (``view=Class``) as the class's views are; a handler
    that is no method of it is not."""
    calls = []

    def listener(request, params):
        calls.append('before_call')

    def after(request, response):
        calls.append('after_render')

    def wrapper(next_caller):
        def call(context, request):
            calls.append('wrapper')
            return next_caller(context, request)

        return call

    config.register_hook('before_call', listener, view=RequestOnly)
    config.register_hook('after_render', after, view=RequestOnly)
    config.add_controller_wrapper(wrapper, view=RequestOnly)
    add_save(config, RequestOnly, given)
    config.add_route('other', '/other')
    config.add_view(
        RequestOnly,
        attr='save',
        route_name='other',
        renderer='json',
        validate=validate_number,
        error_handler=lambda request: {'elsewhere': True},
    )
    app = make_app(config)
    assert app.get('/?n=x').json['by'] == 'RequestOnly'
    assert calls == ['before_call', 'wrapper', 'after_render']
    del calls[:]
    assert app.get('/other?n=x').json == {'elsewhere': True}
    assert calls == []


class Reset(Controller):
    """tgapp-resetpassword's ``@validate(form, error_handler=index)`` on
    ``reset_request``, which renders nothing itself (it redirects)."""

    @route('/', auth='public', renderer='json')
    def index(self, **kw):
        return {'errors': getattr(self.request, 'validation_errors', {})}

    @route(
        '/reset_request',
        auth='public',
        validate=validate_number,
        error_handler='index',
    )
    def reset_request(self, n):  # pragma: no cover - refused at startup
        return 'sent'


def test_an_error_handler_with_another_renderer_is_an_error():
    """Its dict went through ``reset_request``'s coercion: a 500 for
    every invalid request."""
    with pytest.raises(ConfigurationError) as info:
        controller_app(Reset)
    message = str(info.value)
    assert 'Reset.reset_request' in message
    assert (
        "its error_handler 'index' is a handler with renderer='json', and "
        "answers through this route's renderer=None" in message
    )
    assert 'give both the same renderer=' in message


def test_an_error_handler_function_with_another_renderer_uses_its_own():
    """As TurboGears renders an error handler with its own ``@expose``
    (``tests/test_port10t.py``)."""

    class TgReset(Reset):
        @route(error_handler=Reset.index, renderer='string')
        def reset_request(self, n):
            return {'sent': n}

    app = controller_app(TgReset)
    assert app.get('/reset_request?n=x').json == {
        'errors': {'n': 'not a number'}
    }
    assert app.get('/reset_request?n=2').text == "{'sent': 2}"


def test_an_error_handler_with_the_same_renderer_answers():
    class SameReset(Reset):
        @route(renderer='json')
        def reset_request(self, n):
            return {'sent': n}

    app = controller_app(SameReset)
    assert app.get('/reset_request?n=x').json == {
        'errors': {'n': 'not a number'}
    }
    assert app.get('/reset_request?n=2').json == {'sent': 2}


def reset_form(request):
    return {'errors': request.validation_errors}


@pytest.mark.parametrize(
    'handler', [reset_form, 'tests.test_error_handler_methods.reset_form']
)
def test_an_error_handler_outside_the_class_is_not_compared(handler):
    class OtherReset(Reset):
        @route(error_handler=handler, renderer='json')
        def reset_request(self, n):  # pragma: no cover - refused
            return {'sent': n}

    app = controller_app(OtherReset)
    assert app.get('/reset_request?n=x').json == {
        'errors': {'n': 'not a number'}
    }
