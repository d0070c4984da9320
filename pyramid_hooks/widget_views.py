"""The Pyramid side of widget callbacks: what their route and views use
per request.

Each callback is an ordinary Pyramid view of the widgets route (added by
:meth:`config.add_widget <pyramid_hooks.config.widgets.add_widget>`).  The
route's factory, :class:`CallbackFactory`, finds the callback with one
dictionary lookup and returns that callback's :class:`CallbackContext`, a
class of its own for which only that callback's view is registered, so
Pyramid's view lookup is one lookup too, however many callbacks a widget
has.  Pyramid's view pipeline, built once at configuration time::

    request_method=           other methods: 405 with Allow
                              (:func:`method_not_allowed`)
      -> secured_view         permission= (the app's security policy)
      -> csrf_view            unsafe methods need a CSRF token
      -> authorization        handler(callback, request): only 200 passes
                              (the view's decorator=)
      -> pyramid_hooks derivers (hooks, validate=, controller wrappers)
      -> the bound callback   must return a response (the view's mapper=)
"""

from pyramid.httpexceptions import HTTPMethodNotAllowed
from pyramid.interfaces import IResponse, IRootFactory
from pyramid.response import Response
from pyramid.traversal import DefaultRootFactory

from pyramid_hooks.shared import get_hooks_settings, object_name
from pyramid_hooks.trace import traced_authorization, tracing_enabled
from pyramid_hooks.widgets import always_allow, get_widget_registry


def global_authorization(registry):
    """The global authorization handler: ``set_callback_authorization``'s,
    else the ``hooks.widgets.authorization`` setting's (final once the
    actions of ``Pyramid``'s ``PHASE2_CONFIG`` ran)."""
    handler = get_widget_registry(registry).authorization
    if handler is None:
        handler = get_hooks_settings(registry).widgets_authorization
    return handler


class CallbackContext:
    """The context of a widget callback's view.

    Each mounted callback has a subclass of its own (its
    :attr:`MountedCallback.context`), and its view is registered for that
    class: Pyramid finds the view with one lookup.  The application's root
    is the ``__parent__``, so a security policy that walks the lineage
    (Pyramid's ACL helper) finds the root's ``__acl__`` as for any view of
    a route without a factory.  ``mounted`` is the
    :class:`MountedCallback`.
    """

    __slots__ = ('__parent__',)
    __name__ = None
    mounted = None

    def __init__(self, parent):
        self.__parent__ = parent

    @property
    def widget(self):
        """The widget instance whose callback this is."""
        return self.mounted.callback.__self__

    def __repr__(self):
        mounted = self.mounted
        return f'<CallbackContext {mounted.widget_id}/{mounted.name}>'


class CallbackFactory:
    """The root factory of one widgets route
    (``<prefix>/{widget}/{callback}``).

    One dictionary lookup finds the callback: the context is its
    :class:`CallbackContext`.  For anything else (an unknown id or name, a
    method that is not a callback, a private name, ``..``) it is the
    application's root, for which the route has no view: Pyramid answers
    404.  The application's root factory is looked up on the first request
    (as Pyramid's router does when the application is made: it is final
    by then).
    """

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
        if mounted is None:
            return root
        return mounted.context(root)


def method_not_allowed(error, request):
    """The exception view of a widgets route for a callback whose
    ``request_method=`` does not match (Pyramid's
    :class:`~pyramid.exceptions.PredicateMismatch`): a 405 with an ``Allow``
    header, answered by the application's exception views as if the
    callback had raised :class:`~pyramid.httpexceptions.HTTPMethodNotAllowed`
    (``GET`` allows ``HEAD`` too, as Pyramid's predicate does)."""
    methods = request.context.mounted.options.request_method
    refusal = HTTPMethodNotAllowed(headers={'Allow': ', '.join(methods)})
    return request.invoke_exception_view(
        (HTTPMethodNotAllowed, refusal, None), reraise=True
    )


def authorization_decorator(mounted, registry):
    """The ``decorator=`` of a callback's view: it asks the authorization
    handler whether *mounted* may run.

    It sits below Pyramid's ``secured_view`` and ``csrf_view`` (so the
    permission and the CSRF token are checked first) and above the
    ``pyramid_hooks`` derivers (so no hook runs for a refused call).  The
    handler (the callback's, the widget's, else the global one, known when
    Pyramid derives the view) gets the bound callback and the request,
    whose body it may read: the body is made seekable first and rewound
    after.  Only a response with status 200 lets the call through; any
    other response is returned unchanged.
    """
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

        def authorized(context, request):
            if request.is_body_readable:
                request.make_body_seekable()
            result = handler(callback, request)
            response = request.registry.queryAdapterOrSelf(result, IResponse)
            if response is None:
                raise TypeError(
                    f'The authorization handler {object_name(handler)} of '
                    f'widget {mounted.widget_id!r} callback '
                    f'{mounted.name!r} returned {result!r}; it must return '
                    'a response (status 200 allows the call)'
                )
            if response.status_code != 200:
                return response
            if request.is_body_readable:
                request.make_body_seekable()
            return view(context, request)

        return authorized

    return decorator


def response_mapper(mounted):
    """The ``mapper=`` of a callback's view: it calls the bound callback
    with the request and refuses a result that is not a response (Pyramid
    would render it with the application's default renderer, or fail
    without naming the widget): a :exc:`TypeError` naming the widget and
    the callback, reported like any error of a view (a 500 unless an
    exception view says otherwise)."""

    def map_callback(callback):
        def call(context, request):
            result = callback(request)
            if result.__class__ is not Response and (
                request.registry.queryAdapterOrSelf(result, IResponse) is None
            ):
                raise TypeError(
                    f'The server-side callback {mounted.name!r} of widget '
                    f'{mounted.widget_id!r} returned {result!r}; a callback '
                    'must return a response (pyramid.response.Response)'
                )
            return result

        return call

    def mapper(**view_options):
        return map_callback

    return mapper
