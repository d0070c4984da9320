"""Port of tw2.jqplugins.ui 2.3.0's request-local theme, its
``AutocompleteWidget`` and ``CategoryAutocompleteWidget`` fed by the
server, and its ``TabsWidget`` with a tab loaded via ajax, to Pyramid with
pyramid_hooks.

Original: ``tw2/jqplugins/ui/base.py`` (``set_ui_theme_name``,
``get_ui_theme_name``, ``jQueryUIThemeCSSLink``, ``JQueryUIWidget.prepare``
checking ``options``, ``events`` and the id, and encoding the options),
``tw2/jqplugins/ui/widgets.py`` (``AutocompleteWidget``,
``CategoryAutocompleteWidget``, ``TabsWidget``), the templates
``generic_jq_ui_js.mak``, ``autocomplete.mak`` and ``tabs.mak``, and
``samples.py`` (``DemoTabsWidget.request``, registered by
``register_controller(DemoTabsWidget, 'ajaxtab')``, its tab's ``href``
written by hand as ``'/ajaxtab/'``, where tw2 serves it at
``/controllers/ajaxtab``: a 404).  The samples' sources are JavaScript
arrays in the page; the port's come from the server as the user types
(jQuery UI's remote ``source``, a URL asked with ``?term=``).  The
JavaScript and CSS files and ``ghost_text`` are left out.

ToscaWidgets 2 -> Pyramid:

- ``twc.core.request_local()['jquery_ui_theme_name']`` (set by
  ``set_ui_theme_name`` at the start of a request) -> a request attribute
  (``config.add_request_method(..., reify=True)``, ``smoothness`` until
  set): a module-level dict in its place carries a request's theme into
  the next ones, silently;
- ``jQueryUIThemeCSSLink`` appended to ``resources`` by ``prepare`` ->
  ``request.static_path`` in ``render``;
- ``prepare`` encoding ``self.options`` to JSON in place (on the
  request's own instance) -> ``render`` encoding them into a local: on
  the mounted widget the second page would get the JSON of the JSON;
- ``options={'source': [...]}`` -> ``@serverside_callback(renderer=
  'json', request_method='GET') def source`` filtering by ``term``, its
  URL put in the options by ``render``;
- ``@classmethod def request(cls, req)`` with ``register_controller`` and
  the hand-written ``href`` -> a ``@serverside_callback(
  request_method='GET')`` method named by the item (``'callback':
  'ajaxtab'``), its ``href`` from ``url_for_callback``;
- the ``ValueError`` of ``prepare`` (no id, options or events no dict),
  at each display -> the same from ``__init__``, at startup.
"""

import json
import re
from html import escape

from pyramid.response import Response

from pyramid_hooks import ServerSideCallbackMixin, serverside_callback

DEFAULT_THEME = 'smoothness'
VERSION = '1.8.17'
STATIC = 'tests.ports:tw2_jqplugins_ui_static'
THEME = re.compile(r'[a-z][a-z0-9-]*\Z')


def set_ui_theme_name(request, ui_theme_name):
    """The jQuery UI theme of this request's pages."""
    if not THEME.match(ui_theme_name):
        raise ValueError(f'not a theme name: {ui_theme_name!r}')
    request.jquery_ui_theme_name = ui_theme_name


def get_ui_theme_name(request):
    return request.jquery_ui_theme_name


def includeme(config):
    config.add_request_method(
        lambda request: DEFAULT_THEME, 'jquery_ui_theme_name', reify=True
    )
    config.add_static_view('resources/tw2.jqplugins.ui', STATIC)


def js_literal(value):
    """*value* as JSON that cannot end the ``<script>`` it is written in."""
    return json.dumps(value).replace('<', '\\u003c').replace('>', '\\u003e')


