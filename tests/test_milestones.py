"""Registering from a configuration milestone (issue 21, item 1): a
listener of ``initialized_config`` may call every directive, as
TurboGears plugins do from ``milestones.config_ready``; from
``config_setup`` a directive whose action comes too late is refused
naming the listener, the directive and ``initialized_config``."""

import pytest
from pyramid.config import Configurator
from pyramid.events import NewResponse
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import ApplicationWrapper
from tests.controllers_pkg.base import Shop
from tests.widgets_fixture import Dotted


def new_config(settings=None):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    return config


def startup_error(hook, listener):
    """The message of the error an application with *listener* registered
    for *hook* fails to start with."""
    config = new_config()
    config.register_hook(hook, listener)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    return str(e.value)


def hello(request):
    return Response(request.environ.get('test.seen', 'hello'))


def hooked(request):
    return {'value': request.hooks.notify_with_value('shout', 'hi')}


class Shout(ApplicationWrapper):
    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-Wrapped'] = 'yes'
        return response


def calls_every_directive(config, settings):
    """A plugin's set-up, run at the milestone."""
    config.add_hook('shout', value=True)
    config.register_hook('shout', lambda value: value.upper())
    config.register_hook(
        'new_request',
        lambda request: request.environ.setdefault('test.seen', 'hooked'),
    )
    config.add_controller_wrapper(
        lambda next_caller: (
            lambda context, request: next_caller(context, request)
        )
    )
    config.add_application_wrapper(Shout)
    config.add_widget(Dotted(id='plugin'))
    config.add_controller(Shop)
    config.add_route('hello', '/hello')
    config.add_view(hello, route_name='hello')
    config.add_route('hooked', '/hooked')
    config.add_view(hooked, route_name='hooked', renderer='json')
    config.add_subscriber(
        lambda event: event.response.headers.update({'X-Sub': '1'}),
        'pyramid.events.NewResponse',
    )
    config.include('tests.test_milestones.plugin_include')


def plugin_include(config):
    config.add_route('included', '/included')
    config.add_view(
        lambda request: Response('included'), route_name='included'
    )


def test_every_directive_works_from_initialized_config():
    config = new_config()
    config.register_hook('initialized_config', calls_every_directive)
    app = TestApp(config.make_wsgi_app())
    res = app.get('/hello')
    assert res.text == 'hooked'  # the new_request listener ran
    assert res.headers['X-Wrapped'] == 'yes'  # the application wrapper
    assert res.headers['X-Sub'] == '1'  # the subscriber
    assert app.get('/hooked').json == {'value': 'HI'}  # hook + listener
    assert app.get('/_widgets/plugin/hello').text == 'dotted hello'
    assert app.get('/shop').text == 'shop'  # the controller
    assert app.get('/included').text == 'included'


def test_the_result_is_as_if_called_at_include_time():
    """The same set-up called directly gives the same application."""
    direct = new_config()
    calls_every_directive(direct, direct.registry.settings)
    at_milestone = new_config()
    at_milestone.register_hook('initialized_config', calls_every_directive)
    apps = [TestApp(c.make_wsgi_app()) for c in (direct, at_milestone)]
    for path in ('/hello', '/hooked', '/shop', '/_widgets/plugin/hello'):
        one, other = (app.get(path) for app in apps)
        assert (one.status, one.body) == (other.status, other.body)
        assert one.headers['X-Wrapped'] == other.headers['X-Wrapped']


def test_milestone_registrations_keep_conflict_detection():
    """Directives called at the milestone are ordinary actions: the same
    route name twice is Pyramid's conflict, naming both lines."""

    def twice(config, settings):
        config.add_route('x', '/x')
        config.add_route('x', '/y')

    message = startup_error('initialized_config', twice)
    assert "config.add_route('x', '/x')" in message
    assert "config.add_route('x', '/y')" in message


def test_listener_gets_the_application_package_and_final_settings():
    seen = []

    def listener(config, settings):
        seen.append((config.package_name, settings['marker']))

    config = new_config({'marker': 'early'})
    config.register_hook('initialized_config', listener)
    config.add_settings(marker='final')
    config.make_wsgi_app()
    assert seen == [('tests', 'final')]


def test_unregistered_milestone_listener_does_not_run():
    ran = []

    def listener(config, settings):
        ran.append(1)  # pragma: no cover

    config = new_config()
    config.register_hook('initialized_config', listener)
    config.unregister_hook('initialized_config', listener)
    config.make_wsgi_app()
    assert ran == []


def test_milestone_listener_from_a_setting():
    config = new_config(
        {'hooks.on.initialized_config': 'tests.test_milestones.add_hello'}
    )
    assert TestApp(config.make_wsgi_app()).get('/hello').text == 'hello'


def add_hello(config, settings):
    config.add_route('hello', '/hello')
    config.add_view(hello, route_name='hello')


def test_initialized_config_listener_registering_another_is_refused():
    """Too late for the milestone itself: named, with the fix."""

    def nested(config, settings):
        config.register_hook('initialized_config', add_hello)

    message = startup_error('initialized_config', nested)
    assert "nested, a listener of the 'initialized_config' hook" in message
    assert "config.register_hook('initialized_config', add_hello)" in message
    assert 'test_milestones.py:' in message
    assert 'before the configuration is committed' in message


