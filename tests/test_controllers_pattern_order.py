"""A handler's ``route`` list is tried in its order, and the handlers'
routes in the order they are added: a pattern an earlier one (of the
list, or of a handler added before) always wins over is a startup error,
not a URL served by the wrong pattern (Werkzeug, Odoo's, tries the most
specific first)."""

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
        # Pyramid's placeholders, new and old style, cover as <string:>
        # does, and the '..' segment too
        ['/p/{x}', '/p/{y}'],
        ['/p/{x}', '/p/cart'],
        ['/p/{x}', '/p/<int:n>-<x>'],
        ['/p/{x}', '/p/<y>'],
        ['/p/:x', '/p/cart'],
        ['/p/:x/b', '/p/{y}/b'],
        ['/p/a{x}', '/p/a{y}'],
        # the rest of the path (Pyramid's *name, <path:>), and what a
        # built-in converter converts
        ['/p/<path:rest>', '/p/<int:n>'],
        ['/p/<path:rest>', '/p/a/b/<x>'],
        ['/p/*rest', '/p/'],
        ['/p/*rest', '/p/<path:rest>'],
        ['/p/<int:n>', '/p/0'],
        ['/p/<float(max=2.0):f>', '/p/1.5'],
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
        # Pyramid placeholders with a regex are not compared: the first
        # pattern serves, as the list says
        (['/p/{x:.+}', '/p/<int:n>'], '/p/7', "[('x', '7')]"),
        # what <path:>, <int:> and * refuse reaches the later pattern
        (['/p/<path:rest>', '/p/'], '/p/', '[]'),
        (['/p/<path:rest>', '/p/C:'], '/p/C:', '[]'),
        (['/p/<int(max=5):n>', '/p/7'], '/p/7', '[]'),
        (['/p/*rest', '/p'], '/p', '[]'),
        (['/p/<path:a>', '/p/*rest'], '/p/', "[('rest', ())]"),
        # a <string:> segment is not '..', where {x} may be
        (['/p/<x>', '/p/{y}'], '/p/..', "[('y', '..')]"),
        (['/p/<x>', '/p/{y}b'], '/p/C:b', "[('y', 'C:')]"),
        # {x} does not match the empty segment, nor one with arguments
        (['/p/{x}', '/p/'], '/p/', '[]'),
        (['/p/{x}', '/p/<string(minlength=1):y>'], '/p/7', "[('x', '7')]"),
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


def make_handlers(*handlers, prefix=None, name='Rest', setup=None):
    """A controller *name* with one handler per ``(name, pattern[,
    methods])``, in that order, answering its name; *setup(config)* runs
    before it is added."""
    namespace = {}
    for handler_name, pattern, *methods in handlers:

        def handler(self, **kw):
            return self.request.matched_route.name.rpartition('.')[2]

        handler.__name__ = handler_name
        handler.__qualname__ = f'{name}.{handler_name}'
        namespace[handler_name] = route(
            pattern,
            methods=methods[0] if methods else None,
            auth='public',
            csrf=False,
        )(handler)
    config = Configurator()
    config.include('pyramid_hooks')
    if setup is not None:
        setup(config)
    with config.route_prefix_context(prefix):
        config.add_controller(type(name, (Controller,), namespace))
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
    assert 'define or activate new before get_one' in message


def test_a_lone_handler_shadows_other_methods_too():
    """tgext.crud's ``put`` at ``/<pk>`` before ``get_one`` and
    ``post_delete`` at ``/<int:pk>``: a DELETE got put's 405."""
    message = handlers_refusal(
        ('put', '/<pk>', ['PUT']),
        ('get_one', '/<int:pk>', ['GET']),
        ('post_delete', '/<int:pk>', ['DELETE']),
    )
    assert "'/<int:pk>' is never served: '/<pk>' of" in message
    assert 'define or activate get_one before put' in message


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
        [('new', '/new', ['GET']), ('one', '/{pk}', ['GET'])],
        [('one', '/a/<pk>', ['GET']), ('new', '/b/new', ['GET'])],
        [('one', '/<pk>', ['GET']), ('new', '/new/x', ['GET'])],
    ],
)
def test_urls_not_shadowed_start(handlers):
    make_handlers(*handlers)


