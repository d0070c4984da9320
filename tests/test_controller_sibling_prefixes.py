"""Sibling extensions of one controller combine into one serving class,
served under one route prefix: activated under different prefixes (one
CRUD class subclassed per resource), the routes of one answered 404,
silently.  It is a startup error naming both activations."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route


class Crud(Controller):
    model = None

    @route('/', methods=['GET'], auth='public')
    def get_all(self):
        return self.request.make_response(self.model)


class MovieCrud(Crud):
    model = 'Movie'


class GenreCrud(Crud):
    model = 'Genre'


def activate(*pairs):
    config = Configurator()
    config.include('pyramid_hooks')
    for prefix, cls in pairs:
        with config.route_prefix_context(prefix):
            config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def test_siblings_under_different_prefixes_are_refused():
    """Before, ``/genres/`` answered 404 and ``/movies/`` ``Movie``."""
    with pytest.raises(ConfigurationError) as info:
        activate(('/movies', MovieCrud), ('/genres', GenreCrud))
    message = str(info.value)
    assert 'GenreCrud at ' in message
    assert '(route prefix /genres)' in message
    assert '(route prefix /movies)' in message
    assert 'test_controller_sibling_prefixes.py' in message
    assert 'class Movies(Crud, Controller)' in message


class CrudMixin:
    model = None

    @route('/', methods=['GET'], auth='public')
    def get_all(self):
        return self.request.make_response(self.model)


class Movies(CrudMixin, Controller):
    model = 'Movie'


class Genres(CrudMixin, Controller):
    model = 'Genre'


def test_a_mixin_serves_a_resource_per_prefix():
    app = activate(('/movies', Movies), ('/genres', Genres))
    assert app.get('/movies/').text == 'Movie'
    assert app.get('/genres/').text == 'Genre'


def test_siblings_under_one_prefix_combine():
    app = activate(('/shop', MovieCrud), ('/shop/', GenreCrud))
    assert app.get('/shop/').text == 'Movie'  # the first activated's
