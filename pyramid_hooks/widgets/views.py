"""What the widgets route and the callbacks' views use per request, in the
order ``docs/widgets.rst`` ("What happens to a request") gives."""

import tempfile

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPMethodNotAllowed
from pyramid.interfaces import ISecurityPolicy
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED

from pyramid_hooks.params import LazyParams, field_params
from pyramid_hooks.probes import traced_authorization, tracing_enabled
from pyramid_hooks.shared import body_problem, object_name, shown_value
from pyramid_hooks.widgets import (
    always_allow,
    always_deny,
    global_authorization,
)
from pyramid_hooks.workarounds import as_response, root_factory_of


class CallbackParams(LazyParams):
    """The ``params`` of the pipeline hooks of a callback."""

    __slots__ = ()

    @staticmethod
    def decode(request):
        """The query and form fields over the route's values, which must
        not hide a field of the same name (JSONP's ``callback=``)."""
        params = dict(request.matchdict)
        params.update(field_params(request))
        return params


class CallbackContext:
    """The context of a callback's view, a subclass per callback, whose
    ``__parent__`` is the root (an ACL policy finds its ``__acl__``)."""

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
    the application's root, which the route has no view for (404)."""

    def __init__(self, table):
        self.table = table
        self.root_factory = None

    def __call__(self, request):
        root_factory = self.root_factory
        if root_factory is None:
            root_factory = self.root_factory = root_factory_of(
                request.registry
            )
        root = root_factory(request)
        match = request.matchdict
        mounted = self.table.get((match['widget'], match['callback']))
        if mounted is None or encoded_slash(request.environ):
            return root
        return mounted.context(root)


def encoded_slash(environ):
    """Whether the request target as sent (``REQUEST_URI`` or ``RAW_URI``)
    has an encoded slash in its path, which the server decoded."""
    target = environ.get('REQUEST_URI') or environ.get('RAW_URI')
    if not target or '%' not in target:
        return False  # the usual case, decided without copying the target
    return '%2f' in target.partition('?')[0].lower()


def method_not_allowed(error, request):
    """The widgets route's exception view for a ``request_method=``
    mismatch: answered as a 405 with an ``Allow`` header.  A mismatch the
    method did not cause is raised again (Pyramid's 404)."""
    methods = request.context.mounted.options.request_method
    if (
        methods is None
        or request.method in methods
        or (request.method == 'HEAD' and 'GET' in methods)
    ):
        raise error
    refusal = HTTPMethodNotAllowed(headers={'Allow': ', '.join(methods)})
    return request.invoke_exception_view(
        (HTTPMethodNotAllowed, refusal, None), reraise=True
    )


class KeptBody:
    """The ``wsgi.input`` of a callback's request while its authorization
    handler runs: read on demand, kept (on disk past *limit* bytes) for
    the callback to read again (:meth:`rewound`)."""

    def __init__(self, raw, limit, kept=None, size=0):
        self.raw = raw
        self.limit = limit
        self.kept = kept  # what was read from raw, from the body's start
        self.size = size  # its length
        self.position = 0  # in kept; at its end, the next read is raw's

    def rewound(self):
        """The body again from its start: what was kept, then the rest."""
        if not self.size:
            return self.raw
        return KeptBody(self.raw, self.limit, self.kept, self.size)

    def _keep(self, data):
        if data:
            if self.kept is None:
                # closed (deleted, if on disk) with the request that holds it
                self.kept = tempfile.SpooledTemporaryFile(self.limit)  # noqa: SIM115
            self.kept.seek(self.size)
            self.kept.write(data)
            self.size += len(data)
            self.position = self.size
        return data

    def _kept(self, size, read):
        """Up to *size* bytes (``-1``: all) of what was kept, by *read*."""
        if self.position == self.size:
            return b''
        self.kept.seek(self.position)
        data = read(size if 0 <= size < self.size - self.position else -1)
        self.position += len(data)
        return data

    def read(self, size=-1):
        size = -1 if size is None else size
        data = self._kept(size, lambda n: self.kept.read(n))
        if size < 0 or len(data) < size:
            rest = -1 if size < 0 else size - len(data)
            data += self._keep(self.raw.read(rest))
        return data

    def readline(self, size=-1):
        size = -1 if size is None else size
        line = self._kept(size, lambda n: self.kept.readline(n))
        if not line.endswith(b'\n') and (size < 0 or len(line) < size):
            rest = -1 if size < 0 else size - len(line)
            line += self._keep(self.raw.readline(rest))
        return line

    def readlines(self, hint=-1):
        return list(self)

    def __iter__(self):
        return iter(self.readline, b'')


