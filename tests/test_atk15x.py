"""Attacker pass 15x: this round's changes, each probe driven through a
real Pyramid app."""

import types

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller, Invalid, route
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)
from tests.test_fix15 import RaisingPolicy, raising_decorator

# -- 1. a policy's own HTTPForbidden at a lone JSON URL: -32001 -------------


def locked():
    return HTTPForbidden('account locked')


forbid = raising_decorator(HTTPForbidden)


class Locked(Controller):
    @route('/lone', type='json', auth='public', permission='edit')
    def lone(self):
        return 'lone'  # pragma: no cover

    @route('/guarded', type='json', auth='public', decorator=forbid)
    def guarded(self):
        return 'guarded'  # pragma: no cover


def locked_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(RaisingPolicy(locked))
    config.add_controller(Locked)
    return TestApp(config.make_wsgi_app())


def test_a_policys_forbidden_at_a_lone_json_url_is_the_calls_refusal():
    """A policy raising ``HTTPForbidden`` was Pyramid's 403 text page at
    a URL of one handler (every call of a batch lost), the ``-32001`` at a
    shared URL and for the policy's other HTTP exceptions."""
    app = locked_app()
    one = {'jsonrpc': '2.0', 'id': 1, 'method': 'lone'}
    error = {
        'code': -32001,
        'message': 'Access denied',
        'data': {'status': 403},
    }
    assert app.post_json('/lone', one).json['error'] == error
    replies = app.post_json('/lone', [one, {**one, 'id': 2}]).json
    assert [reply['error'] for reply in replies] == [error, error]
    assert 'account locked' not in app.post_json('/lone', one).text


def test_a_decorators_forbidden_still_reaches_pyramid():
    body = {'jsonrpc': '2.0', 'id': 1, 'method': 'guarded'}
    assert locked_app().post_json('/guarded', body, status=403)


# -- 2. an auth mode's check that yields: refused at startup ----------------


def token_check(request):
    """A check written with ``yield``: its body never runs."""
    if request.params.get('token') != 'secret':
        yield False  # pragma: no cover


class Tokened(Controller):
    @route('/tokened', auth='token', renderer='json')
    def tokened(self):
        return 'secret data'  # pragma: no cover


def test_an_auth_check_that_yields_is_refused_at_startup():
    """As a generator handler, wrapper, listener or authorization handler
    is: the check was accepted and every request a 500, its body never
    run (``returned a generator``)."""
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as raised:
        config.add_controller_auth('token', token_check)
        config.add_controller(Tokened)
        config.make_wsgi_app()
    message = str(raised.value)
    assert "add_controller_auth 'token'" in message
    assert 'token_check' in message
    assert 'generator function' in message


# -- 3. a class method handler taking **kw: the client's cls= --------------


class Search(Controller):
    @route('/search', auth='public', renderer='json')
    @classmethod
    def search(cls, **filters):
        return sorted(filters)

    @classmethod
    @route('/search.json', type='json', auth='public')
    def search_json(cls, **filters):
        return sorted(filters)  # pragma: no cover


def test_a_class_method_handlers_cls_is_no_clients_parameter():
    """``?cls=x`` was a 500 for every client (``got multiple values for
    argument 'cls'``); it is left out, as ``self=`` of a method is."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Search)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/search?cls=x&q=1').json == ['q']
    body = {'jsonrpc': '2.0', 'id': 1, 'method': 'x', 'params': {'cls': 1}}
    error = app.post_json('/search.json', body).json['error']
    assert error['code'] == -32602


# -- 4. the 400 page: no default repr, in a set, a generator, deep ----------


class Tag:
    """A model without text of its own (SQLAlchemy's default repr)."""


TAGS = [Tag(), Tag()]
NESTED = [TAGS[0]]
for _ in range(40):
    NESTED = [NESTED]

ERRORS = {
    'set': {'tags': {TAGS[0]}},
    'frozenset': frozenset(TAGS),
    'generator': {'tags': (tag for tag in TAGS)},
    'function': {'tags': lambda value: value},
    'deep': {'tags': NESTED},
}


@pytest.mark.parametrize('case', sorted(ERRORS))
def test_an_error_holding_objects_without_text_shows_no_address(case):
    """The 'invalid value' rule missed what holds such an object, or has
    Python's default repr of its own: ``{<tests.test_atk15x.Tag object at
    0x7f...>}``, ``<generator object <genexpr> at 0x...>`` reached the
    client, a class name and an address."""

    def refuse(request, params):
        raise Invalid(ERRORS[case])

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('tags', '/tags')
    config.add_view(lambda request: None, route_name='tags', validate=refuse)
    app = TestApp(config.make_wsgi_app())
    for accept in ('text/html', 'application/json'):
        res = app.get('/tags', headers={'Accept': accept}, status=400)
        assert 'invalid value' in res.text
        assert ' at 0x' not in res.text and 'Tag' not in res.text


# -- 5. a generator callback with a response adapter for generators --------


def streamed(rows):
    """A response adapter for generators: each row streamed as it comes."""
    return Response(
        app_iter=(row.encode() for row in rows), content_type='text/csv'
    )


class Export(ServerSideCallbackMixin):
    @serverside_callback
    def rows(self, request):
        for n in range(3):
            yield f'row {n}\n'


def test_a_generator_callback_is_served_by_a_response_adapter():
    """Refused at startup as no response, though the application has a
    response adapter for generators (``config.add_response_adapter``,
    added after the widget too), which serves it, as a plain Pyramid
    view or a controller returning one: it is refused without one only."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_widget(Export(id='export'))
    config.add_response_adapter(streamed, types.GeneratorType)
    app = TestApp(config.make_wsgi_app())
    res = app.get('/_widgets/export/rows')
    assert res.text == 'row 0\nrow 1\nrow 2\n'
    assert res.content_type == 'text/csv'


# -- 6. a static or class method handler's body checked as a method's ------


class Feed(Controller):
    @route('/feed', auth='public')
    @staticmethod
    async def feed():
        return 'feed'  # pragma: no cover


class Rows(Controller):
    @classmethod
    @route('/rows', type='json', auth='public')
    def rows(cls):
        yield 'row'  # pragma: no cover


@pytest.mark.parametrize(
    ('controller', 'why'),
    [(Feed, 'async function'), (Rows, 'generator function')],
)
def test_a_static_or_class_method_handler_that_never_runs_is_refused(
    controller, why
):
    """Served since this round, they skipped the startup check of a
    method's body: an ``async def`` was a 500 per request, a JSON
    generator a ``-32603`` per call, their bodies never run."""
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as raised:
        config.add_controller(controller)
        config.make_wsgi_app()
    name = f'{controller.__name__}.{controller.__name__.lower()}'
    assert name in str(raised.value)
    assert why in str(raised.value)
