"""The CORS origins a controller route may list (``route(cors=...)``):
as browsers send them in ``Origin``, else it would never match."""

import re
import urllib.parse

#: An origin as browsers send it in ``Origin`` (lowercase, no path).
ORIGIN = re.compile(
    r'[a-z][a-z0-9+.-]*://'
    r'(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])'
    r'(?::[0-9]{1,5})?\Z'
)

#: The ports browsers leave out of ``Origin``.
DEFAULT_PORTS = {'http': 80, 'https': 443, 'ws': 80, 'wss': 443}


def origin_problem(origin):
    """Why browsers never send *origin* in an ``Origin`` header, with the
    origin they send instead if any, or ``''`` when they may send it."""
    if origin.strip() == 'null':
        return (
            "'null': sandboxed pages and file: URLs send it, so any site "
            'can; list the origins of the pages that call'
        )
    given = origin.strip().lower()
    if '://' not in given:
        given = 'https://' + given
    parts = urllib.parse.urlsplit(given)
    try:
        port = parts.port
    except ValueError:  # not a number, or over 65535
        port = -1
    netloc = parts.hostname or ''
    if ':' in netloc:  # IPv6
        netloc = f'[{netloc}]'
    if port not in (None, -1) and DEFAULT_PORTS.get(parts.scheme) != port:
        netloc += f':{port}'
    suggestion = f'{parts.scheme}://{netloc}'
    if port == -1:
        problem = 'the port must be a number from 0 to 65535'
    elif ORIGIN.match(origin):
        if port is None or netloc.endswith(f':{port}'):
            return ''
        problem = f'the port {port} is the default one, which browsers omit'
    else:
        problem = (
            'an origin is scheme://host[:port] as browsers send it: '
            'lowercase, no path, no trailing slash, no user'
        )
    if ORIGIN.match(suggestion):
        problem += f'; did you mean {suggestion!r}?'
    return f'{origin!r}: {problem}'
