"""TurboGears' render-call hooks (issue 21, item 8):
``before_render_call(request, renderer_name, values)`` and
``after_render_call(request, renderer_name, values, response)`` around the
renderer call of a rendered view."""

import pytest
from pyramid.events import BeforeRender
from pyramid.exceptions import ConfigurationError
from pyramid.renderers import RendererHelper, null_renderer
from pyramid.response import Response

from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.render_calls import render_call_view
from pyramid_hooks.scripts.report import collect
from tests.controllers_pkg.support import make_config
from tests.test_pipeline import deriver_info
from tests.test_validation import validate_number

from .conftest import make_app


def text_renderer(info):
    """A template-like renderer: ``name|value|view``."""

    def render(value, system):
        view = type(system['view']).__name__
        return f'{info.name}|{sorted(value.items())}|{view}'

    return render


def page(request):
    return {'n': 1}


def other(request):
    return {'n': 2}


def add(config, name, view, renderer='json', **kw):
    config.add_route(name, f'/{name}')
    config.add_view(view, route_name=name, renderer=renderer, **kw)


def recording(config, seen, **scope):
    """Listeners of both hooks appending what they get to *seen*."""

    def before(request, renderer_name, values):
        seen.append(('before_render_call', renderer_name, dict(values)))
        values['added'] = True

    def after(request, renderer_name, values, response):
        seen.append(('after_render_call', renderer_name, response.text))
        response.headers['X-Rendered'] = renderer_name

    config.register_hook('before_render_call', before, **scope)
    config.register_hook('after_render_call', after, **scope)


def test_hooks_run_around_the_renderer_in_the_pipeline_order(config):
    seen = []
    config.register_hook(
        'before_render',
        lambda request, params, output: seen.append('before_render'),
    )
    config.add_subscriber(
        lambda event: seen.append('BeforeRender'), BeforeRender
    )
    recording(config, seen)
    config.register_hook(
        'after_render', lambda request, response: seen.append('after_render')
    )
    add(config, 'page', page)
    response = make_app(config).get('/page')
    assert response.json == {'n': 1, 'added': True}  # values reach it
    assert response.headers['X-Rendered'] == 'json'
    assert seen == [
        'before_render',
        ('before_render_call', 'json', {'n': 1}),
        'BeforeRender',
        ('after_render_call', 'json', '{"n": 1, "added": true}'),
        'after_render',
    ]


def test_template_renderer_name_and_class_view_instance(config):
    class Pages:
        def __init__(self, request):
            self.request = request

        def show(self):
            return {'n': 3}

    seen = []
    config.add_renderer('.txt', text_renderer)
    recording(config, seen)
    add(config, 'page', Pages, renderer='templates/page.txt', attr='show')
    response = make_app(config).get('/page')
    assert response.text == (
        "templates/page.txt|[('added', True), ('n', 3)]|Pages"
    )
    assert seen[0] == ('before_render_call', 'templates/page.txt', {'n': 3})


def test_override_renderer_is_the_renderer_called(config):
    seen = []

    def override(request, params):
        request.override_renderer = 'string'

    config.register_hook('before_call', override, view=page)
    recording(config, seen)
    add(config, 'page', page)
    response = make_app(config).get('/page')
    assert response.text == "{'n': 1, 'added': True}"
    assert response.headers['X-Rendered'] == 'string'


def test_view_scoped_listeners_run_for_their_view_only(config):
    seen = []
    recording(config, seen, view=page)
    add(config, 'page', page)
    add(config, 'other', other)
    app = make_app(config)
    assert app.get('/other').json == {'n': 2}
    assert seen == []
    assert app.get('/page').json == {'n': 1, 'added': True}
    assert [entry[0] for entry in seen] == [
        'before_render_call',
        'after_render_call',
    ]


def test_route_scoped_listener(config):
    seen = []
    recording(config, seen, route_name='other')
    add(config, 'page', page)
    add(config, 'other', other)
    app = make_app(config)
    assert 'added' not in app.get('/page').json
    assert app.get('/other').json == {'n': 2, 'added': True}


