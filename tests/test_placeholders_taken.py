"""A route placeholder the handler takes no parameter for is a startup
error: its value was dropped on every request, silently (Werkzeug, Odoo's,
passes it to the handler, a ``TypeError``)."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route


def app_of(cls):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


class Typo(Controller):
    @route('/items/<int:id>', auth='public')
    def show(self, ident=None):
        return f'item {ident}'  # pragma: no cover - refused at startup


class OldStyle(Controller):
    @route('/tag/c:x', auth='public')
    def tag(self):
        return 'tag'  # pragma: no cover - refused at startup


class Remainder(Controller):
    @route('/files/*rest', auth='public')
    def files(self, path=()):
        return 'files'  # pragma: no cover - refused at startup


@pytest.mark.parametrize(
    ('cls', 'shown'),
    [
        (
            Typo,
            "the pattern '/items/<int:id>' gives 'id', which show() takes no "
            'parameter for; every request would drop it',
        ),
        (
            OldStyle,
            "the pattern '/tag/c:x' (Pyramid reads '/tag/c{x}') gives 'x'",
        ),
        (Remainder, "the pattern '/files/*rest' gives 'rest'"),
    ],
)
def test_a_placeholder_no_parameter_takes_is_refused(cls, shown):
    with pytest.raises(ConfigurationError) as info:
        app_of(cls)
    assert shown in str(info.value)
    assert 'name a parameter' in str(info.value)


class Taken(Controller):
    @route('/items/<int:id>', auth='public')
    def show(self, id):
        return f'item {id!r}'

    @route('/files/*rest', auth='public')
    def files(self, **kw):
        return f'files {kw["rest"]!r}'


def test_a_placeholder_taken_by_name_or_kw_is_served():
    app = app_of(Taken)
    assert app.get('/items/7').text == 'item 7'
    assert app.get('/files/a/b').text == "files ('a', 'b')"
