"""The thirteenth attacker pass (atk13): this round's changes (JSON-RPC
batches marked failed, route converters' errors, object_name unwrapping,
error_handler checks, the request_finished tween, call_problem's order
check), attacked from outside."""

import logging

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.test_left12 import NoteViews, has_text, note_exists
from tests.test_no_cycles import app_of, garbage, make_config

JSON = {'content_type': 'application/json'}
TEXT = {'content_type': 'text/plain'}

# -- request_finished under a tween added once committed ---------------------

TWEEN = 'tests.test_atk12w.maintenance_tween_factory'
FINISHED = 'pyramid_hooks.finished.request_finished_tween_factory'


def committed_app(seen, autocommit, under=None):
    config = Configurator(autocommit=autocommit)
    config.include('pyramid_hooks')
    config.register_hook('request_finished', lambda r: seen.append(r.path))
    config.commit()  # the app's own tweens come after: Pyramid's habit
    config.add_tween(TWEEN, **({} if under is None else {'under': under}))
    config.add_route('page', '/page')
    config.add_view(lambda request: Response('page'), route_name='page')
    return config


@pytest.mark.parametrize('under', [None, FINISHED])
@pytest.mark.parametrize('autocommit', [False, True])
def test_a_tween_added_after_a_commit_over_request_finished(autocommit, under):
    """A tween added once ours was committed (``config.commit()``, an
    autocommitting configurator) went above it: ``request_finished`` did
    not run for the requests it answered, silently.  Refusing it broke
    Kinto's suite (``peer14``): ``NewResponse`` covers it."""
    seen = []
    app = TestApp(committed_app(seen, autocommit, under).make_wsgi_app())
    app.get('/down', status=503)
    app.get('/page')
    assert seen == ['/down', '/page']


# -- a converter's error kept past the request ------------------------------


class AccessError(Exception):
    """``odoo.exceptions.AccessError``, raised by a converter."""


def private_record(request, value, model):
    raise AccessError('private record')


class Records(Controller):
    @route('/rpc/<model("x"):rec>', type='json', auth='none')
    def read(self, rec):
        return rec


def converted_app(addon):
    config = make_config(addon)
    if addon:
        config.add_route_converter('model', r'[0-9]+', private_record)
        config.add_controller(Records)
    else:
        config.add_route('rpc', '/rpc/{rec}')
        config.add_view(lambda r: {}, route_name='rpc', renderer='json')
    return app_of(config)


@pytest.mark.parametrize(
    'send',
    [
        lambda app: app.post('/rpc/2', 'no JSON', status='*', **JSON),
        lambda app: app.post('/rpc/2', '{}', status='*', **TEXT),
        lambda app: app.get('/rpc/2', status='*'),
    ],
    ids=['unparsable body', 'not JSON', 'a method the route refuses'],
)
def test_a_converters_error_answered_before_the_envelope_leaves_no_cycle(
    send,
):
    """A JSON route's converter error stayed in the matchdict, holding its
    traceback's frames, which hold the request, when the request was
    refused before the envelope read it (a body no JSON, another content
    type, a method the route does not take): a reference cycle a client
    made per request."""
    logging.getLogger('pyramid_hooks.controllers.jsonrpc').disabled = True
    try:
        found = garbage(converted_app(True), send)
    finally:
        logging.getLogger('pyramid_hooks.controllers.jsonrpc').disabled = False
    assert found <= garbage(converted_app(False), send)


# -- a class view's error handler validated as a view of another class ------


class SubNoteViews(NoteViews):
    """A subclass inheriting ``page``, a view of :class:`NoteViews` with
    ``validate=note_exists``."""


@pytest.mark.parametrize(
    ('page_of', 'save_of'),
    [(NoteViews, SubNoteViews), (SubNoteViews, NoteViews)],
    ids=['handler view of the base', 'handler view of the subclass'],
)
def test_an_inherited_error_handler_with_its_own_validate_is_refused(
    page_of, save_of
):
    """``save``'s ``error_handler='page'`` on one class, ``page`` a view
    with ``validate=note_exists`` on its base (or subclass): the same
    function, and ``GET /save?note_id=2`` answered ``page of 2``, its
    validator not run, no startup error (only the same class was looked
    at)."""
    config = Configurator()
    config.include('pyramid_hooks')
    for name, cls, options in (
        ('page', page_of, {'validate': note_exists}),
        ('save', save_of, {'validate': has_text, 'error_handler': 'page'}),
    ):
        config.add_route(name, f'/{name}')
        config.add_view(
            cls, attr=name, route_name=name, renderer='string', **options
        )
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'its own validate=tests.test_left12.note_exists' in message


# -- a module's shorthand decorator named as its listener or wrapper --------


def test_a_shorthand_named_as_its_listener_is_no_bare_decorator():
    """``stamp = before_render(stamp)`` written over a view, and a plugin's
    ``timed = controller_wrapper(wrappers.timed)`` made for the views of
    other packages, were refused as written bare over a listener: the
    application did not start.  One that decorated a view, or that
    applies another module's function, is no bare decorator."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('home', '/')
    config.scan('tests.atk13_shorthand_fixture')
    reply = TestApp(config.make_wsgi_app()).get('/')
    assert reply.text == 'home'
    assert reply.headers['X-Stamp'] == 'stamped'
    assert 'X-Timed' not in reply.headers  # decorates no view here


# -- a JSON-RPC method taking a parameter named request ---------------------


class Leaves(Controller):
    @route('/leaves/submit', type='json', auth='none')
    def submit(self, request):
        return {'days': request['days']}


def test_a_json_handler_may_take_a_parameter_named_request():
    """A JSON-RPC method whose params name a ``request`` (a leave
    request) was refused at startup as a Pyramid view's habit, saying that
    only a query or form field gives it: a call's params give it."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Leaves)
    app = TestApp(config.make_wsgi_app())
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'submit'}
    call['params'] = {'request': {'days': 2}}
    assert app.post_json('/leaves/submit', call).json['result'] == {'days': 2}