@pytest.mark.parametrize(
    'call, directive',
    [
        (lambda c: c.add_route('late', '/late'), 'c.add_route'),
        (
            lambda c: c.add_view(hello, name='late'),
            'c.add_view(hello',
        ),
        (
            lambda c: c.register_hook('new_request', lambda r: None),
            'c.register_hook',
        ),
        (lambda c: c.add_application_wrapper(Shout), 'add_application'),
        (
            lambda c: c.add_controller_wrapper(lambda n: n),
            'c.add_controller_wrapper',
        ),
        (lambda c: c.add_widget(Dotted(id='late')), 'c.add_widget'),
        (lambda c: c.add_controller(Shop), 'c.add_controller'),
        (
            lambda c: c.add_subscriber(lambda e: None, NewResponse),
            'c.add_subscriber',
        ),
    ],
    ids=[
        'add_route',
        'add_view',
        'register_hook',
        'add_application_wrapper',
        'add_controller_wrapper',
        'add_widget',
        'add_controller',
        'add_subscriber',
    ],
)
def test_config_setup_names_listener_directive_and_milestone(call, directive):
    def late_setup(config, settings):
        call(config)

    message = startup_error('config_setup', late_setup)
    assert "late_setup, a listener of the 'config_setup' hook" in message
    assert directive in message
    assert 'test_milestones.py:' in message
    assert "of the 'initialized_config' hook instead" in message


@pytest.mark.parametrize('hook', ['initialized_config', 'config_setup'])
def test_a_milestone_error_says_which_hook_fired(hook):
    """Under its message, an error of a milestone's listener said ``in:
    Line 0 of file None``, as if the package had lost track of it."""

    def failing(config, settings):
        raise ConfigurationError('the plugin is misconfigured')

    message = startup_error(hook, failing)
    assert 'Line 0 of file None' not in message
    assert message.rstrip().endswith(
        f'in:\n  the {hook!r} hook, fired when the configuration is committed'
    )


def test_config_setup_may_still_do_what_comes_after_it():
    """An action of a later order (and anything not a directive) is fine."""
    ran = []

    def setup(config, settings):
        config.action(None, lambda: ran.append('late'), order=20_000)

    config = new_config()
    config.register_hook('config_setup', setup)
    config.make_wsgi_app()
    assert ran == ['late']


def include_registering_add_hello(config):
    config.register_hook('initialized_config', add_hello)


def test_a_registration_an_include_path_override_dropped_is_harmless():
    """The same listener registered in an include and by the including
    configuration: Pyramid keeps the outer one and drops the other, which
    stays among its pending actions; the milestone still adds actions."""
    config = new_config()
    config.include(include_registering_add_hello)
    config.register_hook('initialized_config', add_hello)
    assert TestApp(config.make_wsgi_app()).get('/hello').text == 'hello'


def test_a_failing_milestone_listener_is_named_with_its_place():
    """An exception a listener raises stops the start naming the listener
    and where it was registered (Pyramid alone names no line: the
    milestone is the add-on's action), the exception chained."""

    def plug_mailer(config, settings):
        raise LookupError('mail.host is not set')

    config = new_config()
    config.register_hook('initialized_config', plug_mailer)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert (
        "plug_mailer, a listener of the 'initialized_config' hook" in message
    )
    assert 'test_milestones.py:' in message
    assert 'LookupError: mail.host is not set' in message
    assert isinstance(e.value.evalue.__cause__, LookupError)


def test_a_directive_error_in_a_milestone_listener_is_left_as_it_is():
    """A ConfigurationError already names its offender and fix."""

    def bad_hook(config, settings):
        config.add_hook('shout', args=('1',))

    message = startup_error('initialized_config', bad_hook)
    assert "add_hook 'shout': args must be argument names" in message
    assert 'a listener of' not in message


def test_a_listener_acts_with_the_route_prefix_of_its_include():
    """docs/hooks.rst: a listener registered inside an include with a
    ``route_prefix`` adds its routes under that prefix, as a directive
    called in the include would (TurboGears' pluggables mount so); one
    registered by the application adds them at the root."""

    def plug(config, settings):
        config.add_route('plugged', '/plugged')
        config.add_view(hello, route_name='plugged')

    def plugin(config):
        config.register_hook('initialized_config', plug)

    config = new_config()
    config.include(plugin, route_prefix='/plugins')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/plugins/plugged').text == 'hello'
    app.get('/plugged', status=404)

    config = new_config()
    config.register_hook('initialized_config', plug)
    TestApp(config.make_wsgi_app()).get('/plugged')


def test_a_listener_gets_the_package_of_the_configuration_that_registered_it():
    """A listener registered by an include of another package resolves
    relative dotted names and scans in that package, as at include time;
    one given in the settings gets the application's package."""
    seen = []

    def listener(config, settings):
        seen.append(config.package_name)

    config = new_config({'hooks.on.initialized_config': __name__ + '.note'})
    config.with_package('pyramid').register_hook(
        'initialized_config', listener
    )
    config.registry.noted = seen
    config.make_wsgi_app()
    assert seen == ['tests', 'pyramid']  # the settings' first


def note(config, settings):
    config.registry.noted.append(config.package_name)


def includes_pyramid_hooks(config):
    """A plugin that includes pyramid_hooks itself, as a plugin does with
    what it needs."""
    config.include('pyramid_hooks')


def test_a_listener_from_the_settings_acts_at_the_root():
    """The settings are the application's: their milestone listener adds
    its routes at the root even when a plugin mounted with a
    ``route_prefix`` included pyramid_hooks first (it got that prefix)."""
    settings = {'hooks.on.initialized_config': f'{__name__}.add_hello'}
    config = Configurator(settings=settings)
    config.include(includes_pyramid_hooks, route_prefix='/plugin')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hello').text == 'hello'
    app.get('/plugin/hello', status=404)
