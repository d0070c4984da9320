"""Werkzeug's route converters in ``route()`` (``docs/controllers.rst``):
a pattern is rewritten once into a Pyramid one with their regexes; those
changing the value run in a route predicate (:class:`ConvertMatch`)."""

import ast
import inspect
import math
import re

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPNotFound

from pyramid_hooks.shared import object_name

#: The route predicate of converted routes (``config.add_route`` option).
PREDICATE = 'pyramid_hooks_converters'
#: The matchdict key of a converter's error: no placeholder's name.
CONVERSION_ERROR = 'pyramid_hooks conversion error'

#: Pyramid's placeholders (``{id}``, ``{id:\d+}``).
PYRAMID_PLACEHOLDER = re.compile(
    r'\{([_a-zA-Z]\w*)(?::[^{}]*(?:\{[^{}]*\}[^{}]*)*)?\}'
)

#: Pyramid's old-style placeholder (``:name``).
OLD_STYLE_PLACEHOLDER = re.compile(r':([_a-zA-Z]\w*)')


def pyramid_form(pattern):
    """*pattern* with its old-style placeholders written ``{name}``."""
    if OLD_STYLE_PLACEHOLDER.search(pattern) and not (
        PYRAMID_PLACEHOLDER.search(pattern)
        or WERKZEUG_PLACEHOLDER.search(pattern)
    ):
        return OLD_STYLE_PLACEHOLDER.sub(r'{\1}', pattern)
    return pattern


def url_key(url):
    """*url* with its placeholders' names left out (``/a/{x}``: ``/a/{}``)."""
    unnamed = PYRAMID_PLACEHOLDER.sub(_unnamed, pyramid_form(url))
    return re.sub(r'\*\w*$', '*', unnamed)


def _unnamed(found):
    return '{' + found[0][len(found[1]) + 1 :]


#: One Werkzeug placeholder, as Werkzeug's rule parser reads it.
WERKZEUG_PLACEHOLDER = re.compile(
    r"""<
    (?:
        (?P<converter>[a-zA-Z_]\w*)     # converter name
        (?:\((?P<args>.*?)\))?          # converter arguments
        :                               # variable delimiter
    )?
    (?P<variable>[a-zA-Z_]\w*)          # variable name
    >""",
    re.VERBOSE,
)

#: A regex quantifier ``{m,n}``: the only braces a placeholder can hold.
QUANTIFIER = re.compile(r'\{\d*(?:,\d*)?\}')


def _to_int(request, value):
    try:  # over 4300 digits, Python refuses: no match, not a 500
        return int(value)
    except ValueError:
        raise HTTPNotFound() from None


def _to_float(request, value):
    number = float(value)
    if not math.isfinite(number):  # '1' * 400 + '.0' is not a number
        raise HTTPNotFound()
    return number


def _bounded(convert, min, max, signed):
    """*convert*, refusing values out of ``[min, max]`` (no match); bad
    bounds and a ``signed`` that is no bool are refused."""
    if not isinstance(signed, bool):
        raise TypeError(f'signed must be True or False, not {signed!r}')
    for what, bound in (('min', min), ('max', max)):
        if bound is None:
            continue
        if isinstance(bound, bool) or not isinstance(bound, (int, float)):
            raise TypeError(f'{what} must be a number or None, not {bound!r}')
        if not math.isfinite(bound):
            raise ValueError(
                f'{what} must be finite, not {bound!r}; leave it out for '
                'no bound'
            )
    if min is not None and max is not None and min > max:
        raise ValueError(
            f'min ({min!r}) is over max ({max!r}): no value would match'
        )
    if min is None and max is None:
        return convert

    def bounded(request, value):
        number = convert(request, value)
        if (min is not None and number < min) or (
            max is not None and number > max
        ):
            raise HTTPNotFound()
        return number

    return bounded


#: Not a dot segment (also after a backslash), at a segment's start.
NOT_DOT_SEGMENT = r'(?!\.\.?(?:[/\\]|$))(?![^/]*?\\\.\.?(?:[/\\]|$))'

#: A dot segment anywhere in a ``<path:>`` value, ``/`` or ``\`` around.
DOT_SEGMENT = re.compile(r'(?:^|[/\\])\.\.?(?:[/\\]|$)')

#: Not a value Windows reads as a path from a root (``\\\\host``, ``C:``).
NOT_ROOTED = r'(?![\\]|[A-Za-z]:)'

