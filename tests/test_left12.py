"""Loose ends of error handlers and route shadows (the twelfth wave's
``left12``), each driven through a real Pyramid application."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller, Invalid, route
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    always_deny,
    serverside_callback,
)


def files_app(routes):
    """An application whose handler ``files`` serves *routes* in order."""

    class Files(Controller):
        @route(routes, auth='public', renderer='string')
        def files(self, **kw):
            return repr(sorted(kw.items()))

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Files)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    'routes',
    [
        ['/f/<path:p>', '/f/a/'],  # <path:> takes 'a/'
        ['/f/<path:p>', '/f/<x>/'],
        ['/f/<path:p>', '/f/a//b'],  # and 'a//b'
    ],
)
def test_a_path_placeholder_before_a_trailing_slash_is_refused(routes):
    """``/f/<path:p>`` listed before ``/f/a/``: Pyramid serves ``/f/a/``
    with the first, ``p='a/'`` (the path converter takes an empty segment
    but as its first), so the second pattern was never served, silently.
    A startup error naming both, as the other shadowed patterns."""
    with pytest.raises(ConfigurationError) as raised:
        files_app(routes)
    message = str(raised.value)
    assert f'{routes[1]!r} is never served' in message
    assert "'/f/<path:p>', before it" in message


@pytest.mark.parametrize(
    'routes', [['/f/<path:p>', '/f/'], ['/f/<path:p>', '/f//a']]
)
def test_a_path_placeholder_does_not_take_an_empty_first_segment(routes):
    """``<path:>`` takes no empty first segment: ``/f/`` and ``/f//a``
    after ``/f/<path:p>`` are served by their own pattern."""
    app = files_app(routes)
    assert app.get('/f/b/').text == "[('p', 'b/')]"
    assert app.get(routes[1]).text == '[]'


def test_a_path_handler_before_a_trailing_slash_handler_is_refused():
    """The same across handlers: ``files`` at ``/f/<path:p>`` defined
    before ``folder`` at ``/f/a/``, which no request reached."""

    class Files(Controller):
        @route('/f/<path:p>', auth='public', renderer='string')
        def files(self, p):
            return p

        @route('/f/a/', auth='public', renderer='string')
        def folder(self):
            return 'folder'  # pragma: no cover - refused at startup

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Files)
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert "'/f/a/' is never served: '/f/<path:p>' of" in message
    assert 'define or activate folder before files' in message


def needs_q(request, params):
    if not params.get('q'):
        raise Invalid({'q': 'required'})
    return params


class Vault(ServerSideCallbackMixin):
    callback_authorization = always_deny  # nobody may call open

    @serverside_callback
    def open(self, request):
        return Response('the vault is open')


VAULT = Vault(id='vault')


def search(request):
    return Response('found')  # pragma: no cover - refused at startup


@pytest.mark.parametrize('how', ['bound', 'dotted'])
def test_a_views_error_handler_that_is_a_widget_callback_is_refused(how):
    """A plain view's ``error_handler=`` naming a widget's server-side
    callback (the widget's bound method, or its dotted name) ran it for
    any request the view's validator refused, past the callback's own
    checks (``callback_authorization``, permission, CSRF): ``GET /search``
    answered ``the vault is open``.  Refused at startup, naming both and
    the fix, as a callback's ``error_handler=`` naming another widget's
    callback is."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(VAULT)
    config.add_route('search', '/search')
    handler = VAULT.open if how == 'bound' else 'tests.test_left12.VAULT.open'
    config.add_view(
        search, route_name='search', validate=needs_q, error_handler=handler
    )
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'of view tests.test_left12.search' in message
    assert 'Vault.open is a server-side callback of a widget' in message
    assert 'give a function of (request)' in message


NOTES = {'1': 'my note'}


def note_exists(request, params):
    """``note_id`` -> the note, or refused."""
    note = NOTES.get(params.get('note_id'))
    if note is None:
        raise Invalid({'note_id': 'no such note'})
    return {**params, 'note_id': note}


def has_text(request, params):
    if not params.get('text'):
        raise Invalid({'text': 'required'})
    return params


def notes_app(show_validates):
    """``update`` (``validate=has_text``) answered by ``error_handler=
    'show'``, a page of its own, with ``validate=note_exists`` or
    without."""
    checks = {'validate': note_exists} if show_validates else {}

    class Notes(Controller):
        @route('/show/<note_id>', auth='public', renderer='string', **checks)
        def show(self, note_id, **kw):
            errors = getattr(self.request, 'validation_errors', {})
            return f'{note_id} {sorted(errors)}'

        @route(
            '/update/<note_id>',
            auth='public',
            renderer='string',
            validate=has_text,
            error_handler='show',
        )
        def update(self, note_id, text=''):
            return 'updated'  # pragma: no cover - no note to update

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Notes)
    return TestApp(config.make_wsgi_app())


