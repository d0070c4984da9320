"""tgext.admin 0.7.4, ported (tests/ports/tgext_admin.py): what a manager
and the others see of ``/admin``, as its ``tests/test_admin_controller.py``
checks it."""

import re

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports import tgext_admin as admin
from tests.ports import tgext_crud as crud
from tests.ports.policies import GroupsHeaderPolicy as Policy


class NotAModel:
    pass


MANAGER = {'X-User': 'manager', 'X-Groups': 'managers'}


def make_app(config_type=admin.AdminConfig):
    config = Configurator(settings={'package_name': 'movies'})
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(Policy())
    config.add_application_wrapper(crud.MethodOverride)
    admin.mount_admin(
        config, [crud.Movie, crud.Genre, NotAModel], config_type=config_type
    )
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def test_index_lists_the_models():
    page = make_app().get('/admin/', headers=MANAGER).json
    assert page['models'] == ['Movie', 'Genre']
    assert page['project_name'] == 'Movies'
    assert page['layout'] == 'tgext.admin.templates.index'


def test_index_with_trailing_slash():
    app = make_app()
    resp = app.get('/admin', headers=MANAGER, status=301)
    assert resp.location == 'http://localhost/admin/'
    assert app.get('/admin?x=1', headers=MANAGER).json['models']


def test_only_managers():
    app = make_app()
    app.get('/admin/', status=403)
    app.get('/admin', status=403)  # checked before the redirect
    app.get('/admin/movies/', status=403)
    app.get('/admin/movies/new', headers={'X-User': 'u'}, status=403)
    # a POST's CSRF token is checked before allow_only's listener: 400
    app.post('/admin/genres/', {'name': 'x'}, status=400)
    form = app.get('/admin/genres/new', headers=MANAGER).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
    app.post('/admin/genres/', {'name': 'x', 'csrf_token': token}, status=403)


def test_unknown_model_is_404():
    make_app().get('/admin/notamodels/', headers=MANAGER, status=404)


def test_crud_of_each_model():
    app = make_app()
    form = app.get('/admin/movies/new', headers=MANAGER).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
    resp = app.post(
        '/admin/movies/',
        {'title': 'Alien', 'csrf_token': token},
        headers=MANAGER,
        status=302,
    )
    assert resp.location == 'http://localhost/admin/movies/'
    assert '<li>Alien</li>' in resp.follow(headers=MANAGER).text
    app.post(
        '/admin/genres/',
        {'name': 'Horror', 'csrf_token': token},
        headers=MANAGER,
    )
    page = app.get('/admin/genres/1.json', headers=MANAGER).json
    assert page == {
        'model': 'Genre',
        'value': {'genre_id': 1, 'name': 'Horror'},
    }
    assert app.get('/admin/movies/2.json', headers=MANAGER, status=404)


class PerModelConfig(admin.AdminConfig):
    """A model's own ``CrudRestControllerConfig`` (an attribute named after
    it), and the Bootstrap layout for all."""

    layout = admin.BootstrapAdminLayout

    class genre(admin.CrudRestControllerConfig):
        title = 'Genres'
        allow_only = admin.in_group('editors')


def test_per_model_config_and_layout():
    app = make_app(PerModelConfig)
    editor = {'X-User': 'ed', 'X-Groups': 'editors'}
    assert app.get('/admin/', headers=MANAGER).json['layout'] == (
        'tgext.admin.templates.bootstrap_index'
    )
    page = app.get('/admin/genres/', headers=editor).text
    assert page.startswith('<div class="container"><h1>Genres</h1>')
    app.get('/admin/movies/', headers=editor, status=403)
    for url in ('/admin/movies/', '/admin/movies/new', '/admin/movies/new/'):
        page = app.get(url, headers=MANAGER).maybe_follow(headers=MANAGER)
        assert page.text.startswith('<div class="container">'), url
    # JSON is not overridden
    assert app.get('/admin/movies/.json', headers=MANAGER, status=404)
    page = app.get(
        '/admin/movies/', headers={**MANAGER, 'Accept': 'application/json'}
    )
    assert page.json == {'model': 'Movie', 'value_list': []}
