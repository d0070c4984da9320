"""Wrong uses of the public API, each of which mypy must catch: every one
is marked ``# type: ignore[<error code>]``, and ``warn_unused_ignores``
(``pyproject.toml``) makes a wrong use that mypy no longer catches an
error (``tests/test_typing.py``).  Never run: only type-checked.
"""

from typing import Any

from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response

from pyramid_hooks import (
    ApplicationWrapper,
    HookRegistry,
    Invalid,
    JsonRpcError,
    ServerSideCallbackMixin,
    WrapperInfo,
    get_hooks,
    listener,
    make_wsgi_app,
    route,
    serverside_callback,
    url_for_callback,
)
from pyramid_hooks.controllers.responses import make_response
from pyramid_hooks.trace import get_trace


def bad_routes() -> None:
    route(type=3)  # type: ignore[arg-type]
    route(type='xml')  # type: ignore[arg-type]
    route('/a', max_batch='10')  # type: ignore[arg-type]
    route(42)  # type: ignore[arg-type]
    route(type='json', rpc_method=3)  # type: ignore[arg-type]


def bad_notifications(hooks: HookRegistry, registry: Registry) -> None:
    hooks.notify()  # type: ignore[call-arg]
    hooks.notify('paid', namespace=3)  # type: ignore[arg-type]
    hooks.namespace('shop').notify_with_value()  # type: ignore[call-arg]
    get_hooks(registry).notify('paid')  # type: ignore[union-attr]


class TurboGearsStyle(ApplicationWrapper):
    # TurboGears' form: ApplicationWrapper.__call__ takes the request
    def __call__(  # type: ignore[override]
        self, controller: Any, environ: dict[str, Any], context: Any
    ) -> Response:
        return self.next_handler(context.request)


class Unfinished(ApplicationWrapper):
    pass  # no __call__


def bad_wrappers(request: Request, info: WrapperInfo) -> None:
    Unfinished(lambda request: request, request.registry)  # type: ignore[abstract]
    info.route_name.upper()  # type: ignore[union-attr]


def bad_errors() -> None:
    raise Invalid()  # type: ignore[call-arg]


def bad_json_error() -> None:
    raise JsonRpcError('not found')  # type: ignore[arg-type]


@listener  # type: ignore[arg-type]
def no_hook_name(request: Request) -> None:
    pass


class Grid(ServerSideCallbackMixin):
    @serverside_callback('POST')  # type: ignore[call-overload]
    def rows(self, request: Request) -> Response:
        return Response()


def bad_calls(request: Request) -> None:
    make_response(42)  # type: ignore[arg-type]
    make_response('ok', headers=['X-A'])  # type: ignore[list-item]
    url_for_callback(request)  # type: ignore[call-arg]
    get_trace(request)[0]['kinds']  # type: ignore[typeddict-item]
    make_wsgi_app(request.registry, middlewares=[42])  # type: ignore[list-item]
