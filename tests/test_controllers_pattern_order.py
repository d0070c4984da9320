"""A handler's ``route`` list is tried in its order: a pattern an earlier
one always wins over is a startup error, not a URL served by the wrong
pattern (Werkzeug, Odoo's, tries the most specific first)."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPNotFound
from webtest import TestApp

from pyramid_hooks import Controller, route


def make(routes, converter=None):
    class Content(Controller):
        @route(routes, auth='public')
        def content(self, **kw):
            return repr(sorted(kw.items()))

    config = Configurator()
    config.include('pyramid_hooks')
    if converter is not None:
        config.add_route_converter('model', r'[0-9]{1,18}', converter)
    config.add_controller(Content)
    return TestApp(config.make_wsgi_app())


def refusal(routes):
    with pytest.raises(ConfigurationError) as info:
        make(routes)
    return str(info.value)


def test_odoo_order_is_refused_naming_both_patterns():
    """binary.py's ``content_common`` lists ``<string:xmlid>`` before
    ``<int:id>``: copied as it is, ``/web/content/42`` gave ``xmlid``."""
    message = refusal(['/web/content/<string:xmlid>', '/web/content/<int:id>'])
    assert "'/web/content/<int:id>' is never served" in message
    assert "'/web/content/<string:xmlid>', before it" in message
    assert 'Content.content' in message
    assert "list '/web/content/<int:id>' first" in message


@pytest.mark.parametrize(
    'routes',
    [
        ['/shop/<category>', '/shop/cart'],  # a static segment
        ['/i/<x>', '/i/<int:id>-<string:unique>'],  # a mixed segment
        ['/i/<x>/<int:w>x<int:h>', '/i/<string:y>/<int:a>x<int:b>'],
        ['/p/<int:a>', '/p/<int:b>'],  # one shape, other names
        ['/p/<x>', '/p/<string(length=2):y>'],
        ['/p/<x>', '/p/<any(a, b):y>'],
        ['/a/<x>/b', '/c', '/a/<float:f>/b'],  # not next to each other
        ['/m/<model("res.partner"):p>', '/m/<model("res.partner"):q>'],
    ],
)
def test_shadowed_patterns_are_refused(routes):
    config_routes = routes
    if 'model' in routes[0]:

        def record(request, value, model):  # pragma: no cover
            return value

        with pytest.raises(ConfigurationError, match='never served'):
            make(config_routes, converter=record)
        return
    assert 'never served' in refusal(config_routes)


def test_specific_first_is_served_as_werkzeug_would():
    app = make(
        [
            '/web/content/<int:id>',
            '/web/content/<int:id>-<string:unique>',
            '/web/content/<string:xmlid>',
        ]
    )
    assert app.get('/web/content/42').text == "[('id', 42)]"
    assert app.get('/web/content/42-ab').text == (
        "[('id', 42), ('unique', 'ab')]"
    )
    assert app.get('/web/content/logo').text == "[('xmlid', 'logo')]"


@pytest.mark.parametrize(
    ('routes', 'url', 'served'),
    [
        # other lengths
        (['/p/<x>', '/p/<x>/<int:n>'], '/p/a/3', "[('n', 3), ('x', 'a')]"),
        # <string(length=2)> is not any segment
        (['/p/<string(length=2):x>', '/p/<int:n>'], '/p/7', "[('n', 7)]"),
        # <x> does not match the empty segment
        (['/p/<x>', '/p/'], '/p/', '[]'),
        # an any() that may be a dot segment: not compared
        (['/p/<x>', "/p/<any(a, '..'):y>"], '/p/..', "[('y', '..')]"),
        (['/p/<int:n>', '/p/<float:f>'], '/p/1.5', "[('f', 1.5)]"),
        # other arguments: the first converter refuses, the next serves
        (['/p/<model("a"):x>', '/p/<model("b"):y>'], '/p/7', "[('y', 7)]"),
        # Pyramid placeholders and <path:> are not compared: the first
        # pattern serves, as the list says
        (['/p/{x}', '/p/<int:n>'], '/p/7', "[('x', '7')]"),
        (['/p/<path:rest>', '/p/<int:n>'], '/p/7', "[('rest', '7')]"),
    ],
)
def test_patterns_not_shadowed_are_served(routes, url, served):
    def record(request, value, model):
        if model != 'b':
            raise HTTPNotFound()
        return int(value)

    assert make(routes, converter=record).get(url).text == served


@pytest.mark.parametrize(
    ('regex', 'url', 'served'),
    [
        (r'.+', '/p/a/b', "[('r', 'a/b')]"),  # a '/': more than one segment
        (r'[a-z]*', '/p/', "[('r', '')]"),  # the empty segment
        (r'\.\.?', '/p/..', "[('r', '..')]"),  # a dot segment
    ],
)
def test_an_own_converter_matching_what_string_does_not_is_served(
    regex, url, served
):
    """``<x>`` does not cover an application's converter: its regex may
    match a ``/``, the empty segment or ``..``, which ``<x>`` never
    matches; the list was refused, its URL never shadowed."""

    class Content(Controller):
        @route(['/p/<x>', '/p/<rest:r>'], auth='public')
        def content(self, **kw):
            return repr(sorted(kw.items()))

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route_converter('rest', regex)
    config.add_controller(Content)
    app = TestApp(config.make_wsgi_app())
    assert app.get(url).text == served
    assert app.get('/p/b').text == "[('x', 'b')]"


# Routes of different handlers (URLs) are tried in the order they are
# added: a URL an earlier route always wins over is a startup error too.
# TurboGears' RestController tries ``new`` before ``get_one`` whatever
# the order they are defined in (tgext.crud defines ``get_one`` first).


def make_handlers(*handlers, prefix=None):
    """A controller with one handler per ``(name, pattern, methods)``, in
    that order."""
    namespace = {}
    for name, pattern, methods in handlers:

        def handler(self, **kw):
            return self.request.matched_route.name.rpartition('.')[2]

        handler.__name__ = name
        handler.__qualname__ = f'Rest.{name}'
        namespace[name] = route(
            pattern, methods=methods, auth='public', csrf=False
        )(handler)
    cls = type('Rest', (Controller,), namespace)
    config = Configurator()
    config.include('pyramid_hooks')
    with config.route_prefix_context(prefix):
        config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def handlers_refusal(*handlers, prefix=None):
    with pytest.raises(ConfigurationError) as info:
        make_handlers(*handlers, prefix=prefix)
    return str(info.value)


def test_a_handler_alone_at_a_url_shadows_the_urls_it_covers():
    message = handlers_refusal(
        ('get_one', '/<pk>', ['GET']),
        ('new', '/new', ['GET']),
        prefix='/movies',
    )
    assert 'Rest.new' in message
    assert "'/movies/new' is never served: '/movies/<pk>' of" in message
    assert 'Rest.get_one' in message
    assert 'for every method (its 405 answers the others)' in message
    assert 'define new before get_one' in message


def test_a_lone_handler_shadows_other_methods_too():
    """tgext.crud's ``put`` at ``/<pk>`` before ``get_one`` and
    ``post_delete`` at ``/<int:pk>``: a DELETE got put's 405."""
    message = handlers_refusal(
        ('put', '/<pk>', ['PUT']),
        ('get_one', '/<int:pk>', ['GET']),
        ('post_delete', '/<int:pk>', ['DELETE']),
    )
    assert "'/<int:pk>' is never served: '/<pk>' of" in message
    assert 'define get_one before put' in message


