"""Port of tgext.menu 0.6 to Pyramid with pyramid_hooks.

Original: ``tgext/menu/__init__.py`` (``menu_variable_provider``),
``decorators.py`` (``menu``, ``navbar``, ``sidebar``), ``functions.py``
(``menu_append``, ``menu_remove``, ``render_menu``), ``caches.py``
(``shared_menu_cache``, ``find_url``), ``util.py`` (``OutputEntry``,
``init_resources``, ``sort_entry``, ``permission_met``) and
``templates/divmenu.mak`` (written here as :func:`write_list`).

TurboGears -> Pyramid:

- ``@navbar('Admin || Users')`` over an ``@expose`` method, which adds
  the entry to a process-global cache at import -> the same decorator,
  which marks the function only; the entries are those of the handlers
  the application serves, read from its ``IControllerRegistry`` (a
  controller not activated, or a second application, has none of them).
  A venusian decorator would need the scan: a controller added with
  ``config.add_controller`` alone would lose its entries, silently;
- ``find_url`` walking ``RootController``'s attributes -> the route of
  the handler (``request.route_path`` of its first pattern's route);
  ``extension='html'`` (``@menu``'s default) adds ``.html`` as the
  original does: object dispatch serves ``/index.html``, a route only
  if its patterns say so;
- ``navbar_append(path, url=...)`` / ``navbar_remove(path)`` at import
  -> the same with the configurator first, per application; ``base=``
  (a mounted controller instance) -> a ``url`` holding the whole path;
- ``permission_met(permission)`` (repoze.what) -> ``request.has_permission``;
- ``render_navbar()`` reading ``tg.request`` -> ``render_navbar(request)``;
  tw2's ``jquery_jdmenu_js.prepare()``, a request-local resource the tw2
  middleware injects into the page -> :func:`render_menu` marks the
  request, an application wrapper (:class:`InjectResources`) writes the
  tags into ``<head>`` of that page only (an app-wide ``after_render``
  listener would miss the pages of exception views: a not-found page);
- ``config['variable_provider'] = menu_variable_provider`` -> a
  ``BeforeRender`` subscriber giving templates ``render_navbar`` and the
  others, bound to the request; ``config['tgext_menu']`` (``sortorder``,
  ``inject_js``, ``inject_css``) -> the ``tgext_menu.*`` settings.
"""

import html
import json
from functools import cmp_to_key

from pyramid.events import BeforeRender
from pyramid.settings import asbool

from pyramid_hooks import ApplicationWrapper
from pyramid_hooks.interfaces import IControllerRegistry

MENU_ATTR = 'tgext_menu_entries'
STATIC = 'tests.ports:tgext_menu_static/'
SCRIPTS = ('jquery.js', 'jquery.bgiframe.js', 'jquery.dimensions.js',
           'jquery.positionBy.js', 'jquery.jdMenu.js')  # fmt: skip


class Entry:
    def __init__(self, path, name, extension, permission, url):
        self.path = path
        self.mpath = [x.strip() for x in path.split('||')]
        self.name = name
        self.extension = extension
        self.permission = permission
        self.url = url


class menu:
    """``@menu(path, name)``: the handler is an entry of menu *name*."""

    def __init__(
        self, path, name, extension='html', permission=None, url=None
    ):
        self.item = Entry(path, name, extension, permission, url)

    def __call__(self, func):
        entries = func.__dict__.setdefault(MENU_ATTR, [])
        entries.append(self.item)
        return func


class navbar(menu):
    def __init__(self, path, extension=None, permission=None, url=None):
        super().__init__(path, 'navbar', extension, permission, url)


class sidebar(menu):
    def __init__(self, path, extension=None, permission=None, url=None):
        super().__init__(path, 'sidebar', extension, permission, url)


def _store(registry):
    return registry.__dict__.setdefault(
        'tgext_menu', {'appended': {}, 'removed': set()}
    )


def menu_append(config, path, name, extension=None, permission=None, url=None):
    entry = Entry(path, name, extension, permission, url)
    store = _store(config.registry)
    store['appended'][(name, path)] = entry
    store['removed'].discard((name, path))


def navbar_append(config, path, **kw):
    menu_append(config, path, 'navbar', **kw)


def sidebar_append(config, path, **kw):
    menu_append(config, path, 'sidebar', **kw)


def menu_remove(config, path, name):
    store = _store(config.registry)
    store['appended'].pop((name, path), None)
    store['removed'].add((name, path))


def navbar_remove(config, path):
    menu_remove(config, path, 'navbar')