@pytest.mark.parametrize('pattern', ['.json', 'shop', '<int:id>'])
def test_a_pattern_without_its_leading_slash_is_refused(pattern):
    """Under ``route_prefix_context('/movies')``, tgext.crud's
    ``/movies.json`` written ``route('.json')`` was ``/movies/.json``."""
    with pytest.raises(ConfigurationError) as info:
        route([pattern])
    message = str(info.value)
    assert f'route({pattern!r}): a path pattern starts with "/"' in message
    assert f'"/movies/{pattern}"' in message
    assert f'write {"/" + pattern!r}' in message
    assert "or is '', the route prefix itself" in message


def test_the_refusal_of_dot_json_says_what_serves_movies_dot_json():
    """A TurboGears porter wants ``/movies.json`` under the prefix
    ``/movies``; the message's ``write '/.json'`` alone gave
    ``/movies/.json`` again.  It now says what serves the URL, and doing
    what it says serves it beside the prefixed controller."""
    with pytest.raises(ConfigurationError) as info:

        class Movies(Controller):
            @route('.json', methods=['GET'], auth='public')
            def get_all_json(self):
                return 'json'

    message = str(info.value)
    assert "write '/.json' for that URL" in message
    assert (
        'a URL without a "/" after the prefix ("/movies.json") is no '
        'pattern under it: route the whole URL from a controller activated '
        'outside the route prefix'
    ) in message

    class Movies(Controller):
        @route('', methods=['GET'], auth='public')
        def get_all(self):
            return 'html'

    class MoviesJson(Controller):
        @route('/movies.json', methods=['GET'], auth='public')
        def get_all_json(self):
            return 'json'

    config = Configurator()
    config.include('pyramid_hooks')
    with config.route_prefix_context('/movies'):
        config.add_controller(Movies)
    config.add_controller(MoviesJson)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/movies').text == 'html'
    assert app.get('/movies.json').text == 'json'


@pytest.mark.parametrize(
    ('prefix', 'served', 'not_served'),
    [
        ('/movies', '/movies', '/movies/'),
        ('movies', '/movies', '/movies/'),
        ('/movies/', '/movies', '/movies/'),  # Pyramid strips the slash
        (None, '/', '/movies'),
    ],
)
def test_the_empty_pattern_is_the_route_prefix_itself(
    prefix, served, not_served
):
    """TurboGears serves a controller's ``get_all`` at its mount point,
    ``/movies``: ``route('')`` is that URL, as Pyramid's
    ``add_route(name, '', inherit_slash=True)`` is, where Pyramid's
    default would give ``/movies/``; its 405 and its handlers sharing it
    too."""
    app = make_handlers(
        ('get_all', '', ['GET']),
        ('post', '', ['POST']),
        ('get_one', '/<int:pk>', ['GET']),
        prefix=prefix,
    )
    assert app.get(served).text == 'get_all'
    assert app.post(served).text == 'post'
    assert app.put(served, status=405).headers['Allow'] == 'GET, HEAD, POST'
    app.get(not_served, status=404)
    assert app.get(served.rstrip('/') + '/7').text == 'get_one'


# Across handlers: the routes are added handler after handler, so the
# first route that matches may be another handler's.


def app_of(*classes, prefix=None, converter=None):
    config = Configurator()
    config.include('pyramid_hooks')
    if converter is not None:
        config.add_route_converter('model', r'[0-9]{1,18}', converter)
    for cls in classes:
        if prefix is None:
            config.add_controller(cls)
        else:
            with config.route_prefix_context(prefix):
                config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def test_a_handler_shadowed_by_one_defined_before_it_is_refused():
    """``/c/new`` went to ``slug`` defined before it, silently (Werkzeug
    gives it to ``new``, a static segment being more specific)."""

    class Blog(Controller):
        @route('/c/<string:name>', auth='public')
        def slug(self, name):
            return f'slug {name}'  # pragma: no cover - refused

        @route(['/c/new', '/d'], auth='public')
        def new(self):
            return 'new'  # pragma: no cover - refused

    with pytest.raises(ConfigurationError) as info:
        app_of(Blog)
    message = str(info.value)
    assert 'Blog.new' in message
    assert "'/c/new' is never served" in message
    assert "'/c/<string:name>' of " in message and 'Blog.slug' in message
    assert 'define or activate new before slug' in message


