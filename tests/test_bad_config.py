"""A matrix of bad configurations: each must stop the application at
startup with a :class:`~pyramid.exceptions.ConfigurationError` whose message
names the offender, and none may leave a half-configured application
behind (no router is made, ``ApplicationCreated`` never fires).

Every case goes through public API only: directives, view options,
decorators activated by ``config.scan()``, and ``hooks.*`` settings.
"""

import pytest
from pyramid.config import Configurator
from pyramid.events import ApplicationCreated
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError
from pyramid.response import Response

import pyramid_hooks
from pyramid_hooks import (
    ApplicationWrapper,
    Controller,
    ServerSideCallbackMixin,
    always_allow,
    route,
    serverside_callback,
)
from pyramid_hooks.interfaces import IApplicationMade


def listener_request(request):
    """A listener for hooks that receive ``(request)``."""


def listener_request_params(request, params):
    """A listener for hooks that receive ``(request, params)``."""


def view(request):
    return {}


def wrapper(next_caller):
    return next_caller


def returns_nothing(next_caller):
    """A controller wrapper factory that forgot to return its caller."""


def four_arguments(a, b, c, d):
    """Fits no hook and no wrapper protocol."""


def validator(request, params):
    return params


class Views:
    def method(self):
        return {}


def _home(config, **options):
    config.add_route('home', '/')
    options.setdefault('renderer', 'json')
    config.add_view(view, route_name='home', **options)


def _scan(module):
    def setup(config):
        config.add_hook_namespace('strictns')
        config.add_hook(
            'declared_hook', args=('request',), namespace='strictns'
        )
        config.add_route('home', '/')
        config.scan(f'tests.reliability_badscan.{module}')

    return setup


def _dotted(obj):
    return f'{obj.__module__}.{obj.__qualname__}'


def _twice(first, second):
    def setup(config):
        first(config)
        second(config)

    return setup


class Passthrough(ApplicationWrapper):
    def __call__(self, request):
        return self.next_handler(request)


class NoCall(ApplicationWrapper):
    """Forgot ``__call__``: still abstract."""


class OneArgument:
    def __init__(self, next_handler):
        self.next_handler = next_handler

    def __call__(self, request):
        return self.next_handler(request)


class Other(Passthrough):
    pass


def returns_a_string(next_handler, registry):
    return 'not a handler'


def _cycle(config):
    config.add_application_wrapper(Passthrough, after='tests.other')
    config.add_application_wrapper(
        Other, name='tests.other', after=Passthrough
    )


class Panel(ServerSideCallbackMixin):
    @serverside_callback
    def show(self, request):
        return Response('shown')


class Empty(ServerSideCallbackMixin):
    id = 'empty'


def one_argument_handler(request):
    """Not an authorization handler: those take (callback, request)."""


def _callback(**options):
    """A widget whose callback is declared with *options*."""

    def setup(config):
        class Widget(ServerSideCallbackMixin):
            @serverside_callback(**options)
            def act(self, request):
                return Response('acted')

        config.add_widget(Widget(id='widget'))

    return setup


def _callback_signature(config):
    class Widget(ServerSideCallbackMixin):
        @serverside_callback
        def act_without_request(self):
            return Response('acted')

    config.add_widget(Widget(id='widget'))


def _callback_name_clash(config):
    class Widget(ServerSideCallbackMixin):
        @serverside_callback(name='same')
        def first(self, request):
            return Response()

        @serverside_callback(name='same')
        def second(self, request):
            return Response()

    config.add_widget(Widget(id='widget'))


def _handler_route(**options):
    """A controller whose handler is declared with *options*."""

    def setup(config):
        class Shop(Controller):
            @route('/shop', **options)
            def checkout(self):
                return 'ok'

        config.add_controller(Shop)

    return setup


def _positional_only(config):
    class Shop(Controller):
        @route('/shop/{item}')
        def item_handler(self, item, /):
            return item

    config.add_controller(Shop)


def _two_controllers_one_url(config):
    class Shop(Controller):
        @route('/shop', auth='public')
        def checkout(self):
            return 'ok'

    class Store(Controller):
        @route('/shop', auth='public', methods=['GET'])
        def front(self):
            return 'ok'

    config.add_controller(Shop)
    config.add_controller(Store)


def _handler_named_request(config):
    class Shop(Controller):
        @route('/shop/request', auth='public')
        def request(self):
            return 'ok'

    config.add_controller(Shop)


def _unknown_converter(config):
    class Shop(Controller):
        @route('/shop/<money:price>', auth='public')
        def checkout(self, price):
            return 'ok'

    config.add_controller(Shop)


def _two_json_handlers_one_method(config):
    class Shop(Controller):
        @route('/rpc', type='json', auth='public')
        def add(self):
            return 'ok'

        @route('/rpc', type='json', auth='public', rpc_method='add')
        def plus(self):
            return 'ok'

    config.add_controller(Shop)


def _route_not_a_path(config):
    class Shop(Controller):
        @route(42)
        def checkout(self):
            return 'ok'


def _settings_only(config):
    """Nothing but the ``hooks.*`` settings under test."""