def test_a_shared_url_shadows_its_methods_only():
    message = handlers_refusal(
        ('get_one', '/<pk>', ['GET']),
        ('put', '/<pk>', ['PUT']),
        ('new', '/new', ['GET', 'POST']),
    )
    assert 'for GET, HEAD (the first route' in message
    message = handlers_refusal(
        ('put', '/<pk>', ['PUT']),
        ('get_one', '/<pk>', ['GET']),
        ('new', '/new', None),
    )
    assert 'for PUT (the first route' in message


def test_methods_a_shared_url_does_not_take_reach_the_later_url():
    app = make_handlers(
        ('get_one', '/<pk>', ['GET']),
        ('put', '/<pk>', ['PUT']),
        ('post_new', '/new', ['POST']),
    )
    assert app.get('/new').text == 'get_one'
    assert app.post('/new').text == 'post_new'
    assert app.put('/new').text == 'put'
    # the later URL's own 405
    assert app.delete('/new', status=405).headers['Allow'] == 'POST'


@pytest.mark.parametrize(
    'handlers',
    [
        [('new', '/new', ['GET']), ('get_one', '/<pk>', ['GET'])],
        [('one', '/<int:pk>', ['GET']), ('slug', '/<slug>', ['GET'])],
        [('one', '/{pk}', ['GET']), ('new', '/new', ['GET'])],  # not compared
        [('new', '/new', ['GET']), ('one', '/{pk}', ['GET'])],
        [('one', '/a/<pk>', ['GET']), ('new', '/b/new', ['GET'])],
        [('one', '/<pk>', ['GET']), ('new', '/new/x', ['GET'])],
    ],
)
def test_urls_not_shadowed_start(handlers):
    make_handlers(*handlers)


@pytest.mark.parametrize('pattern', ['.json', '', 'shop', '<int:id>'])
def test_a_pattern_without_its_leading_slash_is_refused(pattern):
    """Under ``route_prefix_context('/movies')``, tgext.crud's
    ``/movies.json`` written ``route('.json')`` was ``/movies/.json``."""
    with pytest.raises(ConfigurationError) as info:
        route([pattern])
    message = str(info.value)
    assert f'route({pattern!r}): a path pattern starts with "/"' in message
    assert f'"/movies/{pattern}"' in message
    assert f'write {"/" + pattern!r}' in message
