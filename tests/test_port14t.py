"""The TurboGears porter's fourteenth pass (tgapp-mailtemplates:
tests/ports/tgapp_mailtemplates.py): where the add-on failed silently or
misled a port."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from pyramid_hooks import Controller, route
from tests.ports.policies import GroupsHeaderPolicy


def make_app(cls):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(GroupsHeaderPolicy())
    config.add_controller(cls)
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def test_a_stacked_route_is_refused():
    """tgapp-mailtemplates stacks ``@expose('kajiki:...')`` over
    ``@expose('genshi:...')``; ``@route`` stacked so replaced the inner
    one, silently: ``/page.txt`` answered 404."""
    with pytest.raises(ConfigurationError) as raised:

        class Pages(Controller):
            @route('/page', renderer='json')
            @route('/page.txt', renderer='string')
            def page(self):
                return {'page': 1}

    message = str(raised.value)
    assert 'Pages.page' in message and 'test_port14t.py' in message
    assert "route(['/a', '/b'])" in message


def test_a_parents_handler_rerouted_in_a_subclass_is_refused():
    """``index = route(auth='public')(Shop.index)`` would change the
    routing of ``Shop.index`` itself (``route()`` marks the function it
    is given), for every class serving it: refused, saying to override
    with ``super()``; ``Shop`` keeps its own ``auth``."""

    class Shop(Controller):
        @route('/shop', renderer='json')
        def index(self):
            return {'shop': 1}

    with pytest.raises(ConfigurationError) as raised:

        class PublicShop(Shop):
            index = route(auth='public')(Shop.index)

    assert 'return super().name(...)' in str(raised.value)
    make_app(Shop).get('/shop', status=403)


def test_one_route_with_both_patterns_serves_both():
    class Pages(Controller):
        @route(['/page', '/index'], auth='public', renderer='json')
        def page(self):
            return {'page': 1}

    app = make_app(Pages)
    assert app.get('/page').json == app.get('/index').json == {'page': 1}


class Guarded(Controller):
    """A TurboGears controller ported with its ``allow_only`` and
    ``_before`` kept: nothing reads them."""

    allow_only = 'managers'

    def _before(self, *args, **kw):
        self.request.response.headers['X-Before'] = 'ran'

    @route('/secret', renderer='json')
    def secret(self):
        return {'secret': 42}


def test_turbogears_dispatch_attributes_are_refused():
    """``allow_only`` kept on a ported controller guarded nothing: a
    signed-in user outside the group got ``/secret``, silently."""
    with pytest.raises(ConfigurationError) as raised:
        make_app(Guarded)
    message = str(raised.value)
    assert 'Guarded' in message
    assert 'allow_only' in message and '_before' in message
    assert 'before_validate' in message


def test_a_routed_default_and_a_none_allow_only_are_fine():
    """``_default`` with a ``route()`` is a handler (the calendarevents
    port's); ``allow_only = None`` checks nothing in TurboGears either."""

    class Pages(Controller):
        allow_only = None

        @route('/<name>', auth='public', renderer='json')
        def _default(self, name):
            return {'name': name}

    assert make_app(Pages).get('/x').json == {'name': 'x'}
