"""An autocommitting configurator (``pyramid.testing.setUp()``,
``Configurator(autocommit=True)``) derives a view when it is added: a
pipeline listener or controller wrapper registered after it can never
apply to it, and says so at startup instead of being silently left out."""

import pytest
from pyramid import testing
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

CALLS = []


def shout(request, params):
    CALLS.append('listener')


def after(request, response):
    CALLS.append('after_render')


def greet(request):
    return {'hello': 'world'}


def other(request):
    return {'other': True}


def gate(next_caller):
    def call(context, request):
        CALLS.append('wrapper')
        return next_caller(context, request)

    return call


@pytest.fixture
def config():
    CALLS.clear()
    config = testing.setUp(settings={})
    config.include('pyramid_hooks')
    config.add_route('greet', '/greet')
    config.add_view(greet, route_name='greet', renderer='json')
    yield config
    testing.tearDown()


def test_an_app_wide_listener_after_a_view_is_refused(config):
    with pytest.raises(ConfigurationError) as exc:
        config.register_hook('before_call', shout)
    message = str(exc.value)
    assert 'test_late_registrations.py' in message  # the directive's line
    assert 'greet' in message  # the view already derived
    assert 'before adding views' in message  # the fix
    assert 'autocommit' in message


def test_a_scoped_listener_or_wrapper_after_its_view_is_refused(config):
    with pytest.raises(ConfigurationError, match='greet'):
        config.register_hook('before_validate', shout, view=greet)
    with pytest.raises(ConfigurationError, match='greet'):
        config.register_hook('after_render', after, route_name='greet')
    with pytest.raises(ConfigurationError, match='add_controller_wrapper'):
        config.add_controller_wrapper(gate)
    with pytest.raises(ConfigurationError, match='greet'):
        config.add_controller_wrapper(gate, route_name='greet')


def test_registrations_that_cannot_matter_to_derived_views_pass(config):
    """Scoped to another view or route, or not a pipeline hook: still
    accepted, and they run where they apply."""
    config.register_hook('before_call', shout, view=other)
    config.add_controller_wrapper(gate, route_name='other')
    config.register_hook('new_request', lambda request: None)
    config.add_hook_namespace('mailer')
    config.add_hook('sent', namespace='mailer')
    config.register_hook('sent', lambda: None, namespace='mailer')
    config.add_route('other', '/other')
    config.add_view(other, route_name='other', renderer='json')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/greet').json == {'hello': 'world'}
    assert CALLS == []
    assert app.get('/other').json == {'other': True}
    assert CALLS == ['listener', 'wrapper']


def test_listeners_and_wrappers_registered_first_apply():
    """The order the error message advises works, with autocommit too."""
    CALLS.clear()
    config = Configurator(settings={}, autocommit=True)
    config.include('pyramid_hooks')
    config.register_hook('before_call', shout)
    config.add_controller_wrapper(gate)
    config.add_route('greet', '/greet')
    config.add_view(greet, route_name='greet', renderer='json')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/greet').json == {'hello': 'world'}
    assert CALLS == ['listener', 'wrapper']


def test_a_committing_configurator_takes_them_in_any_order():
    CALLS.clear()
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    config.add_route('greet', '/greet')
    config.add_view(greet, route_name='greet', renderer='json')
    config.register_hook('before_call', shout)
    config.add_controller_wrapper(gate)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/greet').json == {'hello': 'world'}
    assert CALLS == ['listener', 'wrapper']


def test_removing_a_listener_its_views_were_composed_with_is_refused():
    """``unregister_hook`` mirrors ``register_hook``: the derived view
    keeps the listener it was composed with, so removing it after the view
    was added would silently leave it running."""
    CALLS.clear()
    config = testing.setUp(settings={})
    try:
        config.include('pyramid_hooks')
        config.register_hook('before_call', shout)
        config.register_hook('after_render', after, route_name='greet')
        config.add_route('greet', '/greet')
        config.add_view(greet, route_name='greet', renderer='json')
        with pytest.raises(ConfigurationError) as exc:
            config.unregister_hook('before_call', shout)
        message = str(exc.value)
        assert 'unregister_hook' in message
        assert 'test_late_registrations.py' in message  # the directive's line
        assert 'it would still run for' in message and 'greet' in message
        assert 'Remove listeners before adding views' in message
        with pytest.raises(ConfigurationError, match='still run for'):
            config.unregister_hook('after_render', after, route_name='greet')
        # one that applies to no derived view is removed as before
        config.register_hook('before_call', shout, view=other)
        config.unregister_hook('before_call', shout, view=other)
        app = TestApp(config.make_wsgi_app())
        assert app.get('/greet').json == {'hello': 'world'}
        assert CALLS == ['listener', 'after_render']
    finally:
        testing.tearDown()


