"""The twelfth Odoo porter pass (port12o): website_slides'
``handle_params_access_error`` (a record of the path the visitor may not
read answered by the route's own page) as an exception view scoped to
the route (``route_name=``)."""

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller, route


class AccessError(Exception):
    """``odoo.exceptions.AccessError``."""


CHANNELS = {'1': 'Basics', '2': 'Private'}


def channel_record(request, value, model):
    if value == '3':
        raise HTTPForbidden()
    if value not in CHANNELS:
        raise HTTPNotFound()
    if value == '2' and request.headers.get('X-User') is None:
        raise AccessError('private course')
    return CHANNELS[value]


class Slides(Controller):
    @route(
        [
            '/slides/<model("slide.channel"):channel>',
            '/slides/<model("slide.channel"):channel>/page/<int:page>',
        ],
        type='http',
        auth='public',
    )
    def channel(self, channel, page=1):
        return f'{channel}, page {page}'

    @route('/forum/<model("slide.channel"):channel>', auth='public')
    def forum(self, channel):
        return channel


def no_rights(exc, request):
    """website_slides' ``handle_wslide_error``."""
    return HTTPFound(f'/slides?invite_error=no_rights&{request.path_info}')


def make_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route_converter('model', r'[0-9]{1,18}', channel_record)
    config.add_controller(Slides)
    for name in ('tests.test_port12o.Slides.channel',
                 'tests.test_port12o.Slides.channel:1'):  # fmt: skip
        config.add_exception_view(
            no_rights, context=AccessError, route_name=name
        )
        config.add_exception_view(
            no_rights, context=HTTPForbidden, route_name=name
        )
    return TestApp(config.make_wsgi_app())


def test_a_converters_error_is_answered_by_the_routes_exception_view():
    app = make_app()
    assert app.get('/slides/1').text == 'Basics, page 1'
    assert app.get('/slides/2', headers={'X-User': '1'}).text.startswith('Pr')
    for url in ('/slides/2', '/slides/2/page/3', '/slides/3'):
        response = app.get(url, status=302)
        assert response.location.endswith(f'invite_error=no_rights&{url}')
    app.get('/slides/4', status=404)
    # another route: the route's exception views are not its
    app.get('/forum/3', status=403)


def test_an_application_exception_view_sees_the_route_of_the_error():
    def access_error(exc, request):
        return Response(request.matched_route.name, status=403)

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route_converter('model', r'[0-9]{1,18}', channel_record)
    config.add_controller(Slides)
    config.add_exception_view(access_error, context=AccessError)
    app = TestApp(config.make_wsgi_app())
    response = app.get('/slides/2/page/2', status=403)
    assert response.text == 'tests.test_port12o.Slides.channel:1'
