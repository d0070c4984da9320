"""``request.make_response`` (``docs/directives.rst``): headers, cookies and
status checked when the handler makes the response, not a 500 long after."""

import re
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any
from wsgiref.util import is_hop_by_hop

from pyramid.response import Response

from pyramid_hooks.shared import shortened

#: The attributes of a cookie given as a mapping, and their defaults.
COOKIE_ATTRIBUTES = frozenset(
    ('value', 'max_age', 'path', 'domain', 'secure', 'httponly', 'samesite')
)
COOKIE_DEFAULTS = {'path': '/', 'httponly': True, 'samesite': 'Lax'}

#: The longest ``max_age`` of a cookie, either way, in seconds: 100 years.
MAX_COOKIE_AGE = 100 * 365 * 24 * 3600

#: A cookie name (RFC 6265) or a header name (RFC 7230): a token.
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
#: Per text attribute of a cookie, what it may not hold and the rule.
COOKIE_CHAR_RULES = {
    'value': (
        re.compile(r'[^\x21-\x7e]|[;,"\\]'),
        'a cookie value holds printable ASCII only, and no space, ; , " '
        'or \\ (RFC 6265; WebOb would quote it, and warns): encode other '
        'text first, e.g. with urllib.parse.quote',
    ),
    'path': (
        re.compile(r'[^\x20-\x7e]|[;,"\\]'),
        'a cookie path holds printable ASCII only, and no ; , " or \\ '
        '(WebOb would write them as escapes browsers do not decode): '
        'encode other text first, e.g. with urllib.parse.quote',
    ),
    'domain': (
        re.compile(r'[^A-Za-z0-9._-]'),
        'a cookie domain is a host name: letters, digits, - _ and . only, '
        'no port (an international name in its xn-- form); browsers drop '
        "a cookie whose domain is not the host's",
    ),
}
#: A character no header value may hold (RFC 7230 ``field-value``).
BAD_VALUE_CHAR = re.compile(r'[^\t\x20-\x7e\x80-\xff]')
#: A status line: a code of 200 to 599, then nothing or a reason.
STATUS_LINE = re.compile(r'[2-5][0-9][0-9]( [\t\x20-\x7e\x80-\xff]*)?\Z')


def _check_line(what, text):
    """Refuse CR and LF in a header line (response splitting)."""
    if '\r' in text or '\n' in text:
        raise ValueError(f'make_response: {what} contains CR or LF')


def _check_chars(what, text, bad_char, rule):
    """Refuse CR, LF and what *bad_char* finds in *text*, saying *rule*."""
    _check_line(what, text)
    bad = bad_char.search(text)
    if bad is not None:
        raise ValueError(
            f'make_response: {what} contains {bad.group()!r}: {rule}'
        )


def _set_cookie(response, name, cookie):
    if not isinstance(name, str) or not TOKEN.match(name):
        raise ValueError(f'make_response: invalid cookie name {name!r}')
    if not isinstance(cookie, dict):
        cookie = {'value': cookie}
    unknown = sorted(set(cookie) - COOKIE_ATTRIBUTES)
    if unknown:
        raise ValueError(
            f'make_response: cookie {name!r}: unknown attribute(s) '
            f'{", ".join(map(str, unknown))} (known: '
            f'{", ".join(sorted(COOKIE_ATTRIBUTES))})'
        )
    attributes = {**COOKIE_DEFAULTS, **cookie}
    for key in ('value', 'path', 'domain'):
        text = attributes.get(key)
        if text is None:
            continue
        if not isinstance(text, str):
            raise TypeError(
                f'make_response: cookie {name!r} ({key}) must be a str, not '
                f'{type(text).__name__}'
            )
        bad_char, rule = COOKIE_CHAR_RULES[key]
        _check_chars(f'cookie {name!r} ({key})', text, bad_char, rule)
        if key == 'path' and not text.startswith('/'):
            raise ValueError(
                f'make_response: cookie {name!r} (path) {text!r} does not '
                "start with '/': browsers ignore it and use the request's "
                "directory instead; give a path from the root ('/app')"
            )
    for key in ('secure', 'httponly'):  # bool('false') is True
        if not isinstance(attributes.get(key, False), bool):
            raise TypeError(
                f'make_response: cookie {name!r} ({key}) must be True or '
                f'False, not {type(attributes[key]).__name__}'
            )
    _check_prefix(name, attributes)
    if attributes.get('max_age') is not None:
        attributes['max_age'] = _cookie_age(name, attributes['max_age'])
    try:
        response.set_cookie(name, **attributes)
    except ValueError as e:
        raise ValueError(f'make_response: cookie {name!r}: {e}') from e


def _check_prefix(name, attributes):
    """Refuse a ``__Secure-`` or ``__Host-`` cookie without what browsers
    require of it (RFC 6265bis, "Cookie Name Prefixes")."""
    lowered = name.lower()
    needs = []
    if lowered.startswith(('__secure-', '__host-')) and not attributes.get(
        'secure'
    ):
        needs.append("'secure': True")
    if lowered.startswith('__host-'):
        if attributes.get('domain') is not None:
            needs.append("no 'domain'")
        if attributes.get('path') != '/':
            needs.append("'path': '/'")
    if needs:
        raise ValueError(
            f'make_response: cookie {name!r}: browsers drop a cookie of '
            f'that name prefix unless it has {", ".join(needs)}; give it '
            'those, or another name'
        )


