"""The Pyramid applications the scenarios compare.

Every application answers ``GET /data`` with the same JSON document from a
route-dispatched view with ``renderer='json'``; what differs is what sits
around that view.  The listeners and wrappers of the "full stack" and of its
hand-written equivalent do the same trivial work and count their calls in
:data:`CALLS`, so a scenario can check, before timing anything, that every
piece really ran.
"""

import collections

from pyramid.config import Configurator
from pyramid.interfaces import IRequestExtensions
from pyramid.response import Response

from benchmarks.harness import NotAvailable

DOCUMENT = {'id': 1, 'name': 'benchmark', 'items': [1, 2, 3]}

#: how many times each listener / wrapper ran (checked by the scenarios)
CALLS = collections.Counter()


def json_view(request):
    return dict(DOCUMENT)


def _json_route(config):
    config.add_route('data', '/data')
    config.add_view(json_view, route_name='data', renderer='json')


# -- scenario 1 and 8 -----------------------------------------------------


def bare_app():
    """Plain Pyramid: one route, one JSON view."""
    config = Configurator()
    _json_route(config)
    return config.make_wsgi_app()


def include_app():
    """The same with ``config.include('pyramid_hooks')`` and nothing
    registered."""
    config = Configurator()
    config.include('pyramid_hooks')
    _json_route(config)
    return config.make_wsgi_app()


#: the request methods ``config.include('pyramid_hooks')`` adds
REQUEST_METHODS = ('hooks', 'make_response')


def include_without_request_methods_app():
    """:func:`include_app` with the request methods of
    :data:`REQUEST_METHODS` taken out before the router is made: what the
    include costs apart from them."""
    config = Configurator()
    config.include('pyramid_hooks')
    _json_route(config)
    config.commit()
    registry = config.registry
    extensions = registry.getUtility(IRequestExtensions)
    for name in REQUEST_METHODS:
        del extensions.methods[name]
    if not extensions.methods and not extensions.descriptors:
        registry.unregisterUtility(provided=IRequestExtensions)
    return config.make_wsgi_app()


def request_methods_only_app():
    """Bare Pyramid plus the two request methods the include adds
    (``hooks``, the hook registry, and ``make_response``, both static
    methods) and nothing else: their cost alone.  Any request
    method makes Pyramid's router call ``apply_request_extensions`` on
    every request."""
    from pyramid_hooks.controllers.responses import make_response
    from pyramid_hooks.hooks import HookRegistry

    config = Configurator()
    config.add_request_method(staticmethod(HookRegistry()), 'hooks')
    config.add_request_method(staticmethod(make_response), 'make_response')
    _json_route(config)
    return config.make_wsgi_app()


# -- the full stack (scenarios 2 and 3) -----------------------------------


def on_before_call(request, params):
    CALLS['before_call'] += 1


def on_before_render(request, params, output):
    CALLS['before_render'] += 1
    output['hooked'] = True


def on_after_render(request, response):
    CALLS['after_render'] += 1


def controller_wrapper(next_caller):
    def call(context, request):
        CALLS['controller_wrapper'] += 1
        return next_caller(context, request)

    return call


def application_wrapper_class():
    """The benchmark's application wrapper (a pass-through that counts),
    or :class:`NotAvailable` while application wrappers have not landed."""
    from pyramid_hooks import ApplicationWrapper

    if not hasattr(ApplicationWrapper, 'injected'):
        raise NotAvailable('application wrappers (pyramid_hooks.wrappers)')

    class BenchApplicationWrapper(ApplicationWrapper):
        def __call__(self, request):
            CALLS['application_wrapper'] += 1
            return self.next_handler(request)

    return BenchApplicationWrapper


def json_view_own_params(request):
    """:func:`json_view` for a view that builds its own ``params`` (as a
    controller route's view does, see :func:`partial_stack_app`)."""
    return dict(DOCUMENT)


