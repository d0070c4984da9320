"""A pipeline listener or controller wrapper scoped so that no view has its
scope would never run, and is refused when the application is made.

- ``route_name=`` a route that exists but that no view is added for: the
  dangerous case is a ``use_global_views=True`` route, which global views
  answer with no access check at all.
- ``view=`` a callable no view was added with (a base class of the view's
  class), or added to the registry after the views it names were derived
  (a later commit)."""

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
    assert 'test_dead_scopes.py' in message
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


# -- view= scopes ---------------------------------------------------------


class BasePage:
    def __init__(self, request):
        self.request = request

    def __call__(self):
        return Response('a page')


class Page(BasePage):
    pass


def accept(request, params):
    return params


def guard(kind, config, view):
    if kind == 'wrapper':
        config.add_controller_wrapper(require_admin, view=view)
    else:
        config.register_hook('before_call', refuse_anonymous, view=view)


@pytest.mark.parametrize('kind', ['wrapper', 'listener'])
def test_a_base_class_of_the_view_class_is_refused(kind):
    """``view=`` matches the class a view was added with: before, a check
    scoped to the base class never ran, and the page answered everyone."""
    config = Configurator()
    config.include('pyramid_hooks')
    guard(kind, config, BasePage)
    config.add_route('page', '/page')
    config.add_view(Page, route_name='page')
    with pytest.raises(ConfigurationError) as exc:
        config.make_wsgi_app()
    message = str(exc.value)
    assert 'scoped to view=tests.test_dead_scopes.BasePage' in message
    assert 'test_dead_scopes.py' in message  # where it was registered
    assert 'not a base class of it' in message
    assert 'Scope it with the callable given to add_view' in message


@pytest.mark.parametrize('kind', ['wrapper', 'listener'])
def test_a_registration_in_a_later_commit_is_refused(kind):
    """The view's pipeline was composed in the first commit: before, the
    check registered in the second never ran for it."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('page', '/page')
    config.add_view(Page, route_name='page')
    config.commit()
    guard(kind, config, Page)
    with pytest.raises(ConfigurationError, match='register it before the'):
        config.make_wsgi_app()


@pytest.mark.parametrize('kind', ['wrapper', 'listener'])
def test_the_view_class_and_an_error_handler_apply(kind):
    def handler(request):
        return Response('the error handler')

    config = Configurator()
    config.include('pyramid_hooks')
    guard(kind, config, Page)
    config.register_hook(
        'after_render', lambda request, response: None, view=handler
    )
    config.add_route('page', '/page')
    config.add_view(
        Page, route_name='page', validate=accept, error_handler=handler
    )
    app = TestApp(config.make_wsgi_app())
    app.get('/page', status=403)


def test_an_autocommitting_configurator_sees_every_view():
    """Views added before the registration are noted too
    (``IDerivedViews``): one the scope matches would be refused at once,
    as before; one it does not match does not keep the scope alive."""
    config = Configurator(autocommit=True)
    config.include('pyramid_hooks')
    config.add_route('page', '/page')
    config.add_view(Page, route_name='page')
    config.register_hook('before_call', refuse_anonymous, view=BasePage)
    config.add_route('base', '/base')
    config.add_view(BasePage, route_name='base')
    app = TestApp(config.make_wsgi_app())
    app.get('/base', status=403)
    assert app.get('/page').text == 'a page'
