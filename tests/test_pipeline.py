"""The pipeline hooks (before_validate, before_call, before_render,
after_render) and the view derivers, through real applications."""

import pytest
from pyramid.config import Configurator
from pyramid.config.views import ViewDeriverInfo
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.view import exception_view_config

from pyramid_hooks.pipeline import (
    after_render_view,
    lifecycle_view,
    pipeline_view,
)
from pyramid_hooks.scopes import view_scope_keys
from pyramid_hooks.wrapper_chains import controller_wrappers_view

from .conftest import make_app


def record(label):
    """A pipeline listener that records its label and arguments."""

    def listener(request, *args):
        calls = request.environ.setdefault('test.calls', [])
        calls.append(label)

    listener.__qualname__ = f'record({label!r})'
    return listener


def calls_view(request):
    return {'calls': list(request.environ.get('test.calls', []))}


def route(config, name, pattern, view, **kw):
    config.add_route(name, pattern)
    config.add_view(view, route_name=name, renderer='json', **kw)


def test_every_pipeline_hook_in_order(config):
    seen = {}

    def before_validate(request, params):
        seen['before_validate'] = dict(params)
        params['added'] = 'by before_validate'

    def before_call(request, params):
        seen['before_call'] = dict(params)

    def before_render(request, params, output):
        seen['before_render'] = dict(output)
        output['rendered_by'] = 'before_render'

    def after_render(request, response):
        seen['after_render'] = response.json
        response.headers['X-After'] = 'yes'

    def view(request):
        return {'params': request.hook_params}

    config.register_hook('before_validate', before_validate)
    config.register_hook('before_call', before_call)
    config.register_hook('before_render', before_render)
    config.register_hook('after_render', after_render)
    route(config, 'r', '/items/{id}', view)
    app = make_app(config)
    response = app.post('/items/7?id=query&tag=a&tag=b', {'form': 'f'})
    assert response.headers['X-After'] == 'yes'
    expected_params = {
        'id': '7',
        'tag': ['a', 'b'],
        'form': 'f',
        'added': 'by before_validate',
    }
    assert response.json == {
        'params': expected_params,
        'rendered_by': 'before_render',
    }
    assert seen['before_validate'] == {
        'id': '7',
        'tag': ['a', 'b'],
        'form': 'f',
    }
    assert seen['before_call'] == expected_params
    assert seen['before_render'] == {'params': expected_params}
    assert seen['after_render'] == response.json


def test_app_wide_before_view_scoped_each_in_registration_order(config):
    class Views:
        def __init__(self, request):
            self.request = request

        def show(self):
            return calls_view(self.request)

        def other(self):
            return calls_view(self.request)

    config.register_hook('before_call', record('class'), view=Views)
    config.register_hook('before_call', record('app 1'))
    config.register_hook('before_call', record('method'), view=Views.show)
    config.register_hook('before_call', record('route'), route_name='show')
    config.register_hook('before_call', record('app 2'))
    config.add_route('show', '/show')
    config.add_route('other', '/other')
    config.add_view(Views, attr='show', route_name='show', renderer='json')
    config.add_view(Views, attr='other', route_name='other', renderer='json')
    app = make_app(config)
    assert app.get('/show').json == {
        'calls': ['app 1', 'app 2', 'class', 'method', 'route']
    }
    assert app.get('/other').json == {'calls': ['app 1', 'app 2', 'class']}


def test_function_scope_applies_only_to_that_function(config):
    def first(request):
        return calls_view(request)

    def second(request):
        return calls_view(request)

    config.register_hook('before_call', record('first only'), view=first)
    route(config, 'a', '/a', first)
    route(config, 'b', '/b', second)
    app = make_app(config)
    assert app.get('/a').json == {'calls': ['first only']}
    assert app.get('/b').json == {'calls': []}


def test_dotted_view_scope(config):
    config.register_hook(
        'before_call', record('dotted'), view='tests.scan_pkg.views.plain'
    )
    config.add_route('plain', '/plain')
    config.add_view(
        'tests.scan_pkg.views.plain', route_name='plain', renderer='json'
    )
    assert make_app(config).get('/plain').json == {'calls': ['dotted']}


