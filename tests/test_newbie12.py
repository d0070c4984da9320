"""A newcomer's twelfth pass: the docs followed in order, then the
mistakes a newcomer makes.  Each must be loud, at startup, naming the
offender, where it is and the fix."""

import sys
import textwrap

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, listener, route


def scanned_app(tmp_path, name, *sources):
    """The application that scans the package *name* made of *source*."""
    package = tmp_path / name
    package.mkdir()
    (package / '__init__.py').write_text(
        ''.join(map(textwrap.dedent, sources))
    )
    sys.path.insert(0, str(tmp_path))
    try:
        config = Configurator()
        config.include('pyramid_hooks')
        config.add_route('page', '/page')
        config.scan(name)
        return TestApp(config.make_wsgi_app())
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)


VIEW = """
    from pyramid.view import view_config

    @view_config(route_name='page', renderer='json')
    def page(request):
        return {}
"""


@pytest.mark.parametrize(
    ('decorator', 'signature', 'fix'),
    [
        (
            'before_render',
            '(request, params, output)',
            "over a listener, write @listener('before_render')",
        ),
        (
            'before_call',
            '(request, params)',
            "over a listener, write @listener('before_call')",
        ),
        (
            'controller_wrapper',
            '(next_caller)',
            'to wrap every view in it, call '
            'config.add_controller_wrapper(stamp)',
        ),
    ],
)
def test_a_view_decorator_bare_over_a_listener_is_refused(
    tmp_path, decorator, signature, fix
):
    """``@before_render`` written bare over a listener (as ``@listener``
    would be) made the listener the decorator, which decorates no view:
    the scan found nothing and the listener never ran, without a word."""
    source = f"""
        from pyramid_hooks import {decorator}

        @{decorator}
        def stamp{signature}:
            ...
    """
    with pytest.raises(ConfigurationError) as e:
        scanned_app(tmp_path, f'bare_{decorator}', source, VIEW)
    message = str(e.value)
    assert f'@{decorator}(bare_{decorator}.stamp)' in message
    assert f'bare_{decorator}/__init__.py:4' in message
    assert 'decorates no view' in message
    assert fix in message


def test_a_view_decorator_made_for_views_is_not_bare(tmp_path):
    """A decorator made once and applied to views, or to none (a plugin's
    ``quota = before_call(check_quota)`` for its users), is no mistake."""
    app = scanned_app(
        tmp_path,
        'made_for_views',
        """
        from pyramid_hooks import before_render

        def stamp(request, params, output):
            output['stamped'] = True

        stamped = before_render(stamp)
        unused = before_render(stamp)
        """,
        VIEW.replace('def page', '@stamped\n    def page'),
    )
    assert app.get('/page').json == {'stamped': True}


def test_listener_without_a_hook_name_is_refused():
    """``@listener`` without the hook's name made the function the
    decorator, and a scan registered nothing."""
    with pytest.raises(ConfigurationError) as e:

        @listener
        def open_session(request): ...

    message = str(e.value)
    assert 'open_session' in message
    assert "give it the hook's name, @listener('new_request')" in message


def check_age(request, params):
    return params.get('age', '').isdigit()  # a bool, not the parameters


