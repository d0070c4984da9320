"""TurboGears 2.5's own hook tests (reference/turbogears.md, section c),
ported to pyramid_hooks, plus the scenarios TurboGears never tested."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.router import Router
from webtest import TestApp

import pyramid_hooks
from pyramid_hooks import before_render, get_hooks


def new_config(**settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    return config


def hi(request):
    from pyramid.response import Response

    return Response('HI!')


def with_route(config, view=hi, renderer=None, pattern='/test', name='test'):
    config.add_route(name, pattern)
    config.add_view(view, route_name=name, renderer=renderer)


def test_config_hooks():
    """#1/#2 test_config_hooks(_through_app_config): middleware hooks and
    configure_new_app are visited; configure_new_app gets the bare app."""
    visited = {}

    def before(app):
        visited['before'] = True
        return app

    def after(app):
        visited['after'] = True
        return app

    def new_app(app):
        visited['configure_new_app'] = app

    config = new_config()
    config.register_hook('before_wsgi_middlewares', before)
    config.register_hook('after_wsgi_middlewares', after)
    config.register_hook('configure_new_app', new_app)
    with_route(config)
    app = pyramid_hooks.make_wsgi_app(config)
    assert TestApp(app).get('/test').text == 'HI!'
    assert visited['before'] and visited['after']
    assert isinstance(visited['configure_new_app'], Router)


def test_controller_hooks_with_value():
    """#3: a value hook scoped to a controller doubles 'BO'."""

    def view(request):
        return {
            'v': request.hooks.notify_with_value('test_hook', 'BO', view=view)
        }

    config = new_config()
    config.register_hook('test_hook', lambda v: v * 2, view=view)
    with_route(config, view, renderer='json')
    assert TestApp(config.make_wsgi_app()).get('/test').json == {'v': 'BOBO'}


@pytest.mark.parametrize(
    'hook', ['initialized_config', 'config_setup', 'configure_new_app']
)
def test_config_hooks_on_controller_are_refused(hook):
    """#4/#5: startup hooks cannot be scoped to a controller (TurboGears
    also accepts config_setup/configure_new_app there and never fires
    them: we refuse all of them, with an accurate message)."""
    config = new_config()
    config.register_hook(hook, lambda *a: None, view=hi)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert f"Hook '{hook}' is application-wide" in str(e.value)


def test_wrapper_registered_after_app_is_an_error():
    """#6-#8: late registrations are errors, never silently ignored."""
    config = new_config()
    config.make_wsgi_app()
    with pytest.raises(ConfigurationError, match='already made'):
        config.add_controller_wrapper(lambda next_caller: next_caller)
    with pytest.raises(ConfigurationError, match='already made'):
        config.register_hook('before_call', lambda r, p: None, view=hi)


def test_startup_hook_with_exception_fails_loudly():
    """#9/#10: the closest hook, initialized_config, runs at startup; unlike
    TurboGears' trapped 'startup', a failure stops the application."""
    ran = []
    config = new_config()
    config.register_hook('initialized_config', lambda c, s: ran.append(1))
    config.make_wsgi_app()
    assert ran == [1]

    def broken(config_, settings):
        raise RuntimeError('startup failed')

    config = new_config()
    config.register_hook('initialized_config', broken)
    with pytest.raises(Exception, match='startup failed'):
        config.make_wsgi_app()


def counting_view(hook):
    def view(request):
        request.hooks.notify(hook, view=view)
        return {}

    return view


def test_disconnect_hooks():
    """#12/#13: the same listeners with and without unregister; with
    pyramid_hooks removal is a configuration statement, so it is per
    application and never racy."""
    calls = {'hook1': 0, 'hook2': 0}

    def hook1():
        calls['hook1'] += 1

    def hook2():
        calls['hook2'] += 1

    def build(unregister):
        config = new_config()
        config.register_hook('custom_hook', hook1)
        config.register_hook('custom_hook', hook2)
        if unregister:
            config.unregister_hook('custom_hook', hook2)
        with_route(config, counting_view('custom_hook'), renderer='json')
        return TestApp(config.make_wsgi_app())

    full, reduced = build(False), build(True)
    full.get('/test')
    full.get('/test')
    reduced.get('/test')
    assert calls == {'hook1': 3, 'hook2': 2}


