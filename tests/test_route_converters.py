"""Werkzeug route converters in ``route()`` patterns (``<int:id>``,
``<path:p>``, Odoo's ``<model("res.partner"):partner>``) and
``config.add_route_converter``, through real Pyramid apps."""

import pytest
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError
from pyramid.httpexceptions import HTTPNotFound
from pyramid.interfaces import IRoutesMapper

from pyramid_hooks.config import CATEGORY_ROUTE_CONVERTERS
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.converters import PREDICATE
from tests.controllers_pkg.support import make_app, make_config

PATTERNS = [
    '/int/<int:id>',
    '/signed/<int(signed=True):id>',
    '/bounded/<int(min=2, max=5):id>',
    '/float/<float:x>',
    '/sfloat/<float(signed=True, max=9.5):x>',
    '/path/<path:rest>',
    '/any/<any(ab, "c-d"):which>',
    '/name/<name>',
    '/string/<string:name>/tail',
    '/two/<string(length=2):code>',
    '/short/<string(minlength=2, maxlength=3):code>',
    '/mixed/<int:id>/{slug:[a-z]+}',
]


class Show(Controller):
    @route(PATTERNS, auth='public')
    def show(self, **kw):
        return ' '.join(f'{k}={v!r}' for k, v in sorted(kw.items()))


def served_route(config, prefix):
    """The Pyramid route whose pattern starts with *prefix*."""
    mapper = config.registry.getUtility(IRoutesMapper)
    return next(r for r in mapper.get_routes() if r.pattern.startswith(prefix))


def app_for(*classes, setup=None):
    config = make_config()
    if setup is not None:
        setup(config)
    for cls in classes:
        config.add_controller(cls)
    return make_app(config)


@pytest.mark.parametrize(
    'url, shown',
    [
        ('/int/12', 'id=12'),
        ('/int/007', 'id=7'),
        ('/int/-1', None),
        ('/int/+1', None),
        ('/int/1.5', None),
        ('/int/x', None),
        ('/int/' + '9' * 5000, None),  # Python refuses: no match, no 500
        # int() takes these, a URL converter does not: ASCII digits only
        ('/int/%D9%A1%D9%A2%D9%A3', None),  # Arabic-Indic 123
        ('/int/%EF%BC%91', None),  # fullwidth 1
        ('/int/1_000', None),
        ('/int/%2012%20', None),
        ('/int/nan', None),
        ('/signed/-%D9%A3', None),
        ('/bounded/%D9%A3', None),
        ('/float/%D9%A1.%D9%A5', None),
        ('/float/1_0.5', None),
        ('/float/%201.5', None),
        ('/float/nan', None),
        ('/float/inf', None),
        ('/float/1e999', None),
        ('/sfloat/-%D9%A1.5', None),
        ('/signed/-3', 'id=-3'),
        ('/signed/3', 'id=3'),
        ('/bounded/2', 'id=2'),
        ('/bounded/5', 'id=5'),
        ('/bounded/1', None),
        ('/bounded/6', None),
        ('/float/1.5', 'x=1.5'),
        ('/float/1', None),
        ('/float/-1.5', None),
        ('/float/1e3', None),
        ('/float/' + '9' * 400 + '.0', None),  # infinite: no match
        ('/sfloat/-1.5', 'x=-1.5'),
        ('/sfloat/9.75', None),
        ('/path/a/b/c.txt', "rest='a/b/c.txt'"),
        ('/path/', None),
        ('/any/ab', "which='ab'"),
        ('/any/c-d', "which='c-d'"),
        ('/any/abc', None),
        ('/name/bob', "name='bob'"),
        ('/name/bob/more', None),
        ('/string/bob/tail', "name='bob'"),
        ('/two/fr', "code='fr'"),
        ('/two/fra', None),
        ('/short/fra', "code='fra'"),
        ('/short/f', None),
        ('/short/fran', None),
        ('/mixed/4/abc', "id=4 slug='abc'"),
        ('/mixed/4/ABC', None),
    ],
)
def test_builtin_converters(url, shown):
    app = app_for(Show)
    response = app.get(url, expect_errors=shown is None)
    if shown is None:
        assert response.status_int == 404
    else:
        assert response.text == shown


