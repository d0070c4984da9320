"""tgapp-permissions 0.4.0, ported (tests/ports/tgapp_permissions.py):
the behaviour of its ``tests/test_controller.py``."""

from pyramid.config import Configurator
from pyramid.security import Allowed, Denied
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports.tgapp_permissions import plugme


class RemoteUserPolicy:
    """repoze.who with ``REMOTE_USER``, repoze.what's permissions: those
    of the user's groups."""

    def identity(self, request):
        name = request.environ.get('REMOTE_USER')
        users = request.registry.settings[
            '_pluggable_tgapppermissions_config'
        ]['store'].users.values()
        return next((u for u in users if u.user_name == name), None)

    def authenticated_userid(self, request):
        user = self.identity(request)
        return user and user.user_name

    def permits(self, request, context, permission):
        user = request.identity
        granted = user is not None and any(
            p.permission_name == permission
            for g in user.groups
            for p in g.permissions
        )
        return Allowed('granted') if granted else Denied('not granted')


MANAGER = {'REMOTE_USER': 'manager'}


def make_app(**options):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(RemoteUserPolicy())
    config.add_route('home', '/')
    config.add_view(
        lambda request: 'HELLO', route_name='home', renderer='string'
    )
    plugme(config, **options)
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    data = app.app.registry.settings['_pluggable_tgapppermissions_config'][
        'store'
    ]
    managers = data.add_group('managers', 'Managers')
    data.save_permission(None, 'tgapppermissions-admin', 'admin', ['1'])
    data.save_permission(None, 'tgapppermissions', 'users', ['1'])
    data.add_user('manager', 'Manager', 'manager@x.org', [managers])
    return app, data


def create(app, **params):
    values = {'permission_name': 'pname', 'description': 'descr'}
    values.update(params)
    return app.get(
        '/tgapppermissions/create_permission', values, extra_environ=MANAGER
    )


def test_index():
    app, _ = make_app()
    assert 'HELLO' in app.get('/').text


def test_tgapppermissions_index():
    app, _ = make_app()
    page = app.get('/tgapppermissions', extra_environ=MANAGER).json
    assert page['permissions_count'] == 2


def test_tgapppermissions_auth():
    app, _ = make_app()
    resp = app.get('/tgapppermissions')
    assert resp.location == 'http://localhost/tgapppermissions/users'
    resp.follow(status=403)


def test_create_permission():
    app, data = make_app()
    editors = data.add_group('editors', 'Editors')
    resp = create(app, groups=[str(editors.group_id)])
    assert resp.status_int == 302
    (perm,) = [
        p for p in data.permissions.values() if p.permission_name == 'pname'
    ]
    assert (perm.description, perm.groups) == ('descr', [editors])


def test_create_permission_invalid_answers_the_form():
    app, _ = make_app()
    page = create(app, description='', groups='9').json
    assert page['errors'] == {
        'description': 'Enter a value',
        'groups': 'Invalid value',
    }
    assert page['action'] == '/tgapppermissions/create_permission'


def test_update_permission():
    app, data = make_app()
    g1, g2 = data.add_group('editors'), data.add_group('users')
    create(app)
    resp = app.get(
        '/tgapppermissions/update_permission/3',
        {
            'permission_name': 'view',
            'description': 'perm to view things',
            'groups': [str(g1.group_id), str(g2.group_id)],
        },
        extra_environ=MANAGER,
    )
    assert resp.status_int == 302
    perm = data.permissions[3]
    assert (perm.permission_name, perm.groups) == ('view', [g1, g2])
    app.get(
        '/tgapppermissions/update_permission/9',
        {'permission_name': 'x', 'description': 'y'},
        extra_environ=MANAGER,
        status=404,
    )


def test_update_permission_invalid_answers_its_edit_form():
    """``error_handler=edit_permission``, which takes ``permission_id``."""
    app, data = make_app()
    create(app)
    page = app.get(
        '/tgapppermissions/update_permission/3',
        {'permission_name': '', 'description': 'd'},
        extra_environ=MANAGER,
    ).json
    assert page['errors'] == {'permission_name': 'Enter a value'}
    assert page['values']['permission_name'] == 'pname'
    assert page['action'] == '/tgapppermissions/update_permission/3'
    assert data.permissions[3].description == 'descr'


def test_delete_permission():
    app, data = make_app()
    create(app)
    app.get('/tgapppermissions/delete_permission/3', extra_environ=MANAGER)
    assert 3 not in data.permissions
    app.get(
        '/tgapppermissions/delete_permission/3',
        extra_environ=MANAGER,
        status=404,
    )


def test_new_permission_form():
    app, _ = make_app()
    page = app.get(
        '/tgapppermissions/new_permission', extra_environ=MANAGER
    ).json
    assert page['form'] == ['permission_name', 'description', 'groups']
    assert page['action'] == '/tgapppermissions/create_permission'
    assert page['groups'] == [[1, 'Managers']]


def test_edit_permission_form():
    app, _ = make_app()
    app.get(
        '/tgapppermissions/edit_permission', extra_environ=MANAGER, status=404
    )
    create(app)
    page = app.get(
        '/tgapppermissions/edit_permission/3', extra_environ=MANAGER
    ).json
    assert page['action'] == '/tgapppermissions/update_permission/3'


def test_users_search_and_pages():
    app, data = make_app()
    for name in ('alpha', 'ciao', 'miao'):
        data.add_user(name, name.title(), 'email@email.email')
    page = app.get('/tgapppermissions/users', extra_environ=MANAGER).json
    assert [u['display_name'] for u in page['users']] == [
        'Alpha',
        'Ciao',
        'Manager',
        'Miao',
    ]
    page = app.get(
        '/tgapppermissions/users/?search_by=user_name&search_value=iao',
        extra_environ=MANAGER,
    ).json
    assert [u['display_name'] for u in page['users']] == ['Ciao', 'Miao']
    for n in range(20):
        data.add_user(f'u{n}', f'User {n}', 'u@x.org')
    page = app.get(
        '/tgapppermissions/users?page=2', extra_environ=MANAGER
    ).json
    assert (len(page['users']), page['page']) == (4, 2)


def test_toggle_group():
    app, data = make_app()
    editors = data.add_group('editors')
    user = data.add_user('alpha', 'Alpha', 'a@x.org')
    params = {'group': str(editors.group_id), 'user': str(user.user_id)}
    url = '/tgapppermissions/toggle_group'
    app.get(url, params, extra_environ=MANAGER, status=302)
    assert user.groups == [editors]
    app.get(url, params, extra_environ=MANAGER, status=302)
    assert user.groups == []


def test_toggle_group_exclusive():
    app, data = make_app(exclusive_permissions=True)
    editors, contributors = data.add_group('editors'), data.add_group('c')
    user = data.add_user('alpha', 'Alpha', 'a@x.org')
    url = '/tgapppermissions/toggle_group'
    for group in (editors, contributors):
        params = {'group': str(group.group_id), 'user': str(user.user_id)}
        app.get(url, params, extra_environ=MANAGER, status=302)
    assert user.groups == [contributors]
