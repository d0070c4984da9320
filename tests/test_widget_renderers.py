"""Widget callbacks with a renderer (``serverside_callback(renderer=)``,
ToscaWidgets 2's ``@jsonify``) and the fields that the route's ``widget``
and ``callback`` values must not hide (jQuery's JSONP ``callback=``):
real Pyramid apps driven through WebTest."""

import sys

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPNotFound
from pyramid.renderers import JSONP
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.config import CATEGORY_WIDGETS
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)
from tests.widget_templates import ItemList


def make_config():
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    return config


def make_app(config):
    return TestApp(config.make_wsgi_app())


def refuse_guests(callback, request):
    if request.headers.get('X-User'):
        return always_allow(callback, request)
    return Response('log in first', status=401)


class Grid(ServerSideCallbackMixin):
    """A jqGrid-like data source: what tw2 wrote with ``@jsonify``."""

    callback_authorization = staticmethod(refuse_guests)

    @serverside_callback(renderer='json', request_method='GET')
    def rows(self, request):
        page = int(request.params.get('page', '1'))
        request.response.headers['Cache-Control'] = 'no-store'
        return {'page': page, 'rows': [[page * 10], [page * 10 + 1]]}

    @serverside_callback(renderer='json')
    def plain(self, request):
        return Response('a response goes out as it is')

    @serverside_callback(renderer='json')
    def missing(self, request):
        raise HTTPNotFound()

    @serverside_callback
    def unrendered(self, request):
        return {'no': 'renderer'}


def grid_app():
    config = make_config()
    config.add_widget(Grid(id='grid'))
    return make_app(config)


def test_json_renderer_renders_the_returned_dict():
    response = grid_app().get(
        '/_widgets/grid/rows?page=2', headers={'X-User': 'ada'}
    )
    assert response.content_type == 'application/json'
    assert response.json == {'page': 2, 'rows': [[20], [21]]}
    # the renderer answers with request.response: its headers go out
    assert response.headers['Cache-Control'] == 'no-store'


def test_a_rendered_callback_may_still_return_a_response():
    response = grid_app().get(
        '/_widgets/grid/plain', headers={'X-User': 'ada'}
    )
    assert response.content_type == 'text/html'
    assert response.text == 'a response goes out as it is'


def test_refusals_and_not_found_are_unchanged_by_a_renderer():
    app = grid_app()
    refused = app.get('/_widgets/grid/rows', status=401)
    assert refused.text == 'log in first'  # the handler's, not JSON
    assert refused.content_type == 'text/html'
    app.get('/_widgets/grid/nothing', headers={'X-User': 'a'}, status=404)
    # an HTTP exception raised by the callback is Pyramid's, not rendered
    raised = app.get(
        '/_widgets/grid/missing', headers={'X-User': 'a'}, status=404
    )
    assert '404 Not Found' in raised.text
    not_allowed = app.post(
        '/_widgets/grid/rows', headers={'X-User': 'a'}, status=405
    )
    assert not_allowed.headers['Allow'] == 'GET'


def test_without_a_renderer_a_callback_must_still_return_a_response():
    app = grid_app()
    with pytest.raises(TypeError) as e:
        app.get('/_widgets/grid/unrendered', headers={'X-User': 'a'})
    assert "callback 'unrendered' of widget 'grid' returned" in str(e.value)


def test_template_renderer_of_the_widgets_package():
    """A relative template name is found next to the widget's module (as
    ``view_config`` resolves it), whatever package adds the widget."""
    config = make_config()
    config.include('pyramid_mako')
    config.add_widget(ItemList(id='fruit'))
    response = make_app(config).get('/_widgets/fruit/items')
    assert response.content_type == 'text/html'
    assert response.text.strip() == (
        '<ul id="fruit"><li>apple</li><li>&lt;pear&gt;</li></ul>'
    )


def test_a_renderer_of_the_application_with_before_render():
    seen = []

    def text_factory(info):
        def render(value, system):
            seen.append(system['context'].widget.id)
            return f'{info.name}: {value["page"]}'

        return render

    def add_footer(request, params, output):
        output['page'] += 100

    class Pages(ServerSideCallbackMixin):
        @serverside_callback(renderer='text')
        def page(self, request):
            return {'page': 1}

    config = make_config()
    config.add_renderer('text', text_factory)
    config.register_hook('before_render', add_footer)
    config.add_widget(Pages(id='pages'))
    response = make_app(config).get('/_widgets/pages/page')
    assert response.text == 'text: 101'  # before_render changed the dict
    assert seen == ['pages']  # the renderer's context is the callback's


