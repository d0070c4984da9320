"""tgext.debugbar 0.6.1, ported (tests/ports/tgext_debugbar.py): enabled
from an ``initialized_config`` listener, its Timings section fed by a
controller wrapper and the render and render-call hooks."""

from pyramid.config import Configurator
from webtest import TestApp

from tests.ports.tgext_debugbar import plugme


def page_renderer_factory(info):
    """A tiny HTML renderer (``*.page``) standing for a template engine."""

    def render(value, system):
        system['request'].response.content_type = 'text/html'
        items = ''.join(f'<li>{item}</li>' for item in value['items'])
        return (
            f'<html><head><title>{value["title"]}</title></head>'
            f'<body><ul>{items}</ul></body></html>'
        )

    return render


def products(request):
    return {'title': 'Products', 'items': ['tea', 'coffee']}


def products_json(request):
    return {'items': ['tea', 'coffee']}


def make_app(debug='true'):
    config = Configurator(settings={'debug': debug})
    config.include('pyramid_hooks')
    config.add_renderer('.page', page_renderer_factory)
    plugme(config)
    config.add_route('products', '/products')
    config.add_view(products, route_name='products', renderer='list.page')
    config.add_route('api', '/api/products')
    config.add_view(products_json, route_name='api', renderer='json')
    return TestApp(config.make_wsgi_app())


def test_bar_shows_the_timings_of_a_rendered_page():
    page = make_app().get('/products')
    html = page.text
    assert html.startswith('<html><head><title>Products</title>')
    assert '/_debugbar/statics/style.css' in html
    assert html.index('<div id="tgdb">') < html.index('</body>')
    bar = html[html.index('<div id="tgdb">') :]
    for row in ('Total Time', 'Controller Time', 'Render Time'):
        assert f'<th>{row}</th>' in bar
    assert '<th>list.page</th><td>1 call(s)' in bar
    assert '<li>tea</li>' in html


def test_no_bar_for_json_or_ajax():
    app = make_app()
    assert app.get('/api/products').json == {'items': ['tea', 'coffee']}
    ajax = app.get('/products', headers={'X-Requested-With': 'XMLHttpRequest'})
    assert 'tgdb' not in ajax.text


def test_disabled_without_debug():
    page = make_app(debug='false').get('/products')
    assert 'tgdb' not in page.text
    assert page.text.endswith('</ul></body></html>')