def test_before_render_not_called_for_a_response(config):
    def view(request):
        return Response('raw')

    config.register_hook('before_render', record('before_render'))
    config.register_hook('after_render', record('after_render'))
    config.add_route('r', '/')
    config.add_view(view, route_name='r')
    app = make_app(config)
    response = app.get('/')
    assert response.text == 'raw'
    assert response.request.environ['test.calls'] == ['after_render']


def test_only_before_render_still_builds_params(config):
    got = []
    config.register_hook(
        'before_render',
        lambda request, params, output: got.append(dict(params)),
    )
    route(config, 'r', '/{x}', lambda request: {})
    make_app(config).get('/1?y=2')
    assert got == [{'x': '1', 'y': '2'}]


def test_http_exception_from_a_listener_is_the_response(config):
    def deny(request, params):
        raise HTTPForbidden('no entry')

    config.register_hook('before_call', deny)
    route(config, 'r', '/', calls_view)
    response = make_app(config).get('/', status=403)
    assert 'no entry' in response.text


def test_other_exception_reaches_exception_views_and_finished_runs(config):
    finished = []

    def broken(request, params):
        raise ValueError('listener broke')

    def error_view(exc, request):
        request.response.status = 500
        return {'error': str(exc)}

    config.register_hook('before_call', broken)
    config.register_hook(
        'request_finished', lambda request: finished.append(request.path)
    )
    config.add_exception_view(error_view, context=ValueError, renderer='json')
    route(config, 'r', '/', calls_view)
    app = make_app(config)
    response = app.get('/', status=500)
    assert response.json == {'error': 'listener broke'}
    assert finished == ['/']
    app.get('/', status=500)
    assert finished == ['/', '/']


def test_undecodable_params_are_a_400(config):
    # to the listener that reads them (tests/test_transparency.py: only)
    config.register_hook(
        'before_call', lambda request, params: params.get('q')
    )
    route(config, 'r', '/', calls_view)
    app = make_app(config)
    response = app.get('/?q=%ff%fe', status=400)
    assert 'cannot be decoded' in response.text
    assert 'Traceback' not in response.text


def test_wrapper_factory_must_return_a_callable(config):
    def broken_factory(next_caller):
        return None

    config.add_controller_wrapper(broken_factory)
    route(config, 'r', '/', calls_view)
    with pytest.raises(Exception) as e:
        make_app(config)
    assert 'broken_factory returned None for view' in str(e.value)


def test_exception_view_renders_although_app_wide_listener_refuses(config):
    def not_found(request):
        return {'missing': request.path}

    def value_error(exc, request):
        request.response.status = 500
        return {'error': str(exc)}

    def failing(request):
        raise ValueError('view broke')

    def refuse_nowhere(request, params):
        if request.path == '/refused':
            raise ValueError('refused by listener')

    config.register_hook('before_call', refuse_nowhere)
    config.register_hook(
        'before_render',
        lambda request, params, output: output.update(app_wide=True),
    )
    config.register_hook(
        'before_render',
        lambda request, params, output: output.update(scoped=True),
        view=not_found,
    )
    config.add_notfound_view(not_found, renderer='json')
    config.add_view(value_error, context=ValueError, renderer='json')
    route(config, 'fail', '/fail', failing)
    route(config, 'refused', '/refused', calls_view)
    app = make_app(config)
    assert app.get('/nowhere').json == {
        'missing': '/nowhere',
        'scoped': True,
    }
    assert app.get('/fail', status=500).json == {'error': 'view broke'}
    assert app.get('/refused', status=500).json == {
        'error': 'refused by listener'
    }


# -- the identity guarantee: nothing applies, nothing is added -----------


def deriver_info(config, view, **options):
    config.commit()
    return ViewDeriverInfo(
        view=view,
        registry=config.registry,
        package=None,
        predicates=[],
        exception_only=False,
        options=options,
    )


def test_derivers_return_the_view_unchanged_when_nothing_applies(config):
    def view(context, request):
        pass

    def other(request):
        pass

    config.register_hook('before_call', record('elsewhere'), view=other)
    config.register_hook('after_render', record('elsewhere'), view=other)
    config.add_controller_wrapper(lambda next_caller: next_caller)
    info = deriver_info(config, view, route_name='r')
    assert lifecycle_view(view, info) is view
    assert after_render_view(view, info) is view
    assert controller_wrappers_view(view, info) is view
    assert pipeline_view(view, info) is view


