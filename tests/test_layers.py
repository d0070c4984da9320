"""Layering you can see: ``config.include('pyramid_hooks')`` sets up the
core and every feature; a feature's include alone brings the core it needs
and nothing else (the import direction is tested in tests/test_shared.py).
"""

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller, route
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)

CORE = (
    'add_hook_namespace',
    'add_hook',
    'register_hook',
    'unregister_hook',
    'add_controller_wrapper',
    'add_application_wrapper',
)
CONTROLLERS = ('add_controller', 'add_controller_auth', 'add_route_converter')
WIDGETS = ('add_widget', 'set_callback_authorization')


def has(config, directive):
    """Whether *config* has the directive *directive*."""
    try:
        getattr(config, directive)
    except AttributeError:
        return False
    return True


def including(*names):
    config = Configurator()
    for name in names:
        config.include(name)
    return config


class Shop(Controller):
    @route('/items/{item_id}', auth='public')
    def item(self, item_id):
        self.request.hooks.notify('seen', item_id)
        return self.request.make_response(f'item {item_id}')


class Picker(ServerSideCallbackMixin):
    @serverside_callback
    def choices(self, request):
        return Response(f'choices of {self.id}')


def test_the_controllers_feature_alone_brings_the_core_and_no_widgets():
    config = including('pyramid_hooks.controllers')
    assert all(has(config, name) for name in CORE + CONTROLLERS)
    assert not any(has(config, name) for name in WIDGETS)
    seen = []
    config.register_hook('seen', seen.append)
    config.add_controller(Shop)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/items/7').text == 'item 7'
    assert seen == ['7']


def test_the_widgets_feature_alone_brings_the_core_and_no_controllers():
    config = including('pyramid_hooks.widgets')
    assert all(has(config, name) for name in CORE + WIDGETS)
    assert not any(has(config, name) for name in CONTROLLERS)
    config.add_widget(Picker(id='picker'))
    app = TestApp(config.make_wsgi_app())
    # the core's settings default: the widgets feature's always_deny
    app.get('/_widgets/picker/choices', status=403)


def test_a_widget_callback_served_with_the_widgets_feature_alone():
    config = including('pyramid_hooks.widgets')
    config.set_callback_authorization(always_allow)
    config.add_widget(Picker(id='picker'))
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/picker/choices').text == 'choices of picker'


@pytest.mark.parametrize(
    'names',
    [
        ('pyramid_hooks',),
        ('pyramid_hooks.controllers', 'pyramid_hooks.widgets'),
        ('pyramid_hooks.widgets', 'pyramid_hooks'),
        ('pyramid_hooks.controllers', 'pyramid_hooks'),
        ('pyramid_hooks', 'pyramid_hooks.controllers'),
    ],
)
def test_the_whole_package_is_the_core_and_every_feature(names):
    """Included in any order, each part once: no conflict."""
    config = including(*names)
    assert all(has(config, name) for name in CORE + CONTROLLERS + WIDGETS)
    config.add_controller(Shop)
    config.set_callback_authorization(always_allow)
    config.add_widget(Picker(id='picker'))
    app = TestApp(config.make_wsgi_app())
    assert app.get('/items/3').text == 'item 3'
    assert app.get('/_widgets/picker/choices').text == 'choices of picker'


def test_the_trace_alone_includes_the_whole_package():
    """As documented (:doc:`/tracing`): it traces all of pyramid_hooks."""
    config = including('pyramid_hooks.trace')
    assert all(has(config, name) for name in CORE + CONTROLLERS + WIDGETS)


def test_the_trace_after_one_feature_adds_no_other():
    config = including('pyramid_hooks.controllers', 'pyramid_hooks.trace')
    assert has(config, 'add_controller')
    assert not has(config, 'add_widget')
