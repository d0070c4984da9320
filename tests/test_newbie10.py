"""A newcomer's tenth pass: an ini-file application served by ``pserve``
and a widgets application tested with WebTest, built from the docs, then
broken the way a newcomer breaks them.  Each failure must be loud, at
startup, naming the offender and the fix."""

import textwrap

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    ApplicationWrapper,
    Controller,
    ServerSideCallbackMixin,
    always_allow,
    controller_wrapper,
    route,
    serverside_callback,
)


def make_app(*controllers, widgets=(), settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    for controller in controllers:
        config.add_controller(controller)
    for widget in widgets:
        config.add_widget(widget)
    return TestApp(config.make_wsgi_app())


# -- a method decorator on what is no method -------------------------------


def import_module_source(source):
    """Run *source* as a module's top level (``myapp/views.py``)."""
    code = compile(textwrap.dedent(source), 'myapp/views.py', 'exec')
    exec(code, {'__name__': 'myapp.views'})


def test_route_on_a_module_function_is_refused():
    """``@route`` on a module's function (a Pyramid view written as an
    Odoo route) published nothing: no scan or directive saw it, and its
    URL was a 404 without a word."""
    with pytest.raises(ConfigurationError) as e:
        import_module_source("""
            from pyramid_hooks import route

            @route('/free', auth='public', renderer='json')
            def free(request):
                return {}
        """)
    message = str(e.value)
    assert 'route() on myapp.views.free (myapp/views.py:4)' in message
    assert 'define it in a Controller subclass, taking self' in message


def test_route_on_a_class_is_refused():
    with pytest.raises(ConfigurationError) as e:

        @route('/shop', auth='public')
        class Shop(Controller):
            def index(self):
                return 'shop'  # pragma: no cover

    assert 'Shop (' in str(e.value)
    assert 'decorate its methods' in str(e.value)


def test_route_on_methods_and_built_classes_still_serves():
    """A method, a static method and a function put in a class built
    with ``type()`` (decorated inside a function) are published."""

    class Shop(Controller):
        @route('/shop', auth='public', renderer='json')
        def index(self):
            return {'shop': 1}

        @route('/shop/static', auth='public', renderer='json')
        @staticmethod
        def static():
            return {'static': 1}

    def built(self):
        return {'built': 1}

    decorated = route('/built', auth='public', renderer='json')(built)
    app = make_app(Shop, type('Built', (Controller,), {'built': decorated}))
    assert app.get('/shop').json == {'shop': 1}
    assert app.get('/shop/static').json == {'static': 1}
    assert app.get('/built').json == {'built': 1}


@pytest.mark.parametrize('bare', [False, True])
def test_serverside_callback_on_a_module_function_is_refused(bare):
    """``@serverside_callback`` on a module's function was mounted
    nowhere, silently."""
    marker = '' if bare else "(request_method='GET')"
    with pytest.raises(ConfigurationError) as e:
        import_module_source(f"""
            from pyramid_hooks import serverside_callback

            @serverside_callback{marker}
            def suggest(request):
                return []
        """)
    assert '<function suggest' in str(e.value)
    assert 'is no instance method of a widget class' in str(e.value)


def test_serverside_callback_on_methods_still_serves():
    class Names(ServerSideCallbackMixin):
        @serverside_callback(request_method='GET', renderer='json')
        def suggest(self, request):
            return ['Ada']

        @serverside_callback
        def plain(self, request):
            return Response('plain')

    widget = Names(id='n', callback_authorization=always_allow)
    app = make_app(widgets=[widget])
    assert app.get('/_widgets/n/suggest').json == ['Ada']
    assert app.get('/_widgets/n/plain').text == 'plain'


# -- a view decorator on a widget callback, and no scan ---------------------


def shout(next_caller):
    def call(context, request):
        return [name.upper() for name in next_caller(context, request)]

    return call


class Names(ServerSideCallbackMixin):
    callback_authorization = always_allow

    @controller_wrapper(shout)
    @serverside_callback(request_method='GET', renderer='json')
    def suggest(self, request):
        return ['Ada']


def test_view_decorator_on_an_unscanned_widget_callback_is_refused():
    """``@controller_wrapper`` on a callback of a widget given to
    ``add_widget``, with no ``config.scan()``: the callback answered
    without the wrapper (``['Ada']``), silently, where a view added with
    ``add_view`` is refused at startup (docs/hooks.rst)."""
    with pytest.raises(ConfigurationError) as e:
        make_app(widgets=[Names(id='names')])
    message = str(e.value)
    assert 'Names.suggest' in message
    assert '@controller_wrapper(' in message
    assert 'config.scan(' in message


def test_view_decorator_on_a_scanned_widget_callback_applies():
    config = Configurator()
    config.include('pyramid_hooks')
    widget = Names(id='names')
    config.add_widget(widget)
    config.scan('tests.test_newbie10')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/names/suggest').json == ['ADA']


# -- an application wrapper whose __init__ forgot super().__init__ ----------


class Stamp(ApplicationWrapper):
    def __init__(self, next_handler, registry):
        self.name = 'stamp'  # super().__init__(next_handler, registry) forgot

    def __call__(self, request):
        response = self.next_handler(request)  # pragma: no cover
        response.headers['X-Stamp'] = self.name  # pragma: no cover
        return response  # pragma: no cover


def test_application_wrapper_without_super_init_is_refused():
    """Every request was a 500, ``AttributeError: 'Stamp' object has no
    attribute 'next_handler'``; the application started."""
    settings = {'hooks.application_wrappers': 'tests.test_newbie10.Stamp'}
    with pytest.raises(ConfigurationError) as e:
        make_app(settings=settings)
    message = str(e.value)
    assert "'tests.test_newbie10.Stamp'" in message
    assert 'setting hooks.application_wrappers' in message
    assert 'super().__init__(next_handler, registry)' in message


# -- a controller handler without self --------------------------------------


def test_handler_without_self_is_refused():
    """``def notes():`` under ``@route`` started, and every request was a
    500, ``TypeError: Notes.notes() takes 0 positional arguments but 1 was
    given``, naming neither the route nor the fix."""

    class Notes(Controller):
        @route('/notes', auth='public', renderer='json')
        def notes():
            return {}  # pragma: no cover

    with pytest.raises(ConfigurationError) as e:
        make_app(Notes)
    message = str(e.value)
    assert 'Notes.notes (' in message
    assert 'test_newbie10.py:' in message
    assert 'takes no self' in message


def test_handlers_taking_self_or_args_still_serve():
    class Notes(Controller):
        @route('/notes', auth='public', renderer='json')
        def notes(*args, **kw):
            return {'args': len(args)}

        @route('/one', auth='public', renderer='json')
        def one(self, /, page='1'):
            return {'page': page}

    app = make_app(Notes)
    assert app.get('/notes').json == {'args': 1}
    assert app.get('/one?page=2').json == {'page': '2'}


# -- a hooks.* setting spelt hook.* -----------------------------------------


def stamp(request, params, output):
    output['stamped'] = True  # pragma: no cover


@pytest.mark.parametrize(
    'key', ['hook.on.before_render', 'Hook.on.before_render']
)
def test_setting_spelt_hook_is_refused(key):
    """``hook.on.before_render = myapp.hooks.stamp`` in the ini file was
    ignored: no listener, no warning (``hooks.on.befor_render`` warns)."""
    with pytest.raises(ConfigurationError) as e:
        make_app(settings={key: 'tests.test_newbie10.stamp'})
    assert f'{key}: ' in str(e.value)
    assert 'spell it hooks.on.before_render' in str(e.value)


# -- config.scan() before config.include('pyramid_hooks') -------------------


class ScannedNotes(Controller):
    @route('/scanned', auth='public', renderer='json')
    def scanned(self):
        return {'scanned': True}


@pytest.mark.parametrize(
    ('module', 'found'),
    [
        ('tests.controllers_pkg.base', 'tests.controllers_pkg.base.Shop ('),
        ('tests.wrappers_scan_fixture', 'found @controller_wrapper on tests.'),
        ('tests.scan_pkg.views', 'found @before_call on tests.scan_pkg.'),
    ],
)
def test_scan_before_the_include_names_the_include(module, found):
    """``config.scan()`` before ``config.include('pyramid_hooks')`` was
    Pyramid's ``AttributeError: add_controller`` (or
    ``add_controller_wrapper``...), which names no include."""
    config = Configurator()
    with pytest.raises(ConfigurationError) as e:
        config.scan(module)
    message = str(e.value)
    assert found in message
    assert "config.include('pyramid_hooks') before config.scan()" in message
    config = Configurator()
    config.include('pyramid_hooks')
    config.scan('tests.test_newbie10')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/scanned').json == {'scanned': True}


# -- a listener written as a method ------------------------------------------


class SessionHooks:
    def open_session(self, request):
        request.environ['opened'] = True  # pragma: no cover


@pytest.mark.parametrize('how', ['directive', 'setting'])
def test_listener_taking_self_says_to_drop_self(how):
    """A listener written as a method of a class (TurboGears keeps hooks
    in classes) is called as a plain function: the message said
    ``missing a required argument: 'request'`` and "give it those
    parameters", which it has."""
    name = 'tests.test_newbie10.SessionHooks.open_session'
    config = Configurator(
        settings={'hooks.on.new_request': name} if how == 'setting' else {}
    )
    config.include('pyramid_hooks')
    if how == 'directive':
        config.register_hook('new_request', SessionHooks.open_session)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert name in message
    assert 'its first parameter is self' in message
    assert 'drop self' in message


# -- @serverside_callback over @staticmethod ---------------------------------


def test_serverside_callback_over_staticmethod_is_refused():
    """The marker went on the ``staticmethod`` object, which the widget's
    collector did not read: ``now`` was not mounted (a 404), the other
    callbacks were, and nothing said so."""

    class Clock(ServerSideCallbackMixin):
        @serverside_callback
        @staticmethod
        def now(request):
            return Response('now')  # pragma: no cover

        @serverside_callback
        def today(self, request):
            return Response('today')  # pragma: no cover

    widget = Clock(id='clock', callback_authorization=always_allow)
    with pytest.raises(ConfigurationError) as e:
        make_app(widgets=[widget])
    message = str(e.value)
    assert 'Clock.now must be an instance method' in message
    assert 'staticmethod' in message


# -- a controller whose __init__ does not take the request -------------------


def shops():
    """Controllers whose ``__init__`` does not take the request (not at
    module level: the scans of this module would activate them)."""

    class ShopWithDb(Controller):
        def __init__(self, request, db):
            super().__init__(request)  # pragma: no cover

        @route('/shop', auth='public')
        def index(self):
            return 'shop'  # pragma: no cover

    class OdooShop(Controller):
        def __init__(self):
            super().__init__(None)  # pragma: no cover

        @route('/shop', auth='public')
        def index(self):
            return 'shop'  # pragma: no cover

    return {'ShopWithDb': ShopWithDb, 'OdooShop': OdooShop}


@pytest.mark.parametrize('name', ['ShopWithDb', 'OdooShop'])
def test_controller_init_not_taking_the_request_is_refused(name):
    """``__init__(self, request, db)`` (or Odoo's ``__init__(self)``)
    started, and every request was a 500, ``TypeError: __init__() missing
    1 required positional argument: 'db'``."""
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        config.add_controller(shops()[name])
    message = str(e.value)
    assert f'shops.<locals>.{name} (' in message
    assert 'test_newbie10.py:' in message
    assert f'cannot be made as {name}(request)' in message
    assert 'super().__init__(request)' in message


# -- a controller wrapper given as an application wrapper -------------------


def timing(next_caller):
    def call(context, request):
        return next_caller(context, request)  # pragma: no cover

    return call


def test_controller_wrapper_in_application_wrappers_says_which_is_which():
    """README's ``timing(next_caller)`` under ``hooks.application_wrappers``
    (the line above ``hooks.controller_wrappers``) was refused with
    ``cannot be called as Wrapper(next_handler, registry) (too many
    positional arguments)``: true, but not the fix."""
    settings = {'hooks.application_wrappers': 'tests.test_newbie10.timing'}
    with pytest.raises(ConfigurationError) as e:
        make_app(settings=settings)
    message = str(e.value)
    assert "'tests.test_newbie10.timing' at setting hooks." in message
    assert 'is a controller wrapper' in message
    assert 'hooks.controller_wrappers' in message


# -- injected written as a method -------------------------------------------


class Maintenance(ApplicationWrapper):
    def injected(self):  # @property forgot
        return False  # pragma: no cover

    def __call__(self, request):
        return self.next_handler(request)  # pragma: no cover


def test_injected_without_property_says_property():
    """``def injected(self)`` without ``@property`` was refused with "a
    setting is text: read it with pyramid.settings.asbool()", which is the
    fix of another mistake."""
    settings = {
        'hooks.application_wrappers': 'tests.test_newbie10.Maintenance'
    }
    with pytest.raises(ConfigurationError) as e:
        make_app(settings=settings)
    message = str(e.value)
    assert "'tests.test_newbie10.Maintenance'" in message
    assert 'its injected is a method: make it a @property' in message
    assert 'asbool' not in message


# -- view= given a route's name ----------------------------------------------


def stamp_home(request, params, output):
    output['stamped'] = True  # pragma: no cover


@pytest.mark.parametrize('directive', ['register_hook', 'wrapper'])
def test_view_given_a_route_name_says_route_name(directive):
    """``view='home'`` (the route's name) was ``cannot import 'home': no
    module is called 'home'``, which does not say ``route_name=``."""
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        if directive == 'register_hook':
            config.register_hook('before_render', stamp_home, view='home')
        else:
            config.add_controller_wrapper(timing, view='home')
    message = str(e.value)
    assert "cannot import 'home'" in message
    assert "for the views of a route, route_name='home'" in message