def test_an_error_handler_with_its_own_validate_is_refused():
    """``show`` checks on its own route that the note exists
    (``validate=note_exists``: ``/show/2`` is a 400) and gets the note;
    as ``update``'s error handler its validator did not run (as
    TurboGears runs none of an error handler's), and ``GET /update/2``
    answered ``2 ['text']``: the refused ``note_id`` taken for a checked
    note.  Its ``validate=`` never takes effect there: a startup error
    naming both handlers, the validator and the fix."""
    with pytest.raises(ConfigurationError) as raised:
        notes_app(show_validates=True)
    message = str(raised.value)
    assert 'Notes.update' in message
    assert "its error_handler 'show' is a handler with validate=" in message
    assert 'tests.test_left12.note_exists, which does not run' in message
    assert 'a method without route() that both call' in message


def test_an_error_handler_gets_the_failing_requests_parameters():
    """Without ``validate=`` of its own, ``show`` gets the failing
    request's ``note_id`` as it came (TurboGears passes an error handler
    the original parameters), and ``request.validation_errors`` saying
    they were refused: never taken for values a validator passed."""
    app = notes_app(show_validates=False)
    assert app.get('/show/2').text == '2 []'
    assert app.get('/update/2').text == "2 ['text']"


class Notebook(ServerSideCallbackMixin):
    """``page`` checks its note (``validate=note_exists``); ``save``'s
    error handler is ``page``."""

    id = 'nb'
    callback_authorization = staticmethod(always_allow)

    @serverside_callback(validate=note_exists)
    def page(self, request):
        return Response(f'page of {request.hook_params["note_id"]}')

    @serverside_callback(validate=has_text, error_handler='page')
    def save(self, request):
        return Response('saved')  # pragma: no cover - refused at startup


def test_a_widget_error_handler_with_its_own_validate_is_refused():
    """The same for a widget: ``GET /_widgets/nb/save?note_id=2``
    answered ``page of 2``, ``page``'s validator (which gives it the
    note) not run.  Refused at startup naming both callbacks."""
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as raised:
        config.add_widget(Notebook())
    message = str(raised.value)
    assert "error_handler='page' of the callback 'save'" in message
    assert 'a callback with its own validate=, run for the requests' in message
    assert '(and it no validate=)' in message


class NoteViews:
    """Class views ported from TurboGears: ``page`` (``validate=
    note_exists``) is ``save``'s error handler."""

    def __init__(self, request):
        self.request = request

    def page(self):
        return f'page of {self.request.hook_params["note_id"]}'

    def save(self):
        return 'saved'  # pragma: no cover - refused at startup


@pytest.mark.parametrize('handler', ['page', NoteViews.page])
def test_a_class_views_error_handler_with_its_own_validate_is_refused(
    handler,
):
    """The same for class views: ``page``, a view of its own with
    ``validate=note_exists``, answered ``GET /save?note_id=2`` as ``page
    of 2``, its validator not run.  Refused when the application is made
    (the views are known then), naming both views."""
    config = Configurator()
    config.include('pyramid_hooks')
    for name, options in (
        ('page', {'validate': note_exists}),
        ('save', {'validate': has_text, 'error_handler': handler}),
    ):
        config.add_route(name, f'/{name}')
        config.add_view(
            NoteViews,
            attr=name,
            route_name=name,
            renderer='string',
            **options,
        )
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'of view tests.test_left12.NoteViews (attr' in message
    assert "'save'" in message
    assert 'its own validate=tests.test_left12.note_exists' in message


class Pay(Controller):
    @route(
        '/pay',
        auth='public',
        renderer='string',
        validate=has_text,
        error_handler='pay',
    )
    def pay(self, text=''):
        errors = sorted(getattr(self.request, 'validation_errors', None) or ())
        return f'paid {text}' if not errors else f'form again {errors}'


class Form(ServerSideCallbackMixin):
    id = 'form'
    callback_authorization = staticmethod(always_allow)

    @serverside_callback(validate=has_text, error_handler='send')
    def send(self, request):
        errors = sorted(getattr(request, 'validation_errors', None) or ())
        return Response(f'form again {errors}' if errors else 'sent')


class FormViews:
    def __init__(self, request):
        self.request = request

    def send(self):
        errors = sorted(getattr(self.request, 'validation_errors', None) or ())
        return f'form again {errors}' if errors else 'sent'


def test_a_handler_that_is_its_own_error_handler_is_served():
    """TurboGears calls the action itself when ``@validate`` names no
    error handler (it shows its form again, reading the errors): the
    port's ``error_handler=`` naming the handler itself is no other
    handler's validator skipped, and is served, for a controller, a
    widget callback and a class view."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Pay)
    config.add_widget(Form())
    config.add_route('send', '/send')
    config.add_view(
        FormViews,
        attr='send',
        route_name='send',
        renderer='string',
        validate=has_text,
        error_handler='send',
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/pay', {'text': 'x'}).text == 'paid x'
    assert app.get('/pay').text == "form again ['text']"
    assert app.get('/_widgets/form/send').text == "form again ['text']"
    assert app.get('/send').text == "form again ['text']"
    assert app.get('/send', {'text': 'x'}).text == 'sent'