def test_a_validator_returning_no_mapping_names_its_view():
    """Its ``TypeError`` named the validator only: a validator shared by
    many views (or a dotted name in several ``validate=``) did not say
    which view it was checking."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('signup', '/signup')
    config.add_view(
        signup, route_name='signup', renderer='json', validate=check_age
    )
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as e:
        app.get('/signup?age=7')
    message = str(e.value)
    assert message.startswith(f'Validator {__name__}.check_age returned True')
    assert message.endswith(f'(validate= of view {__name__}.signup)')


def signup(request):
    return {}


class Timing:
    """A class controller wrapper whose instances forgot ``context``."""

    def __init__(self, next_caller):
        self.next_caller = next_caller

    def __call__(self, request):
        return self.next_caller(None, request)

    def handle(self, request):
        return self.next_caller(None, request)


def timing_method(next_caller):
    return Timing(next_caller).handle


def page_app(wrapper):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller_wrapper(wrapper)
    config.add_route('signup', '/signup')
    config.add_view(signup, route_name='signup', renderer='json')
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('wrapper', [Timing, timing_method])
def test_a_wrapper_call_object_with_a_wrong_signature_is_refused(wrapper):
    """A class works as well as a function, the chapter says; an instance
    (or a bound method) that cannot be called as ``call(context,
    request)`` passed the startup check of a function's and failed every
    request with Python's ``TypeError``, naming neither the wrapper nor the
    fix."""
    with pytest.raises(ConfigurationError) as e:
        page_app(wrapper)
    message = str(e.value)
    assert (
        f'Controller wrapper {__name__}.{wrapper.__name__} returned' in message
    )
    assert f'for view {__name__}.signup' in message
    assert '(too many positional arguments)' in message
    assert 'make it call(context, request)' in message


class Passing(Timing):
    def __call__(self, context, request):
        return {'wrapped': True}


def test_a_wrapper_call_object_with_the_right_signature_runs():
    assert page_app(Passing).get('/signup').json == {'wrapped': True}


def passing_method(next_caller):
    return Passing(next_caller).passing


Passing.passing = Passing.__call__


def test_a_wrapper_returning_a_bound_method_runs():
    """``Class(next_caller).method`` stopped the start with Pyramid's
    ``AttributeError: 'method' object has no attribute '__wraps__'``,
    naming neither the wrapper nor a fix: Pyramid marks the view a
    deriver returns, and a bound method takes no attributes."""
    assert page_app(passing_method).get('/signup').json == {'wrapped': True}


def test_a_handler_taking_request_as_a_pyramid_view_does_is_refused():
    """``def cart(self, request)``, a Pyramid view's habit, answered 400
    ``Missing parameter(s): request`` to every request: the handler's
    parameters are the query and form fields."""

    class Shop(Controller):
        @route('/cart', auth='public')
        def cart(self, request):
            return 'cart'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Shop)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert f'{__name__}.' in message
    assert '.Shop.cart (' in message
    assert "takes a parameter 'request'" in message
    assert 'the request is self.request; drop the parameter' in message


def test_a_handler_given_request_by_its_pattern_is_served():
    class Support(Controller):
        @route('/ticket/{request}', auth='public')
        def ticket(self, request):
            return f'ticket {request}'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Support)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/ticket/7').text == 'ticket 7'


def price_listener(request, value):  # the hook calls it (value, request)
    return value * 2


def late_response(response, request):  # new_response: (request, response)
    response.headers['X-Late'] = '1'


@pytest.mark.parametrize(
    ('hook', 'declare', 'listener', 'called'),
    [
        ('price', True, price_listener, 'listener(value, request)'),
        ('new_response', False, late_response, 'listener(request, response)'),
    ],
)
def test_a_listener_taking_the_arguments_in_another_order_is_refused(
    hook, declare, listener, called
):
    """A listener whose parameters name the hook's arguments in another
    order took them swapped, silently: the count matched."""
    config = Configurator()
    config.include('pyramid_hooks')
    if declare:
        config.add_hook(hook, args=('request',), value=True)
    config.register_hook(hook, listener)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert f'Listener {__name__}.{listener.__name__} registered at' in message
    assert 'name those arguments in another order' in message
    assert f'the hook calls it as {called}' in message


def test_a_listener_naming_its_arguments_otherwise_is_accepted():
    def price(total, request):
        return total * 2

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_hook('price', args=('request',), value=True)
    config.register_hook('price', price)
    config.make_wsgi_app()


def check_swapped(params, request):  # called validate(request, params)
    return params


def allow_swapped(request, callback):  # called handler(callback, request)
    return None


def test_a_validator_taking_its_arguments_in_another_order_is_refused():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('signup', '/signup')
    config.add_view(
        signup, route_name='signup', renderer='json', validate=check_swapped
    )
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert 'validate= of view' in message
    assert 'cannot be called as validate(request, params)' in message
    assert 'its parameters (params, request) name those arguments' in message


def test_an_authorization_handler_taking_its_arguments_swapped_is_refused():
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        config.set_callback_authorization(allow_swapped)
    message = str(e.value)
    assert f'{__name__}.allow_swapped cannot be called as' in message
    assert 'handler(callback, request)' in message
    assert 'its parameters (request, callback) name those arguments' in message