def test_disconnect_controller_hooks_multiple_listener():
    """#14: a controller-scoped and a global listener, two routes."""
    calls = {'hook1': 0, 'hook2': 0}

    def hook1():
        calls['hook1'] += 1

    def hook2():
        calls['hook2'] += 1

    test = counting_view('custom_hook')
    test2 = counting_view('custom_hook')
    config = new_config()
    config.register_hook('custom_hook', hook1, view=test)
    config.register_hook('custom_hook', hook2)
    with_route(config, test, renderer='json')
    with_route(config, test2, renderer='json', pattern='/test2', name='t2')
    app = TestApp(config.make_wsgi_app())
    app.get('/test')
    app.get('/test')
    app.get('/test2')
    assert calls == {'hook1': 2, 'hook2': 3}


def test_hooks_describe_themselves():
    """#15: registrations have a readable repr."""
    config = new_config()
    config.register_hook('fakename', hi)
    config.commit()
    (registration,) = get_hooks(config.registry).default.registrations
    assert repr(registration).startswith('<Registration fakename <function hi')


def test_params_from_query_and_form():
    """#39/#40: before_validate and before_call see the same parameters
    whether they come from the query string or a form body."""

    def copy_x(request, params):
        params.setdefault('copied_x', params['x'])

    def view(request):
        return request.hook_params

    for hook in ('before_validate', 'before_call'):
        config = new_config()
        config.register_hook(hook, copy_x, view=view)
        with_route(config, view, renderer='json')
        app = TestApp(config.make_wsgi_app())
        expected = {'x': '5', 'copied_x': '5'}
        assert app.get('/test?x=5').json == expected
        assert app.post('/test', {'x': '5'}).json == expected


def test_hooks_syswide():
    """#47: a global before_call listener is seen by the view."""

    def echo(request, params):
        request.environ['echo'] = 'WORKED'

    config = new_config()
    config.register_hook('before_call', echo)
    with_route(
        config, lambda request: {'echo': request.environ['echo']}, 'json'
    )
    assert TestApp(config.make_wsgi_app()).get('/test').json == {
        'echo': 'WORKED'
    }


class Parent:
    def __init__(self, request):
        self.request = request

    @before_render(
        lambda request, params, output: output.update(parent_value=True)
    )
    def data(self):
        return {'v': 1}


class Child(Parent):
    @before_render(
        lambda request, params, output: output.update(child_value=True)
    )
    def data(self):
        return super().data()


class Inheritor(Parent):
    pass


def test_inherited_hooks():
    """#49 test_inherited_expose_hooks: a subclass that does not override
    the method keeps the parent's hooks; an override has its own (no
    copying at class creation, so hooks added later are never lost)."""
    config = new_config()
    config.add_route('sub1', '/sub1/data')
    config.add_route('sub2', '/sub2/data')
    config.add_route('sub3', '/sub3/data')
    config.add_view(Parent, attr='data', route_name='sub1', renderer='json')
    config.add_view(Child, attr='data', route_name='sub2', renderer='json')
    config.add_view(Inheritor, attr='data', route_name='sub3', renderer='json')
    config.scan('tests.test_turbogears_scenarios')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/sub1/data').json == {'v': 1, 'parent_value': True}
    assert app.get('/sub2/data').json == {'v': 1, 'child_value': True}
    assert app.get('/sub3/data').json == {'v': 1, 'parent_value': True}


def test_order_of_several_hooks_and_listeners():
    """Coverage gap: the order of several listeners of several hooks."""
    order = []

    def record(label):
        return lambda request, *args: order.append(label)

    def view(request):
        order.append('view')
        return {}

    config = new_config()
    for hook in (
        'after_render',
        'before_render',
        'before_call',
        'before_validate',
    ):
        config.register_hook(hook, record(f'{hook} app 1'))
        config.register_hook(hook, record(f'{hook} view'), view=view)
        config.register_hook(hook, record(f'{hook} app 2'))
    with_route(config, view, renderer='json')
    TestApp(config.make_wsgi_app()).get('/test')
    assert order == [
        'before_validate app 1',
        'before_validate app 2',
        'before_validate view',
        'before_call app 1',
        'before_call app 2',
        'before_call view',
        'view',
        'before_render app 1',
        'before_render app 2',
        'before_render view',
        'after_render app 1',
        'after_render app 2',
        'after_render view',
    ]


def test_after_render_may_replace_the_body():
    """Coverage gap: after_render (TurboGears replaces
    response['response']; here the listener changes the response)."""

    def replace(request, response):
        response.text = response.text.upper()

    config = new_config()
    config.register_hook('after_render', replace)
    with_route(config, lambda request: {'a': 'b'}, 'json')
    assert TestApp(config.make_wsgi_app()).get('/test').text == '{"A": "B"}'
