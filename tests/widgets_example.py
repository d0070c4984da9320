"""An AJAX search widget: the complete example of ``docs/widgets.rst``.

The page shows a search box; as the user types, the page's JavaScript
calls the widget's ``search`` callback (GET, JSON answer) and lists the
matches; clicking a match calls ``pick`` (POST, CSRF token in a header),
which remembers the choice in the session.  ``tests/test_widgets.py``
drives it through WebTest.
"""

import html
import json

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPBadRequest
from pyramid.response import Response
from pyramid.session import SignedCookieSessionFactory

from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)

PAGE = """<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <meta name="csrf-token" content="{csrf}">
  <title>Fruit</title>
</head>
<body>
  <p>Last pick: <span id="picked">{picked}</span></p>
  {widget}
</body>
</html>
"""

WIDGET = """<div class="search-widget">
  <input id="{id}" type="search" autocomplete="off" placeholder="Search">
  <ul id="{id}-results"></ul>
</div>
<script>
(function () {{
  const searchUrl = {search_url};
  const pickUrl = {pick_url};
  const input = document.getElementById({id_js});
  const list = document.getElementById({id_js} + '-results');
  const token = document.querySelector('meta[name=csrf-token]').content;
  let pending = null;

  function show(items) {{
    list.replaceChildren(...items.map(function (item) {{
      const li = document.createElement('li');
      li.textContent = item;
      li.addEventListener('click', function () {{ pick(item); }});
      return li;
    }}));
  }}

  function pick(item) {{
    fetch(pickUrl, {{
      method: 'POST',
      headers: {{'X-CSRF-Token': token,
                'Content-Type': 'application/x-www-form-urlencoded'}},
      body: new URLSearchParams({{item: item}}),
      credentials: 'same-origin'
    }}).then(function (response) {{
      if (response.ok) {{
        document.getElementById('picked').textContent = item;
      }}
    }});
  }}

  input.addEventListener('input', function () {{
    if (pending) {{ pending.abort(); }}
    pending = new AbortController();
    const url = searchUrl + '?q=' + encodeURIComponent(input.value);
    fetch(url, {{signal: pending.signal, credentials: 'same-origin'}})
      .then(function (response) {{
        if (!response.ok) {{ throw new Error(response.status); }}
        return response.json();
      }})
      .then(function (data) {{ show(data.results); }})
      .catch(function (error) {{
        if (error.name !== 'AbortError') {{ show(['(search failed)']); }}
      }});
  }});
}})();
</script>"""


def js(value):
    """A Python string as a JavaScript literal, safe inside <script>."""
    return json.dumps(value).replace('<', '\\u003c')


class SearchWidget(ServerSideCallbackMixin):
    """A search box listing the items that contain what the user types."""

    def __init__(self, id, items, limit=10, **kw):
        super().__init__(id=id, **kw)
        self.items = sorted(items)
        self.limit = limit

    def callback_authorization(self, callback, request):
        """Anyone may search and pick; a real widget would look at
        ``request.identity`` here and answer 403 (or a 302 to a login
        page) instead."""
        return always_allow(callback, request)

    @serverside_callback(request_method='GET')
    def search(self, request):
        query = request.params.get('q', '').strip().lower()
        found = [
            item for item in self.items if query and query in item.lower()
        ]
        return Response(
            json_body={'query': query, 'results': found[: self.limit]}
        )

    @serverside_callback(request_method='POST')
    def pick(self, request):
        item = request.POST.get('item')
        if item not in self.items:
            raise HTTPBadRequest('unknown item')
        request.session['picked'] = item
        return Response(json_body={'picked': item})

    def render(self, request):
        """The widget's HTML and JavaScript, with its callbacks' URLs."""
        return WIDGET.format(
            id=html.escape(self.id),
            id_js=js(self.id),
            search_url=js(self.url_for_callback(request, 'search')),
            pick_url=js(self.url_for_callback(request, self.pick)),
        )


fruit_search = SearchWidget(
    'fruit-search',
    ['apple', 'apricot', 'banana', 'blackberry', 'cherry', 'grape', 'mango'],
)


def home(request):
    return Response(
        PAGE.format(
            csrf=html.escape(request.session.get_csrf_token()),
            picked=html.escape(request.session.get('picked', 'nothing yet')),
            widget=fruit_search.render(request),
        )
    )


def main(global_config=None, **settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.set_session_factory(
        SignedCookieSessionFactory(settings.get('session.secret', 'seekrit'))
    )
    config.add_widget(fruit_search)
    config.add_route('home', '/')
    config.add_view(home, route_name='home')
    return config.make_wsgi_app()