def test_an_extensions_handler_shadowed_by_its_bases_is_refused():
    """The base's handlers are added first: an extension adding
    ``/shop/new`` beside the base's ``/shop/<slug>`` would never run."""

    class Shop(Controller):
        @route('/shop/<slug>', auth='public')
        def product(self, slug):
            return slug  # pragma: no cover - refused

    class ShopNew(Shop):
        @route('/shop/new', auth='public')
        def new(self):
            return 'new'  # pragma: no cover - refused

    with pytest.raises(ConfigurationError, match="'/shop/new' is never"):
        app_of(ShopNew)


def test_handlers_in_werkzeugs_order_are_served():
    class Blog(Controller):
        @route('/c/new', auth='public')
        def new(self):
            return 'new'

        @route('/c/<string:name>', auth='public')
        def slug(self, name):
            return f'slug {name}'

    class Other(Controller):  # another controller, activated after
        @route('/c/<int:n>/x', auth='public')
        def other(self, n):
            return f'other {n}'

        @route('/c/<string:name>/x', auth='public')
        def other_name(self, name):
            return f'other name {name}'

    app = app_of(Blog, Other)
    assert app.get('/c/new').text == 'new'
    assert app.get('/c/old').text == 'slug old'
    assert app.get('/c/3/x').text == 'other 3'
    assert app.get('/c/x3/x').text == 'other name x3'


def test_what_may_not_match_is_not_refused():
    """An own converter (its to_python may refuse), a route whose methods
    are split among handlers at its URL (route predicates: another
    method tries the next route), one of the handler's own list (its own
    check), a Pyramid placeholder."""

    def record(request, value, model):
        if value == '7':
            raise HTTPNotFound()
        return int(value)

    class Site(Controller):
        @route('/m/<model("x"):rec>', auth='public')
        def rec(self, rec):
            return f'rec {rec}'

        @route('/m/7', auth='public')
        def seven(self):
            return 'seven'

        @route('/v/<x>', auth='public', methods=['GET'])
        def view(self, x):
            return f'view {x}'

        @route('/v/<x>', auth='public', methods=['POST'], csrf=False)
        def change(self, x):
            return f'change {x}'  # pragma: no cover - not asked

        @route('/v/new', auth='public', methods=['PUT'], csrf=False)
        def put_new(self):
            return 'put new'

    app = app_of(Site, converter=record)
    assert app.get('/m/7').text == 'seven'
    assert app.get('/m/8').text == 'rec 8'
    assert app.get('/v/new').text == 'view new'
    assert app.put('/v/new').text == 'put new'


def test_the_route_prefix_counts():
    class Shop(Controller):
        @route('/<string:page>', auth='public')
        def page(self, page):
            return f'page {page}'  # pragma: no cover - refused

    class Admin(Controller):
        @route('/shop/admin', auth='public')
        def admin(self):
            return 'admin'  # pragma: no cover - refused

    config = Configurator()
    config.include('pyramid_hooks')
    with config.route_prefix_context('/shop'):
        config.add_controller(Shop)
    config.add_controller(Admin)
    with pytest.raises(ConfigurationError, match="'/shop/admin' is never"):
        config.make_wsgi_app()
    # under another prefix, no URL of one is the other's
    app = app_of(Shop, prefix='/store')
    assert app.get('/store/x').text == 'page x'


# Pyramid's own placeholders, ``{name}`` and the old style ``:name``: the
# names do not make another URL, and ``{name}`` covers what ``<string:>``
# covers.