def test_handler_receives_the_converted_types():
    seen = []

    class Typed(Controller):
        @route(['/t/<int:n>/<float:x>/<name>'], auth='public')
        def typed(self, n, x, name):
            seen.append((n, x, name))
            return 'ok'

    app_for(Typed).get('/t/3/2.5/z')
    assert seen == [(3, 2.5, 'z')]
    assert [type(value) for value in seen[0]] == [int, float, str]


def model(request, value, name, default=None):
    """Odoo's ``model(...)`` converter, ported: a record, or no match."""
    if value == '0':
        raise HTTPNotFound()
    return f'{name}[{value}]'


class Partners(Controller):
    @route('/partner/<model("res.partner"):partner>', auth='public')
    def partner(self, partner):
        return f'partner {partner}'

    @route('/partner/{rest}', auth='public')
    def fallback(self, rest):
        return f'fallback {rest}'

    @route('/upper/<upper:word>', auth='public')
    def upper(self, word):
        return word


def upper(request, value):
    return value.upper()


def test_application_converter_with_arguments_and_not_found_falls_through():
    def setup(config):
        config.add_route_converter('model', r'\d+', model)
        config.add_route_converter(
            'upper', '[a-z]+', 'tests.test_route_converters.upper'
        )

    app = app_for(Partners, setup=setup)
    assert app.get('/partner/7').text == 'partner res.partner[7]'
    # HTTPNotFound from the converter: the route does not match, the next
    # one is tried (Werkzeug's ValidationError)
    assert app.get('/partner/0').text == 'fallback 0'
    assert app.get('/partner/x').text == 'fallback x'
    assert app.get('/upper/abc').text == 'ABC'
    assert app.get('/upper/ABC', status=404)


def test_converter_without_to_python_gives_the_text_and_no_predicate():
    class Codes(Controller):
        @route('/code/<code:c>', auth='public')
        def code(self, c):
            return repr(c)

    config = make_config()
    config.add_route_converter('code', '[A-Z]{2}')
    config.add_controller(Codes)
    app = make_app(config)
    assert app.get('/code/FR').text == "'FR'"
    app.get('/code/fr', status=404)
    served = served_route(config, '/code/')
    assert served.pattern == '/code/{c:[A-Z]{2}}'
    assert served.predicates == []


def test_routes_without_converters_are_unchanged_and_have_no_predicate():
    class Plain(Controller):
        @route(['/plain/{id:\\d+}', '/text/<name>'], auth='public')
        def plain(self, id=None, name=None):
            return 'ok'

    config = make_config()
    config.add_controller(Plain)
    make_app(config)
    plain = served_route(config, '/plain/')
    text = served_route(config, '/text/')
    assert plain.pattern == '/plain/{id:\\d+}'
    # a segment, never a dot segment (tests/test_controllers_attacks3.py)
    # nor a path from a root (tests/test_controllers_attacks6.py)
    assert text.pattern == (
        '/text/{name:(?!\\.\\.?(?:[/\\\\]|$))'
        '(?![^/]*?\\\\\\.\\.?(?:[/\\\\]|$))(?![\\\\]|[A-Za-z]:)'
        '[^/]{1,}}'
    )
    assert plain.predicates == text.predicates == []


def test_converted_route_has_the_predicate_and_generates_urls():
    config = make_config()
    config.add_controller(Show)
    app = make_app(config)
    served = served_route(config, '/int/')
    assert served.pattern == '/int/{id:[0-9]+}'
    assert [p.text() for p in served.predicates] == ['converts id']
    assert served.generate({'id': 5}) == '/int/5'
    assert app.get('/int/5').text == 'id=5'
    assert PREDICATE == 'pyramid_hooks_converters'


def test_pyramid_regex_with_angle_brackets_is_left_alone():
    class Look(Controller):
        @route('/look/{x:(?<!a)b}/<int:n>', auth='public')
        def look(self, x, n):
            return f'{x} {n!r}'

    app = app_for(Look)
    assert app.get('/look/b/2').text == 'b 2'


def test_converters_on_json_routes():
    class Rpc(Controller):
        @route('/rpc/<int:id>', type='json', auth='public')
        def get(self, id):
            return [id, type(id).__name__]

    app = app_for(Rpc)
    body = {'jsonrpc': '2.0', 'id': 1, 'method': 'call', 'params': {}}
    assert app.post_json('/rpc/4', body).json['result'] == [4, 'int']
    app.post_json('/rpc/x', body, status=404)


def _handler(pattern):
    class Bad(Controller):
        @route(pattern, auth='public')
        def bad(self, **kw):
            return 'never'  # pragma: no cover

    return Bad