def authorization_decorator(mounted, registry):
    """The ``decorator=`` of a callback's view, after the permission and
    CSRF checks: only a response with status 200 lets the call through."""
    callback = mounted.callback

    def decorator(view):
        refuse_unchecked_permission(mounted, registry)
        handler = mounted.authorization or global_authorization(registry)
        problem = body_problem(handler, generators=True)
        if problem is not None:  # a generator: never a response, 500s
            raise ConfigurationError(
                f'The authorization handler {object_name(handler)} of '
                f'widget {mounted.widget_id!r} callback {mounted.name!r} '
                f'cannot return a response: {problem}'
            )
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
            # known to refuse everything (the default): no body is copied
            return lambda context, request: always_deny(callback, request)

        def authorized(context, request):
            environ = request.environ
            kept = length = None
            if request.is_body_readable and request.is_body_seekable:
                request.body_file_raw.seek(0)
            elif request.is_body_readable:  # a server's stream
                kept = KeptBody(
                    environ['wsgi.input'], request.request_body_tempfile_limit
                )
                environ['wsgi.input'] = kept
                length = environ.get('CONTENT_LENGTH')
            result = handler(callback, request)
            # a response itself, never an adapted value: a str adapter
            # would make a refusal a 200
            response = as_response(result)
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
            if kept is not None:
                # all the handler read was kept, from the body's start: the
                # callback reads it all again (WebOb keys its wrapper by id)
                environ['wsgi.input'] = kept.rewound()
                request.is_body_seekable = False  # WebOb's, public
                if length is None:  # chunked; WebOb's copy set one
                    environ.pop('CONTENT_LENGTH', None)
                else:
                    environ['CONTENT_LENGTH'] = length
            elif request.is_body_seekable:
                request.body_file_raw.seek(0)
            return view(context, request)

        return authorized

    return decorator


def refuse_unchecked_permission(mounted, registry):
    """Refuse a callback whose ``permission=`` no security policy checks."""
    permission = mounted.options.permission
    if permission in (None, NO_PERMISSION_REQUIRED):
        return
    if registry.queryUtility(ISecurityPolicy) is None:
        raise ConfigurationError(
            f'The server-side callback {mounted.name!r} of widget '
            f'{mounted.widget_id!r} has permission={permission!r}, and the '
            'application has no security policy, so Pyramid would not '
            'check it (anyone its authorization handler lets through could '
            'call it): set one with config.set_security_policy() before '
            'config.add_widget, or drop permission='
        )


def response_mapper(mounted):
    """The ``mapper=`` of a callback's view: a result that is not a
    response (without ``renderer=``) is a :exc:`TypeError` naming both."""

    def map_callback(callback):
        if mounted.options.renderer is not None:

            def rendered(context, request):
                return callback(request)

            return rendered

        def call(context, request):
            result = callback(request)
            if result.__class__ is Response:  # the usual case, in one test
                return result
            # the adapted response: Pyramid would call the adapter again
            response = as_response(result, request.registry)
            if response is None:
                hint = "@serverside_callback(renderer='json')"
                if isinstance(result, str):  # tw2's HTML of an ajax tab
                    hint = (
                        'Response(html) for HTML, @serverside_callback('
                        "renderer='string') for plain text"
                    )
                raise TypeError(
                    f'The server-side callback {mounted.name!r} of widget '
                    f'{mounted.widget_id!r} returned '
                    f'{shown_value(result)}; a callback '
                    'must return a response (pyramid.response.Response), '
                    f'or name a renderer for what it returns: {hint}'
                )
            return response

        return call

    def mapper(**view_options):
        return map_callback

    return mapper
