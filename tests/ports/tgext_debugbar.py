"""Port of tgext.debugbar 0.6.1 (its set-up and the Timings section) to
Pyramid with pyramid_hooks.

Original: ``tgext/debugbar/__init__.py`` (``plugme``),
``tgext/debugbar/initialize.py`` (``DebugBar``, ``enable_debugbar``),
``tgext/debugbar/sections/base.py`` (``DebugSection``) and
``tgext/debugbar/sections/timing.py`` (``TimingDebugSection`` and its hook
listeners).  The other sections, the profiler's statistics page and the
Genshi/Kajiki templates are left out: the bar is written as plain HTML.

TurboGears -> Pyramid:

- ``tg_hooks.register('initialized_config', DebugBar(app_config))`` ->
  ``config.register_hook('initialized_config', DebugBar())``; the listener
  registers the sections' hooks there with ``config.register_hook`` and
  ``config.add_controller_wrapper`` (the milestone pattern);
- ``dispatch.register_controller_wrapper(profile_wrapper)`` ->
  ``config.add_controller_wrapper(profile_wrapper)``: the wrapper returns
  ``call(context, request)``;
- the ``before_render_call`` / ``after_render_call`` hooks keep their names,
  with ``(request, renderer_name, values[, response])``;
- ``tg.request`` (a thread-local) -> the ``request`` argument.
"""

import html
import logging
import time

from pyramid.settings import asbool

log = logging.getLogger('tgext.debugbar')


def on_before_render(request, params, output):
    request.tgdb_render_start_time = time.perf_counter()


def on_after_render(request, response):
    now = time.perf_counter()
    start = getattr(request, 'tgdb_render_start_time', None)
    request.tgdb_render_time = -1 if start is None else (now - start) * 1000
    call_start = getattr(request, 'tgdb_call_start_time', None)
    if call_start is None:
        request.tgdb_total_time = -1
        request.tgdb_call_time = -1
    else:
        request.tgdb_total_time = (now - call_start) * 1000
    if not hasattr(request, 'tgdb_render_calls'):
        request.tgdb_render_calls = {}


def on_before_render_call(request, renderer_name, values):
    request.tgdb_render_call_start_time = time.perf_counter()


def on_after_render_call(request, renderer_name, values, response):
    now = time.perf_counter()
    try:
        render_calls = request.tgdb_render_calls
    except AttributeError:
        render_calls = request.tgdb_render_calls = {}
    template_info = render_calls.setdefault(
        renderer_name,
        {'time': 0, 'count': 0, 'template_name': renderer_name},
    )
    elapsed = now - request.tgdb_render_call_start_time
    template_info['time'] += elapsed * 1000
    template_info['count'] += 1


def profile_wrapper(controller):
    """Controller wrapper timing the controller itself."""

    def wrapped_controller(context, request):
        request.tgdb_call_start_time = time.perf_counter()
        try:
            return controller(context, request)
        finally:
            elapsed = time.perf_counter() - request.tgdb_call_start_time
            request.tgdb_call_time = elapsed * 1000

    return wrapped_controller


class DebugSection:
    """The base debug section."""

    name = 'Unnamed'
    is_active = False
    hooks = {}

    def title(self):
        raise NotImplementedError

    def content(self, request):
        raise NotImplementedError


class TimingDebugSection(DebugSection):
    name = 'Timings'
    is_active = True
    hooks = {
        'controller_wrapper': [profile_wrapper],
        'before_render': [on_before_render],
        'after_render': [on_after_render],
        'before_render_call': [on_before_render_call],
        'after_render_call': [on_after_render_call],
    }

    def title(self):
        return 'Timings'

    def content(self, request):
        rows = [
            ('Total Time', request.tgdb_total_time),
            ('Controller Time', getattr(request, 'tgdb_call_time', -1)),
            ('Render Time', request.tgdb_render_time),
        ]
        lines = [
            f'<tr><th>{name}</th><td>{value:.2f} ms</td></tr>'
            for name, value in rows
        ]
        for info in request.tgdb_render_calls.values():
            lines.append(
                '<tr class="render-call">'
                f'<th>{html.escape(info["template_name"])}</th>'
                f'<td>{info["count"]} call(s), {info["time"]:.2f} ms</td>'
                '</tr>'
            )
        return '<table>' + ''.join(lines) + '</table>'


__sections__ = [TimingDebugSection()]


class DebugBar:
    """The ``initialized_config`` listener that enables the bar."""

    css_link = '<link rel="stylesheet" type="text/css" href="%s" />'
    css_path = '/_debugbar/statics/style.css'

    def _register_hook(self, config, hook_name, handler):
        if hook_name == 'controller_wrapper':
            config.add_controller_wrapper(handler)
        else:
            config.register_hook(hook_name, handler)

    def __call__(self, config, settings):
        if not asbool(settings.get('debug', False)):
            return

        log.info('debug bar on')
        for sec in __sections__:
            if not sec.is_active:
                continue
            log.debug('debug bar section %s', sec.name)
            for hook_name, handlers in sec.hooks.items():
                for handler in handlers:
                    if hook_name == 'startup':
                        handler()
                    else:
                        self._register_hook(config, hook_name, handler)

        self._register_hook(config, 'after_render', self.render_bars)

    def render_bars(self, request, response):
        settings = request.registry.settings
        if (
            response.content_type != 'text/html'
            or request.headers.get('X-Requested-With') == 'XMLHttpRequest'
        ):
            if asbool(settings.get('debugbar.enable_logs', False)):
                for section in __sections__:
                    if hasattr(section, 'log_content'):
                        section.log_content()
            return

        page = response.text
        pos_head = page.find('</head>')
        if pos_head > 0:
            pos_body = page.find('</body>', pos_head + 7)
            if pos_body > 0:
                bar = ''.join(
                    f'<div class="tgdb-section"><h3>{sec.title()}</h3>'
                    f'{sec.content(request)}</div>'
                    for sec in __sections__
                    if sec.is_active
                )
                response.text = ''.join(
                    [
                        page[:pos_head],
                        self.css_link
                        % (request.application_url + self.css_path),
                        page[pos_head:pos_body],
                        f'<div id="tgdb">{bar}</div>',
                        page[pos_body:],
                    ]
                )


def enable_debugbar(config):
    config.register_hook('initialized_config', DebugBar())


def plugme(config, **options):
    """What ``plug(base_config, 'tgext.debugbar', **options)`` did."""
    config.add_settings(
        {
            'debugbar.inventing': options.get('inventing', False),
            'debugbar.inventing_css': options.get('inventing_css', True),
            'debugbar.enable_logs': options.get('enable_logs', False),
        }
    )
    enable_debugbar(config)
    return {'appid': 'tgext.debugbar'}
