"""The fourth attacker pass over the core, the widgets and the trace: each
test sends what an attacker (or a careless configuration) would, through a
real application, and asserts on what the client or the operator sees."""

import pytest
from pyramid import testing
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)


class Gadget(ServerSideCallbackMixin):
    id = 'gadget'

    @serverside_callback
    def run(self, request):
        return Response('ran')


def strict(callback, request):
    return Response('no', status=403)


# -- the global authorization handler set after widgets were mounted -------


@pytest.mark.parametrize('commit_between', [False, True])
def test_a_global_handler_set_after_mounted_callbacks_is_refused(
    commit_between,
):
    """An autocommitting configurator (``pyramid.testing.setUp()``), or a
    ``config.commit()`` in between, composed the callback's view with the
    handler of that time: a stricter handler set afterwards was ignored and
    the callback ran for anyone."""
    if commit_between:
        config = Configurator()
    else:
        config = testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.set_callback_authorization(always_allow)
        config.add_widget(Gadget())
        if commit_between:
            config.commit()
        with pytest.raises(ConfigurationError) as exc:
            config.set_callback_authorization(strict)
            config.commit()
        message = str(exc.value)
        assert 'test_attacks4.py' in message  # the late call's line
        assert '/_widgets/gadget/run' in message  # what it would miss
        assert 'always_allow' in message  # what they keep
        assert 'before config.add_widget' in message  # the fix
    finally:
        testing.tearDown()


def test_a_global_handler_set_first_decides_under_autocommit():
    config = testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.set_callback_authorization(strict)
        config.add_widget(Gadget())
        app = TestApp(config.make_wsgi_app())
        app.get('/_widgets/gadget/run', status=403)
    finally:
        testing.tearDown()


def test_a_late_global_handler_is_fine_for_callbacks_with_their_own():
    class Own(Gadget):
        id = 'own'
        callback_authorization = staticmethod(always_allow)

    config = testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.add_widget(Own())
        config.set_callback_authorization(strict)
        app = TestApp(config.make_wsgi_app())
        assert app.get('/_widgets/own/run').text == 'ran'
    finally:
        testing.tearDown()
