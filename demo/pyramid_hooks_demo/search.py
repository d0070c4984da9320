"""The AJAX search widget: a ToscaWidgets-style widget whose page calls its
own server-side callback.

``SearchWidget.results`` is mounted by ``config.add_widget`` at
``/_widgets/search/results``; the global authorization handler
(``hooks.widgets.authorization`` in ``development.ini``) lets only
logged-in users call it, so a visitor who is not logged in gets the 403
that the handler returned.  ``SearchWidget.stats`` has its own
``authorization=always_allow``: anyone may call it.
"""

from html import escape

from pyramid.response import Response

from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    get_widget_registry,
    serverside_callback,
)

#: What there is to search: (name, description).
PACKAGES = (
    ('pyramid', 'the web framework'),
    ('pyramid_debugtoolbar', 'an interactive debugging toolbar'),
    ('pyramid_exclog', 'logs exceptions from Pyramid applications'),
    ('pyramid_hooks', 'hooks, wrappers, widget callbacks and controllers'),
    ('pyramid_jinja2', 'Jinja2 templates for Pyramid'),
    ('pyramid_retry', 'retries requests on transient errors'),
    ('pyramid_rpc', 'RPC services for Pyramid'),
    ('pyramid_services', 'a service layer for Pyramid'),
    ('pyramid_tm', 'ties a transaction to each request'),
    ('cornice', 'REST services for Pyramid'),
    ('venusian', 'deferred decorators, activated by a scan'),
    ('waitress', 'a production-quality pure-Python WSGI server'),
    ('webob', 'WSGI request and response objects'),
)

SCRIPT = """
(function () {
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  var status = document.getElementById('status');
  var latest = 0;
  function show(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }
  input.addEventListener('input', function () {
    var mine = ++latest;
    var url = input.dataset.callback + '?q=' + encodeURIComponent(input.value);
    show('loading', 'Searching...');
    fetch(url, {headers: {'Accept': 'application/json'},
                credentials: 'same-origin'})
      .then(function (response) {
        if (mine !== latest) { return null; }
        list.innerHTML = '';
        if (response.status !== 200) {
          show('refused', 'The callback refused the call: HTTP ' +
               response.status + ' (log in to search).');
          return null;
        }
        return response.json();
      })
      .then(function (data) {
        if (!data || mine !== latest) { return; }
        data.results.forEach(function (item) {
          var li = document.createElement('li');
          li.className = 'result';
          li.textContent = item.name + ': ' + item.description;
          list.appendChild(li);
        });
        show('done', data.results.length + ' result(s) for "' + data.query +
             '", found by the callback for ' + data.user + '.');
      });
  });
})();
"""


class SearchWidget(ServerSideCallbackMixin):
    """A search box whose results come from :meth:`results`."""

    id = 'search'

    def __init__(self, items=PACKAGES, **kw):
        super().__init__(**kw)
        self.items = tuple(items)

    @serverside_callback(request_method='GET')
    def results(self, request):
        """The matches for ``?q=``, as JSON (logged-in users only: the
        global authorization handler decides)."""
        query = request.params.get('q', '').strip().lower()
        found = [
            {'name': name, 'description': description}
            for name, description in self.items
            if query and (query in name or query in description.lower())
        ]
        hooks = request.hooks.namespace('search')
        found = hooks.notify_with_value('results', found, request)
        hooks.notify('searched', request, query, len(found))
        return Response(
            json_body={
                'query': query,
                'results': found,
                'user': request.authenticated_userid,
            }
        )

    @serverside_callback(request_method='GET', authorization=always_allow)
    def stats(self, request):
        """How many items there are (anyone may ask)."""
        return Response(json_body={'items': len(self.items)})

    def render(self, request):
        """The widget's HTML: the input, the result list and the script
        that calls :meth:`results` as the user types."""
        url = self.url_for_callback(request, self.results)
        return (
            '<p><label>Search Pyramid packages '
            f'<input id="q" name="q" autocomplete="off" '
            f'data-callback="{escape(url)}"></label></p>'
            '<p id="status" data-state="idle">Type to search.</p>'
            '<ul id="results"></ul>'
            f'<script>{SCRIPT}</script>'
        )


def search_page(request):
    """The page of the widget (anyone may open it; the callback decides who
    gets results)."""
    widget = get_widget_registry(request.registry).widgets['search'].widget
    stats = widget.url_for_callback(request, widget.stats)
    return {
        'title': 'Search',
        'body': (
            "<p>Each keystroke calls the widget's server-side callback "
            f'(<code>{escape(widget.url_for_callback(request, "results"))}'
            '</code>), which only answers logged-in users. '
            f'<a href="{escape(stats)}">The stats callback</a> answers '
            'anyone.</p>' + widget.render(request)
        ),
    }


def includeme(config):
    config.add_widget(SearchWidget())
    config.add_route('search', '/search')
    config.add_view(search_page, route_name='search', renderer='html')
