"""Port of tgapp-permissions 0.4.0 to Pyramid with pyramid_hooks.

Original: ``tgapppermissions/__init__.py`` (``plugme``),
``tgapppermissions/controllers/root.py`` (``RootController``),
``tgapppermissions/lib/__init__.py`` (``get_new_permission_form`` ...),
``tgapppermissions/lib/forms.py`` (``NewPermission``,
``EditPermission``), ``tgapppermissions/lib/helpers.py``
(``query_groups``) and ``tgapppermissions/helpers.py``
(``get_primary_field``, ``instance_primary_key``).  The sprox provider
and tgext.pluggable's ``app_model`` are :class:`Store` (users, groups
and permissions in memory), the Kajiki templates the ``json`` renderer,
the tw2 forms a validator and the list of their fields.

TurboGears -> Pyramid:

- ``@require(predicates.has_permission('tgapppermissions-admin'))`` ->
  ``permission='tgapppermissions-admin'`` on the route, which the
  application's security policy grants (a 403 where repoze.who
  answered 401); ``if predicates.has_permission(...)`` in ``index`` ->
  ``self.request.has_permission(...)``;
- ``edit_permission(self, permission_id, **_)``, a page at
  ``/edit_permission/<id>`` and the ``error_handler`` of
  ``update_permission(self, permission_id, **kwargs)`` -> the same
  signatures, ``error_handler='edit_permission'``: it gets the failing
  request's ``permission_id``, as in TurboGears;
- ``@validate(get_new_permission_form(), error_handler=new_permission)``
  -> ``validate=check_permission`` with ``error_handler=
  'new_permission'``; ``abort(404)`` -> ``HTTPNotFound``;
- ``@paginate('users', items_per_page=20)`` -> the smallpress port's
  :func:`~tests.ports.tgapp_smallpress.paginate`;
- ``redirect(url(self.mount_point + '/users'))`` -> ``HTTPFound`` to the
  route of ``users``; ``flash`` -> ``request.session.flash``;
- ``config['_pluggable_tgapppermissions_config']`` (``exclusive_
  permissions``, ``query_groups``) -> ``request.registry.settings``;
- ``milestones.config_ready.register(model.configure_models)`` -> the
  store made in ``plugme``.
"""

from dataclasses import dataclass, field

from pyramid.httpexceptions import HTTPFound, HTTPNotFound

from pyramid_hooks import Controller, Invalid, route
from tests.ports.tgapp_smallpress import paginate

CONFIG_KEY = '_pluggable_tgapppermissions_config'
ROOT = 'tests.ports.tgapp_permissions.RootController.'
ADMIN = 'tgapppermissions-admin'
FORM = ['permission_name', 'description', 'groups']


@dataclass
class Group:
    group_id: int
    group_name: str
    display_name: str = ''
    permissions: list = field(default_factory=list)


@dataclass
class Permission:
    permission_id: int
    permission_name: str
    description: str
    groups: list = field(default_factory=list)

    def __json__(self, request=None):
        return {
            'permission_id': self.permission_id,
            'permission_name': self.permission_name,
            'description': self.description,
            'groups': [g.group_id for g in self.groups],
        }


@dataclass
class User:
    user_id: int
    user_name: str
    display_name: str
    email_address: str
    groups: list = field(default_factory=list)

    def __json__(self, request=None):
        return {
            'user_name': self.user_name,
            'display_name': self.display_name,
            'email_address': self.email_address,
            'groups': [g.group_name for g in self.groups],
        }


class Store:
    """``app_model`` and the provider's calls, in memory."""

    def __init__(self):
        self.users, self.groups, self.permissions = {}, {}, {}

    def add_user(self, user_name, display_name, email_address, groups=()):
        uid = len(self.users) + 1
        user = User(uid, user_name, display_name, email_address, list(groups))
        self.users[uid] = user
        return user

    def add_group(self, group_name, display_name=''):
        group = Group(len(self.groups) + 1, group_name, display_name)
        self.groups[group.group_id] = group
        return group

    def save_permission(self, permission_id, name, description, groups):
        permission = self.permissions.get(permission_id)
        if permission is None:
            permission_id = max(self.permissions, default=0) + 1
            permission = Permission(permission_id, name, description)
            self.permissions[permission_id] = permission
        for group in permission.groups:
            group.permissions.remove(permission)
        permission.permission_name = name
        permission.description = description
        permission.groups = [self.groups[int(g)] for g in groups]
        for group in permission.groups:
            group.permissions.append(permission)
        return permission

    def delete_permission(self, permission_id):
        permission = self.permissions.pop(permission_id)
        for group in permission.groups:
            group.permissions.remove(permission)


def store(request):
    return request.registry.settings[CONFIG_KEY]['store']


def as_key(value):
    """The primary key the URL or the form gives, or ``None``."""
    return int(value) if str(value).isdigit() else None


