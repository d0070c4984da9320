"""The order of the controllers' routes, checked at startup: Pyramid
serves a URL with the first route that matches, Werkzeug and TurboGears
the most specific, so a route an earlier one always wins over is refused."""

import re
from itertools import chain

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPNotFound

from pyramid_hooks.controllers.config.urls import url_of
from pyramid_hooks.controllers.converters import (
    BUILTIN,
    DOT_SEGMENT,
    PYRAMID_PLACEHOLDER,
    ROOTED,
    WERKZEUG_PLACEHOLDER,
    parse_arguments,
    pyramid_form,
    string_converter,
)


def check_pattern_order(endpoint, converters):
    """Refuse a pattern of *endpoint*'s ``route`` list that an earlier one
    matches whenever it matches (Odoo's ``<string:xmlid>`` before
    ``<int:id>``), segment by segment."""
    patterns = endpoint.routing['routes']
    shapes = [_segments(pattern, converters) for pattern in patterns]
    for later, later_shape in enumerate(shapes):
        for earlier, shape in enumerate(shapes[:later]):
            if (
                shape is not None
                and later_shape is not None
                and _covers_all(shape, later_shape)
            ):
                raise ConfigurationError(
                    f'route() on {endpoint.description}: the pattern '
                    f'{patterns[later]!r} is never served: '
                    f'{patterns[earlier]!r}, before it in the list, '
                    'matches every URL it matches (the first pattern that '
                    'matches serves the URL; Werkzeug tries the most '
                    f'specific first); list {patterns[later]!r} first'
                )


def check_shadowed_urls(controllers, routes, predicates):
    """Refuse a route of *routes* (this commit's, in order) that a route of
    another URL added before it matches whenever it matches, for a method
    both serve (``/movies/new`` after ``/movies/<id>``).  *predicates*: the
    ``request_method`` predicates of shared URLs' routes; earlier commits'
    routes answer every method (their 405).  *controllers* keeps the
    shapes by length and first segment, not to compare every pair."""
    earlier_shapes = controllers.shapes
    start = controllers.shaped  # the index of this commit's first route
    controllers.shaped += len(routes)
    for index, later in enumerate(routes, start):
        later_shape = _segments(_written_url(later), controllers.converters)
        if later_shape is None:
            continue
        size, first = len(later_shape), later_shape[1]
        candidates = [
            found
            for key in {first, ANY_SEGMENT, PYRAMID_SEGMENT, MIXED}
            for found in earlier_shapes.get((size, key), ())
        ] + earlier_shapes.get(REST, [])  # those of any length
        if later_shape[-1] in (PATH, REMAINDER):
            size = first = REST  # never a narrower URL's 405
        elif isinstance(first, RegexSegment) or (
            isinstance(first, str)
            and (
                ANY_SHAPE.fullmatch(first)
                or CONVERTED_SHAPE.fullmatch(first)  # <int:n>: /2024 too
                or _segment_regex(first)
            )
        ):
            first = MIXED  # it may cover static segments other than itself
        earlier_shapes.setdefault(
            REST if size is REST else (size, first), []
        ).append((index, later, later_shape))
        for found, route, shape in sorted(candidates, key=lambda c: c[0]):
            if not _covers_all(shape, later_shape) or (
                url_of(route) == url_of(later)
            ):
                continue
            methods = None
            if found >= start:  # this commit's: before its 405 route
                methods = predicates.get(route.route_name, {}).get(
                    'request_method'
                )
            if methods is None:
                shared = 'every method (its 405 answers the others)'
            else:
                common = set(methods)
                if later.endpoint.methods is not None:
                    common &= later.endpoint.methods
                if not common:
                    continue
                shared = ', '.join(sorted(common))
            raise ConfigurationError(
                f'{later.endpoint.description}: {_written_url(later)!r} is '
                f'never served: {_written_url(route)!r} of '
                f'{route.endpoint.description}, added before it, matches '
                f'every URL it matches, for {shared} (the first route that '
                'matches serves the URL, where Werkzeug and TurboGears try '
                'the most specific first). Routes are added in the order '
                "of the handlers (a base class's first) and of activation: "
                f'define or activate {later.endpoint.name} before '
                f'{route.endpoint.name}, or give it another URL'
            )
        if size is not REST:
            _check_405_before(
                later, later_shape, index, start, predicates, earlier_shapes
            )


