"""The TurboGears porter's twelfth pass (tgapp-tgcomments, tgext.admin:
tests/ports/tgapp_tgcomments.py, tests/ports/tgext_admin.py): where the
add-on failed silently or misled a port."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

import pyramid_hooks
from pyramid_hooks import Controller, route


class Crud:
    model = None

    @route('/', auth='public', renderer='json')
    def get_all(self):
        return {'model': self.model}


def make_controller(model):
    """tgext.admin's ``make_controller``: a class per model, made by a
    function (one dotted name, however often it is made)."""

    class ModelController(Crud, Controller):
        pass

    ModelController.model = model
    return ModelController


def test_classes_made_by_one_function_are_told_their_shared_name():
    config = Configurator()
    config.include('pyramid_hooks')
    for name in ('movie', 'genre'):
        with config.route_prefix_context(f'/admin/{name}s'):
            config.add_controller(make_controller(name))
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'make_controller.<locals>.ModelController' in message
    assert 'extends' not in message and 'earlier commit' not in message
    assert '__qualname__' in message


def test_classes_made_by_one_function_with_their_own_names_are_served():
    config = Configurator()
    config.include('pyramid_hooks')
    for name in ('movie', 'genre'):
        cls = make_controller(name)
        cls.__qualname__ = f'{name.title()}Controller'
        with config.route_prefix_context(f'/admin/{name}s'):
            config.add_controller(cls)
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    assert app.get('/admin/movies/').json == {'model': 'movie'}
    assert app.get('/admin/genres/').json == {'model': 'genre'}


class Movies(Crud, Controller):
    model = 'movie'


class Genres(Crud, Controller):
    model = 'genre'


def mark(request, params, output):
    output['marked'] = True


def crud_app(**scope):
    config = Configurator()
    config.include('pyramid_hooks')
    for cls, prefix in ((Movies, '/movies'), (Genres, '/genres')):
        with config.route_prefix_context(prefix):
            config.add_controller(cls)
    config.register_hook('before_render', mark, **scope)
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def test_a_mixins_method_named_through_one_class_is_every_classs():
    """``Movies.get_all`` is the mixin's function (docs/controllers.rst,
    "Hooks, validation and wrappers"): scoped to it, a listener meant for
    the movies runs for the genres too; ``route_name=`` scopes one."""
    app = crud_app(view=Movies.get_all)
    assert app.get('/genres/').json == {'model': 'genre', 'marked': True}
    app = crud_app(route_name='tests.test_port12t.Movies.get_all')
    assert app.get('/movies/').json == {'model': 'movie', 'marked': True}
    assert app.get('/genres/').json == {'model': 'genre'}


class Policy:
    """``request.identity``: ``X-Groups`` the groups of a user."""

    def identity(self, request):
        groups = request.headers.get('X-Groups')
        return None if groups is None else {'groups': groups.split()}

    def authenticated_userid(self, request):
        return self.identity(request) and 'someone'

    def permits(self, request, context, permission):
        return True


class Secret(Controller):
    @route('/secret', auth='managers', renderer='string')
    def secret(self):
        return 'secret'


def in_group_app(check):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(Policy())
    config.add_controller_auth('managers', check)
    config.add_controller(Secret)
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def test_a_predicate_returning_none_for_anonymous_visitors_passes():
    """docs/controllers.rst, "Auth modes": ``None`` is a pass, and
    ``request.identity and ...`` is ``None`` for an anonymous visitor; the
    predicate returns a bool as the guide writes it."""
    app = in_group_app(
        lambda request: (
            request.identity and 'managers' in request.identity['groups']
        )
    )
    assert app.get('/secret').text == 'secret'  # the trap
    app = in_group_app(
        lambda request: (
            request.identity is not None
            and 'managers' in request.identity['groups']
        )
    )
    app.get('/secret', status=403)
    app.get('/secret', headers={'X-Groups': 'staff'}, status=403)
    assert app.get('/secret', headers={'X-Groups': 'managers'}).text == (
        'secret'
    )


def listener(entity, user, kw):
    """A listener of tgcomments' ``tgcomments.before_add``."""


@pytest.mark.parametrize('where', ['setting', 'code'])
def test_a_turbogears_plugins_dotted_hook_is_told_how_to_register(where):
    """tgcomments notifies ``tgcomments.before_add`` in the default
    namespace, as TurboGears plugins do: ``hooks.on.tgcomments.before_add``
    (or ``namespace='tgcomments'``) names a namespace nobody declares, and
    the message said only to declare it, after which the listener would
    be registered where the plugin never notifies."""
    settings = {}
    if where == 'setting':
        settings['hooks.on.tgcomments.before_add'] = f'{__name__}.listener'
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    if where == 'code':
        config.register_hook('before_add', listener, namespace='tgcomments')
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    assert "the hook namespace 'tgcomments' is not declared" in str(
        raised.value
    )
    assert "config.register_hook('tgcomments.<hook>', ...)" in str(
        raised.value
    )
