"""The "Hooks" panel of pyramid_debugtoolbar: the request's trace.

Optional: this module imports :mod:`pyramid_debugtoolbar` (the ``toolbar``
extra of ``pyramid_hooks``), nothing else of ``pyramid_hooks`` does.

Name it in the toolbar's own includes, next to ``pyramid_debugtoolbar``::

    pyramid.includes = pyramid_debugtoolbar pyramid_hooks
    debugtoolbar.includes = pyramid_hooks.trace.toolbar

There, in the toolbar's configurator (the one with
``config.add_debugtoolbar_panel``), :func:`includeme` adds the panel and
turns tracing on for the application the toolbar serves (the toolbar
includes it while that application is being configured, before any view
is derived).  ``config.include('pyramid_hooks.trace.toolbar')`` in the
application does the same from the other side: it includes
:mod:`pyramid_hooks.trace` and adds the panel to the toolbar, whether
``pyramid_debugtoolbar`` is included before or after it.
"""

import os

from pyramid.config import Configurator
from pyramid.settings import aslist
from pyramid_debugtoolbar.panels import DebugPanel
from pyramid_debugtoolbar.toolbar import IToolbarWSGIApp

from pyramid_hooks.scripts.report import collect
from pyramid_hooks.trace import (
    CONTROLLER,
    JSONRPC_CALL,
    _trace,
    enable_tracing,
)

#: This module, as ``debugtoolbar.includes`` names it.
INCLUDE = __name__

#: Step kinds shown against the configuration entry of another kind: a
#: JSON-RPC call is served by a controller route.
CONFIGURATION_KIND = {JSONRPC_CALL: CONTROLLER}


def _hook_name(namespace, name):
    return f'{namespace}:{name}' if namespace else name


def configuration_rows(report):
    """The application's configuration as ``phooks`` reports it (*report*,
    :func:`pyramid_hooks.scripts.report.collect`), one row per piece that
    can show up in a trace: ``(kind, name, detail, registered at)``."""
    rows = []
    for ns in report['namespaces']:
        for hook in ns['hooks']:
            for listener in hook['listeners']:
                scope = listener['scope']
                if listener['target']:
                    scope = f'{scope} {listener["target"]}'
                rows.append(
                    (
                        'listener',
                        listener['listener'],
                        f'{_hook_name(ns["name"], hook["name"])} ({scope})',
                        listener['registered_at'],
                    )
                )
    for wrapper in report['application_wrappers']['chain']:
        rows.append(
            (
                'application wrapper',
                wrapper['name'],
                f'after={wrapper["after"]}',
                wrapper['registered_at'],
            )
        )
    for view in report['views']:
        for wrapper in view['controller_wrappers']:
            rows.append(
                (
                    'controller wrapper',
                    wrapper['wrapper'],
                    f'{wrapper["scope"]}, view {view["view"]}',
                    wrapper['registered_at'],
                )
            )
        if view['validate']:
            rows.append(
                ('validation', view['validate'], f'view {view["view"]}', None)
            )
    for widget in report['widgets']['widgets']:
        for callback in widget['callbacks']:
            rows.append(
                (
                    'widget authorization',
                    callback['authorization'],
                    f'{callback["authorization_source"]} handler, '
                    f'{widget["id"]}/{callback["name"]}',
                    None,
                )
            )
    for controller in report['controllers']['controllers']:
        for route in controller['routes']:
            rows.append(
                (
                    CONTROLLER,
                    f'{controller["serving"]}.{route["handler"]}',
                    f'route {route["route_name"]}, auth={route["auth"]}',
                    None,
                )
            )
    return list(dict.fromkeys(rows))


def _shown(where):
    """*where* relative to the working directory when it is under it (as
    ``phooks`` shows it)."""
    cwd = os.getcwd() + os.sep
    if where and where.startswith(cwd):
        return where[len(cwd) :]
    return where


def _anchor(index):
    return f'pyramid-hooks-configuration-{index}'


class HooksPanel(DebugPanel):
    """The trace of the request (:func:`pyramid_hooks.trace.get_trace`),
    each step linked to its entry in the application's configuration,
    which the panel lists below the trace."""

    name = 'pyramid_hooks'
    title = 'Hooks'
    nav_title = 'Hooks'
    template = 'pyramid_hooks.trace:hooks_panel.dbtmako'
    has_content = True

    def __init__(self, request):
        # the trace object itself: steps recorded after the toolbar has
        # seen the response (new_response, request_finished) show too
        self.trace = _trace(request)

    @property
    def nav_subtitle(self):
        return str(len(self.trace.steps))

    def render_vars(self, request):
        report = collect(request.registry.parent_registry)
        rows = [] if report is None else configuration_rows(report)
        anchors = {}
        for index, (kind, name, _, _) in enumerate(rows):
            anchors.setdefault((kind, name), _anchor(index))
        steps = [
            dict(
                step,
                where=_shown(step['where']),
                anchor=anchors.get(
                    (
                        CONFIGURATION_KIND.get(step['kind'], step['kind']),
                        step['name'],
                    )
                ),
            )
            for step in self.trace.steps
        ]
        return {
            'steps': steps,
            'dropped': self.trace.dropped,
            'configuration': [
                (_anchor(index), kind, name, detail, _shown(where))
                for index, (kind, name, detail, where) in enumerate(rows)
            ],
        }


def _add_to_toolbar(registry):
    """Add the panel to the toolbar of the application of *registry* when
    pyramid_debugtoolbar is included already, else to its
    ``debugtoolbar.includes`` setting, read when it is."""
    toolbar = registry.queryUtility(IToolbarWSGIApp)
    if toolbar is not None:
        Configurator(registry=toolbar.registry).add_debugtoolbar_panel(
            HooksPanel
        )
        return
    settings = registry.settings
    includes = aslist(settings.get('debugtoolbar.includes') or ())
    if INCLUDE not in includes:
        settings['debugtoolbar.includes'] = [*includes, INCLUDE]


def includeme(config):
    """Add the "Hooks" panel and turn tracing on (see the module's
    documentation for the two places it can be included from)."""
    parent = getattr(config.registry, 'parent_registry', None)
    if parent is not None:  # the toolbar's configurator
        config.add_debugtoolbar_panel(HooksPanel)
        enable_tracing(parent)
        return
    config.include('pyramid_hooks.trace')
    _add_to_toolbar(config.registry)