def test_derivers_wrap_when_something_applies(config):
    def view(context, request):
        pass

    config.register_hook('before_call', record('x'), route_name='r')
    config.register_hook('after_render', record('x'), route_name='r')
    info = deriver_info(config, view, route_name='r')
    assert lifecycle_view(view, info) is not view
    assert pipeline_view(view, info) is not view
    assert after_render_view(view, info) is not view


def test_view_scope_keys():
    class Views:
        def show(self):
            pass

        @staticmethod
        def static():
            pass

    class Unhashable:
        __hash__ = None

    assert view_scope_keys(Views, {'attr': 'show', 'route_name': 'r'}) == (
        Views,
        Views.show,
        ('route', 'r'),
    )
    assert view_scope_keys(Views, {'attr': 'static'}) == (
        Views,
        Views.static,
    )
    assert view_scope_keys(Views, {'attr': 'missing'}) == (Views,)
    unhashable = Unhashable()
    assert view_scope_keys(unhashable, {'hook_scope': ('k',)}) == ('k',)
    # a bound method: its function and its instance's class, as notify
    # matches them
    bound = Views().show
    assert view_scope_keys(bound, {}) == (Views.show, Views)


def test_a_view_answering_any_attribute_is_an_ordinary_view(config):
    """What the derivers read from a view callable the package builds is
    looked up statically: a view object whose ``__getattr__`` answers any
    name is not mistaken for one."""

    class Lenient:
        def __call__(self, request):
            return Response(','.join(sorted(request.hook_params)))

        def __getattr__(self, name):
            if name.startswith('__pyramid_hooks'):
                return 'not plumbing'
            raise AttributeError(name)

    config.register_hook('before_call', record('before_call'))
    config.add_route('lenient', '/lenient')
    config.add_view(Lenient(), route_name='lenient')
    assert make_app(config).get('/lenient?b=1&a=2').text == 'a,b'


# -- venusian decorators ---------------------------------------------------


def test_decorators_after_scan():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_hook_namespace('mailer', strict=False)
    config.add_route('decorated', '/decorated')
    config.add_route('plain', '/plain')
    config.add_route('things', '/things')
    config.scan('tests.scan_pkg')
    app = make_app(config)
    response = app.get('/decorated')
    # the decorator nearest the function registers (and runs) first
    assert response.json == {
        'calls': ['before_validate:2', 'before_validate:1', 'before_call'],
        'rendered': 1,
        'wrapped': True,
    }
    assert response.request.environ['test.calls'][-1] == 'after_render'
    assert app.get('/plain').json == {'calls': []}
    assert app.get('/things').json == {'calls': ['method before_call']}

    from pyramid_hooks import get_hooks

    hooks = get_hooks(config.registry)
    seen = []
    hooks.notify('custom', seen)
    hooks.notify('sent', seen, namespace='mailer')
    assert seen == ['scanned listener', 'scanned mailer listener']


def test_decorator_registration_points_at_the_decorated_line():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_hook_namespace('mailer')  # strict: 'sent' undeclared
    config.add_route('decorated', '/decorated')
    config.add_route('plain', '/plain')
    config.add_route('things', '/things')
    config.scan('tests.scan_pkg')
    with pytest.raises(Exception) as e:
        config.commit()
    assert "Unknown hook 'mailer:sent'" in str(e.value)
    assert 'scan_pkg/views.py' in str(e.value)


@exception_view_config(ValueError)
def _unused(exc, request):  # pragma: no cover - only here to be ignored
    return Response()


@pytest.mark.parametrize(
    ('method', 'url', 'kw', 'expected'),
    [
        ('GET', '/items/7', {}, {'id': '7'}),
        ('PUT', '/items/7', {'body': b'a=1'}, {'id': '7'}),
        ('DELETE', '/items/7?a=1', {}, {'id': '7', 'a': '1'}),
        (
            'PUT',
            '/items/7',
            {
                'body': b'a=1&a=2',
                'content_type': 'application/x-www-form-urlencoded',
            },
            {'id': '7', 'a': ['1', '2']},
        ),
    ],
)
def test_params_with_and_without_a_form_body(
    config, method, url, kw, expected
):
    got = []
    config.register_hook(
        'before_call', lambda request, params: got.append(dict(params))
    )
    route(config, 'r', '/items/{id}', calls_view)
    make_app(config).request(url, method=method, **kw)
    assert got == [expected]
