"""tgext.routes' ``@route('{year}-{month}', day=33)`` stacked over
``@route('{year}-{month}-{day}')``: listed the other way round, the
shorter pattern swallows every longer URL (``year='2012-01'``)."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route


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
