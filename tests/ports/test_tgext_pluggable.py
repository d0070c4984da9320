"""tgext.pluggable 0.9.0's plugging machinery, ported
(tests/ports/tgext_pluggable.py), plugging a small pluggable
(tests/ports/pluggable_sample) that plugs a dependency itself."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

import pyramid_hooks
from tests.ports.tgext_pluggable import (
    AlreadyPluggedException,
    MissingAppIdException,
    plug,
    plugged,
)

SAMPLE = 'tests.ports.pluggable_sample'
DEPENDENCY = 'tests.ports.pluggable_sample.dependency'


class ShoutRenderer:
    """A template engine standing for Kajiki: ``h.shout(name)``."""

    def __init__(self, info):
        pass

    def __call__(self, value, system):
        h = system['h']
        return f'{h.shout(value["name"])} {h.__dict__[SAMPLE].shout("x")}'


def make_config(**options):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_renderer('.shout', ShoutRenderer)
    plug(config, SAMPLE, **options)
    return config


def make_app(**options):
    return TestApp(pyramid_hooks.make_wsgi_app(make_config(**options)))


def test_the_pluggable_is_mounted_at_its_appid():
    app = make_app(greeting='ciao')
    reply = app.get('/sample/')
    assert reply.json == {
        'greeting': 'ciao',
        'self': '/sample/',
        'css': '/_pluggable/tests.ports.pluggable_sample/style.css',
    }


def test_a_dotted_appid_mounts_under_its_parts():
    app = make_app(appid='plugins.sample')
    assert app.get('/plugins/sample/').json['self'] == '/plugins/sample/'
    app.get('/sample/', status=404)


def test_plug_url_under_a_script_name():
    app = make_app()
    reply = app.get('/sample/', extra_environ={'SCRIPT_NAME': '/site'})
    assert reply.json['self'] == '/site/sample/'


def test_the_statics_of_the_pluggable_are_served():
    app = make_app()
    reply = app.get('/_pluggable/tests.ports.pluggable_sample/style.css')
    assert reply.text.strip() == 'body { color: teal; }'


def test_plugme_plugs_its_dependency_once():
    """``if 'x' not in plugged(): plug(app_config, 'x')``, as
    tgapp-userprofile does for resetpassword."""
    config = Configurator()
    config.include('pyramid_hooks')
    plug(config, DEPENDENCY, appid='reset')
    plug(config, SAMPLE)
    assert plugged(config.registry) == [DEPENDENCY, SAMPLE]
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    assert app.get('/reset/').text == 'dependency'
    reply = app.get('/sample/leave', status=302)
    assert reply.location == 'http://localhost/reset/?a=1'


def test_the_dependency_plugged_by_plugme_is_served():
    app = make_app()
    assert app.get('/dep/').text == 'dependency'
    assert app.get('/sample/leave', status=302).location.endswith('/dep/?a=1')


def test_helpers_reach_the_templates():
    """``h.<module>`` always, and the public helpers on ``h`` themselves
    with ``global_helpers``."""
    config = make_config()
    config.add_route('shouting', '/shouting')
    config.add_view(
        lambda request: {'name': 'ann'},
        route_name='shouting',
        renderer='x.shout',
    )
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    assert app.get('/shouting').text == 'ANN X'


def test_plugging_twice_fails_at_once():
    config = make_config()
    with pytest.raises(AlreadyPluggedException):
        plug(config, SAMPLE)


def test_a_pluggable_without_appid_is_refused():
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(MissingAppIdException):
        plug(config, 'tests.ports.pluggable_sample.helpers_only')


def test_a_failing_plug_stops_the_start_naming_the_listener():
    """tgext.pluggable logged the failure and a ``configure_new_app``
    listener stopped the start afterwards; here the commit fails."""
    config = make_config()
    plug(config, 'tests.ports.pluggable_sample.broken')
    with pytest.raises(ConfigurationError) as raised:
        pyramid_hooks.make_wsgi_app(config)
    message = str(raised.value)
    assert 'ApplicationPlugger.plug, a listener of the' in message
    assert 'LookupError: broken.dburl is not set' in message


def test_two_pluggables_at_one_appid_are_refused():
    """TurboGears set the second controller over the first, silently."""
    config = make_config()
    with pytest.raises(ConfigurationError) as raised:
        plug(config, 'tests.ports.pluggable_sample.broken', appid='sample')
    assert 'tests.ports.pluggable_sample' in str(raised.value)


def test_two_applications_plug_on_their_own():
    first = make_app(greeting='one')
    second = make_app(appid='other', greeting='two')
    assert first.get('/sample/').json['greeting'] == 'one'
    assert second.get('/other/').json['greeting'] == 'two'
    second.get('/sample/', status=404)
