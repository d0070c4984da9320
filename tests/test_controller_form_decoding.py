"""Undecodable fields, as ``docs/controllers.rst`` says: invalid UTF-8 in
the query string is a 400; in a urlencoded form body it is read as WebOb
reads it for any Pyramid view, U+FFFD."""

from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route


class Search(Controller):
    @route('/search', auth='public', csrf=False)
    def search(self, q=''):
        return self.request.make_response(repr(q))


def app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Search)
    return TestApp(config.make_wsgi_app())


def test_invalid_utf8_in_the_query_string_is_a_400():
    app().get('/search?q=%FF', status=400)


def test_invalid_utf8_in_a_form_body_reads_as_webob_reads_it():
    response = app().post(
        '/search',
        b'q=a%FFb',
        content_type='application/x-www-form-urlencoded',
    )
    assert response.text == "'a\ufffdb'"