#: A value :data:`NOT_ROOTED` refuses (``<path:>``'s, in its ``to_python``).
ROOTED = re.compile(r'[\\]|[A-Za-z]:')


def string_converter(*, minlength=1, maxlength=None, length=None):
    """``<string:name>``: one segment, no dot segment nor a rooted path."""
    start = NOT_DOT_SEGMENT + NOT_ROOTED
    if length is not None:
        return f'{start}[^/]{{{int(length)}}}', None
    upper = '' if maxlength is None else int(maxlength)
    return f'{start}[^/]{{{int(minlength)},{upper}}}', None


def _without_dot_segments(request, value):
    if DOT_SEGMENT.search(value) or ROOTED.match(value):
        raise HTTPNotFound()
    return value


def path_converter():
    """``<path:name>``: the rest, no dot segments nor a rooted path."""
    return '[^/].*?', _without_dot_segments


def any_converter(*items):
    """``<any(a, b):name>``: one of the listed segments."""
    if not items or not all(isinstance(item, str) for item in items):
        raise TypeError('any() takes one or more names')
    return '(?:' + '|'.join(map(re.escape, items)) + ')', None


def int_converter(*, signed=False, min=None, max=None):
    """``<int:name>``: ASCII digits only (not ``\\d``: every script's)."""
    sign = '-?' if signed else ''
    return f'{sign}[0-9]+', _bounded(_to_int, min, max, signed)


def float_converter(*, signed=False, min=None, max=None):
    """``<float:name>``: ``1.5``, not ``1`` nor ``1e3``, ASCII digits."""
    sign = '-?' if signed else ''
    return f'{sign}[0-9]+\\.[0-9]+', _bounded(_to_float, min, max, signed)


#: The built-in converters: ``factory(*args, **kw) -> (regex, to_python)``.
BUILTIN = {
    'default': string_converter,
    'string': string_converter,
    'path': path_converter,
    'any': any_converter,
    'int': int_converter,
    'float': float_converter,
}


def check_regex(regex, what):
    """Refuse a converter regex no Pyramid placeholder can hold."""
    if not isinstance(regex, str) or not regex:
        raise ConfigurationError(f'{what}: the regex must be a non-empty str')
    try:
        compiled = re.compile(regex)
    except re.error as e:
        raise ConfigurationError(
            f'{what}: invalid regex {regex!r}: {e}'
        ) from e
    if compiled.groupindex:
        raise ConfigurationError(
            f'{what}: the regex {regex!r} has named groups; use (?:...)'
        )
    if set('{}') & set(QUANTIFIER.sub('', regex)):
        raise ConfigurationError(
            f'{what}: the regex {regex!r} has braces other than {{m,n}} '
            'quantifiers, which a route pattern cannot hold'
        )


def user_converter(regex, to_python):
    """The factory of a converter of ``config.add_route_converter``: the
    pattern's arguments are given to *to_python* after the value (a
    converter without *to_python* gives the text and takes none)."""

    def factory(*args, **kw):
        if to_python is None:
            if args or kw:
                raise TypeError('it takes no arguments (it has no to_python)')
            return regex, None
        try:
            inspect.signature(to_python).bind(None, None, *args, **kw)
        except TypeError as e:  # the call the pattern makes, and the fix
            call = ', '.join(['request, value', *map(repr, args)])
            raise TypeError(
                f'{object_name(to_python)} cannot be called as to_python('
                f'{", ".join([call, *(f"{k}={v!r}" for k, v in kw.items())])}'
                f'): {e}; give it a parameter for each argument the pattern '
                'writes, a default to each it may leave out'
            ) from None
        if not args and not kw:
            return regex, to_python

        def convert(request, value):
            return to_python(request, value, *args, **kw)

        return regex, convert

    return factory