def query_groups(request):
    """``query_groups``: the application's, or every group."""
    options = request.registry.settings[CONFIG_KEY]
    if 'query_groups' in options:
        return options['query_groups'](request)
    return [
        (g.group_id, g.display_name) for g in store(request).groups.values()
    ]


def check_permission(request, params):
    """``NewPermission``: ``permission_name`` and ``description``
    required, ``groups`` among the groups' keys (one is a str, none
    missing)."""
    errors = {
        key: 'Enter a value'
        for key in ('permission_name', 'description')
        if not params.get(key)
    }
    groups = params.get('groups') or []
    groups = [groups] if isinstance(groups, str) else groups
    known = {str(key) for key, _ in query_groups(request)}
    if not set(groups) <= known:
        errors['groups'] = 'Invalid value'
    if errors:
        raise Invalid(errors)
    params['groups'] = groups
    return params


def _form(request, action, values=None):
    return {
        'form': FORM,
        'groups': query_groups(request),
        'action': action,
        'values': values,
        'errors': getattr(request, 'validation_errors', {}),
    }


class RootController(Controller):
    @route(['', '/'], auth='public', renderer='json')
    def index(self):
        request = self.request
        if request.has_permission(ADMIN):
            permissions = list(store(request).permissions.values())
            return {
                'permissions_count': len(permissions),
                'permissions': permissions,
            }
        return HTTPFound(request.route_url(ROOT + 'users'))

    @route('/new_permission', permission=ADMIN, renderer='json')
    def new_permission(self, **_):
        request = self.request
        return _form(request, request.route_path(ROOT + 'create_permission'))

    @route(
        '/create_permission',
        permission=ADMIN,
        validate=check_permission,
        error_handler='new_permission',
        renderer='json',  # new_permission answers through it
    )
    def create_permission(self, **kwargs):
        request = self.request
        store(request).save_permission(
            None,
            kwargs['permission_name'],
            kwargs['description'],
            kwargs['groups'],
        )
        request.session.flash('Permission created.')
        return HTTPFound(request.route_url(ROOT + 'index'))

    @route(
        '/edit_permission/<permission_id>', permission=ADMIN, renderer='json'
    )
    def edit_permission(self, permission_id, **_):
        request = self.request
        permission = store(request).permissions.get(as_key(permission_id))
        if permission is None:
            raise HTTPNotFound()
        action = request.route_path(
            ROOT + 'update_permission', permission_id=permission_id
        )
        return _form(request, action, permission)

    @route(
        '/update_permission/<permission_id>',
        permission=ADMIN,
        validate=check_permission,
        error_handler='edit_permission',
        renderer='json',
    )
    def update_permission(self, permission_id, **kwargs):
        request = self.request
        if as_key(permission_id) not in store(request).permissions:
            raise HTTPNotFound()
        store(request).save_permission(
            as_key(permission_id),
            kwargs['permission_name'],
            kwargs['description'],
            kwargs['groups'],
        )
        request.session.flash('Permission updated.')
        return HTTPFound(request.route_url(ROOT + 'index'))

    @route('/delete_permission/<permission_id>', permission=ADMIN)
    def delete_permission(self, permission_id):
        request = self.request
        if as_key(permission_id) not in store(request).permissions:
            raise HTTPNotFound()
        store(request).delete_permission(as_key(permission_id))
        request.session.flash('Permission deleted')
        return HTTPFound(request.route_url(ROOT + 'index'))

    @route(
        ['/users', '/users/'], permission='tgapppermissions', renderer='json'
    )
    @paginate('users', items_per_page=20)
    def users(self, search_by=None, search_value=None):
        users = sorted(
            store(self.request).users.values(), key=lambda u: u.display_name
        )
        if search_by in ('user_name', 'display_name', 'email_address'):
            users = [
                u
                for u in users
                if (search_value or '') in getattr(u, search_by)
            ]
        return {
            'users': users,
            'search_by': search_by,
            'search_value': search_value,
        }

    @route('/toggle_group', permission='tgapppermissions')
    def toggle_group(self, **kwargs):
        request = self.request
        data = store(request)
        user = data.users.get(as_key(kwargs.get('user')))
        group = data.groups.get(as_key(kwargs.get('group')))
        if user is None or group is None:
            raise HTTPNotFound()
        if group in user.groups:
            user.groups.remove(group)
        elif request.registry.settings[CONFIG_KEY]['exclusive_permissions']:
            user.groups = [group]
        else:
            user.groups.append(group)
        return HTTPFound(request.route_url(ROOT + 'users'))


def plugme(config, mount_point='/tgapppermissions', **options):
    """What ``plug(base_config, 'tgapppermissions', ...)`` did."""
    options.setdefault('exclusive_permissions', False)
    options['store'] = Store()
    config.add_settings({CONFIG_KEY: options})
    with config.route_prefix_context(mount_point):
        config.scan(__name__)  # @paginate's listeners; the controller
    return {'appid': 'tgapppermissions', 'global_helpers': False}