@pytest.mark.parametrize(
    'pattern, words',
    [
        ('/p/<nope:id>', ["unknown converter 'nope'", 'known: any']),
        ('/p/<int:id', ['unbalanced', '<int:id']),
        ('/p/int:id>', ['unbalanced']),
        ('/p/<int:id>>', ['unbalanced']),
        ('/p/<3id>', ['unbalanced']),
        ('/p/<int(x=1):id>', ['<int(x=1):id>', 'x']),
        ('/p/<int(signed=:id>', ['unbalanced']),
        ('/p/<int(1 +):id>', ['<int(1 +):id>']),
        ('/p/<any():id>', ['any() takes one or more names']),
        ('/p/<any(f(x)):id>', ['<any(f(x)):id>']),
        ('/p/<any(**x):id>', ['no ** in converter arguments']),
        ('/p/<int()(x):id>', ['cannot read the arguments']),
        ('/p/<path(1):id>', ['<path(1):id>']),
        ('/p/<id>/<int:id>', ["'id' is given twice"]),
        ('/p/{id}/<int:id>', ["'id' is given twice"]),
    ],
)
def test_bad_patterns_name_the_handler_and_where(pattern, words):
    config = make_config()
    config.add_controller(_handler(pattern))
    with pytest.raises(ConfigurationError) as raised:
        config.commit()
    message = str(raised.value)
    assert '_handler.<locals>.Bad.bad' in message
    assert 'test_route_converters.py:' in message
    assert repr(pattern) in message
    # and the activating line, as for every error of the build
    assert 'config.add_controller(_handler(pattern))' in message
    for word in words:
        assert word in message


def test_bad_arguments_to_an_application_converter():
    config = make_config()
    config.add_route_converter('model', r'\d+', model)
    config.add_route_converter('code', '[A-Z]+')
    config.add_controller(_handler('/p/<model:x>'))
    with pytest.raises(ConfigurationError, match=r'to_python\(request, value'):
        config.commit()
    config = make_config()
    config.add_route_converter('code', '[A-Z]+')
    config.add_controller(_handler('/p/<code(1):x>'))
    with pytest.raises(ConfigurationError, match='it takes no arguments'):
        config.commit()


@pytest.mark.parametrize(
    'args, words',
    [
        (('3x', r'\d+'), ['the name must be an identifier']),
        ((None, r'\d+'), ['the name must be an identifier']),
        (('n', ''), ['non-empty str']),
        (('n', '('), ['invalid regex']),
        (('n', r'(?P<a>\d+)'), ['named groups']),
        (('n', r'\{x\}'), ['braces']),
        (('n', r'\d+', 42), ['must accept (request, value)', 'not callable']),
        (('n', r'\d+', upper.__call__), []),
        (('n', r'\d+', lambda value: value), ['must accept (request, value)']),
        (('n', r'\d+', 'tests.nowhere.f'), ['cannot import']),
    ],
)
def test_add_route_converter_validates(args, words):
    config = make_config()
    if not words:  # a bound method of a function's __call__ is fine
        config.add_route_converter(*args)
        return
    with pytest.raises(ConfigurationError) as raised:
        config.add_route_converter(*args)
    for word in words:
        assert word in str(raised.value)


def test_add_route_converter_conflicts_overrides_and_introspection():
    config = make_config()
    config.add_route_converter('model', r'\d+', model)
    config.add_route_converter('model', r'\d+', upper)
    with pytest.raises(ConfigurationConflictError):
        config.commit()

    def include(config):
        config.add_route_converter('model', r'\d+', upper)

    config = make_config()
    config.include(include)
    config.add_route_converter('model', r'\d+', model)  # includer wins
    config.add_route_converter('upper', '[a-z]+', upper)
    config.add_route_converter('int', r'\d{1,3}')  # a built-in replaced
    config.add_controller(Partners)
    config.add_controller(_handler('/small/<int:n>'))
    app = make_app(config)
    assert app.get('/partner/3').text == 'partner res.partner[3]'
    assert app.get('/small/1234', status=404)
    intr = config.registry.introspector.get(CATEGORY_ROUTE_CONVERTERS, 'model')
    assert intr['to_python'] is model
    assert intr['regex'] == r'\d+'
    with pytest.raises(ConfigurationError, match='already made'):
        config.add_route_converter('late', r'\d+')
