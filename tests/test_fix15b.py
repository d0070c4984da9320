"""Known defects fixed in pass 15b (fix15b), each driven through a real
Pyramid app."""

from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller, route


def controllers_app(*controllers, settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    for controller in controllers:
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app())


# -- 1. CORS headers of a reused response reflect the current request -------

REUSED = Response('reused')


class Reused(Controller):
    @route(
        '/reused',
        auth='public',
        cors=['https://a.example'],
        cors_credentials=True,
    )
    def reused(self):
        return REUSED


def test_cors_headers_of_a_reused_response_are_the_current_requests():
    app = controllers_app(Reused)
    allowed = {'Origin': 'https://a.example'}
    for _ in range(2):
        res = app.get('/reused', headers=allowed)
        assert res.headers['Access-Control-Allow-Origin'] == 'https://a.example'
        assert res.headers['Access-Control-Allow-Credentials'] == 'true'
        for headers in ({'Origin': 'https://evil.example'}, {}):
            res = app.get('/reused', headers=headers)
            assert 'Access-Control-Allow-Origin' not in res.headers
            assert 'Access-Control-Allow-Credentials' not in res.headers
            assert res.headers['Vary'] == 'Origin'
