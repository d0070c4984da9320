"""Tutorial step 4: an application wrapper around every request."""

from pyramid.config import Configurator
from pyramid.response import Response
from pyramid.settings import asbool
from step3_controller_wrapper import configure as configure_step3

from pyramid_hooks import ApplicationWrapper


class Maintenance(ApplicationWrapper):
    """Answers 503 to everything while ``tutorial.maintenance`` is on."""

    def __init__(self, next_handler, registry):
        super().__init__(next_handler, registry)
        self.on = asbool(self.settings.get('tutorial.maintenance'))

    @property
    def injected(self):
        return self.on  # off: left out of the chain, no cost per request

    def __call__(self, request):
        return Response('Back soon.', status=503, content_type='text/plain')


class PoweredBy(ApplicationWrapper):
    """Adds a header to every response, error pages included."""

    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-Powered-By'] = 'pyramid_hooks'
        return response


def configure(config):
    configure_step3(config)
    config.add_application_wrapper(PoweredBy)
    config.add_application_wrapper(Maintenance, after=True)  # outermost


def make_app(settings=None):
    config = Configurator(settings=settings)
    configure(config)
    return config.make_wsgi_app()


if __name__ == '__main__':  # python <this file> [HOST:PORT]
    import sys

    from waitress import serve

    listen = sys.argv[1] if len(sys.argv) > 1 else 'localhost:6543'
    serve(make_app(), listen=listen)