def _check_405_before(later, later_shape, index, start, predicates, shapes):
    """Refuse *later* when a route added before it, alone at a narrower URL
    (``GET /<int:pk>`` before ``PUT /<pk>``), lacks one of its methods: its
    405 would answer.  One with a static segment where *later* has a
    placeholder (``/new``) is another resource."""
    first, size = later_shape[1], len(later_shape)
    if _is_static(first):
        candidates = shapes.get((size, first), ())
    else:
        candidates = chain.from_iterable(
            found for key, found in shapes.items() if key[0] == size
        )
    wanted = later.endpoint.methods
    for found, route, shape in candidates:
        methods = route.endpoint.methods
        if (
            found == index
            or methods is None  # it serves every method
            or (wanted is not None and wanted <= methods)
            or url_of(route) == url_of(later)
            or any(
                _is_static(mine) and not _is_static(theirs)
                for mine, theirs in zip(shape, later_shape, strict=True)
            )  # a named URL's 405, as /movies/new's
            or (
                found >= start  # this commit's, sharing its URL
                and predicates.get(route.route_name, {}).get('request_method')
            )
            or not all(map(_covers, later_shape, shape))
        ):
            continue
        raise ConfigurationError(
            f'{later.endpoint.description}: {_written_url(later)!r} is not '
            f'served where {_written_url(route)!r} of '
            f'{route.endpoint.description}, added before it, matches: that '
            f'route answers those URLs with its 405 (Allow: '
            f'{route.endpoint.allow}). Give {later.endpoint.name} the '
            f'pattern of {route.endpoint.name}: sharing one URL, each '
            'answers its methods'
        )


def _is_static(segment):
    return isinstance(segment, str) and not set('<{') & set(segment)


def _written_url(route):
    """*route*'s pattern as written, with the route prefix of its URL."""
    prefix = route.url[: len(route.url) - len(route.converted.lstrip('/'))]
    return '/' + (prefix + route.pattern.lstrip('/')).lstrip('/')


#: A segment that is one plain ``<string:>`` placeholder.
ANY_SEGMENT = object()

#: The first segment of a shape that may match other static segments.
MIXED = object()

#: A placeholder in a segment's shape: ``{}`` or ``<string()>``.
SHAPE_PLACEHOLDER = re.compile(r'\{\}|<(\w+)\(([^)]*)\)>')

#: A segment that is one Pyramid placeholder without a regex.
PYRAMID_SEGMENT = object()

#: The last segment matching the rest of the path, and its shapes' key.
REMAINDER, PATH, REST = object(), object(), 'rest'


class RegexSegment(tuple):
    """A segment that is one placeholder of an application's converter
    without ``to_python`` nor arguments: its regex decides what it matches
    (``<slug:x>`` before ``/list``)."""

    def __new__(cls, shape, regex):
        self = super().__new__(cls, (shape,))
        self.regex = re.compile(regex)
        return self


def _segments(pattern, converters):
    """The segment shapes of *pattern* (placeholders' names left out, a
    1-tuple with an application's converter), or ``None`` where not
    compared (a Pyramid placeholder's regex may match a ``/``)."""
    pattern, tail = pyramid_form(pattern), []
    if re.search(r'/\*\w+$', pattern):  # Pyramid's remainder
        pattern, tail = pattern[: pattern.rindex('*')], [REMAINDER]
    elif re.search(r'/<path:\w+>$', pattern) and (
        converters.get('path') is BUILTIN['path']
    ):
        pattern, tail = pattern[: pattern.rindex('<')], [PATH]
    pyramid = PYRAMID_PLACEHOLDER.finditer(pattern)
    if '*' in pattern or any(':' in found[0] for found in pyramid):
        return None
    segments = []
    for segment in pattern.split('/')[: -1 if tail else None]:
        if PYRAMID_PLACEHOLDER.fullmatch(segment):
            segments.append(PYRAMID_SEGMENT)
            continue
        found = WERKZEUG_PLACEHOLDER.fullmatch(segment)
        if found is not None and found['args'] is None:
            name = found['converter'] or 'default'
            factory = converters.get(name)
            if factory is string_converter:
                segments.append(ANY_SEGMENT)
                continue
            if factory is not BUILTIN.get(name):
                regex, to_python = factory()
                if to_python is None:
                    segments.append(RegexSegment(f'<{name}()>', regex))
                    continue
        shape = WERKZEUG_PLACEHOLDER.sub(
            _shape, PYRAMID_PLACEHOLDER.sub('{}', segment)
        )
        if '<path(' in shape:
            return None
        names = WERKZEUG_PLACEHOLDER.finditer(segment)
        if any(
            converters.get(name) is not BUILTIN.get(name)
            for name in (found['converter'] or 'default' for found in names)
        ):
            # an application's converter: only the same shape covers it
            shape = (shape,)
        segments.append(shape)
    return segments + tail


