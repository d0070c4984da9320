"""An application's code using the public API rightly: mypy (run by
``tests/test_typing.py`` with ``pyproject.toml``'s ``[tool.mypy]``) finds
nothing wrong here.  Not a test module (pytest does not collect it) and
never run: only type-checked.
"""

from collections.abc import Callable, Iterable
from typing import Any

from pyramid.config import Configurator
from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response

import pyramid_hooks
from pyramid_hooks import (
    ApplicationWrapper,
    Controller,
    HookNamespace,
    HookRegistry,
    Invalid,
    JsonRpcError,
    ServerSideCallbackMixin,
    WrapperInfo,
    after_render,
    always_allow,
    always_deny,
    before_call,
    before_render,
    before_validate,
    controller_wrapper,
    get_hooks,
    listener,
    make_wsgi_app,
    route,
    serverside_callback,
    url_for_callback,
)
from pyramid_hooks.controllers.responses import make_response
from pyramid_hooks.trace import TraceStep, get_trace

WSGIApp = Callable[..., Iterable[bytes]]


class Timing(ApplicationWrapper):
    """An application wrapper, left out when the setting says so."""

    def __init__(
        self, next_handler: Callable[[Request], Response], registry: Registry
    ) -> None:
        super().__init__(next_handler, registry)
        self.enabled = bool(self.settings.get('timing', True))

    @property
    def injected(self) -> bool:
        return self.enabled

    def __call__(self, request: Request) -> Response:
        response = self.next_handler(request)
        response.headers['X-Timing'] = '0' if self.failed(request) else '1'
        return response


class Shop(Controller):
    @route('/items/<int:item_id>', type='json', auth='public', max_batch=10)
    def item(self, item_id: int) -> dict[str, int]:
        if item_id < 0:
            raise JsonRpcError(-32602, 'no such item', data={'id': item_id})
        return {'id': item_id}

    @route('/rpc', type='json', rpc_method='shop.total', discover=True)
    def total(self, a: int, b: int = 0) -> int:
        return a + b

    @route(['/page', '/other'], methods=['GET', 'POST'], cors='*', csrf=False)
    def page(self) -> Response:
        return make_response(
            'ok',
            headers={'X-Shop': '1'},
            cookies={'seen': 'yes', 'session': {'value': 'v', 'max_age': 60}},
            status=201,
        )

    @route(methods='GET', renderer='json', permission='view')
    def listing(self) -> dict[str, str]:
        return {'user': str(self.request.authenticated_userid)}


#: route() keeps the handler's type.
item_handler: Callable[[Shop, int], dict[str, int]] = Shop.item


def log_params(request: Request, params: dict[str, Any]) -> None:
    params.setdefault('seen', True)


def log_output(request: Request, params: dict[str, Any], output: Any) -> None:
    pass


def log_response(request: Request, response: Response) -> None:
    pass


def timing_wrapper(
    next_caller: Callable[[Any, Request], Any], info: WrapperInfo
) -> Callable[[Any, Request], Any]:
    if info.route_name is None or info.name.startswith('_'):
        return next_caller
    prefix = info.settings.get('prefix', '')

    def call(context: Any, request: Request) -> Any:
        return [prefix, next_caller(context, request)]

    return call


def validate(request: Request, params: dict[str, Any]) -> dict[str, Any]:
    if 'name' not in params:
        raise Invalid({'name': 'required'}, 'the name is missing')
    return params


@listener('paid', namespace='shop')
def on_paid(request: Request, amount: int) -> None:
    pass


@before_validate(log_params)
@before_call('myapp.listeners.log_params')
@before_render(log_output)
@after_render(log_response)
@controller_wrapper(timing_wrapper)
def home(request: Request) -> dict[str, str]:
    return {'page': 'home'}


#: the decorators keep the view's type.
home_view: Callable[[Request], dict[str, str]] = home


def notify(request: Request) -> int:
    hooks: HookRegistry | None = get_hooks(request.registry)
    if hooks is None:  # pyramid_hooks not included
        return 0
    hooks.notify('paid', request, 10, namespace='shop')
    hooks.notify('before_render', request, {}, {}, view=home)
    shop: HookNamespace = hooks.namespace('shop')
    shop.notify('paid', request, 10)
    if shop.has_listeners('paid'):
        listeners = shop.listeners_for('paid')
        return len(listeners)
    price: int = hooks.notify_with_value('price', 10, request)
    label: str = shop.notify_with_value('label', 'x', request, view=home)
    return price + len(label)


class Grid(ServerSideCallbackMixin):
    id = 'grid'
    callback_authorization = 'myapp.auth.grid_authorization'

    @serverside_callback
    def refresh(self, request: Request) -> Response:
        return Response('ok')

    @serverside_callback(
        request_method=('GET', 'POST'),
        renderer='json',
        authorization=always_allow,
        validate=validate,
        controller_wrappers=[timing_wrapper, 'myapp.wrappers.audit'],
    )
    def rows(self, request: Request) -> dict[str, int]:
        return {'rows': 1}


class Page(ServerSideCallbackMixin):
    children = [Grid(id='grid2', callback_authorization=always_deny)]


def links(request: Request, grid: Grid) -> list[str]:
    return [
        grid.url_for_callback(request, grid.refresh, page=2),
        grid.url_for_callback(request, 'rows'),
        url_for_callback(request, 'grid/rows'),
    ]


def show_trace(request: Request) -> list[str]:
    steps: list[TraceStep] = get_trace(request)
    return [
        f'{step["kind"]} {step["name"]} {step["depth"]} '
        f'{(step["duration"] or 0) * 1000:.1f}ms {step["outcome"] or ""}'
        for step in steps
    ]


def gzip(app: WSGIApp) -> WSGIApp:
    return app


def make_app() -> WSGIApp:
    with Configurator(settings={}) as config:
        config.include(pyramid_hooks.includeme)
        config.add_hook_namespace('shop')
        config.add_hook('paid', args=('request', 'amount'), namespace='shop')
        config.register_hook('paid', on_paid, namespace='shop')
        config.add_application_wrapper(Timing, after=True)
        config.add_controller_wrapper(timing_wrapper, route_name='home')
        config.add_route_converter('model', r'\d+', 'myapp.models.record')
        config.add_controller(Shop)
        config.add_widget(Page())
        config.scan()
    return make_wsgi_app(config, middlewares=[gzip, 'myapp.middleware.wrap'])