# (id, setup(config), settings, words the message must contain)
CASES = [
    # -- add_hook_namespace -------------------------------------------------
    (
        'namespace-empty',
        lambda c: c.add_hook_namespace(''),
        {},
        ['add_hook_namespace', "''"],
    ),
    (
        'namespace-not-str',
        lambda c: c.add_hook_namespace(42),
        {},
        ['add_hook_namespace', '42'],
    ),
    (
        'namespace-strict-not-bool',
        lambda c: c.add_hook_namespace('mailer', strict='yes'),
        {},
        ["'mailer'", 'strict', "'yes'"],
    ),
    (
        'namespace-twice',
        _twice(
            lambda c: c.add_hook_namespace('mailer'),
            lambda c: c.add_hook_namespace('mailer'),
        ),
        {},
        ['mailer', 'test_bad_config.py'],
    ),
    # -- add_hook -----------------------------------------------------------
    ('hook-empty-name', lambda c: c.add_hook(' '), {}, ['add_hook', "' '"]),
    (
        'hook-bad-arg-name',
        lambda c: c.add_hook('sent', args=('1st',)),
        {},
        ["'sent'", "'1st'"],
    ),
    (
        'hook-keyword-arg',
        lambda c: c.add_hook('sent', args=('class',)),
        {},
        ["'sent'", "'class'"],
    ),
    (
        'hook-arg-not-str',
        lambda c: c.add_hook('sent', args=(None,)),
        {},
        ["'sent'", 'None'],
    ),
    (
        'hook-bad-scope',
        lambda c: c.add_hook('sent', scope='global'),
        {},
        ["'sent'", 'scope', "'global'"],
    ),
    (
        'hook-value-not-bool',
        lambda c: c.add_hook('sent', value='yes'),
        {},
        ["'sent'", 'value', "'yes'"],
    ),
    (
        'hook-trap-not-bool',
        lambda c: c.add_hook('sent', trap_exceptions=1),
        {},
        ["'sent'", 'trap_exceptions'],
    ),
    (
        'hook-builtin-redeclared',
        lambda c: c.add_hook('before_call'),
        {},
        ["'before_call'", 'built-in'],
    ),
    (
        'hook-undeclared-namespace',
        lambda c: c.add_hook('sent', namespace='mailer'),
        {},
        [
            "'mailer:sent'",
            "'mailer'",
            'not declared',
            'test_bad_config.py',
        ],
    ),
    (
        'hook-twice',
        _twice(lambda c: c.add_hook('sent'), lambda c: c.add_hook('sent')),
        {},
        ['sent', 'test_bad_config.py'],
    ),
    # -- register_hook ------------------------------------------------------
    (
        'listener-not-callable',
        lambda c: c.register_hook('sent', 42),
        {},
        ["'sent'", '42', 'not callable', 'test_bad_config.py'],
    ),
    (
        'listener-bad-dotted',
        lambda c: c.register_hook('sent', 'no_such_module.listener'),
        {},
        ["'sent'", 'no_such_module.listener'],
    ),
    (
        'listener-name-empty',
        lambda c: c.register_hook('', listener_request),
        {},
        ['register_hook', "''"],
    ),
    (
        'listener-view-and-route',
        lambda c: c.register_hook(
            'before_call',
            listener_request_params,
            view=view,
            route_name='home',
        ),
        {},
        ["'before_call'", 'view=', 'route_name='],
    ),
    (
        'listener-route-empty',
        lambda c: c.register_hook(
            'before_call', listener_request_params, route_name=''
        ),
        {},
        ["'before_call'", 'route_name'],
    ),
    (
        'listener-bad-view-dotted',
        lambda c: c.register_hook(
            'before_call', listener_request_params, view='no_such_module.view'
        ),
        {},
        ["'before_call'", 'no_such_module.view'],
    ),
    (
        'listener-signature',
        lambda c: c.register_hook('before_call', listener_request),
        {},
        ['listener_request', "'before_call'", 'test_bad_config.py'],
    ),
    (
        'listener-signature-declared',
        _twice(
            lambda c: c.add_hook('sent', args=('message', 'to')),
            lambda c: c.register_hook('sent', listener_request),
        ),
        {},
        ['listener_request', "'sent'", 'message, to'],
    ),
    (
        'listener-strict-namespace',
        _twice(
            lambda c: c.add_hook_namespace('mailer'),
            lambda c: c.register_hook(
                'sent', listener_request, namespace='mailer'
            ),
        ),
        {},
        ["'mailer:sent'", 'listener_request', 'strict'],
    ),
    (
        'listener-undeclared-namespace',
        lambda c: c.register_hook(
            'sent', listener_request, namespace='mailer'
        ),
        {},
        ["'mailer:sent'", 'not declared'],
    ),
    (
        'listener-app-on-view-hook',
        _twice(
            lambda c: c.add_hook('shown', args=('request',), scope='view'),
            lambda c: c.register_hook('shown', listener_request),
        ),
        {},
        ["'shown'", 'listener_request', 'app-wide'],
    ),
    (
        'listener-view-on-app-hook',
        lambda c: c.register_hook('new_request', listener_request, view=view),
        {},
        ["'new_request'", 'listener_request'],
    ),
    (
        'listener-twice',
        _twice(
            lambda c: c.register_hook('sent', listener_request),
            lambda c: c.register_hook('sent', listener_request),
        ),
        {},
        ['listener', 'test_bad_config.py'],
    ),
    (
        'listener-strict-default',
        lambda c: c.register_hook('sent', listener_request),
        {'hooks.strict': 'true'},
        ["'sent'", 'listener_request', 'strict'],
    ),
    # -- unregister_hook ----------------------------------------------------
    (
        'unregister-unknown',
        lambda c: c.unregister_hook('sent', listener_request),
        {},
        ["'sent'", 'listener_request', 'not registered'],
    ),
    (
        'unregister-wrong-scope',
        _twice(
            lambda c: c.register_hook('before_call', listener_request_params),
            lambda c: c.unregister_hook(
                'before_call', listener_request_params, view=view
            ),
        ),
        {},
        ['listener_request_params', 'not registered', 'view'],
    ),
    (
        'unregister-undeclared-namespace',
        lambda c: c.unregister_hook(
            'sent', listener_request, namespace='mailer'
        ),
        {},
        ["'mailer:sent'", 'not declared'],
    ),
    (
        'unregister-bad-dotted',
        lambda c: c.unregister_hook('sent', 'no_such_module.listener'),
        {},
        ["'sent'", 'no_such_module.listener'],
    ),
    # -- add_controller_wrapper and controller_wrappers= --------------------
    (
        'wrapper-not-callable',
        lambda c: c.add_controller_wrapper(42),
        {},
        ['add_controller_wrapper', '42', 'test_bad_config.py'],
    ),
    (
        'wrapper-bad-dotted',
        lambda c: c.add_controller_wrapper('no_such_module.wrapper'),
        {},
        ['add_controller_wrapper', 'no_such_module.wrapper'],
    ),
    (
        'wrapper-arity',
        lambda c: c.add_controller_wrapper(four_arguments),
        {},
        ['four_arguments', 'wrapper(next_caller)'],
    ),
    (
        'wrapper-view-and-route',
        lambda c: c.add_controller_wrapper(
            wrapper, view=view, route_name='home'
        ),
        {},
        ['add_controller_wrapper', 'view=', 'route_name='],
    ),
    (
        'wrapper-returns-nothing',
        _twice(lambda c: c.add_controller_wrapper(returns_nothing), _home),
        {},
        ['returns_nothing', 'returned None', 'tests.test_bad_config.view'],
    ),
    (
        'wrapper-twice',
        _twice(
            lambda c: c.add_controller_wrapper(wrapper),
            lambda c: c.add_controller_wrapper(wrapper),
        ),
        {},
        ['controller wrapper', 'test_bad_config.py'],
    ),
    (
        'wrappers-option-not-callable',
        lambda c: _home(c, controller_wrappers=[42]),
        {},
        ['controller_wrappers=', 'tests.test_bad_config.view', '42'],
    ),
    (
        'wrappers-option-bad-dotted',
        lambda c: _home(c, controller_wrappers='no_such_module.wrapper'),
        {},
        ['controller_wrappers=', 'no_such_module.wrapper'],
    ),
    (
        'wrappers-option-arity',
        lambda c: _home(c, controller_wrappers=[four_arguments]),
        {},
        ['controller_wrappers=', 'four_arguments'],
    ),
    # -- add_application_wrapper ------------------------------------------
    (
        'app-wrapper-not-callable',
        lambda c: c.add_application_wrapper(42),
        {},
        ['add_application_wrapper', '42', 'test_bad_config.py'],
    ),
    (
        'app-wrapper-bad-dotted',
        lambda c: c.add_application_wrapper('no_such_module.Wrapper'),
        {},
        ['add_application_wrapper', 'no_such_module.Wrapper'],
    ),
    (
        'app-wrapper-abstract',
        lambda c: c.add_application_wrapper(NoCall),
        {},
        ['NoCall', '__call__', 'test_bad_config.py'],
    ),
    (
        'app-wrapper-signature',
        lambda c: c.add_application_wrapper(OneArgument),
        {},
        ['OneArgument', 'Wrapper(next_handler, registry)'],
    ),
    (
        'app-wrapper-after-unknown',
        lambda c: c.add_application_wrapper(Passthrough, after='nosuch'),
        {},
        ['Passthrough', "after='nosuch'", 'test_bad_config.py'],
    ),
    (
        'app-wrapper-after-class-unregistered',
        lambda c: c.add_application_wrapper(Passthrough, after=Other),
        {},
        ['Passthrough', 'Other'],
    ),
    (
        'app-wrapper-after-bad-type',
        lambda c: c.add_application_wrapper(Passthrough, after=3.5),
        {},
        ['Passthrough', 'after=', '3.5'],
    ),
    ('app-wrapper-cycle', _cycle, {}, ['cycle', 'tests.other', 'Passthrough']),
    (
        'app-wrapper-name-empty',
        lambda c: c.add_application_wrapper(Passthrough, name=''),
        {},
        ['add_application_wrapper', 'name='],
    ),
    (
        'app-wrapper-twice',
        _twice(
            lambda c: c.add_application_wrapper(Passthrough),
            lambda c: c.add_application_wrapper(
                Other, name=_dotted(Passthrough)
            ),
        ),
        {},
        ['application wrapper', 'Passthrough', 'test_bad_config.py'],
    ),
    (
        'app-wrapper-returns-non-callable',
        lambda c: c.add_application_wrapper(returns_a_string),
        {},
        ['returns_a_string', "'not a handler'"],
    ),
    (
        'app-wrapper-explicit-tweens',
        lambda c: c.add_application_wrapper(Passthrough),
        {'pyramid.tweens': 'pyramid.tweens.excview_tween_factory'},
        [
            'pyramid.tweens',
            'pyramid_hooks.wrappers.application_wrappers_tween',
            'Passthrough',
        ],
    ),
    (
        'setting-application-wrapper-abstract',
        _settings_only,
        {'hooks.application_wrappers': 'tests.test_bad_config.NoCall'},
        ['NoCall', '__call__', 'setting hooks.application_wrappers'],
    ),
    # -- add_widget / serverside_callback / set_callback_authorization ----
    (
        'widget-no-id',
        lambda c: c.add_widget(Panel()),
        {},
        ['add_widget', 'Panel', 'has no id', 'test_bad_config.py'],
    ),
    (
        'widget-bad-id',
        lambda c: c.add_widget(Panel(id='1st')),
        {},
        ['add_widget', "'1st'"],
    ),
    (
        'widget-id-with-slash',
        lambda c: c.add_widget(Panel(id='a/b')),
        {},
        ['add_widget', "'a/b'"],
    ),
    (
        'widget-not-a-widget',
        lambda c: c.add_widget(object()),
        {},
        ['add_widget', 'object'],
    ),
    (
        'widget-bad-dotted',
        lambda c: c.add_widget('no_such_module.widget'),
        {},
        ['add_widget', 'no_such_module.widget'],
    ),
    (
        'widget-without-callbacks',
        lambda c: c.add_widget(Empty()),
        {},
        ['add_widget', 'Empty', 'no server-side callbacks'],
    ),
    (
        'widget-duplicate-id',
        _twice(
            lambda c: c.add_widget(Panel(id='panel')),
            lambda c: c.add_widget(Panel(id='panel')),
        ),
        {},
        ['pyramid_hooks widget', 'panel', 'test_bad_config.py'],
    ),
    (
        'widget-authorization-not-callable',
        lambda c: c.add_widget(Panel(id='p', callback_authorization=42)),
        {},
        ['add_widget', 'authorization handler 42', 'not callable'],
    ),
    (
        'widget-authorization-bad-dotted',
        lambda c: c.add_widget(
            Panel(id='p', callback_authorization='no_such.h')
        ),
        {},
        ['add_widget', 'no_such.h'],
    ),
    (
        'widget-authorization-signature',
        lambda c: c.add_widget(
            Panel(id='p', callback_authorization=(one_argument_handler))
        ),
        {},
        ['add_widget', 'one_argument_handler', 'handler(callback, request)'],
    ),
    (
        'callback-method-not-a-name',
        _callback(request_method=42),
        {},
        ['serverside_callback', 'request_method', '42'],
    ),
    (
        'callback-method-empty',
        _callback(request_method=[]),
        {},
        ['serverside_callback', 'request_method'],
    ),
    (
        'callback-method-bad',
        _callback(request_method='GE T'),
        {},
        ['serverside_callback', 'request_method', 'GE T'],
    ),
    (
        'callback-permission-not-str',
        _callback(permission=42),
        {},
        ['serverside_callback', 'permission', '42'],
    ),
    (
        'callback-csrf-not-bool',
        _callback(require_csrf='yes'),
        {},
        ['serverside_callback', 'require_csrf', "'yes'"],
    ),
    (
        'callback-bad-name',
        _callback(name='no spaces'),
        {},
        ['serverside_callback', "'no spaces'"],
    ),
    (
        'callback-authorization-not-callable',
        _callback(authorization=42),
        {},
        ['serverside_callback', 'authorization', '42'],
    ),
    (
        'callback-authorization-bad-dotted',
        _callback(authorization='no_such_module.handler'),
        {},
        ["callback 'act'", 'no_such_module.handler'],
    ),
    (
        'callback-authorization-signature',
        _callback(authorization=one_argument_handler),
        {},
        ["callback 'act'", 'one_argument_handler'],
    ),
    (
        'callback-validate-bad-dotted',
        _callback(validate='no_such_module.validator'),
        {},
        ['validate=', 'act', 'no_such_module.validator'],
    ),
    (
        'callback-error-handler-without-validate',
        _callback(error_handler=view),
        {},
        ['error_handler=', 'act'],
    ),
    (
        'callback-wrappers-not-callable',
        _callback(controller_wrappers=[42]),
        {},
        ['controller_wrappers=', 'act', '42'],
    ),
    (
        'callback-signature',
        _callback_signature,
        {},
        ['act_without_request', 'callback(self, request)'],
    ),
    (
        'callback-name-clash',
        _callback_name_clash,
        {},
        ["'same'", 'first', 'second'],
    ),
    (
        'set-authorization-not-callable',
        lambda c: c.set_callback_authorization(42),
        {},
        ['set_callback_authorization', '42', 'test_bad_config.py'],
    ),
    (
        'set-authorization-bad-dotted',
        lambda c: c.set_callback_authorization('no_such_module.handler'),
        {},
        ['set_callback_authorization', 'no_such_module.handler'],
    ),
    (
        'set-authorization-signature',
        lambda c: c.set_callback_authorization(one_argument_handler),
        {},
        ['set_callback_authorization', 'one_argument_handler'],
    ),
    (
        'set-authorization-twice',
        _twice(
            lambda c: c.set_callback_authorization(always_allow),
            lambda c: c.set_callback_authorization(always_allow),
        ),
        {},
        ['callback authorization', 'test_bad_config.py'],
    ),
    # -- add_controller / route() / add_controller_auth --------------------
    (
        'controller-not-a-class',
        lambda c: c.add_controller(42),
        {},
        ['add_controller', '42', 'Controller'],
    ),
    (
        'controller-not-a-controller',
        lambda c: c.add_controller(Views),
        {},
        ['add_controller', 'Views', 'Controller'],
    ),
    (
        'controller-base-class',
        lambda c: c.add_controller(Controller),
        {},
        ['add_controller', 'Controller'],
    ),
    (
        'controller-bad-dotted',
        lambda c: c.add_controller('no_such_module.Shop'),
        {},
        ['add_controller', 'no_such_module.Shop'],
    ),
    ('route-not-a-path', _route_not_a_path, {}, ['route()', '42']),
    ('route-bad-type', _handler_route(type='xml'), {}, ["route(type='xml')"]),
    ('route-empty-auth', _handler_route(auth=''), {}, ["route(auth='')"]),
    (
        'route-unknown-auth',
        _handler_route(auth='admins'),
        {},
        ["'admins'", 'checkout', 'test_bad_config.py'],
    ),
    (
        'route-methods-empty',
        _handler_route(methods=[]),
        {},
        ['route(methods=[])'],
    ),
    (
        'route-methods-not-a-list',
        _handler_route(methods=42),
        {},
        ['route(methods=42)'],
    ),
    ('route-bad-cors', _handler_route(cors=True), {}, ['route(cors=True)']),
    (
        'route-reserved-option',
        _handler_route(request_method='POST'),
        {},
        ['route(request_method=...)', 'methods='],
    ),
    (
        'route-unknown-view-option',
        _handler_route(colour='red'),
        {},
        ['checkout', 'colour'],
    ),
    (
        'route-json-with-renderer',
        _handler_route(type='json', renderer='json'),
        {},
        ['checkout', 'renderer'],
    ),
    (
        'route-validate-bad-dotted',
        _handler_route(validate='no_such_module.validator'),
        {},
        ['validate=', 'checkout', 'no_such_module.validator'],
    ),
    (
        'route-positional-only',
        _positional_only,
        {},
        ['item_handler', "'item'", 'positional-only'],
    ),
    (
        'route-two-controllers-one-url',
        _two_controllers_one_url,
        {},
        ['Shop.checkout', 'Store.front', "'/shop'", 'GET, HEAD', 'extend'],
    ),
    (
        'route-handler-named-request',
        _handler_named_request,
        {},
        ['Shop.request', "'request'", 'Controller', 'rename the method'],
    ),
    (
        'route-unknown-converter',
        _unknown_converter,
        {},
        ['Shop.checkout', "unknown converter 'money'", 'add_route_converter'],
    ),
    (
        'route-json-method-twice',
        _two_json_handlers_one_method,
        {},
        ['Shop.add', 'Shop.plus', "JSON-RPC method 'add'", 'rpc_method'],
    ),
    (
        'route-converter-bad-regex',
        lambda c: c.add_route_converter('money', '('),
        {},
        ["add_route_converter 'money'", 'invalid regex'],
    ),
    (
        'controllers-discover-not-a-bool',
        _settings_only,
        {'hooks.controllers.discover': 'maybe'},
        ['hooks.controllers.discover', 'boolean'],
    ),
    (
        'controller-auth-empty-name',
        lambda c: c.add_controller_auth('', listener_request),
        {},
        ['add_controller_auth', "''"],
    ),
    (
        'controller-auth-not-callable',
        lambda c: c.add_controller_auth('staff', 42),
        {},
        ["add_controller_auth 'staff'", '42'],
    ),
    (
        'controller-auth-signature',
        lambda c: c.add_controller_auth('staff', four_arguments),
        {},
        ["add_controller_auth 'staff'", 'four_arguments', '(request)'],
    ),
    (
        'controller-auth-bad-dotted',
        lambda c: c.add_controller_auth('staff', 'no_such_module.check'),
        {},
        ["add_controller_auth 'staff'", 'no_such_module.check'],
    ),
    (
        'controller-auth-twice',
        _twice(
            lambda c: c.add_controller_auth('staff', listener_request),
            lambda c: c.add_controller_auth('staff', listener_request),
        ),
        {},
        ['controller auth', 'staff', 'test_bad_config.py'],
    ),
    (
        'scan-controller-unknown-auth',
        _scan('controller_auth'),
        {},
        ["'administrators'", 'AdminPages.dashboard', 'controller_auth.py'],
    ),
    (
        'scan-controller-type-change',
        _scan('controller_override'),
        {},
        ["route(type='json')", 'JsonPages.page', 'controller_override.py'],
    ),
    # -- validate= / error_handler= -----------------------------------------
    (
        'validate-not-callable',
        lambda c: _home(c, validate=42),
        {},
        ['validate=', 'tests.test_bad_config.view', '42'],
    ),
    (
        'validate-signature',
        lambda c: _home(c, validate=listener_request),
        {},
        ['validate=', 'listener_request', 'validate(request, params)'],
    ),
    (
        'error-handler-signature',
        lambda c: _home(c, validate=validator, error_handler=validator),
        {},
        ['error_handler=', 'validator', 'error_handler(request)'],
    ),
    (
        'validate-bad-dotted',
        lambda c: _home(c, validate='no_such_module.validator'),
        {},
        ['validate=', 'no_such_module.validator'],
    ),
    (
        'error-handler-without-validate',
        lambda c: _home(c, error_handler=view),
        {},
        ['error_handler=', 'tests.test_bad_config.view', 'validate='],
    ),
    (
        'error-handler-not-callable',
        lambda c: _home(c, validate=validator, error_handler=42),
        {},
        ['error_handler=', '42'],
    ),
    (
        'error-handler-bad-dotted',
        lambda c: _home(
            c, validate=validator, error_handler='no_such_module.handler'
        ),
        {},
        ['error_handler=', 'no_such_module.handler'],
    ),
    # -- decorators (config.scan) -------------------------------------------
    (
        'scan-listener-signature',
        _scan('listener_signature'),
        {},
        ['one_argument_listener', "'before_call'", 'listener_signature.py'],
    ),
    (
        'scan-listener-strict',
        _scan('listener_strict'),
        {},
        [
            'listener_of_undeclared_hook',
            "'strictns:undeclared_hook'",
            'listener_strict.py',
        ],
    ),
    (
        'scan-listener-namespace',
        _scan('listener_namespace'),
        {},
        ["'nosuchnamespace:send'", 'not declared', 'listener_namespace.py'],
    ),
    (
        'scan-view-hook-signature',
        _scan('view_hook_signature'),
        {},
        ['two_argument_listener', "'before_render'", 'view_hook_signature.py'],
    ),
    (
        'scan-view-hook-missing',
        _scan('view_hook_not_callable'),
        {},
        [
            'tests.reliability_badscan.no_such_listener',
            "'before_call'",
            'view_hook_not_callable.py',
        ],
    ),
    (
        'scan-before-validate-signature',
        _scan('view_hook_before_validate'),
        {},
        [
            'no_argument_listener',
            "'before_validate'",
            'view_hook_before_validate.py',
        ],
    ),
    (
        'scan-after-render-not-a-listener',
        _scan('view_hook_after_render'),
        {},
        ["'after_render'", 'not a dotted name', 'view_hook_after_render.py'],
    ),
    (
        'scan-wrapper-not-callable',
        _scan('wrapper_not_callable'),
        {},
        ['add_controller_wrapper', '42', 'wrapper_not_callable.py'],
    ),
    (
        'scan-wrapper-arity',
        _scan('wrapper_arity'),
        {},
        ['three_argument_wrapper', 'wrapper(next_caller)', 'wrapper_arity.py'],
    ),
    (
        'scan-view-validate',
        _scan('view_validate'),
        {},
        [
            'validate=',
            'view_with_missing_validator',
            'no_such_module.validator',
        ],
    ),
    # -- hooks.* settings ---------------------------------------------------
    (
        'setting-changed-after-include',
        lambda c: c.add_settings({'hooks.strict': 'true'}),
        {},
        ['hooks.strict', 'changed after pyramid_hooks was included'],
    ),
    (
        'setting-unknown-key',
        _settings_only,
        {'hooks.stirct': 'true'},
        ['hooks.stirct', 'unknown setting'],
    ),
    (
        'setting-strict-maybe',
        _settings_only,
        {'hooks.strict': 'maybe'},
        ['hooks.strict', "'maybe'"],
    ),
    (
        'setting-strict-number',
        _settings_only,
        {'hooks.strict': 2},
        ['hooks.strict', '2'],
    ),
    (
        'setting-debug-bad',
        _settings_only,
        {'hooks.controllers.debug': 'perhaps'},
        ['hooks.controllers.debug', "'perhaps'"],
    ),
    (
        'setting-on-empty-hook',
        _settings_only,
        {'hooks.on.': 'tests.listener'},
        ['hooks.on.'],
    ),
    (
        'setting-on-empty-namespace',
        _settings_only,
        {'hooks.on..sent': 'json.dumps'},
        ['hooks.on..sent'],
    ),
    (
        'setting-on-bad-dotted',
        _settings_only,
        {'hooks.on.before_call': 'no_such_module.listener'},
        ['hooks.on.before_call', 'no_such_module.listener'],
    ),
    (
        'setting-on-not-callable',
        _settings_only,
        {'hooks.on.before_call': 'json'},
        ['hooks.on.before_call', 'json', 'not callable'],
    ),
    (
        'setting-on-signature',
        _settings_only,
        {'hooks.on.before_call': 'tests.test_bad_config.listener_request'},
        ['hooks.on.before_call', 'listener_request', "'before_call'"],
    ),
    (
        'setting-on-one-bad-of-two',
        _settings_only,
        {
            'hooks.on.new_request': (
                'tests.test_bad_config.listener_request no_such_module.other'
            )
        },
        ['hooks.on.new_request', 'no_such_module.other'],
    ),
    (
        'setting-on-undeclared-namespace',
        _settings_only,
        {'hooks.on.mailer.sent': 'tests.test_bad_config.listener_request'},
        ["'mailer:sent'", 'not declared', 'hooks.on.mailer.sent'],
    ),
    (
        'setting-on-strict',
        _settings_only,
        {
            'hooks.strict': 'on',
            'hooks.on.sent': 'tests.test_bad_config.listener_request',
        },
        ["'sent'", 'strict', 'hooks.on.sent'],
    ),
    (
        'setting-controller-wrappers-bad-dotted',
        _settings_only,
        {'hooks.controller_wrappers': 'no_such_module.wrapper'},
        ['hooks.controller_wrappers', 'no_such_module.wrapper'],
    ),
    (
        'setting-controller-wrappers-not-callable',
        _settings_only,
        {'hooks.controller_wrappers': 'json'},
        ['hooks.controller_wrappers', 'json', 'not callable'],
    ),
    (
        'setting-application-wrappers-not-callable',
        _settings_only,
        {'hooks.application_wrappers': 'json'},
        ['hooks.application_wrappers', 'json', 'not callable'],
    ),
    (
        'setting-controller-wrappers-arity',
        _settings_only,
        {'hooks.controller_wrappers': 'tests.test_bad_config.four_arguments'},
        [
            'four_arguments',
            'setting hooks.controller_wrappers',
            'wrapper(next_caller)',
        ],
    ),
    (
        'setting-application-wrappers-bad-dotted',
        _settings_only,
        {'hooks.application_wrappers': 'no_such_module.Wrapper'},
        ['hooks.application_wrappers', 'no_such_module.Wrapper'],
    ),
    (
        'setting-widgets-prefix-relative',
        _settings_only,
        {'hooks.widgets.prefix': '_widgets'},
        ['hooks.widgets.prefix', "'_widgets'"],
    ),
    (
        'setting-widgets-prefix-root',
        _settings_only,
        {'hooks.widgets.prefix': '/'},
        ['hooks.widgets.prefix', "'/'"],
    ),
    (
        'setting-widgets-prefix-traversal',
        _settings_only,
        {'hooks.widgets.prefix': '/a/../b'},
        ['hooks.widgets.prefix', "'/a/../b'"],
    ),
    (
        'setting-widgets-prefix-not-str',
        _settings_only,
        {'hooks.widgets.prefix': 7},
        ['hooks.widgets.prefix', '7'],
    ),
    (
        'setting-widgets-prefix-space',
        _settings_only,
        {'hooks.widgets.prefix': '/my widgets'},
        ['hooks.widgets.prefix', "'/my widgets'"],
    ),
    (
        'setting-widgets-authorization-bad-dotted',
        _settings_only,
        {'hooks.widgets.authorization': 'no_such_module.allow'},
        ['hooks.widgets.authorization', 'no_such_module.allow'],
    ),
    (
        'setting-widgets-authorization-signature',
        _settings_only,
        {
            'hooks.widgets.authorization': (
                'tests.test_bad_config.one_argument_handler'
            )
        },
        [
            'hooks.widgets.authorization',
            'one_argument_handler',
            'handler(callback, request)',
        ],
    ),
    (
        'setting-widgets-authorization-not-callable',
        _settings_only,
        {'hooks.widgets.authorization': 'json'},
        ['hooks.widgets.authorization', 'not callable'],
    ),
]