def entries(request, menuname):
    """``shared_cache.getMenu(menuname)`` with each entry's URL: the
    decorated handlers the application serves, and the appended ones."""
    registry = request.registry
    store = _store(registry)
    found = {}
    controllers = registry.getUtility(IControllerRegistry)
    for info in controllers.controllers.values():
        for route_name in info.routes:
            route = controllers.routes[route_name]
            if ':' in route_name:  # a handler's next patterns
                continue
            func = getattr(info.serving, route.method)
            for item in getattr(func, MENU_ATTR, ()):
                if item.name == menuname:
                    url = item.url or request.route_path(route_name)
                    found[item.path] = (item, url)
    for (name, path), item in store['appended'].items():
        if name == menuname:
            found[path] = (item, item.url)
    for name, path in store['removed']:
        if name == menuname:
            found.pop(path, None)
    return [
        (item, f'{url}.{item.extension}' if item.extension else url)
        for item, url in found.values()
        if item.permission is None or request.has_permission(item.permission)
    ]


class OutputEntry:
    def __init__(self, name, href=None):
        self.children = []
        self.href = href
        self.name = name

    def append_path(self, name, href):
        if len(name) > 1:
            for child in self.children:
                if child.name == name[0]:
                    break
            else:
                child = OutputEntry(name[0])
                self.children.append(child)
            child.append_path(name[1:], href)
        else:
            self.children.append(OutputEntry(name[0], href))


def write_list(out, level, item, name, first, last):
    """``divmenu.mak``'s ``writeList``."""
    tabs = '    ' * (level + 2)
    css = ' '.join(c for c, on in (('first', first), ('last', last)) if on)
    css = f' class="{css}"' if css else ''
    label = html.escape(item.name, True)
    if item.href:
        label = f'<a href="{html.escape(item.href, True)}">{label}</a>'
    if not item.children:
        out.append(f'{tabs}<li{css}>{label}</li>\n')
        return
    out.append(f'{tabs}<li{css}>{label}\n{tabs}  <ul class="{name}_level')
    out.append(f'{level + 1}">\n')
    for child in item.children:
        write_list(
            out,
            level + 1,
            child,
            name,
            child is item.children[0],
            child is item.children[-1],
        )
    out.append(f'{tabs}  </ul>\n{tabs}  </li>\n')


def render_menu(request, menuname, vertical=False):
    settings = request.registry.settings
    sortorder = json.loads(settings.get('tgext_menu.sortorder', '{}'))

    def sort_entry(pair1, pair2):  # cmp over the common prefix, then
        one, two = pair1[0].mpath, pair2[0].mpath  # the paths themselves
        for p1, p2 in zip(one, two, strict=False):
            v1, v2 = sortorder.get(p1, 999999), sortorder.get(p2, 999999)
            if v1 != v2:
                return (v1 > v2) - (v1 < v2)
        return (one > two) - (one < two)

    if asbool(settings.get('tgext_menu.inject_js', True)):
        request.tgext_menu_js = True  # request-local, as tw2's prepare()
    if asbool(settings.get('tgext_menu.inject_css', False)):
        request.tgext_menu_css = True
    tree = OutputEntry(menuname)
    for item, url in sorted(
        entries(request, menuname), key=cmp_to_key(sort_entry)
    ):
        tree.append_path(item.mpath, url)
    vertical = '_vertical' if vertical else ''
    out = [f'<div id="{menuname}_div">\n']
    out.append(f'    <ul id="{menuname}" class="jd_menu{vertical}">\n')
    for child in tree.children:
        first, last = child is tree.children[0], child is tree.children[-1]
        write_list(out, 0, child, menuname, first, last)
    out.append('    </ul>\n</div>\n<script type="text/javascript">\n')
    out.append(f'$(function(){{\n$("#{menuname}").jdMenu();\n}});\n')
    out.append('</script>')
    return ''.join(out)


class InjectResources(ApplicationWrapper):
    """The tw2 middleware's injection of the resources a page's menus
    asked for: ``<script>`` and ``<link>`` tags before ``</head>``.  An
    application wrapper, as the middleware sees every response: an
    app-wide ``after_render`` listener does not run for exception views
    (a not-found page showing the navbar)."""

    def __call__(self, request):
        response = self.next_handler(request)
        tags = []
        if getattr(request, 'tgext_menu_js', False):
            tags += [
                f'<script src="{request.static_path(STATIC + "js/" + name)}">'
                '</script>'
                for name in SCRIPTS
            ]
        if getattr(request, 'tgext_menu_css', False):
            css = request.static_path(STATIC + 'css/jquery.jdMenu.css')
            tags.append(f'<link rel="stylesheet" href="{css}">')
        if tags and response.content_type == 'text/html':
            response.text = response.text.replace(
                '</head>', ''.join(tags) + '</head>', 1
            )
        return response


def menu_variable_provider(event):
    request = event['request']
    event.update(
        render_menu=lambda name, vertical=False: render_menu(
            request, name, vertical
        ),
        render_navbar=lambda vertical=False: render_menu(
            request, 'navbar', vertical
        ),
        render_sidebar=lambda vertical=False: render_menu(
            request, 'sidebar', vertical
        ),
    )


def includeme(config):
    config.add_static_view('_tgext_menu', STATIC)
    config.add_subscriber(menu_variable_provider, BeforeRender)
    config.add_application_wrapper(InjectResources)
