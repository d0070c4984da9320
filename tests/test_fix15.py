"""Known defects fixed in pass 15 (fix15), each driven through a real
Pyramid app."""

from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller, route

# -- 1. CORS: Vary: Origin once, also on a shared response -------------------

SHARED = Response('shared', vary=('Accept-Encoding',))
ALREADY = Response('already', vary=('origin',))


class Shared(Controller):
    @route('/shared', auth='public', cors=['https://a.example'])
    def shared(self):
        return SHARED

    @route('/already', auth='public', cors='https://a.example')
    def already(self):
        return ALREADY


def test_vary_origin_is_added_once_to_a_reused_response():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Shared)
    app = TestApp(config.make_wsgi_app())
    for _ in range(3):
        res = app.get('/shared', headers={'Origin': 'https://a.example'})
        assert res.headers.getall('Vary') == ['Accept-Encoding, Origin']
        res = app.get('/already')
        assert res.headers.getall('Vary') == ['origin']
