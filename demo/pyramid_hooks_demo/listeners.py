"""Hook listeners and the app-wide controller wrapper of the demo.

``fill_render_data`` and ``timing`` are named in ``development.ini``
(``hooks.on.before_render``, ``hooks.controller_wrappers``);
``rank_results`` and ``log_search`` listen to the demo's own ``search``
hook namespace, declared in :func:`pyramid_hooks_demo.main`."""

import logging
import time
from html import escape

from pyramid.csrf import get_csrf_token


def fill_render_data(request, params, output):
    """``before_render``, app-wide: every page gets the application name,
    the navigation, who is logged in and the request id.  It fires for
    every view whose result is rendered, JSON-RPC results included: only
    the pages of the ``html`` renderer (a dict with a ``body``) are
    filled."""
    if not isinstance(output, dict) or 'body' not in output:
        return
    output.setdefault('app', 'pyramid_hooks demo')
    links = [
        ('home', 'Home'),
        ('search', 'Search widget'),
        ('signup', 'Validation'),
    ]
    nav = [
        f'<a href="{request.route_url(name)}">{label}</a>'
        for name, label in links
    ]
    nav.append(f'<a href="{request.application_url}/shop">Shop</a>')
    userid = request.authenticated_userid
    if userid is None:
        nav.append(
            f'<a id="login-link" href="{request.route_url("login")}"'
            '>Log in</a>'
        )
        output['user_html'] = 'Not logged in.'
    else:
        nav.append(
            '<form id="logout-form" method="post" '
            f'action="{request.route_url("logout")}">'
            f'<input type="hidden" name="csrf_token" '
            f'value="{get_csrf_token(request)}">'
            '<button id="logout">Log out</button></form>'
        )
        output['user_html'] = (
            f'Logged in as <b id="userid">{escape(userid)}</b>.'
        )
    output['nav'] = ' '.join(nav)
    output['request_id'] = request.environ.get('demo.request_id', '-')


log = logging.getLogger(__name__)


def rank_results(results, request):
    """Filter hook ``search:results`` (``notify_with_value``): the results
    in name order."""
    return sorted(results, key=lambda item: item['name'])


def log_search(request, query, count):
    """Hook ``search:searched``: log who searched what."""
    log.info(
        'search %r by %s: %d result(s)',
        query,
        request.authenticated_userid,
        count,
    )


def timing(next_caller, info):
    """App-wide controller wrapper: time each view call and report it in
    the ``X-View-Time`` response header (milliseconds)."""

    def call(context, request):
        start = time.perf_counter()
        try:
            return next_caller(context, request)
        finally:
            elapsed = (time.perf_counter() - start) * 1000

            def add_header(request, response):
                response.headers['X-View-Time'] = f'{elapsed:.3f}ms'

            request.add_response_callback(add_header)

    return call
