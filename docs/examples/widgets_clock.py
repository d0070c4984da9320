"""widgets.rst, "A first widget": a widget whose callback tells the time."""

from datetime import datetime

from pyramid.config import Configurator
from pyramid.response import Response

from pyramid_hooks import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)


class Clock(ServerSideCallbackMixin):
    @serverside_callback
    def now(self, request):
        return Response(datetime.now().isoformat())


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_widget(Clock(id='clock', callback_authorization=always_allow))
    return config.make_wsgi_app()


if __name__ == '__main__':  # python widgets_clock.py [HOST:PORT]
    import sys

    from waitress import serve

    listen = sys.argv[1] if len(sys.argv) > 1 else 'localhost:6543'
    serve(main({}), listen=listen)