def test_jsonp_wraps_the_output_in_the_clients_callback():
    """jQuery's ``$.ajax({dataType: 'jsonp'})`` sends ``callback=``: the
    callback, its validator and Pyramid's JSONP renderer all see it."""
    validated = []

    def check(request, params):
        validated.append(dict(params))
        return params

    class Search(ServerSideCallbackMixin):
        @serverside_callback(renderer='jsonp', validate=check)
        def find(self, request):
            return {
                'q': request.params['q'],
                'callback': request.params.get('callback'),
                'hook_params': request.hook_params['callback'],
            }

    config = make_config()
    config.add_renderer('jsonp', JSONP(param_name='callback'))
    config.add_widget(Search(id='search'))
    app = make_app(config)
    response = app.get(
        '/_widgets/search/find',
        {'q': 'pear', 'callback': 'jQuery3710_1', '_': '1700'},
    )
    assert response.content_type == 'application/javascript'
    assert response.text == (
        '/**/jQuery3710_1({"q": "pear", "callback": "jQuery3710_1", '
        '"hook_params": "jQuery3710_1"});'
    )
    assert validated == [
        {
            'widget': 'search',
            'callback': 'jQuery3710_1',
            'q': 'pear',
            '_': '1700',
        }
    ]
    # without callback= it is JSON, and params has the route's value
    plain = app.get('/_widgets/search/find', {'q': 'fig'})
    assert plain.content_type == 'application/json'
    assert plain.json == {'q': 'fig', 'callback': None, 'hook_params': 'find'}
    # a name that is not a JavaScript identifier: Pyramid's 400
    app.get('/_widgets/search/find?q=x&callback=alert(1)', status=400)


def test_fields_named_widget_or_callback_win_over_the_route():
    seen = []

    def listener(request, params):
        seen.append(dict(params))

    class Form(ServerSideCallbackMixin):
        @serverside_callback(request_method='POST', require_csrf=False)
        def save(self, request):
            return Response(request.params['callback'])

        @serverside_callback
        def show(self, request):
            return Response('shown')

    config = make_config()
    config.register_hook('before_call', listener)
    config.add_widget(Form(id='form'))
    app = make_app(config)
    app.get('/_widgets/form/show')
    assert seen.pop() == {'widget': 'form', 'callback': 'show'}
    app.get('/_widgets/form/show?widget=w1&widget=w2')
    assert seen.pop() == {'widget': ['w1', 'w2'], 'callback': 'show'}
    response = app.post('/_widgets/form/save', {'callback': 'from the form'})
    assert response.text == 'from the form'
    assert seen.pop() == {'widget': 'form', 'callback': 'from the form'}
    # a query field and a form field: both, as WebOb's request.params
    app.post('/_widgets/form/save?callback=q', {'callback': 'f'})
    assert seen.pop() == {'widget': 'form', 'callback': ['q', 'f']}


def test_the_renderer_is_introspectable():
    config = make_config()
    config.add_widget(Grid(id='grid'))
    config.commit()
    intr = config.registry.introspector.get(CATEGORY_WIDGETS, 'grid')
    assert intr['callbacks']['rows']['renderer'] == 'json'
    assert intr['callbacks']['unrendered']['renderer'] is None


@pytest.mark.parametrize('renderer', ['', 1, ('json',)])
def test_invalid_renderer_option(renderer):
    with pytest.raises(ConfigurationError) as e:
        serverside_callback(renderer=renderer)
    assert 'renderer must be a renderer name' in str(e.value)


@pytest.mark.parametrize(
    'renderer, kind', [('yaml', 'yaml'), ('templates/x.jinja2', '.jinja2')]
)
def test_unknown_renderer_is_a_startup_error(renderer, kind):
    class Broken(ServerSideCallbackMixin):
        @serverside_callback(renderer=renderer)
        def data(self, request):
            return {}  # pragma: no cover

    config = make_config()
    config.add_widget(Broken(id='broken'))  # the line the error names
    line = sys._getframe().f_lineno - 1
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert (
        f"the callback 'data' of widget 'broken' has renderer={renderer!r}, "
        f'but no renderer factory is registered for {kind!r}; add it with '
        f'config.add_renderer({kind!r}, factory)'
    ) in message
    assert f'test_widget_renderers.py:{line}:' in message