def partial_stack_app(parts, params_factory=None):
    """``pyramid_hooks`` with only some pieces of the full stack: *parts*
    among ``'controller_wrapper'``, ``'before_call'``, ``'before_render'``,
    ``'after_render'`` and ``'application_wrapper'`` (the breakdown of
    scenario 3).  *params_factory*, when given, builds the view's
    ``params`` (through the core's ``params_class=`` view option, whose
    class's ``of(request)`` makes them; a controller route gives a plain
    dict too)."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('data', '/data')
    view, options = json_view, {}
    if params_factory:
        view = json_view_own_params
        options['params_class'] = type(
            'OwnParams', (), {'of': staticmethod(params_factory)}
        )
    config.add_view(view, route_name='data', renderer='json', **options)
    if 'controller_wrapper' in parts:
        config.add_controller_wrapper(controller_wrapper)
    for hook, listener in (
        ('before_call', on_before_call),
        ('before_render', on_before_render),
        ('after_render', on_after_render),
    ):
        if hook in parts:
            config.register_hook(hook, listener)
    if 'application_wrapper' in parts:
        config.add_application_wrapper(application_wrapper_class())
    return config.make_wsgi_app()


def full_stack_app(application_wrapper=True, trace=False):
    """``pyramid_hooks`` with one application wrapper, one app-wide
    controller wrapper and app-wide ``before_call``, ``before_render`` and
    ``after_render`` listeners; with *trace*, ``hooks.trace`` on (the
    logger ``pyramid_hooks.trace`` stays at its default level)."""
    config = Configurator(settings={'hooks.trace': trace} if trace else {})
    config.include('pyramid_hooks')
    _json_route(config)
    config.add_controller_wrapper(controller_wrapper)
    config.register_hook('before_call', on_before_call)
    config.register_hook('before_render', on_before_render)
    config.register_hook('after_render', on_after_render)
    if application_wrapper:
        if not hasattr(config, 'add_application_wrapper'):
            raise NotAvailable('config.add_application_wrapper')
        config.add_application_wrapper(application_wrapper_class())
    return config.make_wsgi_app()


def _hand_written_params(request):
    params = dict(request.params)
    params.update(request.matchdict or ())
    return params


def hand_written_deriver(view, info):
    """One plain view deriver (under ``rendered_view``) doing what the
    full stack does around the view: the params dict, ``before_call``, the
    controller wrapper, the view, ``before_render``."""
    call = controller_wrapper(view)

    def derived(context, request):
        params = _hand_written_params(request)
        on_before_call(request, params)
        result = call(context, request)
        if not isinstance(result, Response):
            on_before_render(request, params, result)
        return result

    return derived


def hand_written_tween_factory(handler, registry):
    """One plain tween: the application wrapper's pass-through and, once
    the response exists, ``after_render``."""

    def tween(request):
        CALLS['application_wrapper'] += 1
        response = handler(request)
        on_after_render(request, response)
        return response

    return tween


def hand_written_without_application_wrapper_tween(handler, registry):
    def tween(request):
        response = handler(request)
        on_after_render(request, response)
        return response

    return tween


def hand_written_app(application_wrapper=True):
    """Plain Pyramid doing the same calls as :func:`full_stack_app`: one
    tween and one view deriver, written by hand."""
    config = Configurator()
    config.add_view_deriver(
        hand_written_deriver, under='rendered_view', over='mapped_view'
    )
    factory = (
        hand_written_tween_factory
        if application_wrapper
        else hand_written_without_application_wrapper_tween
    )
    config.add_tween(f'{__name__}.{factory.__name__}')
    _json_route(config)
    return config.make_wsgi_app()


# -- scenario 6: a widget callback ----------------------------------------

WIDGET_ID = 'bench'


def widget_app(callbacks=1):
    """A widget whose callback ``ping`` returns a JSON response, callbacks
    always authorized; with *callbacks* > 1 the widget has that many
    callbacks in all (``ping`` and ``other1`` ... ``otherN``), to show that
    finding one among many costs nothing more."""
    try:
        from pyramid_hooks.widgets import (
            ServerSideCallbackMixin,
            always_allow,
            serverside_callback,
        )
    except ImportError as e:
        raise NotAvailable(f'widget callbacks ({e})') from None

    def ping(self, request):
        return Response(json_body=DOCUMENT)

    def make_other():
        def other(self, request):  # never called
            return Response('other')

        return serverside_callback(other)

    methods = {'id': WIDGET_ID, 'ping': serverside_callback(ping)}
    for i in range(1, callbacks):
        methods[f'other{i}'] = make_other()
    BenchWidget = type('BenchWidget', (ServerSideCallbackMixin,), methods)

    config = Configurator()
    config.include('pyramid_hooks')
    if not hasattr(config, 'add_widget'):
        raise NotAvailable('config.add_widget')
    try:
        widget = BenchWidget(id=WIDGET_ID)
    except TypeError:
        widget = BenchWidget()
    config.add_widget(widget)
    config.set_callback_authorization(always_allow)
    return config.make_wsgi_app()


def widget_path():
    return f'/_widgets/{WIDGET_ID}/ping'


def plain_response_app():
    """A plain view at the widget callback's path returning the same
    response."""
    config = Configurator()
    config.add_route('ping', widget_path())
    config.add_view(
        lambda request: Response(json_body=DOCUMENT), route_name='ping'
    )
    return config.make_wsgi_app()


# -- scenario 7: JSON-RPC -------------------------------------------------

RPC_PATH = '/rpc'


def rpc_controller_app():
    """A ``type='json'`` controller route answering JSON-RPC 2.0."""
    try:
        from pyramid_hooks.controllers import Controller, route
    except ImportError as e:
        raise NotAvailable(f'controllers ({e})') from None

    class Api(Controller):
        @route(RPC_PATH, type='json', auth='none')
        def add(self, a, b):
            return a + b

    config = Configurator()
    config.include('pyramid_hooks')
    if not hasattr(config, 'add_controller'):
        raise NotAvailable('config.add_controller')
    config.add_controller(Api)
    return config.make_wsgi_app()


def rpc_add(request, a, b):
    return a + b


def pyramid_rpc_app():
    """The same method through ``pyramid_rpc``'s JSON-RPC endpoint."""
    try:
        import pyramid_rpc  # noqa: F401
    except ImportError:
        raise NotAvailable('pyramid_rpc is not installed') from None
    config = Configurator()
    config.include('pyramid_rpc.jsonrpc')
    config.add_jsonrpc_endpoint('api', RPC_PATH)
    config.add_jsonrpc_method(rpc_add, endpoint='api', method='add')
    return config.make_wsgi_app()


#: applications a subprocess can build by name (``benchmarks.serve``)
BY_NAME = {
    'bare': bare_app,
    'include': include_app,
}