@pytest.mark.parametrize(
    ('earlier', 'later'),
    [
        ('/{pk}', '/new'),
        ('/:pk', '/new'),
        ('/{pk}', '/<int:id>'),
    ],
)
def test_a_pyramid_placeholder_shadows_what_it_covers(earlier, later):
    """``/new`` after ``/{pk}`` went to ``one``, silently."""
    message = handlers_refusal(
        ('one', earlier, ['GET']), ('new', later, ['GET'])
    )
    assert f'{later!r} is never served: {earlier!r} of' in message
    assert 'define or activate new before one' in message


@pytest.mark.parametrize('later', ['/x/{pk}', '/x/:pk', '/x/{id}'])
def test_placeholder_names_do_not_make_another_url(later):
    """``/x/:id`` and ``/x/{pk}`` are ``/x/{id}`` to Pyramid: a POST
    handler there got the first route's 405, silently; now the two
    share the URL, and two handlers for one method are refused."""
    app = make_handlers(('get', '/x/{id}', ['GET']), ('post', later, ['POST']))
    assert app.get('/x/1').text == 'get'
    assert app.post('/x/1').text == 'post'
    assert app.put('/x/1', status=405).headers['Allow'] == 'GET, HEAD, POST'
    message = handlers_refusal(
        ('one', '/x/:id', ['GET']), ('two', later, ['GET', 'PUT'])
    )
    assert 'Rest.one' in message and 'Rest.two' in message
    assert "both answer '/x/:id' for GET, HEAD: only the first" in message


# An application's converter without ``to_python`` is its regex alone: a
# static segment that regex matches is covered by it, as by <string:>.


def slug_app(*handlers, prefix=None):
    """*handlers*' ``(name, pattern)`` in that order, with the converter
    ``slug`` (a regex, no ``to_python``)."""

    def setup(config):
        config.add_route_converter('slug', r'[a-z0-9-]{1,40}')

    return make_handlers(*handlers, prefix=prefix, name='Slugs', setup=setup)


@pytest.mark.parametrize('prefix', [None, '/calendar'])
def test_a_regex_converter_shadowing_a_static_segment_is_refused(prefix):
    """TurboGears' ``_default`` defined before ``list`` (object dispatch
    tries the methods first): ``/list`` went to ``_default``, silently."""
    with pytest.raises(ConfigurationError) as info:
        slug_app(('_default', '/<slug:cal>'), ('list', '/list'), prefix=prefix)
    message = str(info.value)
    assert "'/list' is never served" in message.replace(f'{prefix}', '')
    assert 'Slugs._default' in message
    assert 'define or activate list before _default' in message


def test_a_regex_converter_in_a_route_list_is_compared_too():
    with pytest.raises(ConfigurationError) as info:
        slug_app(('page', ['/p/<slug:name>', '/p/about']))
    assert "'/p/about' is never served" in str(info.value)


def test_a_regex_converter_lets_what_its_regex_refuses_through():
    """``/LIST`` and ``/a.b`` are no slugs: the later routes serve them;
    and defined first, the static route is served."""
    app = slug_app(
        ('_default', '/<slug:cal>'),
        ('upper', '/LIST'),
        ('dotted', '/a.b'),
        ('same', '/<slug:other>/x'),
    )
    assert app.get('/LIST').text == 'upper'
    assert app.get('/a.b').text == 'dotted'
    assert app.get('/list').text == '_default'
    app = slug_app(('list', '/list'), ('_default', '/<slug:cal>'))
    assert app.get('/list').text == 'list'
    assert app.get('/other').text == '_default'


@pytest.mark.parametrize(
    'routes',
    [['/<any(list, new):which>', '/list'], ['/a/<any(b, c):x>', '/a/c']],
)
def test_an_any_placeholder_shadowing_a_static_segment_is_refused(routes):
    """``/list`` after ``/<any(list, new):which>`` went to the first,
    silently."""
    with pytest.raises(ConfigurationError) as info:
        slug_app(('first', routes[0]), ('second', routes[1]))
    assert f"'{routes[1]}' is never served" in str(info.value)


def test_an_any_placeholder_lets_what_it_does_not_list_through():
    app = slug_app(('first', '/<any(list, new):which>'), ('other', '/old'))
    assert app.get('/old').text == 'other'
    assert app.get('/new').text == 'first'


