"""tgext.menu 0.6, ported (tests/ports/tgext_menu.py): the behaviour its
README describes, with ``render_navbar`` in a page's template."""

from pyramid.config import Configurator
from pyramid.security import Allowed, Denied
from webtest import TestApp

import pyramid_hooks
from pyramid_hooks import Controller, route
from tests.ports import tgext_menu
from tests.ports.tgext_menu import menu, navbar, sidebar

ROOT = 'tests.ports.test_tgext_menu.Root.'


def page(info):
    """A template: the navbar when the page shows it."""

    def render(value, system):
        system['request'].response.content_type = 'text/html'
        nav = system['render_navbar']() if value.get('nav') else ''
        side = system['render_sidebar'](True) if value.get('side') else ''
        head = '<head><title>t</title></head>'
        return f'<html>{head}<body>{nav}{side}</body></html>'

    return render


class Root(Controller):
    @navbar('Home')
    @route(['/', '/index'], auth='public', renderer='x.page')
    def index(self):
        return {'nav': True}

    @route('/about', auth='public', renderer='x.page')
    @navbar('Help || About')
    def about(self):
        return {'nav': True}

    @navbar('Help || Contact')
    @sidebar('Contact')
    @route('/contact', auth='public', renderer='x.page')
    def contact(self):
        return {'side': True}

    @navbar('Admin || Users', permission='admin')
    @route('/users', auth='public', renderer='x.page')
    def users(self):
        return {'nav': True}

    @menu('Reports', 'navbar')  # @menu's extension: 'html'
    @route(['/reports', '/reports.html'], auth='public', renderer='x.page')
    def reports(self):
        return {}

    @route('/plain', auth='public', renderer='x.page')
    def plain(self):
        return {}


def not_found(request):
    request.response.status = 404
    return {'nav': True}


class AdminHeaderPolicy:
    def identity(self, request):
        return request.headers.get('X-User')

    def permits(self, request, context, permission):
        if request.headers.get('X-User') == 'admin':
            return Allowed('admin')
        return Denied('not admin')


def make_app(settings=None, setup=None):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    config.set_security_policy(AdminHeaderPolicy())
    config.add_renderer('.page', page)
    config.include(tgext_menu)
    config.add_controller(Root)  # no scan: the entries come along
    config.add_notfound_view(not_found, renderer='x.page')
    if setup:
        setup(config)
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def hrefs(text):
    return [part.split('"')[0] for part in text.split('<a href="')[1:]]


def test_navbar_lists_the_served_handlers():
    app = make_app()
    text = app.get('/').text
    assert hrefs(text) == ['/about', '/contact', '/', '/reports.html']
    assert '<li class="first">Help\n' in text
    assert '<ul class="navbar_level1">' in text
    assert '<a href="/contact">Contact</a></li>' in text
    app.get('/reports.html')  # served: its route says so


def test_permission_of_an_entry():
    app = make_app()
    assert '/users' not in hrefs(app.get('/').text)
    text = app.get('/', headers={'X-User': 'admin'}).text
    assert '/users' in hrefs(text)


def test_sortorder_setting():
    app = make_app({'tgext_menu.sortorder': '{"Help": 1, "Home": 2}'})
    assert hrefs(app.get('/').text)[:2] == ['/about', '/contact']


def test_sidebar_and_vertical():
    text = make_app().get('/contact').text
    assert '<ul id="sidebar" class="jd_menu_vertical">' in text
    assert hrefs(text) == ['/contact']


def test_append_and_remove():
    def setup(config):
        tgext_menu.navbar_append(config, 'Help || Docs', url='/docs')
        tgext_menu.navbar_remove(config, 'Help || About')

    text = make_app(setup=setup).get('/').text
    assert '/docs' in hrefs(text) and '/about' not in hrefs(text)
    assert '/about' in hrefs(make_app().get('/').text)  # per application


def test_resources_injected_into_the_pages_with_a_menu_only():
    """tw2's request-local resources: the scripts go into ``<head>`` of
    a page that rendered a menu, not of another one."""
    app = make_app({'tgext_menu.inject_css': 'true'})
    head = app.get('/').text.split('</head>')[0]
    assert '<script src="/_tgext_menu/js/jquery.jdMenu.js"></script>' in head
    assert 'href="/_tgext_menu/css/jquery.jdMenu.css"' in head
    assert '<script' not in app.get('/plain').text
    head = app.get('/nowhere', status=404).text.split('</head>')[0]
    assert 'jquery.jdMenu.js' in head  # an exception view's page too
    app = make_app({'tgext_menu.inject_js': 'false'})
    assert '<script src' not in app.get('/').text


def test_not_activated_controller_has_no_entries():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_renderer('.page', page)
    config.include(tgext_menu)

    class Other(Controller):
        @route('/', auth='public', renderer='x.page')
        def index(self):
            return {'nav': True}

    config.add_controller(Other)
    assert hrefs(TestApp(config.make_wsgi_app()).get('/').text) == []
