"""The tenth Odoo porter's pass (website_event, website_event_sale,
link_tracker, website_links, the event community page of four modules):
what the ports found in the add-on."""

import logging

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route

HERE = 'tests.test_port10o'


class Community(Controller):
    @route('/community', auth='public')
    def community(self):
        return 'skeleton'


class Rooms(Community):
    @route()
    def community(self):  # replaces the page: no super()
        return 'rooms'

    def _rooms(self):
        return 'rooms'


class Quiz(Community):
    @route()
    def community(self):
        return 'quiz'

    def _quiz(self):
        return 'quiz'


class Bridge(Community):
    """Installed with both: one page from both siblings' helpers."""

    @route()
    def community(self):
        return f'{self._rooms()} and {self._quiz()}'


class Banner(Community):
    @route()
    def community(self):
        return 'banner, ' + super().community()


def start(*classes):
    config = Configurator()
    config.include('pyramid_hooks')
    for cls in classes:
        config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def warnings(caplog):
    return [
        r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
    ]


def test_a_sibling_handler_that_never_runs_is_a_startup_warning(caplog):
    """Odoo runs the module loaded last first: a bridge activated after
    the siblings it depends on, as Odoo loads them, never ran here, the
    first activated sibling's page served without a word."""
    with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
        app = start(Community, Rooms, Quiz, Bridge)
    assert app.get('/community').text == 'rooms'
    logged = warnings(caplog)
    assert len(logged) == 2
    assert all(
        f'{HERE}.Rooms.community, activated before' in m for m in logged
    )
    assert f'handler community of {HERE}.Quiz never runs' in logged[0]
    assert f'handler community of {HERE}.Bridge never runs' in logged[1]
    assert 'does not call super()' in logged[1]
    assert 'Odoo runs the module loaded last first' in logged[1]
    assert 'make one extension extend the other' in logged[1]


def test_no_warning_when_every_sibling_runs(caplog):
    """A sibling calling ``super()`` runs the next one; a bridge that
    extends both siblings is the only leaf and serves in any order."""

    class Both(Rooms, Quiz):
        community = Bridge.community

    with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
        app = start(Community, Banner, Rooms)
        assert app.get('/community').text == 'banner, rooms'
        app = start(Community, Rooms, Quiz, Both)
        assert app.get('/community').text == 'rooms and quiz'
    assert warnings(caplog) == []


def test_a_sibling_handler_without_code_starts_as_before(caplog):
    """A handler that is no function (a callable object given
    ``route()``) is not read for ``super()``: no warning, and no
    ``AttributeError`` at startup."""

    class Call:
        def __call__(self):  # pragma: no cover - never called
            return 'called'

    class Odd(Community):
        community = route()(Call())

    with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
        start(Community, Odd, Quiz)
    assert warnings(caplog) == []


def test_odoo_17_route_keys_are_named_and_captcha_is_kept():
    """``handle_params_access_error=``, ``list_as_website_content=`` and
    ``captcha=`` (Odoo 17's routes) were ``unknown view option(s)`` with no
    hint; the first two have no counterpart, and leaving ``captcha=`` out
    would drop a bot check silently: the message says where it goes."""

    class Signup(Controller):
        @route(
            '/signup',
            auth='public',
            captcha='signup',
            handle_params_access_error=lambda error: None,
            list_as_website_content='Sign up',
        )
        def signup(self):
            return 'signed up'  # pragma: no cover - refused at startup

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Signup)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value).splitlines()[0]
    assert "captcha: Odoo's bot check of the route; check the token in " in (
        message
    )
    assert (
        'handle_params_access_error, list_as_website_content: Odoo route() '
        'key(s) with no counterpart here; leave them out'
    ) in message
