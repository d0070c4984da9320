"""A subclass's override of a server-side callback, marked again, keeps
the options it does not give from the callback it overrides, as a
controller's ``route()`` override does: re-marking with a bare
``@serverside_callback`` must not open what the base protected."""

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)


def strict(callback, request):
    if request.headers.get('X-Admin') != 'yes':
        return Response('refused', status=403)
    return Response()  # 200: the call is allowed


class Base(ServerSideCallbackMixin):
    @serverside_callback(
        request_method='POST', authorization=strict, require_csrf=False
    )
    def purge(self, request):
        return Response('base purged')  # pragma: no cover - overridden


class Child(Base):
    @serverside_callback
    def purge(self, request):
        return Response('child purged')


class Opened(Base):
    @serverside_callback(request_method=['GET', 'POST'])
    def purge(self, request):
        return Response('opened purged')


class Unmarked(Base):
    def purge(self, request):  # pragma: no cover - not a callback
        return Response('unmarked')


class Grandchild(Child):
    @serverside_callback(authorization=always_allow)
    def purge(self, request):
        return Response('grandchild purged')


def app_of(*widgets):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    for widget in widgets:
        config.add_widget(widget)
    return TestApp(config.make_wsgi_app())


@pytest.fixture(scope='module')
def app():
    return app_of(
        Child(id='child'),
        Opened(id='opened'),
        Grandchild(id='grandchild'),
    )


def test_a_bare_override_keeps_the_method_and_the_authorization(app):
    """Before, ``GET`` answered 200 ``child purged`` to anyone: the
    override had no ``request_method`` and the global handler's
    ``always_allow``."""
    response = app.get('/_widgets/child/purge', status=405)
    assert response.headers['Allow'] == 'POST'
    app.post('/_widgets/child/purge', status=403)
    response = app.post('/_widgets/child/purge', headers={'X-Admin': 'yes'})
    assert response.text == 'child purged'


def test_an_option_given_by_the_override_wins(app):
    response = app.get('/_widgets/opened/purge', headers={'X-Admin': 'yes'})
    assert response.text == 'opened purged'
    app.get('/_widgets/opened/purge', status=403)  # the base's handler


def test_options_are_kept_across_generations(app):
    response = app.post('/_widgets/grandchild/purge')
    assert response.text == 'grandchild purged'
    app.get('/_widgets/grandchild/purge', status=405)


def test_an_unmarked_override_is_no_callback():
    from pyramid.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError, match='no server-side callback'):
        app_of(Unmarked(id='unmarked'))


class Plain(Base):
    def purge(self, request):  # pragma: no cover - not a callback
        return Response('plain')


class Republished(Plain):
    @serverside_callback
    def purge(self, request):
        return Response('republished')


def test_an_unmarked_definition_between_ends_what_is_kept():
    """``Plain.purge`` is no callback: the override marked again over it
    keeps nothing of ``Base.purge``, two classes up."""
    app = app_of(Republished(id='republished'))
    assert app.get('/_widgets/republished/purge').text == 'republished'
