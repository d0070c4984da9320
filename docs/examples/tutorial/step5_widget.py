"""Tutorial step 5: a widget with a server-side callback."""

import json

from pyramid.config import Configurator
from pyramid.response import Response
from step4_application_wrapper import configure as configure_step4

from pyramid_hooks import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
    url_for_callback,
)

NAMES = ['Ada', 'Alan', 'Barbara', 'Grace', 'Guido', 'Linus']


class NameSuggest(ServerSideCallbackMixin):
    """A text box that suggests names as the user types."""

    @serverside_callback(request_method='GET')
    def suggest(self, request):
        prefix = request.params.get('q', '').lower()
        matches = [n for n in NAMES if prefix and n.lower().startswith(prefix)]
        return Response(json=matches)


PAGE = """<!DOCTYPE html>
<title>Greeter</title>
<form action="greet"><input name="name" list="names" autocomplete="off">
<datalist id="names"></datalist><button>Greet</button></form>
<script>
const url = %s;
const input = document.querySelector('input');
input.addEventListener('input', async () => {
  const reply = await fetch(url + '?q=' + encodeURIComponent(input.value));
  document.getElementById('names').replaceChildren(
    ...(await reply.json()).map(name => new Option(name)));
});
</script>
"""


def home(request):
    url = url_for_callback(request, 'names/suggest')
    return Response(PAGE % json.dumps(url).replace('<', '\\u003c'))


def configure(config):
    configure_step4(config)
    config.add_widget(
        NameSuggest(id='names', callback_authorization=always_allow)
    )
    config.add_route('home', '/')
    config.add_view(home, route_name='home')


def make_app(settings=None):
    config = Configurator(settings=settings)
    configure(config)
    return config.make_wsgi_app()


if __name__ == '__main__':  # python <this file> [HOST:PORT]
    import sys

    from waitress import serve

    listen = sys.argv[1] if len(sys.argv) > 1 else 'localhost:6543'
    serve(make_app(), listen=listen)
