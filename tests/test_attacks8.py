"""An attacker's eighth pass: what got in (each test failed before its
fix), and probes that found nothing, kept as regression tests."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route


def routes_app(*handlers):
    """An application whose controller has one handler per ``(name,
    pattern)``, in that order, answering its name."""
    namespace = {}
    for name, pattern in handlers:

        def handler(self, **kw):
            return self.request.matched_route.name.rpartition('.')[2]

        handler.__name__ = name
        handler.__qualname__ = f'Files.{name}'
        namespace[name] = route(pattern, auth='public')(handler)
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(type('Files', (Controller,), namespace))
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('earlier', 'later'),
    [
        ('/files/{name}.{ext}', '/files/index.json'),
        ('/files/{name}.json', '/files/index.json'),
        ('/files/:name.json', '/files/index.json'),
        ('/files/v{n}', '/files/v2'),
        ('/files/<name>.json', '/files/index.json'),
        ('/{name}.json/x', '/index.json/x'),  # the first segment
    ],
)
def test_a_static_segment_a_mixed_one_matches_is_shadowed(earlier, later):
    """``/files/{name}.{ext}`` defined before ``/files/index.json`` served
    ``/files/index.json`` with the first handler, silently: a segment of
    placeholders and text was compared with one of its own shape only."""
    with pytest.raises(ConfigurationError) as info:
        routes_app(('by_name', earlier), ('index', later))
    assert f'{later!r} is never served: {earlier!r} of' in str(info.value)


@pytest.mark.parametrize(
    ('earlier', 'later', 'url'),
    [
        ('/files/{name}.{ext}', '/files/index', '/files/index'),
        ('/files/{name}.json', '/files/index.xml', '/files/index.xml'),
        ('/files/v{n}', '/files/v', '/files/v'),
        ('/files/<name>.json', '/files/.json', '/files/.json'),
        ('/files/<int:n>.json', '/files/1.json', '/files/1.json'),
        ('/files/{n:[0-9]+}.json', '/files/x.json', '/files/x.json'),
    ],
)
def test_a_static_segment_a_mixed_one_does_not_match_is_served(
    earlier, later, url
):
    """What the earlier segment's placeholders do not match (or, for
    ``<int:>``, a converter's values, or a regex, not read here) is left to
    the later route."""
    assert routes_app(('by_name', earlier), ('index', later)).get(url).text


def test_a_route_list_with_a_mixed_segment_first_is_refused():
    """The same check for the patterns of one ``route`` list."""

    class Files(Controller):
        @route(['/f/{name}.{ext}', '/f/index.json'], auth='public')
        def content(self, **kw):  # pragma: no cover
            return 'x'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Files)
    with pytest.raises(ConfigurationError, match=r"'/f/index\.json' is never"):
        config.make_wsgi_app()
