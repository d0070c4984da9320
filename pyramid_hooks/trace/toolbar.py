"""The "Hooks" panel of pyramid_debugtoolbar: the request's trace.  Only this
module imports :mod:`pyramid_debugtoolbar` (the ``toolbar`` extra)."""

from pyramid.config import Configurator
from pyramid.settings import aslist
from pyramid_debugtoolbar.panels import DebugPanel
from pyramid_debugtoolbar.toolbar import IToolbarWSGIApp

from pyramid_hooks.hook_specs import describe_hook
from pyramid_hooks.probes import _trace
from pyramid_hooks.scripts.report import collect, shown_where
from pyramid_hooks.trace import enable_tracing, refuse_tracing_off


def configuration_rows(report):
    """``(kind, name, detail, registered at)`` rows of *report*."""
    for ns in report['namespaces']:
        for hook in ns['hooks']:
            hook_name = describe_hook(ns['name'], hook['name'])
            for one in hook['listeners']:
                scope = ' '.join(filter(None, (one['scope'], one['target'])))
                detail = f'{hook_name} ({scope})'
                yield 'listener', one['listener'], detail, one['registered_at']
    for one in report['application_wrappers']['chain']:
        after = f'after={one["after"]}'
        yield 'application wrapper', one['name'], after, one['registered_at']
    for view in report['views']:
        at = f'view {view["view"]}'
        for one in view['controller_wrappers']:
            detail, where = f'{one["scope"]}, {at}', one['registered_at']
            yield 'controller wrapper', one['wrapper'], detail, where
        if view['validate']:
            yield 'validation', view['validate'], at, None
    for widget in report['widgets']['widgets']:
        for one in widget['callbacks']:
            path = f'{widget["id"]}/{one["name"]}'
            detail = f'{one["authorization_source"]} handler, {path}'
            yield 'widget authorization', one['authorization'], detail, None
    for controller in report['controllers']['controllers']:
        for route in controller['routes']:
            name = f'{controller["serving"]}.{route["handler"]}'
            detail = f'route {route["route_name"]}, auth={route["auth"]}'
            yield 'controller', name, detail, None


class HooksPanel(DebugPanel):
    """The trace of the request, each step linked to its entry in the
    application's configuration, listed below it."""

    name = 'pyramid_hooks'
    title = 'Hooks'
    nav_title = 'Hooks'
    template = 'pyramid_hooks.trace:hooks_panel.dbtmako'
    has_content = True

    def __init__(self, request):
        # the trace itself: steps after the response (request_finished) show
        self.trace = _trace(request)

    @property
    def nav_subtitle(self):
        return str(len(self.trace.steps))

    def render_vars(self, request):
        report = collect(request.registry.parent_registry)
        rows = () if report is None else configuration_rows(report)
        configuration = [
            (kind, name, detail, shown_where(where))
            for kind, name, detail, where in dict.fromkeys(rows)
        ]
        # a step links to the first entry of its kind and name
        anchors = {}
        for index, (kind, name, _, _) in enumerate(configuration):
            anchors.setdefault((kind, name), index)
        steps = []
        for step in self.trace.steps:
            kind = step['kind']
            if kind == 'jsonrpc call':  # served by a controller route
                kind = 'controller'
            anchor = anchors.get((kind, step['name']))
            where = shown_where(step['where'])
            steps.append(dict(step, where=where, anchor=anchor))
        return {
            'steps': steps,
            'dropped': self.trace.dropped,
            'configuration': configuration,
        }


def includeme(config):
    """Add the "Hooks" panel and turn tracing on (through
    ``debugtoolbar.includes`` unless the toolbar is included already)."""
    parent = getattr(config.registry, 'parent_registry', None)
    if parent is not None:  # the toolbar's configurator
        refuse_tracing_off(parent.settings, __name__)
        config.add_debugtoolbar_panel(HooksPanel)
        enable_tracing(parent)
        return
    refuse_tracing_off(config.registry.settings, __name__)
    config.include('pyramid_hooks.trace')
    toolbar = config.registry.queryUtility(IToolbarWSGIApp)
    if toolbar is not None:
        toolbar_config = Configurator(registry=toolbar.registry)
        toolbar_config.add_debugtoolbar_panel(HooksPanel)
        return
    settings = config.registry.settings
    includes = aslist(settings.get('debugtoolbar.includes') or ())
    if __name__ not in includes:
        settings['debugtoolbar.includes'] = [*includes, __name__]