@pytest.mark.parametrize('prefix', ['/movies', None])
def test_a_narrower_handler_alone_at_its_url_before_a_wider_one_is_refused(
    prefix,
):
    """``get_one`` at ``/<int:pk>`` (``GET``) then ``put`` at ``/<pk>``
    (``PUT``) started, and ``PUT /movies/1`` was ``get_one``'s 405: ``put``
    served ``/movies/x`` only."""
    message = handlers_refusal(
        ('get_one', '/<int:pk>', ['GET']),
        ('put', '/<pk>', ['PUT']),
        prefix=prefix,
    )
    url = '/movies' if prefix else ''
    assert f'Rest.put ({__file__}' in message
    assert (
        f"'{url}/<pk>' is not served where '{url}/<int:pk>' of "
        'tests.test_controllers_pattern_order.Rest.get_one'
    ) in message
    assert (
        'that route answers those URLs with its 405 (Allow: GET, HEAD). '
        'Give put the pattern of get_one: sharing one URL, each answers '
        'its methods'
    ) in message


def test_the_fix_of_a_narrower_handler_serves_each_method():
    app = make_handlers(
        ('get_one', '/<int:pk>', ['GET']),
        ('put', '/<int:pk>', ['PUT']),
        prefix='/movies',
    )
    assert app.get('/movies/1').text == 'get_one'
    assert app.put('/movies/1').text == 'put'


@pytest.mark.parametrize(
    'handlers',
    [
        # a static URL's 405 answers that one URL, as crank's new does
        [('new', '/new', ['GET']), ('put', '/<pk>', ['PUT'])],
        # the later one serves no method the earlier one lacks
        [('one', '/<int:pk>', ['GET']), ('slug', '/<pk>', ['GET'])],
        # the earlier one serves every method
        [('one', '/<int:pk>', None), ('put', '/<pk>', ['PUT'])],
        # the earlier one shares its URL: its methods only
        [
            ('one', '/<int:pk>', ['GET']),
            ('delete', '/<int:pk>', ['DELETE']),
            ('put', '/<pk>', ['PUT']),
        ],
        # not wider
        [('one', '/<pk>/a', ['GET']), ('put', '/<int:pk>/b', ['PUT'])],
    ],
)
def test_handlers_a_405_does_not_hide_start(handlers):
    make_handlers(*handlers)


def test_a_narrower_handler_of_an_earlier_commit_is_seen():
    class Early(Controller):
        @route('/<int:pk>', methods=['GET'], auth='public')
        def get_one(self, pk):  # pragma: no cover - never started
            return 'one'

    class Late(Controller):
        @route('/<pk>', methods=['PUT'], auth='public', csrf=False)
        def put(self, pk):  # pragma: no cover - never started
            return 'put'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Early)
    config.commit()
    config.add_controller(Late)
    with pytest.raises(ConfigurationError) as info:
        config.make_wsgi_app()
    assert "'/<pk>' is not served where '/<int:pk>'" in str(info.value)


@pytest.mark.parametrize(
    ('earlier', 'later'),
    [
        ('/files/<path:rest>', '/files/new'),
        ('/files/<path:rest>', '/files/<int:id>/edit'),
        ('/files/*rest', '/files/'),
        ('/files/<int:id>', '/files/42'),
    ],
)
def test_the_rest_of_the_path_and_converted_values_shadow(earlier, later):
    """A handler at ``<path:>`` or Pyramid's ``*name`` answers every
    longer URL under it, and one at ``<int:>`` the digits: the handler
    activated after it was never served, silently."""

    class Files(Controller):
        @route(earlier, auth='public')
        def any_file(self, **kw):
            return 'any'  # pragma: no cover - refused at startup

    class Other(Controller):
        @route(later, auth='public')
        def other(self, **kw):
            return 'other'  # pragma: no cover - refused at startup

    with pytest.raises(ConfigurationError) as info:
        app_of(Files, Other)
    assert f'{later!r} is never served: {earlier!r} of ' in str(info.value)
    app = app_of(Other, Files)  # in the other order each is served
    assert app.get(later.replace('<int:id>', '7')).text == 'other'