def _cookie_age(name, max_age):
    """The ``max_age`` of the cookie *name*: an ``int`` of seconds or a
    :class:`~datetime.timedelta`, within :data:`MAX_COOKIE_AGE`."""
    what = f'make_response: cookie {name!r} (max_age)'
    if isinstance(max_age, timedelta):
        seconds = max_age.total_seconds()
    elif isinstance(max_age, int) and not isinstance(max_age, bool):
        seconds = max_age
    else:
        raise TypeError(
            f'{what} must be an int of seconds or a timedelta, not '
            f'{type(max_age).__name__}'
        )
    if abs(seconds) > MAX_COOKIE_AGE:
        raise ValueError(
            f'{what}: {shortened(repr(max_age), 40)} is out of range: give '
            f'at most {MAX_COOKIE_AGE} seconds either way (100 years; '
            'browsers keep a cookie 400 days at most)'
        )
    return max_age


def _header_text(what, value, numbers=False):
    """*value* as the text of a header line: a ``str``, or, when
    *numbers*, an ``int``; anything else is a :exc:`TypeError`."""
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(
            f'make_response: {what} must be a str, not {type(value).__name__}'
        )
    return value


def _check_status(status):
    """Refuse a status that is not a code of 200 to 599 (an ``int``, or a
    ``str`` starting with one): a 1xx is the server's alone."""
    if isinstance(status, bool) or not isinstance(status, (int, str)):
        raise TypeError(
            'make_response: the status must be an int or a str, not '
            f'{type(status).__name__}'
        )
    if isinstance(status, int):
        if not 200 <= status <= 599:
            raise ValueError(
                f'make_response: invalid status {status!r}: the code must '
                "be 200 to 599 (1xx are interim responses, the server's)"
            )
        return
    _check_line('the status', status)
    if not STATUS_LINE.match(status):
        raise ValueError(
            f'make_response: invalid status {status!r}: give a code of 200 '
            "to 599, alone or followed by a space and a reason ('404 Not "
            "Found')"
        )


def _check_length(response, value):
    """Refuse a ``Content-Length`` that is not the body's."""
    length = str(len(response.body))
    if value != length:
        raise ValueError(
            f'make_response: Content-Length {value!r} is not the length of '
            f'the data ({length}); leave it out, it is set from the data'
        )


#: The headers :func:`make_response` takes: a mapping or a list of pairs.
Headers = Mapping[str, str | int] | Iterable[tuple[str, str | int]]


def make_response(
    data: str | bytes | None,
    headers: Headers | None = None,
    cookies: Mapping[str, str | dict[str, Any]] | None = None,
    status: int | str = 200,
) -> Response:
    """``request.make_response``: a response for *data* with *headers* and
    *cookies*, checked as ``docs/directives.rst`` lists (a
    :exc:`ValueError` or :exc:`TypeError` naming the offender)."""
    _check_status(status)
    if data and str(status)[:3] in ('204', '304'):
        raise ValueError(
            f'make_response: a {str(status)[:3]} response carries no content '
            '(RFC 9110): a server drops the data, or sends it where the '
            'client reads the next response; give data=None'
        )
    response = Response(status=status)
    if isinstance(data, str):
        response.text = data
    elif data is not None:  # no page, as returned bytes (an upload...)
        response.body = data
        response.content_type = 'application/octet-stream'
    if headers:
        pairs = headers.items() if hasattr(headers, 'items') else headers
        if isinstance(pairs, (str, bytes)):
            pairs = [pairs]  # refused below, as not a pair
        for pair in pairs:
            if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
                raise TypeError(
                    f'make_response: headers= holds a {type(pair).__name__} '
                    'that is not a (name, value) pair: give a mapping of '
                    "name to value, or a list of pairs, e.g. [('X-A', '1')]"
                )
            name, value = pair
            name = _header_text(f'a header name ({name!r})', name)
            _check_line(f'a header name ({name!r})', name)
            if not TOKEN.match(name):
                raise ValueError(
                    f'make_response: invalid header name {name!r}: a header '
                    'name is a non-empty RFC 7230 token (letters, digits and '
                    "!#$%&'*+-.^_`|~, no space or ':')"
                )
            what = f'the value of header {name!r}'
            value = _header_text(what, value, numbers=True)
            _check_chars(
                what,
                value,
                BAD_VALUE_CHAR,
                'a header value holds ISO-8859-1 text without control '
                'characters',
            )
            lowered = name.lower()
            if is_hop_by_hop(name):
                raise ValueError(
                    f'make_response: header {name!r} is hop-by-hop: the WSGI '
                    'server alone sends it (PEP 3333)'
                )
            if lowered == 'status':
                raise ValueError(
                    "make_response: a header named 'Status' sets the status "
                    'under CGI and FastCGI gateways, and WSGI validators '
                    'refuse it (PEP 3333): give the status as status='
                )
            if lowered == 'content-type':
                response.headers['Content-Type'] = value
            elif lowered == 'content-length':  # replaced, never doubled
                _check_length(response, value)
                response.headers['Content-Length'] = value
            else:
                response.headers.add(name, value)
    if cookies:
        for name, cookie in cookies.items():
            _set_cookie(response, name, cookie)
    return response