class JQueryUIWidget(ServerSideCallbackMixin):
    jqmethod = None
    options = {}
    events = {}

    def __init__(self, *, options=None, events=None, **kw):
        super().__init__(**kw)
        if options is not None:
            self.options = options
        if events is not None:
            self.events = events
        if not isinstance(self.options, dict):
            raise ValueError('Options parameter must be a dict')
        if not isinstance(self.events, dict):
            raise ValueError('Events parameter must be a dict')
        if not self.id:
            raise ValueError('JQueryWidget must be supplied an id')

    def page_options(self, request):
        """The options as this page's script gets them."""
        return dict(self.options)

    def render_body(self, request):
        raise NotImplementedError

    def render(self, request):
        css = request.static_path(
            f'{STATIC}/jquery/ui/{VERSION}/css/'
            f'{get_ui_theme_name(request)}/jquery-ui.css'
        )
        selector = js_literal('#' + self.id.replace(':', '\\:'))
        options = js_literal(self.page_options(request))
        script = [f'$({selector}).{self.jqmethod}({options});']
        for event, code in self.events.items():
            script.append(f'$({selector}).bind({js_literal(event)}, {code});')
        return '\n'.join(
            [
                f'<link rel="stylesheet" href="{escape(css)}"/>',
                f'<div id="{escape(self.id)}:wrapper">',
                self.render_body(request),
                '<script type="text/javascript">',
                '$(document).ready(function() {',
                *script,
                '});',
                '</script>',
                '</div>',
            ]
        )


class AutocompleteWidget(JQueryUIWidget):
    """Suggests, as the user types, the ``choices`` containing what was
    typed (as jQuery UI's own filter: anywhere, any case)."""

    jqmethod = 'autocomplete'
    choices = ()
    max_results = 20
    max_term = 100

    def label(self, choice):
        return choice

    @serverside_callback(renderer='json', request_method='GET')
    def source(self, request):
        term = request.GET.get('term', '')[: self.max_term].casefold()
        found = [c for c in self.choices if term in self.label(c).casefold()]
        return found[: self.max_results]

    def page_options(self, request):
        return {
            **self.options,
            'source': self.url_for_callback(request, 'source'),
        }

    def render_body(self, request):
        name = escape(self.id)
        return f'<input type="text" id="{name}" name="{name}"/>'


class CategoryAutocompleteWidget(AutocompleteWidget):
    """The same, ``choices`` being dicts with a ``label`` and a
    ``category``."""

    jqmethod = 'catcomplete'

    def label(self, choice):
        return choice['label']


class TabsWidget(JQueryUIWidget):
    """Tabs; an item with ``'callback': name`` is loaded via ajax from that
    callback of the widget."""

    jqmethod = 'tabs'
    items = ()

    def __init__(self, *, items=None, **kw):
        super().__init__(**kw)
        if items is not None:
            self.items = items
        for item in self.items:
            if 'callback' in item and not callable(
                getattr(self, item['callback'], None)
            ):
                raise ValueError(f'no callback {item["callback"]!r} for a tab')

    def href(self, request, index, item):
        if 'callback' in item:
            return self.url_for_callback(request, item['callback'])
        return f'#{self.id}:{index}'

    def render_body(self, request):
        links = [
            f'<li><a href="{escape(self.href(request, i, item))}">'
            f'{escape(item.get("label", "(no label)"))}</a></li>'
            for i, item in enumerate(self.items)
        ]
        panels = [
            f'<div id="{escape(self.id)}:{i}">{item["content"]}</div>'
            for i, item in enumerate(self.items)
            if 'content' in item
        ]
        return '\n'.join(
            [
                f'<div id="{escape(self.id)}">',
                '<ul>',
                *links,
                '</ul>',
                *panels,
                '</div>',
            ]
        )


class DemoTabsWidget(TabsWidget):
    items = (
        {'label': 'Section 1', 'content': '<p>Mauris mauris ante.</p>'},
        {'label': 'Section 2', 'content': '<p>Sed non urna.</p>'},
        {'label': 'Section 3 (via ajax)', 'callback': 'ajaxtab'},
    )

    @serverside_callback(request_method='GET')
    def ajaxtab(self, request):
        return Response(
            '<p>wow.. this came via <h4>ajax!</h4></p>',
            content_type='text/html',
        )