def _shape(found):
    return f'<{found["converter"] or "default"}({found["args"] or ""})>'


def _covers_all(shape, later):
    """Whether the segment shapes *shape* match every URL *later* match."""
    rest = shape[-1] in (REMAINDER, PATH)
    head = len(shape) - rest
    if len(later) != len(shape) and not (rest and len(later) > head):
        return False
    tail = enumerate(later[head:])
    return all(map(_covers, shape[:head], later[:head])) and (
        not rest or all(_in_rest(shape[-1], seg, i) for i, seg in tail)
    )


def _in_rest(tail, later, index):
    """Whether the rest of the path *tail* matches takes every value of
    *later*, its *index*-th segment (``<path:>``: no empty first one)."""
    if tail is REMAINDER or later is PATH or later is ANY_SEGMENT:
        return later is not REMAINDER or tail is REMAINDER
    if _is_static(later):
        return not (
            (later == '' and not index)
            or DOT_SEGMENT.search(later)
            or ROOTED.match(later)
        )
    return isinstance(later, str) and CONVERTED_SHAPE.fullmatch(later)


def _covers(earlier, later):
    """Whether the segment shape *earlier* matches every *later* value."""
    if earlier is PYRAMID_SEGMENT:
        # not '', an application's converter nor <string(minlength=0):x>
        return later in (PYRAMID_SEGMENT, ANY_SEGMENT) or (
            isinstance(later, str)
            and later != ''
            and not re.search(r'\([^)]', later)
        )
    if isinstance(earlier, str) and isinstance(later, str):
        # a static segment, or text and plain placeholders (each read as
        # a NUL, in no text): whether the earlier one's regex matches it
        regex, mixed = _segment_regex(earlier), _segment_regex(later)
        sample = SHAPE_PLACEHOLDER.sub('\0', later) if mixed else later
        if regex is not None and (mixed or _is_static(later)):
            return re.fullmatch(regex, sample) is not None
    if earlier is ANY_SEGMENT:
        # not '', a dot segment, ROOTED, an application's converter nor {x}
        return later is ANY_SEGMENT or (
            isinstance(later, str)
            and later not in ('', '.', '..')
            and '{' not in later
            and not ROOTED.match(later)
            and not ('<any(' in later and any(c in later for c in '.\\:'))
        )
    static = _is_static(later)
    if static and isinstance(earlier, RegexSegment):
        # Pyramid matches the regex against the static segment's text
        return earlier.regex.fullmatch(later) is not None
    found = (
        ANY_SHAPE.fullmatch(earlier)
        if static and isinstance(earlier, str)
        else None
    )
    if found is not None:  # the built-in <any(a, b):x>: what it lists
        return later in parse_arguments(found[1])[0]
    found = (
        CONVERTED_SHAPE.fullmatch(earlier)
        if static and isinstance(earlier, str)
        else None
    )
    if found is not None:  # <int:n> before /123: what it converts
        args, kwargs = parse_arguments(found[2])
        regex, to_python = BUILTIN[found[1]](*args, **kwargs)
        if re.fullmatch(regex, later) is None:
            return False
        try:
            to_python(None, later)
        except HTTPNotFound:  # out of its bounds
            return False
        return True
    found = isinstance(later, str) and CONVERTED_SHAPE.fullmatch(later)
    if found and earlier == f'<{found[1]}()>' and '<' not in found[2]:
        return 'signed' not in found[2]  # <int(min=5):n>, not a sign
    return earlier == later


#: The shape of a segment that is one built-in ``<any(...)>``.
ANY_SHAPE = re.compile(r'<any\((.*)\)>')

#: The shape of a segment that is one built-in ``<int:>`` or ``<float:>``.
CONVERTED_SHAPE = re.compile(r'<(int|float)\((.*)\)>')


def _segment_regex(shape):
    """The regex Pyramid matches for the segment *shape* (``{}.{}``,
    ``<default()>-x``) of plain placeholders and text, else ``None``."""
    texts = SHAPE_PLACEHOLDER.split(shape)[::3]
    regexes = []
    for found in SHAPE_PLACEHOLDER.finditer(shape):
        if found[0] == '{}':
            regexes.append('[^/]+')
        elif found[1] in ('default', 'string') and not found[2]:
            regexes.append(f'(?:{string_converter()[0]})')
        else:
            return None
    if not regexes or any(c in text for text in texts for c in '<>{}'):
        return None  # no placeholder, or one not read here
    return ''.join(
        re.escape(text) + regex
        for text, regex in zip(texts, [*regexes, ''], strict=True)
    )
