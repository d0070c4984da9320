"""Bad input, property-based (hypothesis).

Whatever a client sends — arbitrary unicode, invalid UTF-8, odd
percent-encoding, broken form bodies — the answer is a well-formed 2xx or
4xx, never a 500 and never a traceback in the body.  WebTest's WSGI lint
checks every exchange.

Run with ``--hypothesis-show-statistics`` to see how many examples ran.
"""

import json
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks import Invalid

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: any unicode text a client can encode (no lone surrogates: they cannot
#: be sent as UTF-8 at all)
TEXT = st.text(st.characters(exclude_categories=('Cs',)), max_size=40)
KEYS = TEXT.filter(lambda key: key not in ('seg', 'reject'))


def validate(request, params):
    if 'reject' in params:
        raise Invalid({'reject': 'refused'})
    return params


def echo(request):
    return dict(request.hook_params)


def _app():
    config = Configurator()
    config.include('pyramid_hooks')
    seen = []
    config.register_hook(
        'before_validate', lambda request, params: seen.append(len(params))
    )
    config.register_hook(
        'before_render',
        lambda request, params, output: output.setdefault('_hooks', 'ran'),
    )
    config.add_controller_wrapper(lambda next_caller: next_caller)
    config.add_route('echo', '/echo/{seg}')
    config.add_view(
        echo, route_name='echo', renderer='json', validate=validate
    )
    return TestApp(config.make_wsgi_app())


APP = _app()


def well_formed(res, allowed=(200, 400)):
    """A 2xx/4xx from the list, no traceback, and a body that matches its
    content type."""
    assert res.status_int in allowed, (res.status, res.body[:300])
    assert b'Traceback' not in res.body
    assert b'File "' not in res.body
    if res.content_type == 'application/json':
        json.loads(res.body)
    return res


def expected(pairs, seg):
    out = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    out = {k: v[0] if len(v) == 1 else v for k, v in out.items()}
    out['seg'] = seg
    out['_hooks'] = 'ran'
    return out


@FUZZ
@given(
    seg=TEXT.filter(lambda s: s not in ('', '.', '..') and '/' not in s),
    pairs=st.lists(st.tuples(KEYS, TEXT), max_size=6),
)
def test_unicode_query_parameters_round_trip(seg, pairs):
    query = urlencode(pairs, quote_via=quote)
    res = well_formed(APP.get(f'/echo/{quote(seg, safe="")}?{query}'))
    assert res.status_int == 200
    assert res.json == expected(pairs, seg)


@FUZZ
@given(pairs=st.lists(st.tuples(KEYS, TEXT), max_size=6))
def test_unicode_form_parameters_round_trip(pairs):
    res = well_formed(APP.post('/echo/x', urlencode(pairs)))
    assert res.status_int == 200
    assert res.json == expected(pairs, 'x')


@FUZZ
@given(pairs=st.lists(st.tuples(KEYS, TEXT), min_size=1, max_size=4))
def test_invalid_parameters_are_400(pairs):
    query = urlencode([*pairs, ('reject', '1')], quote_via=quote)
    res = well_formed(
        APP.get(
            f'/echo/x?{query}',
            headers={'Accept': 'application/json'},
            expect_errors=True,
        )
    )
    assert res.status_int == 400
    assert res.json == {'status': 400, 'errors': {'reject': 'refused'}}


@FUZZ
@given(raw=st.binary(max_size=60))
def test_raw_bytes_in_the_query_string(raw):
    """Any bytes, percent-encoded (invalid UTF-8 included): decoded, or a
    400 saying the parameters cannot be decoded."""
    query = quote(raw, safe='=&')
    res = well_formed(APP.get(f'/echo/x?{query}', expect_errors=True))
    try:
        raw.decode('utf-8')
    except UnicodeDecodeError:
        if res.status_int == 400:
            assert 'cannot be decoded' in res.text
    else:
        assert res.status_int in (200, 400)


@FUZZ
@given(query=st.text(st.sampled_from('%&=+;a0Fz'), max_size=30))
def test_odd_percent_encoding(query):
    """Truncated escapes (``%``, ``%F``), ``+``, separators: never a 500."""
    well_formed(APP.get(f'/echo/x?{query}', expect_errors=True))


@FUZZ
@given(
    body=st.binary(max_size=200),
    content_type=st.sampled_from(
        [
            'application/x-www-form-urlencoded',
            'application/x-www-form-urlencoded; charset=latin-1',
            'multipart/form-data; boundary=xyz',
            'multipart/form-data',
            'text/plain',
            'application/json',
        ]
    ),
)
def test_arbitrary_request_bodies(body, content_type):
    """Invalid UTF-8, truncated multipart, garbage: a 2xx/4xx."""
    well_formed(
        APP.request(
            '/echo/x',
            method='POST',
            body=body,
            headers={'Content-Type': content_type},
            expect_errors=True,
        )
    )


def multipart(fields, boundary='b0undaryXq'):
    """A ``multipart/form-data`` body, names and values in UTF-8."""
    lines = []
    for name, value in fields:
        lines += [
            f'--{boundary}',
            f'Content-Disposition: form-data; name="{name}"',
            '',
            value,
        ]
    lines += [f'--{boundary}--', '']
    body = '\r\n'.join(lines).encode('utf-8')
    return body, f'multipart/form-data; boundary={boundary}'


FIELD = st.text(
    st.characters(exclude_categories=('Cs', 'Cc')), min_size=1, max_size=20
)


@FUZZ
@given(
    parts=st.lists(
        st.tuples(
            FIELD.filter(
                lambda k: '"' not in k and k not in ('seg', 'reject')
            ),
            FIELD,
        ),
        max_size=4,
    )
)
def test_multipart_form_round_trip(parts):
    body, content_type = multipart(parts)
    res = well_formed(
        APP.request(
            '/echo/x',
            method='POST',
            body=body,
            headers={'Content-Type': content_type},
            expect_errors=True,
        )
    )
    assert res.status_int == 200
    assert res.json == expected(parts, 'x')


def test_a_form_in_another_charset_is_a_400():
    """WebOb refuses non-UTF-8 form bodies (by raising DeprecationWarning);
    for the pipeline hooks that is the client's fault, not a 500."""
    res = well_formed(
        APP.request(
            '/echo/x',
            method='POST',
            body=b'a=%E9',
            headers={
                'Content-Type': (
                    'application/x-www-form-urlencoded; charset=latin-1'
                )
            },
            expect_errors=True,
        )
    )
    assert res.status_int == 400
    assert 'cannot be decoded' in res.text
