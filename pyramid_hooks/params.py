"""The ``params`` dict that the pipeline hooks and validators receive."""

import weakref

from pyramid.httpexceptions import HTTPBadRequest
from webob.request import BaseRequest


def request_params(request):
    """The request's parameters as a new dict, the matchdict over them."""
    params = field_params(request)
    params.update(request.matchdict or {})
    return params


#: The detail of the 400 for parameters that cannot be decoded.
UNDECODABLE = 'The request parameters cannot be decoded as UTF-8 form data.'


def field_params(request):
    """The request's GET and POST parameters as a new dict, one given more
    than once as a list; undecodable ones are a 400 (:data:`UNDECODABLE`)."""
    if (
        isinstance(request, BaseRequest)
        and not request.query_string
        and request.method != 'POST'
        and not request.content_type
    ):
        # nothing WebOb would parse: building its dicts would cost most
        return {}
    try:
        multi = request.params
        if hasattr(multi, 'dict_of_lists'):
            params = {
                key: values[0] if len(values) == 1 else values
                for key, values in multi.dict_of_lists().items()
            }
        else:
            params = dict(multi)  # pyramid.testing.DummyRequest: a dict
        if None in params:  # WebOb's key of a multipart part without a name
            raise ValueError('no name')
    except (UnicodeDecodeError, ValueError, LookupError, DeprecationWarning):
        # our words only: WebOb's quote what the client sent
        raise HTTPBadRequest(UNDECODABLE) from None
    finally:
        # WebOb read a form body to its end: rewind it for body_file readers
        if getattr(request, 'is_body_seekable', False):
            request.body_file_raw.seek(0)
    return params


#: The content of a :class:`LazyParams` not decoded yet (no parameter name).
_PLACEHOLDER = {object(): None}


class LazyParams(dict):
    """The ``params`` of the pipeline hooks: a dict decoding the request's
    parameters on first use, referring to its request weakly; until then
    a placeholder entry makes C code reading it fail, not lie."""

    __slots__ = ('request',)

    #: what fills it: a subclass may merge the parameters otherwise
    decode = staticmethod(request_params)

    @classmethod
    def of(cls, request):
        """The params of *request*, not decoded yet (not ``__init__``: a
        Python call less per request); empty without a request."""
        if request is None:
            params = cls()
            params.request = None
            return params
        params = cls(_PLACEHOLDER)
        #: the request still to decode (weakly), ``None`` once filled
        params.request = weakref.ref(request)
        return params

    def __repr__(self):
        if self.request is not None:
            return '<LazyParams (not decoded yet)>'
        return dict.__repr__(self)

    def __reduce__(self):
        return (dict, (dict(self),))


def _filled(method):
    """*method* of :class:`dict`, filling the :class:`LazyParams` first."""
    base = getattr(dict, method)

    def filled(self, *args, **kwargs):
        if self.request is not None:
            request = self.request()
            if request is None:
                raise ReferenceError(
                    'The params of a request that is gone cannot be decoded: '
                    'read them (pyramid_hooks.params.LazyParams) while the '
                    'request is alive, or copy them with dict(params)'
                )
            decoded = self.decode(request)
            dict.clear(self)
            dict.update(self, decoded)
            self.request = None
        return base(self, *args, **kwargs)

    filled.__name__ = method
    filled.__qualname__ = f'LazyParams.{method}'
    filled.__doc__ = base.__doc__
    return filled


for _method in (
    '__contains__',
    '__delitem__',
    '__eq__',
    '__getitem__',
    '__ior__',
    '__iter__',
    '__len__',
    '__ne__',
    '__or__',
    '__reversed__',
    '__ror__',
    '__setitem__',
    'clear',
    'copy',
    'get',
    'items',
    'keys',
    'pop',
    'popitem',
    'setdefault',
    'update',
    'values',
):
    setattr(LazyParams, _method, _filled(_method))
del _method
