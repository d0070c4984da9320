"""JSON-RPC 2.0 for ``type='json'`` controller routes: errors, calls, shared
URLs, the reading of a body and the replies the envelope puts together."""

import json
import logging
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pyramid.response import Response

from pyramid_hooks.shared import shortened
from pyramid_hooks.validation import json_errors
from pyramid_hooks.workarounds import forget_response, response_if_made

log = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SERVER_ERROR = -32000
ACCESS_DENIED = -32001

MESSAGES = {
    PARSE_ERROR: 'Parse error',
    INVALID_REQUEST: 'Invalid Request',
    METHOD_NOT_FOUND: 'Method not found',
    INVALID_PARAMS: 'Invalid params',
    INTERNAL_ERROR: 'Internal error',
    SERVER_ERROR: 'Server error',
    ACCESS_DENIED: 'Access denied',
}


class JsonRpcError(Exception):
    """A JSON-RPC error: raise it from a JSON handler to choose the
    ``code`` (an ``int``), ``message`` and ``data`` of the error reply."""

    def __init__(
        self, code: int, message: str | None = None, data: Any = None
    ) -> None:
        if isinstance(code, bool) or not isinstance(code, int):
            raise TypeError(
                f'JsonRpcError: the code must be an int (JSON-RPC 2.0), '
                f'not {type(code).__name__}: {shortened(repr(code), 40)}'
            )
        if message is not None and not isinstance(message, str):
            # str() of an object may be its class name and address
            raise TypeError(
                'JsonRpcError: the message must be text (or None for the '
                f"code's own), not {type(message).__name__}"
            )
        super().__init__(message or MESSAGES.get(code, 'Server error'))
        self.code = code
        self.message = str(self.args[0])
        self.data = data


@dataclass(slots=True, eq=False)
class JsonRpcCall:
    """One call of a JSON-RPC request, ``request.jsonrpc_call`` while it
    runs; a ``notification`` (no ``id`` member) gets no reply."""

    id: object
    method: str
    params: dict
    notification: bool

    def __repr__(self):
        return f'<JsonRpcCall id={self.id!r} method={self.method!r}>'


class RpcUrl:
    """The JSON handlers of a shared or ``rpc.discover`` URL; ``methods``
    (``{name: (run, denial)}``) is filled as their views are derived."""

    def __init__(self, pattern):
        self.pattern = pattern
        self.members = []
        self.discover = False
        #: a handler alone answers its own name only (another was here)
        self.by_name = False
        self.entries = []
        self.methods = {}

    def __repr__(self):
        names = ', '.join(name for name, _ in self.members)
        return f'<RpcUrl {self.pattern!r}: {names}>'

    def target(self, name):
        """``(run, denial)`` of the method *name* (any, if alone), or None."""
        if len(self.members) == 1 and not self.by_name:
            return self.methods.get(self.members[0][0])
        return self.methods.get(name)

    def document(self, allowed):
        """The OpenRPC document of the methods the caller is ``allowed``."""
        return {
            'openrpc': '1.2.6',
            'info': {'title': self.pattern, 'version': '1.0.0'},
            'methods': [
                entry for name, entry in self.entries if allowed(name)
            ],
        }


def result_reply(id_, encoded):
    """The serialized reply carrying the JSON text *encoded*."""
    return (
        f'{{"jsonrpc": "2.0", "id": {json.dumps(id_)}, "result": {encoded}}}'
    )


def id_of_reply(member):
    """The valid id of the request object *member*, else ``None``."""
    id_ = member.get('id') if isinstance(member, dict) else None
    valid = isinstance(id_, (str, int, float)) and not isinstance(id_, bool)
    return id_ if valid else None


class RefusedJson(ValueError):
    """A JSON text :func:`parse_body` refuses; its message is the client's."""


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise RefusedJson(
            f'{text[:20]} is not JSON: it is not a finite number'
        )
    return value


