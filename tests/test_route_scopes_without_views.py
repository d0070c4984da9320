"""A listener or controller wrapper scoped with ``route_name=`` to a route
that exists but that no view is added for: its pipeline never has the
route's name, so the registration would never run.  The dangerous case
is a ``use_global_views=True`` route, which global views answer with no
access check at all."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from webtest import TestApp


def refuse_anonymous(request, params):
    if request.authenticated_userid is None:
        raise HTTPForbidden()


def require_admin(next_caller):
    def call(context, request):
        raise HTTPForbidden()

    return call


def page(request):
    return Response('the admin page')


def configured(kind, route_name='admin', **config_kw):
    config = Configurator(**config_kw)
    config.include('pyramid_hooks')
    if kind == 'wrapper':
        config.add_controller_wrapper(require_admin, route_name=route_name)
    else:
        config.register_hook(
            'before_call', refuse_anonymous, route_name=route_name
        )
    return config


@pytest.mark.parametrize('kind', ['wrapper', 'listener'])
def test_a_route_served_by_global_views_is_refused(kind):
    """Before, ``GET /admin`` answered the global view's page to anyone:
    the access check scoped to the route never ran."""
    config = configured(kind)
    config.add_route('admin', '/admin', use_global_views=True)
    config.add_view(page)
    with pytest.raises(ConfigurationError) as exc:
        config.make_wsgi_app()
    message = str(exc.value)
    assert "route_name='admin'" in message
    assert 'test_route_scopes_without_views.py' in message
    assert 'use_global_views=True' in message
    assert 'Scope it with view= or context=' in message


@pytest.mark.parametrize('kind', ['wrapper', 'listener'])
def test_a_route_no_view_is_added_for_is_refused(kind):
    config = configured(kind)
    config.add_route('admin', '/admin')
    with pytest.raises(ConfigurationError) as exc:
        config.make_wsgi_app()
    assert 'no view is added with that route_name, so it' in str(exc.value)


def test_a_static_route_is_named_as_such():
    """A static route only makes URLs: before, the refusal said that no
    route of that name existed, which ``proutes`` contradicted."""
    config = configured('listener', route_name='cdn')
    config.add_route('cdn', 'https://cdn.example.com/{file}', static=True)
    with pytest.raises(ConfigurationError) as exc:
        config.make_wsgi_app()
    message = str(exc.value)
    assert 'the route is static (static=True' in message
    assert 'no route of that name' not in message


@pytest.mark.parametrize('kind', ['wrapper', 'listener'])
def test_a_route_with_its_own_view_and_global_views_applies(kind):
    config = configured(kind)
    config.add_route('admin', '/admin', use_global_views=True)
    config.add_view(page, route_name='admin', request_method='POST')
    config.add_view(page)
    app = TestApp(config.make_wsgi_app())
    app.post('/admin', status=403)


def test_without_introspection_the_check_cannot_tell():
    """Only introspectables relate views to routes: with
    ``introspection=False`` the application starts as before."""
    config = configured('listener', introspection=False)
    config.add_route('admin', '/admin', use_global_views=True)
    config.add_view(page)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/admin').text == 'the admin page'