def test_not_for_responses_nor_views_without_renderer(config):
    seen = []
    recording(config, seen)
    add(config, 'page', lambda request: Response('as is'))
    config.add_route('bare', '/bare')
    config.add_view(lambda request: Response('bare'), route_name='bare')
    app = make_app(config)
    assert app.get('/page').text == 'as is'
    assert app.get('/bare').text == 'bare'
    assert seen == []


def test_error_handler_scoped_listeners_run_for_its_result(config):
    seen = []

    def handler(request):
        return {'errors': request.validation_errors}

    recording(config, seen, view=handler)
    config.register_hook(
        'before_render_call',
        lambda request, renderer_name, values: seen.append('view'),
        view=page,
    )
    add(config, 'page', page, validate=validate_number, error_handler=handler)
    app = make_app(config)
    assert app.get('/page?n=1').json == {'n': 1}
    assert seen == ['view']
    assert app.get('/page?n=x').json == {
        'errors': {'n': 'not a number'},
        'added': True,
    }
    assert [entry[0] for entry in seen[1:]] == [
        'before_render_call',
        'after_render_call',
    ]


def test_controller_routes_with_a_renderer():
    class Shop(Controller):
        @route('/shop', auth='public', renderer='json')
        def show(self):
            return {'shop': True}

        @route('/rpc', type='json', auth='public')
        def rpc(self):
            return {'rpc': True}

    seen = []
    config = make_config()
    recording(config, seen)
    config.add_controller(Shop)
    app = make_app(config)
    assert app.get('/shop').json == {'shop': True, 'added': True}
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'rpc', 'params': {}}
    assert app.post_json('/rpc', call).json['result'] == {'rpc': True}
    assert len(seen) == 2  # not for the JSON-RPC route (no renderer)


def test_listener_with_a_wrong_signature_is_a_startup_error(config):
    config.register_hook(
        'after_render_call', lambda request, renderer_name, values: None
    )
    with pytest.raises(ConfigurationError, match='after_render_call'):
        config.commit()


def test_free_when_nobody_listens(config):
    def view(context, request):
        pass  # pragma: no cover - never called

    json = RendererHelper('json', registry=config.registry)
    config.commit()
    assert (
        render_call_view(view, deriver_info(config, view, renderer=json))
        is view
    )
    config.register_hook('before_render', lambda request, params, output: 0)
    config.register_hook(
        'before_render_call',
        lambda request, renderer_name, values: 0,
        view=page,
    )
    config.commit()
    for options in ({}, {'renderer': null_renderer}, {'renderer': json}):
        # no renderer, the null renderer, listeners scoped to another view
        assert (
            render_call_view(view, deriver_info(config, view, **options))
            is view
        )


def test_phooks_shows_the_listeners_per_view(config):
    def timing(request, renderer_name, values):
        pass  # pragma: no cover - never called

    config.register_hook('before_render_call', timing, view=page)
    add(config, 'page', page)
    config.commit()
    report = collect(config.registry)
    (view,) = [v for v in report['views'] if v['route_name'] == 'page']
    assert [
        item['listener'] for item in view['hooks']['before_render_call']
    ] == [
        'tests.test_render_call_hooks.'
        'test_phooks_shows_the_listeners_per_view.<locals>.timing'
    ]
    assert view['hooks']['after_render_call'] == []


def test_the_hooked_renderer_copies_as_the_helper_it_wraps():
    """Derivers over ``rendered_view`` see the hooked renderer in the view's
    options; a copy of it (made without ``__init__``) must not recurse."""
    import copy

    from pyramid.renderers import RendererHelper

    from pyramid_hooks.render_calls import HookedRenderer

    hooked = HookedRenderer(RendererHelper(name='json'), lambda r: ((), ()))
    copied = copy.copy(hooked)
    assert copied.helper is hooked.helper
    assert copied.name == 'json'