def _too_deep(value, limit):
    """Whether the decoded JSON *value* nests deeper than *limit* levels."""
    pending = [(value, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > limit:
            return True
        items = value.values() if isinstance(value, dict) else value
        pending.extend(
            (item, depth + 1)
            for item in items
            if isinstance(item, (dict, list))
        )
    return False


def _object(pairs):
    """A JSON object of *pairs*, refusing a name given twice: parsers
    disagree on which one counts."""
    members = dict(pairs)
    if len(members) < len(pairs):
        counts = Counter(name for name, _ in pairs)
        name = next(name for name, _ in pairs if counts[name] > 1)
        raise RefusedJson(
            f'the member name {json.dumps(name[:40])} is given twice in an '
            'object'
        )
    return members


#: The decoder of request bodies, made once.
DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_constant=_finite, parse_float=_finite
)

#: The escape of a surrogate in a JSON text (none: no lone surrogate).
SURROGATE_ESCAPE = re.compile(rb'\\u[dD][89a-fA-F]')

LONE_SURROGATE = (
    'a string holds a lone surrogate (an escape from \\ud800 to \\udfff '
    'outside a pair): it is no Unicode text'
)


def _lone_surrogate(value):
    """Whether the decoded JSON *value* holds a lone surrogate."""
    try:
        json.dumps(value, ensure_ascii=False).encode('utf-8')
    except UnicodeEncodeError:
        return True
    return False


#: The escape of a surrogate in a text ``json.dumps`` wrote.
WRITTEN_SURROGATE = re.compile(r'\\ud[89a-f]')


def strict_dumps(value, default=None):
    """*value* as strict JSON text (RFC 8259, I-JSON), else a
    :exc:`ValueError` (``NaN``, infinities, a lone surrogate)."""
    encoded = json.dumps(value, default=default, allow_nan=False)
    if WRITTEN_SURROGATE.search(encoded) and _lone_surrogate(
        json.loads(encoded)
    ):
        raise ValueError(
            'the JSON text would hold a lone surrogate (U+D800 to U+DFFF '
            'outside a pair): it is no Unicode text'
        )
    return encoded


def _too_deep_data(max_depth):
    return {'message': f'JSON nested deeper than {max_depth} levels'}


def parse_body(body, max_depth):
    """The decoded JSON *body* (bytes), or a :class:`JsonRpcError`, also for
    ``NaN`` or ``1e400``, a member name given twice, nesting deeper than
    *max_depth* and a lone surrogate: none could be echoed as strict JSON."""
    try:
        payload = DECODER.decode(body.decode('utf-8'))
    except RecursionError as e:
        raise JsonRpcError(PARSE_ERROR, data=_too_deep_data(max_depth)) from e
    except (UnicodeDecodeError, json.JSONDecodeError, RefusedJson) as e:
        raise JsonRpcError(PARSE_ERROR, data={'message': str(e)}) from e
    except ValueError as e:  # int()'s limit; its message is for operators
        digits = sys.get_int_max_str_digits()
        message = f'a number has more than {digits} digits'
        raise JsonRpcError(PARSE_ERROR, data={'message': message}) from e
    # no walk unless the body has enough brackets to be too deep
    brackets = body.count(b'[') + body.count(b'{')
    if (
        brackets > max_depth
        and isinstance(payload, (dict, list))
        and _too_deep(payload, max_depth)
    ):
        raise JsonRpcError(PARSE_ERROR, data=_too_deep_data(max_depth))
    if SURROGATE_ESCAPE.search(body) and _lone_surrogate(payload):
        raise JsonRpcError(PARSE_ERROR, data={'message': LONE_SURROGATE})
    return payload


def read_body(request, limit):
    """The request body, or ``None`` when it is over *limit* bytes: not read
    then, or, without ``Content-Length``, read up to one byte past it."""
    length = request.content_length
    if length is not None:
        return request.body if length <= limit else None
    if not request.is_body_readable:
        return b''
    body = request.body_file.read(limit + 1)
    if len(body) > limit:
        return None
    request.body = body  # readable again by whatever comes after
    return body


def _invalid(reply_id, message, code=INVALID_REQUEST, notification=False):
    """The :class:`JsonRpcError` refusing a request object."""
    error = JsonRpcError(code, data={'message': message})
    error.error_id = reply_id
    error.notification = notification
    return error


def parse_call(member):
    """A :class:`JsonRpcCall` for one request object, or :func:`_invalid`."""
    if not isinstance(member, dict):
        raise _invalid(None, 'a request must be a JSON object')
    reply_id = id_of_reply(member)
    if member.get('jsonrpc') != '2.0':
        raise _invalid(reply_id, 'the "jsonrpc" member must be "2.0"')
    method = member.get('method')
    if not isinstance(method, str):
        raise _invalid(reply_id, 'the "method" member must be a string')
    id_ = member.get('id')
    if id_ is not None and reply_id is None:
        raise _invalid(
            None, 'the "id" member must be a string, a number or null'
        )
    params = member.get('params', {})
    if isinstance(params, list):
        raise _invalid(
            reply_id,
            'params must be an object (by name): '
            'positional params are not supported',
            INVALID_PARAMS,
            notification='id' not in member,
        )
    if not isinstance(params, dict):
        raise _invalid(reply_id, 'the "params" member must be an object')
    return JsonRpcCall(id_, method, params, 'id' not in member)


def error_reply(id_, code, message=None, data=None):
    """The serialized error reply; *message* or *data* that cannot be
    written as strict JSON give an internal error without data instead."""
    error = {'code': code, 'message': message or MESSAGES[code]}
    if data is not None:
        error['data'] = data
    try:
        return strict_dumps(
            # an object as the 400 page writes it: no '<pkg.Cls object at'
            {'jsonrpc': '2.0', 'id': id_, 'error': error},
            default=json_errors,
        )
    except Exception:
        log.error('JSON-RPC error data of code %r cannot be encoded', code)
        return error_reply(id_, INTERNAL_ERROR)


def http_reply(request, body, status=200):
    """The response carrying *body* (``None``: 204), on ``request.response``
    if made: headers a handler set there stay, as with Pyramid's renderers."""
    response = response_if_made(request) or Response()
    if body is None:
        response.status = 204
        del response.content_type
        response.body = b''
        del response.content_length  # none in a 204 (RFC 9110, 8.6)
    else:
        response.status = status
        response.content_type = 'application/json'
        response.charset = 'utf-8'
        response.text = body
    return response


def restore_response(request, response, headers):
    """Undo what a failed call did to ``request.response`` (*response* and
    its *headers* before it), as Pyramid drops it when a view raises."""
    if response is None:
        forget_response(request)
    else:
        request.response = response
        response.headerlist[:] = headers


def refuse_request(request, message, status=200, id_=None):
    """The reply to a whole request refused with a -32600 error."""
    reply = error_reply(id_, INVALID_REQUEST, data={'message': message})
    return http_reply(request, reply, status)


def json_default(request):
    """Objects with ``__json__(request)`` serialize as Pyramid's do."""

    def default(obj):
        if hasattr(obj, '__json__'):
            return obj.__json__(request)
        raise TypeError(
            f'Object of type {type(obj).__name__} is not JSON serializable'
        )

    return default