def test_removing_listeners_before_adding_views_takes_effect():
    CALLS.clear()
    config = testing.setUp(settings={})
    try:
        config.include('pyramid_hooks')
        config.register_hook('before_call', shout)
        config.unregister_hook('before_call', shout)
        config.add_route('greet', '/greet')
        config.add_view(greet, route_name='greet', renderer='json')
        app = TestApp(config.make_wsgi_app())
        assert app.get('/greet').json == {'hello': 'world'}
        assert CALLS == []
    finally:
        testing.tearDown()


def test_views_added_before_the_include_are_known_too():
    """A view added before ``config.include('pyramid_hooks')`` under
    autocommit has no pipeline at all: a listener or wrapper that would
    apply to it is refused, one for a later view is accepted."""
    CALLS.clear()
    config = testing.setUp(settings={})
    try:
        config.add_route('greet', '/greet')
        config.add_view(greet, route_name='greet', renderer='json')
        config.include('pyramid_hooks')
        with pytest.raises(ConfigurationError) as exc:
            config.register_hook('before_call', shout)
        message = str(exc.value)
        assert 'never run for' in message and 'greet' in message
        assert 'added before config.include("pyramid_hooks")' in message
        with pytest.raises(ConfigurationError, match='greet'):
            config.add_controller_wrapper(gate, route_name='greet')
        config.register_hook('before_call', shout, route_name='other')
        config.add_route('other', '/other')
        config.add_view(other, route_name='other', renderer='json')
        app = TestApp(config.make_wsgi_app())
        assert app.get('/greet').json == {'hello': 'world'}
        assert app.get('/other').json == {'other': True}
        assert CALLS == ['listener']
    finally:
        testing.tearDown()


class Pages:
    def __init__(self, request):
        self.request = request

    def show(self):
        return {'page': True}


def invalid_page(request, params):
    from pyramid_hooks import Invalid

    raise Invalid({'page': 'bad'})


def page_again(request):
    return {'again': True}


def test_the_message_names_each_view_once_and_at_most_five():
    """A class view by its ``attr``, a view without a route, an error
    handler's scope; an exception view (derived twice) gets no app-wide
    listener, so it is not named."""
    config = testing.setUp(settings={})
    config.include('pyramid_hooks')
    config.add_view(greet, name='plain', renderer='json')
    config.add_view(greet, context=ValueError, renderer='json')
    config.add_route('page', '/page')
    config.add_view(
        Pages,
        attr='show',
        route_name='page',
        renderer='json',
        validate=invalid_page,
        error_handler=page_again,
    )
    with pytest.raises(ConfigurationError) as exc:
        config.register_hook('before_call', shout, view=page_again)
    assert "Pages (attr 'show') of route 'page'" in str(exc.value)
    with pytest.raises(ConfigurationError) as exc:
        config.register_hook('before_call', shout)
    assert str(exc.value).endswith(
        'it would never run for tests.test_late_registrations.greet named '
        "'plain', tests.test_late_registrations.Pages (attr 'show') of "
        "route 'page'. Register listeners and controller wrappers before "
        'adding views (config.add_view, config.scan, config.add_controller), '
        'or use a committing Configurator (autocommit=False, the default), '
        'which registers them before deriving any view'
    )
    with pytest.raises(ConfigurationError) as exc:
        config.register_hook('before_call', shout, view=greet)
    assert 'run for tests.test_late_registrations.greet named ' in str(
        exc.value
    )
    # and the exception view, derived twice, once
    assert str(exc.value).count('test_late_registrations.greet') == 2
    for n in range(5):
        config.add_view(greet, name=f'v{n}', renderer='json')
    with pytest.raises(ConfigurationError, match=r'and 2 more\. Register'):
        config.add_controller_wrapper(gate)
