"""What the widgets route and the callbacks' views use per request, in the
order ``docs/widgets.rst`` ("What happens to a request") gives: the route
factory, the 405 exception view, the authorization ``decorator=`` and the
response ``mapper=`` of each callback's view.
"""

from pyramid.httpexceptions import HTTPMethodNotAllowed
from pyramid.interfaces import IRootFactory
from pyramid.response import Response
from pyramid.traversal import DefaultRootFactory

from pyramid_hooks.params import LazyParams, field_params
from pyramid_hooks.probes import traced_authorization, tracing_enabled
from pyramid_hooks.shared import as_response, object_name, shown_value
from pyramid_hooks.widgets import (
    always_allow,
    always_deny,
    global_authorization,
)


class CallbackParams(LazyParams):
    """The ``params`` of the pipeline hooks of a callback, decoded on
    first use as any view's."""

    __slots__ = ()

    @staticmethod
    def decode(request):
        """The query and form fields over the route's ``widget`` and
        ``callback`` values, which must not hide a field of the same name
        (jQuery's JSONP sends ``callback=``)."""
        params = dict(request.matchdict)
        params.update(field_params(request))
        return params


class CallbackContext:
    """The context of a callback's view, a subclass of its own per callback
    (``docs/widgets.rst``); the root is its ``__parent__``, so an ACL policy
    finds the root's ``__acl__`` as for a route without a factory."""

    __slots__ = ('__parent__',)
    __name__ = None
    mounted = None

    def __init__(self, parent):
        self.__parent__ = parent

    @classmethod
    def of(cls, mounted):
        """The subclass of the callback *mounted*, its view's context."""
        name = f'CallbackContext[{mounted.widget_id}/{mounted.name}]'
        return type(name, (cls,), {'__slots__': (), 'mounted': mounted})

    @property
    def widget(self):
        """The widget instance whose callback this is."""
        return self.mounted.callback.__self__

    def __repr__(self):
        mounted = self.mounted
        return f'<CallbackContext {mounted.widget_id}/{mounted.name}>'


class CallbackFactory:
    """The root factory of one widgets route: the callback's context, else
    the application's root, which the route has no view for (404).  The
    root factory is looked up on the first request, when it is final."""

    def __init__(self, table):
        self.table = table
        self.root_factory = None

    def __call__(self, request):
        root_factory = self.root_factory
        if root_factory is None:
            root_factory = self.root_factory = request.registry.queryUtility(
                IRootFactory, default=DefaultRootFactory
            )
        root = root_factory(request)
        match = request.matchdict
        mounted = self.table.get((match['widget'], match['callback']))
        if mounted is None or encoded_slash(request.environ):
            return root
        return mounted.context(root)


def encoded_slash(environ):
    """Whether the request target as the client sent it (``REQUEST_URI`` or
    ``RAW_URI``, when the server gives it) has an encoded slash in its path,
    which the server decoded before Pyramid saw it (``docs/widgets.rst``,
    "Bad requests and bad configuration")."""
    target = environ.get('REQUEST_URI') or environ.get('RAW_URI')
    if not target or '%' not in target:
        return False  # the usual case, decided without copying the target
    return '%2f' in target.partition('?')[0].lower()


def method_not_allowed(error, request):
    """The widgets route's exception view for a ``request_method=``
    mismatch: the application's exception views answer it as if the
    callback had raised a 405 with an ``Allow`` header."""
    methods = request.context.mounted.options.request_method
    refusal = HTTPMethodNotAllowed(headers={'Allow': ', '.join(methods)})
    return request.invoke_exception_view(
        (HTTPMethodNotAllowed, refusal, None), reraise=True
    )


def authorization_decorator(mounted, registry):
    """The ``decorator=`` of a callback's view, so that it runs after the
    permission and CSRF checks and before the ``pyramid_hooks`` derivers.
    The handler may read the body (made seekable, rewound after); only a
    response with status 200 lets the call through."""
    callback = mounted.callback

    def decorator(view):
        handler = mounted.authorization or global_authorization(registry)
        if tracing_enabled(registry):
            handler = traced_authorization(
                handler,
                mounted.authorization_source,
                f'{mounted.widget_id}/{mounted.name}',
            )
        elif handler is always_allow:
            # known to allow everything: no per-call work at all
            return view
        elif handler is always_deny:
            # known to refuse everything (the default): nothing of the
            # client's body is copied for a call that cannot run
            return lambda context, request: always_deny(callback, request)

        def authorized(context, request):
            if request.is_body_readable:
                request.make_body_seekable()
            result = handler(callback, request)
            response = as_response(result, request.registry)
            if response is None:
                raise TypeError(
                    f'The authorization handler {object_name(handler)} of '
                    f'widget {mounted.widget_id!r} callback '
                    f'{mounted.name!r} returned '
                    f'{shown_value(result)}; it must return a '
                    'response (status 200 allows the call)'
                )
            if response.status_code != 200:
                return response
            if request.is_body_readable:
                request.make_body_seekable()
            return view(context, request)

        return authorized

    return decorator


def response_mapper(mounted):
    """The ``mapper=`` of a callback's view: a result that is not a
    response is a :exc:`TypeError` naming the widget and the callback
    (Pyramid would render it, or fail without naming them); a callback
    with a ``renderer=`` returns what its renderer takes."""

    def map_callback(callback):
        if mounted.options.renderer is not None:

            def rendered(context, request):
                return callback(request)

            return rendered

        def call(context, request):
            result = callback(request)
            if result.__class__ is Response:  # the usual case, in one test
                return result
            if as_response(result, request.registry) is None:
                raise TypeError(
                    f'The server-side callback {mounted.name!r} of widget '
                    f'{mounted.widget_id!r} returned '
                    f'{shown_value(result)}; a callback '
                    'must return a response (pyramid.response.Response)'
                )
            return result

        return call

    def mapper(**view_options):
        return map_callback

    return mapper
