"""tgext.routes 0.2.1, ported (tests/ports/tgext_routes.py): the
README's ``DateController`` and mapper, ``method_override``, redirects and
URL generation."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Controller, route


@pytest.fixture
def app():
    config = Configurator()
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.include('pyramid_hooks')
    config.include('tests.ports.tgext_routes')
    return TestApp(config.make_wsgi_app())


def test_date_routes_and_object_dispatch(app):
    assert app.get('/date/2012-01').text == '2012 ++ 01 ++ 33'
    assert app.get('/date/2012-01-05').text == '2012 ++ 01 ++ 05'
    got = app.get('/date/entry_by_date?year=2012&month=01&day=7')
    assert got.text == '2012 ++ 01 ++ 7'
    app.get('/date/entry_by_date?year=2012', status=400)  # no month
    app.get('/date/2012', status=404)


def test_url_generation_picks_the_pattern(app):
    assert app.get('/date/links').json == {
        'day': '/date/2012-01-05',
        'month': '/date/2012-01',
    }


def test_mapper_routes_and_dispatch_under_forsub(app):
    for url in ('/', '/forsub', '/forsub/', '/forsub/index'):
        assert app.get(url).text == 'HOME'
    assert app.get('/unex').text == 'UNEXPOSED'
    assert app.get('/json').json == {
        'routes': 'tests.ports.tgext_routes.HomeController.jsonexposed'
    }
    assert app.get('/forsub/jsonexposed').json['routes'].endswith(':1')
    app.get('/forsub/unexposed', status=404)  # not exposed: no dispatch


def test_redirect_route(app):
    got = app.get('/home', status=302)
    assert got.location == 'http://localhost/'


def test_method_override(app):
    assert app.get('/items/3').text == 'item 3'
    app.get('/items/x', status=404)  # requirements={'item_id': r'\d+'}
    app.get('/items/3?_method=DELETE', status=405)  # a link deletes nothing
    app.post('/items/3', {'_method': 'DELETE'}, status=400)  # no token
    form = app.get('/items/3/delete').forms[0]
    assert form.submit().text == 'deleted 3'
    assert (
        app.delete(
            '/items/4', headers={'X-CSRF-Token': form['csrf_token'].value}
        ).text
        == 'deleted 4'
    )


def make(patterns):
    class Dates(Controller):
        @route(patterns, auth='public')
        def entry(self, year, month, day=33):
            return f'{year} ++ {month} ++ {day}'

    config = Configurator()
    config.include('pyramid_hooks')
    with config.route_prefix_context('/date'):
        config.add_controller(Dates)
    return TestApp(config.make_wsgi_app())


def test_shorter_mixed_segment_first_is_refused():
    with pytest.raises(ConfigurationError) as raised:
        make(['/<year>-<month>', '/<year>-<month>-<day>'])
    assert "'/<year>-<month>-<day>'" in str(raised.value)
    assert "'/<year>-<month>'" in str(raised.value)


def test_longer_mixed_segment_first_serves_both():
    app = make(['/<year>-<month>-<day>', '/<year>-<month>'])
    assert app.get('/date/2012-01-05').text == '2012 ++ 01 ++ 05'
    assert app.get('/date/2012-01').text == '2012 ++ 01 ++ 33'


def test_mixed_segments_that_differ_are_accepted():
    app = make(['/<year>.<month>', '/<year>-<month>-<day>'])
    assert app.get('/date/2012.01').text == '2012 ++ 01 ++ 33'
    assert app.get('/date/2012-01-05').text == '2012 ++ 01 ++ 05'
    app = make(['/<year>-<month>', '/<year>.<month>.<day>'])
    assert app.get('/date/2012.01.05').text == '2012 ++ 01 ++ 05'


@pytest.mark.parametrize(
    'option, fix',
    [
        ({'requirements': {'year': r'\d+'}}, 'converter in the pattern'),
        ({'conditions': {'method': ['GET']}}, 'methods='),
    ],
)
def test_routes_keywords_say_what_they_become(option, fix):
    class Dates(Controller):
        @route('/<year>', auth='public', **option)
        def entry(self, year):
            return year

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Dates)
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    assert fix in str(raised.value)
    assert 'require_csrf' not in str(raised.value)  # route() refuses it


def test_pyramid_placeholders_and_two_handlers_compared_too():
    with pytest.raises(ConfigurationError) as raised:
        make(['/{year}-{month}', '/{year}-{month}-{day}'])
    assert "list '/{year}-{month}-{day}' first" in str(raised.value)

    class Dates(Controller):
        @route('/<year>-<month>', auth='public')
        def month(self, year, month):
            return month

        @route('/<year>-<month>-<day>', auth='public')
        def day(self, year, month, day):
            return day

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Dates)
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    assert 'Dates.day' in str(raised.value)
    assert 'Dates.month' in str(raised.value)