def start(setup, settings):
    """Configure and make the application as a user would; return the
    :class:`ConfigurationError` it raised and what had been created."""
    created = []
    config = Configurator(settings=dict(settings))
    config.add_subscriber(
        lambda event: created.append(event), ApplicationCreated
    )
    with pytest.raises(ConfigurationError) as excinfo:
        config.include('pyramid_hooks')  # reads the hooks.* settings
        setup(config)
        pyramid_hooks.make_wsgi_app(config)
    return excinfo.value, created, config


@pytest.mark.parametrize(
    ('setup', 'settings', 'words'),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_bad_configuration(setup, settings, words):
    error, created, config = start(setup, settings)
    message = str(error)
    for word in words:
        assert word in message, f'{word!r} not in {message!r}'
    # no half-configured application: no router, no ApplicationCreated
    assert created == []
    assert config.registry.queryUtility(IApplicationMade) is None


def test_matrix_size():
    assert len(CASES) >= 40
    assert len({case[0] for case in CASES}) == len(CASES)


def test_conflicts_are_configuration_errors():
    error, _, _ = start(
        _twice(
            lambda c: c.add_hook_namespace('mailer'),
            lambda c: c.add_hook_namespace('mailer'),
        ),
        {},
    )
    assert isinstance(error, ConfigurationConflictError)


def test_registration_after_the_app_is_made():
    """Registering after ``make_wsgi_app`` is refused, naming the
    registration; the running application is unchanged."""
    config = Configurator()
    config.include('pyramid_hooks')
    _home(config)
    app = config.make_wsgi_app()
    for register, words in [
        (
            lambda: config.register_hook('sent', listener_request),
            ["register_hook 'sent'", 'make_wsgi_app'],
        ),
        (lambda: config.add_hook('sent'), ["add_hook 'sent'"]),
        (
            lambda: config.add_hook_namespace('mailer'),
            ["add_hook_namespace 'mailer'"],
        ),
        (
            lambda: config.unregister_hook('sent', listener_request),
            ["unregister_hook 'sent'"],
        ),
        (
            lambda: config.add_controller_wrapper(wrapper),
            ['add_controller_wrapper', 'wrapper'],
        ),
    ]:
        with pytest.raises(ConfigurationError) as excinfo:
            register()
        for word in words:
            assert word in str(excinfo.value)
    from webtest import TestApp

    assert TestApp(app).get('/').json == {}


def _raises_frozen(register, words):
    with pytest.raises(ConfigurationError) as excinfo:
        register()
    for word in (*words, 'make_wsgi_app'):
        assert word in str(excinfo.value)


def test_two_applications_in_one_process():
    """The flag is per application: making one application leaves another
    of the same process open to registrations."""
    from webtest import TestApp

    made = Configurator()
    made.include('pyramid_hooks')
    _home(made)
    made_app = TestApp(made.make_wsgi_app())
    unmade = Configurator()
    unmade.include('pyramid_hooks')
    _home(unmade)
    calls = []
    unmade.register_hook('new_request', lambda request: calls.append(1))
    unmade.add_controller_wrapper(wrapper)
    _raises_frozen(
        lambda: made.register_hook('new_request', listener_request),
        ["register_hook 'new_request'"],
    )
    unmade_app = TestApp(unmade.make_wsgi_app())
    assert unmade_app.get('/').json == {}
    assert calls == [1]
    assert made_app.get('/').json == {}
    _raises_frozen(
        lambda: unmade.add_hook('sent'),
        ["add_hook 'sent'"],
    )


@pytest.mark.parametrize(
    'tweens',
    [
        'pyramid.tweens.excview_tween_factory',
        'pyramid_hooks.wrappers.application_wrappers_tween_factory\n'
        'pyramid.tweens.excview_tween_factory',
    ],
    ids=['without the tween', 'with the tween'],
)
def test_registration_after_the_app_is_made_with_explicit_tweens(tweens):
    """An explicit ``pyramid.tweens`` list may leave out pyramid_hooks'
    tween, which notes that the application was made; registering late is
    refused all the same."""
    config = Configurator(settings={'pyramid.tweens': tweens})
    config.include('pyramid_hooks')
    _home(config)
    config.make_wsgi_app()
    _raises_frozen(
        lambda: config.register_hook('new_request', listener_request),
        ["register_hook 'new_request'"],
    )


def test_the_include_subscribes_to_no_event():
    """Noting that the application was made costs requests nothing: with
    no subscriber at all, Pyramid's router notifies no event."""
    config = Configurator()
    config.include('pyramid_hooks')
    _home(config)
    config.make_wsgi_app()
    assert config.registry.has_listeners is False
    assert config.registry.queryUtility(IApplicationMade) is True


def test_good_configuration_of_the_same_shape_starts():
    """The matrix's building blocks are fine when used correctly, so each
    failure above is the bad value's, not the harness's."""
    config = Configurator(
        settings={
            'hooks.strict': 'false',
            'hooks.on.new_request': 'tests.test_bad_config.listener_request',
            'hooks.controller_wrappers': 'tests.test_bad_config.wrapper',
            'hooks.widgets.prefix': '/w/x',
            'hooks.controllers.debug': 'no',
        }
    )
    config.include('pyramid_hooks')
    config.add_hook_namespace('strictns')
    config.add_hook('declared_hook', args=('request',), namespace='strictns')
    config.register_hook(
        'declared_hook', listener_request, namespace='strictns'
    )
    config.register_hook('before_call', listener_request_params, view=view)
    config.register_hook(
        'before_call', listener_request_params, view=Views.method
    )
    _home(config, validate=validator, error_handler=view)
    config.add_route('views', '/views')
    config.add_view(Views, attr='method', route_name='views')
    from webtest import TestApp

    assert TestApp(pyramid_hooks.make_wsgi_app(config)).get('/').json == {}


@pytest.mark.parametrize(
    ('key', 'value'),
    [
        ('hooks.strict', 'maybe'),
        ('hooks.widgets.prefix', 'widgets'),
        ('hooks.application_wrappers', 'no_such_module.Wrapper'),
        ('hooks.on.new_request', 'tests.test_bad_config.four_arguments'),
    ],
)
def test_bad_ini_file_stops_the_real_startup(tmp_path, key, value):
    """The way ``pserve`` and gunicorn start an app: from an ini file."""
    from pyramid.paster import get_app

    ini = tmp_path / 'app.ini'
    ini.write_text(
        '[app:main]\n'
        'use = call:tests.reliability_app:make_app\n'
        f'{key} = {value}\n'
    )
    with pytest.raises(ConfigurationError) as excinfo:
        get_app(str(ini))
    assert key in str(excinfo.value)
    assert value.split('.')[-1] in str(excinfo.value)