def _literal(node):
    """A converter argument: a Python literal, or a bare name as a string
    (Werkzeug reads ``any(a, b)`` as two names)."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return ast.unparse(node)
    return ast.literal_eval(node)


def parse_arguments(text):
    """``(args, kwargs)`` of a converter's argument list, as Werkzeug's."""
    call = ast.parse(f'f({text})', mode='eval').body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        raise ValueError(f'cannot read the arguments ({text})')
    if any(kw.arg is None for kw in call.keywords):
        raise ValueError('no ** in converter arguments')
    args = [_literal(node) for node in call.args]
    return args, {kw.arg: _literal(kw.value) for kw in call.keywords}


def compile_pattern(pattern, converters, where):
    """``(pyramid_pattern, conversions)`` of a ``route()`` *pattern*, the
    latter ``((name, to_python), ...)`` for the values to convert."""
    if '<' not in pattern and '>' not in pattern:
        return pattern, ()
    what = f'route {pattern!r} of {where}'
    names = []
    paths = []  # the names of <path:> placeholders
    conversions = []
    pieces = []
    start = 0  # of the text before the next Pyramid placeholder
    for pyramid in [*PYRAMID_PLACEHOLDER.finditer(pattern), None]:
        end = len(pattern) if pyramid is None else pyramid.start()
        static = pattern[start:end]
        index = 0
        for found in WERKZEUG_PLACEHOLDER.finditer(static):
            _check_static(static[index : found.start()], what)
            pieces.append(static[index : found.start()])
            index = found.end()
            regex, convert = _converter(found, converters, what)
            names.append(found['variable'])
            if converters.get(found['converter']) is path_converter:
                paths.append(found['variable'])
            pieces.append(f'{{{found["variable"]}:{regex}}}')
            if convert is not None:
                conversions.append((found['variable'], convert))
        _check_static(static[index:], what)
        pieces.append(static[index:])
        if pyramid is not None:
            names.append(pyramid[1])
            pieces.append(pyramid[0])
            start = pyramid.end()
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ConfigurationError(
            f'{what}: the placeholder {twice[0]!r} is given twice'
        )
    if len(paths) > 1:
        raise ConfigurationError(
            f'{what}: two <path:> placeholders ({paths[0]!r}, '
            f'{paths[1]!r}): where one ends is ambiguous, and the regex '
            'tries every split of a URL, so a crafted long one takes '
            'minutes to match; keep one <path:> and make the other parts '
            '<string:> segments, or give them their own route'
        )
    return ''.join(pieces), tuple(conversions)


def conversion_specs(pattern, conversions):
    """``{name: (converter, args, kwargs)}`` of the placeholders of
    *pattern* in *conversions*: two patterns of one URL give a handler the
    same values when their specs are equal."""
    converting = {name for name, _ in conversions}
    specs = {}
    # a Pyramid placeholder's regex may hold < and >: not Werkzeug's
    text = PYRAMID_PLACEHOLDER.sub('/', pattern)
    for found in WERKZEUG_PLACEHOLDER.finditer(text):
        if found['variable'] in converting:
            args, kwargs = [], {}
            if found['args'] is not None:
                args, kwargs = parse_arguments(found['args'])
            converter = found['converter'] or 'default'
            specs[found['variable']] = (converter, args, kwargs)
    return specs


def _check_static(text, what):
    if '<' in text or '>' in text:
        raise ConfigurationError(
            f'{what}: unbalanced "<" or ">" in {text!r}; a placeholder is '
            '<name> or <converter:name>'
        )


def _converter(found, converters, what):
    """``(regex, to_python)`` of the Werkzeug placeholder *found*."""
    name = found['converter'] or 'default'
    factory = converters.get(name)
    if factory is None:
        known = ', '.join(sorted(converters))
        raise ConfigurationError(
            f'{what}: unknown converter {name!r} (known: {known}; add one '
            'with config.add_route_converter)'
        )
    args, kwargs = (), {}
    try:
        if found['args'] is not None:
            args, kwargs = parse_arguments(found['args'])
        return factory(*args, **kwargs)
    except (SyntaxError, ValueError, TypeError) as e:
        raise ConfigurationError(f'{what}: converter {found[0]!r}: {e}') from e


class ConvertMatch:
    """The route predicate converting matchdict values: ``HTTPNotFound`` is
    no match (as Werkzeug's ``ValidationError``); another error is kept in
    the matchdict (:data:`CONVERSION_ERROR`) for the route's root factory."""

    def __init__(self, conversions, config):
        self.conversions = conversions

    def text(self):
        names = ', '.join(name for name, _ in self.conversions)
        return f'converts {names}'

    phash = text

    def __call__(self, info, request):
        match = info['match']
        try:
            for name, convert in self.conversions:
                match[name] = convert(request, match[name])
        except HTTPNotFound:
            return False
        except Exception as error:  # its traceback holds the request:
            match[CONVERSION_ERROR] = error  # not past it (a cycle)
            request.add_finished_callback(
                lambda _: match.pop(CONVERSION_ERROR, None)
            )
        return True
