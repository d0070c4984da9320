"""The ``Content-Type`` of a JSON-RPC request, which the envelope reads
before the body."""

import re

#: Content types a JSON route accepts, the CSRF defence of JSON routes: a
#: cross-site HTML form cannot send them without a CORS preflight.
JSON_TYPES = frozenset(('application/json', 'application/json-rpc'))

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = (
    r'"(?:[\t\x20\x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t\x20-\x7e\x80-\xff])*"'
)

#: A ``Content-Type`` as RFC 9110 writes it (8.3.1, 5.6): the media type,
#: then its parameters, whitespace in one place only (no backtracking).
MEDIA_TYPE = re.compile(
    rf'[ \t]*({_TOKEN}/{_TOKEN})[ \t]*'
    rf'((?:;[ \t]*(?:{_TOKEN}=(?:{_TOKEN}|{_QUOTED})[ \t]*)?)*)\Z'
)
#: One parameter of a :data:`MEDIA_TYPE`'s.
PARAMETER = re.compile(rf'({_TOKEN})=({_TOKEN}|{_QUOTED})')
QUOTED_PAIR = re.compile(r'\\(.)')

NOT_JSON = 'a JSON-RPC request needs Content-Type: application/json'
NOT_UTF8 = 'a JSON-RPC request is UTF-8: give no other charset'

#: The longest ``Content-Type`` read: ``application/json; charset=utf-8``
#: with room to spare; a longer one is not parsed (a time per character).
MAX_CONTENT_TYPE = 256
TOO_LONG = f'{NOT_JSON} (at most {MAX_CONTENT_TYPE} characters)'


def content_type_problem(request):
    """Why the ``Content-Type`` of *request* is no JSON-RPC request's, or
    ``None``: a JSON media type, its charset UTF-8 or none, as RFC 9110 and
    WebOb both read it (a proxy must read the same text as the handler)."""
    header = request.environ.get('CONTENT_TYPE', '')
    if ';' not in header:  # no parameter: no charset
        return None if header.strip(' \t').lower() in JSON_TYPES else NOT_JSON
    if len(header) > MAX_CONTENT_TYPE:
        return TOO_LONG
    match = MEDIA_TYPE.match(header)
    if match is None or match[1].lower() not in JSON_TYPES:
        return NOT_JSON
    charsets = [
        value
        for name, value in PARAMETER.findall(match[2])
        # RFC 2231's charset*= and charset*0= too (Python's email reads them)
        if name.lower().partition('*')[0] == 'charset'
    ]
    if len(charsets) > 1 or request.charset != 'UTF-8':  # WebOb's UTF-8
        return NOT_UTF8
    if charsets:
        charset = charsets[0]
        if charset.startswith('"'):
            charset = QUOTED_PAIR.sub(r'\1', charset[1:-1])
        if charset.lower().replace('-', '') != 'utf8':
            return NOT_UTF8
    return None
