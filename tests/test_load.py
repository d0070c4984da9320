"""Load and concurrency on real servers.

* waitress (8 threads) on a free loopback port, driven by a bounded
  concurrent client (threads + :mod:`http.client`, bounded by a request
  count and a time limit) over the app of ``tests/reliability_app.py``:
  plain views, views with hooks, validation and controller wrappers,
  application wrappers, CSRF-protected forms, widget callbacks (allowed,
  denied, locked, unknown), controller http routes (public, ``auth='user'``)
  and JSON routes (batches, refusals, wrong content type).  Every
  response's content is checked, and each request's unique value must come
  back from every hook and wrapper that saw it (cross-request leakage would
  show another request's value).
* gunicorn with 4 worker processes and a signed-cookie session: the same
  requests on new connections; CSRF tokens and widget URLs obtained from
  one worker work on the others, controller routes answer on any.

The CI run is sized to finish well under a minute on 2 cores; set
``PYRAMID_HOOKS_SOAK=1`` for a longer soak (``PYRAMID_HOOKS_SOAK_REQUESTS``
overrides its size).
"""

import http.client
import itertools
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from webtest.http import StopableWSGIServer

from tests import reliability_app

SOAK = os.environ.get('PYRAMID_HOOKS_SOAK', '').lower() in ('1', 'true', 'yes')
TOTAL = (
    int(os.environ.get('PYRAMID_HOOKS_SOAK_REQUESTS', '250000'))
    if SOAK
    else 20_000
)
TIME_LIMIT = 1800.0 if SOAK else 120.0
CLIENT_THREADS = 8

ROOT = Path(__file__).resolve().parent.parent


# -- the bounded client ------------------------------------------------------


class Kind:
    """One kind of request: how to make it and how to check its answer.

    ``make(u, state)`` returns ``(method, path, headers, body)``;
    ``check(u, status, headers, body)`` raises ``AssertionError`` when the
    response is not exactly what request *u* must get back.
    """

    def __init__(self, name, make, check):
        self.name = name
        self.make = make
        self.check = check


def _json(body):
    return json.loads(body.decode('utf-8'))


def no_traceback(body):
    assert b'Traceback' not in body, body[:500]


def _plain_make(u, state):
    return 'GET', f'/plain?u={quote(u)}', {}, None


def _plain_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    assert body.decode('utf-8') == f'plain:{u}'
    assert headers['X-NR'] == u


def _hooked_make(u, state):
    n = state['i']
    return 'GET', f'/hooked/k{n % 7}?u={quote(u)}&n={n}', {}, None


def _hooked_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    data = _json(body)
    assert data == {
        'u': u,
        'n': int(u.split('-')[0]),
        'bv': u,
        'bc': u,
        'br': u,
        'tag': u,
        'context_tag': u,
        'cw': f'{u}@hooked',
        'sw': u,
    }, data
    assert headers['X-AR'] == u
    assert headers['X-NR'] == u


def _invalid_make(u, state):
    headers = {'Accept': 'application/json'}
    return 'GET', f'/hooked/x?u={quote(u)}&n=bad', headers, None


def _invalid_check(u, status, headers, body):
    assert status == 400, (status, body[:300])
    no_traceback(body)
    assert _json(body) == {'status': 400, 'errors': {'n': 'not a number'}}
    assert headers['X-NR'] == u


def _form_make(u, state):
    headers = {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Cookie': state['cookie'],
        'X-CSRF-Token': state['token'],
    }
    return 'POST', '/form', headers, urlencode({'u': u})


def _form_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    assert _json(body) == {'u': u, 'tag': u, 'cw': f'{u}@form'}
    assert headers['X-NR'] == u


def _no_csrf_make(u, state):
    headers = {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Cookie': state['cookie'],
    }
    return 'POST', f'/form?u={quote(u)}', headers, urlencode({'u': u})


def _no_csrf_check(u, status, headers, body):
    assert status == 400, (status, body[:300])
    no_traceback(body)
    assert headers['X-NR'] == u


# -- controller routes -------------------------------------------------------

ROUTE = 'tests.reliability_app.EchoController'


def _c_echo_make(u, state):
    return 'GET', f'/c/echo/k{state["i"] % 5}?u={quote(u)}', {}, None


def _c_echo_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    k = f'k{int(u.split("-")[0]) % 5}'
    assert _json(body) == {
        'u': u,
        'k': k,
        'bv': u,
        'tag': u,
        'cw': f'{u}@{ROUTE}.echo',
    }
    assert headers['X-AR'] == u


def _c_form_make(u, state):
    method, _, headers, body = _form_make(u, state)
    return method, '/c/form', headers, body


def _c_form_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    assert body.decode('utf-8') == f'form:{u}:{u}'


def _c_form_no_csrf_make(u, state):
    method, _, headers, body = _no_csrf_make(u, state)
    return method, f'/c/form?u={quote(u)}', headers, body


def _c_private_make(u, state):
    return 'GET', f'/c/private?u={quote(u)}', {'X-User': f'user-{u}'}, None


def _c_private_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    assert body.decode('utf-8') == f'private:{u}:user-{u}'


def _c_anonymous_make(u, state):
    return 'GET', f'/c/private?u={quote(u)}', {}, None


def _c_anonymous_check(u, status, headers, body):
    assert status == 403, (status, body[:300])
    no_traceback(body)


def _rpc_batch_make(u, state):
    calls = [
        {
            'jsonrpc': '2.0',
            'id': j,
            'method': 'rpc',
            'params': {'u': f'{u}.{j}', 'n': j},
        }
        for j in range(3)
    ]
    calls.insert(1, {'jsonrpc': '2.0', 'method': 'rpc', 'params': {'u': u}})
    headers = {'Content-Type': 'application/json'}
    return 'POST', f'/c/rpc?u={quote(u)}', headers, json.dumps(calls)


def _rpc_batch_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    assert _json(body) == [
        {
            'jsonrpc': '2.0',
            'id': j,
            'result': {
                'u': f'{u}.{j}',
                'n': j,
                'bv': u,
                'tag': u,
                'cw': f'{u}@{ROUTE}.rpc',
            },
        }
        for j in range(3)
    ]
    assert headers['X-AR'] == u


def _rpc_private_make(u, state):
    call = {'jsonrpc': '2.0', 'id': u, 'method': 'p', 'params': {'u': u}}
    headers = {'Content-Type': 'application/json', 'X-User': f'user-{u}'}
    return 'POST', f'/c/rpc/private?u={quote(u)}', headers, json.dumps(call)


def _rpc_private_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    assert _json(body) == {
        'jsonrpc': '2.0',
        'id': u,
        'result': {
            'u': u,
            'user': f'user-{u}',
            'cw': f'{u}@{ROUTE}.rpc_private',
        },
    }


def _rpc_anonymous_make(u, state):
    method, path, headers, body = _rpc_private_make(u, state)
    del headers['X-User']
    return method, path, headers, body


def _rpc_anonymous_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    reply = _json(body)
    assert reply['id'] == u
    assert reply['error']['code'] == -32001
    assert 'result' not in reply


def _rpc_not_json_make(u, state):
    method, path, headers, body = _rpc_private_make(u, state)
    headers['Content-Type'] = 'text/plain'
    return method, path, headers, body


def _rpc_not_json_check(u, status, headers, body):
    assert status == 415, (status, body[:300])
    reply = _json(body)
    assert reply['error']['code'] == -32600
    assert reply['id'] == u
    assert 'result' not in reply


# -- widget callbacks --------------------------------------------------------


def _w_show_make(u, state):
    path = f'{state["w_show"]}?u={quote(u)}'
    return 'GET', path, {'X-User': f'user-{u}'}, None


def _w_show_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    assert body.decode('utf-8') == f'show:{u}:{u}:{u}'


def _w_denied_make(u, state):
    return 'GET', f'{state["w_show"]}?u={quote(u)}', {}, None


def _w_locked_make(u, state):
    path = f'/_widgets/locked/show?u={quote(u)}'
    return 'GET', path, {'X-User': f'user-{u}'}, None


def _forbidden_check(u, status, headers, body):
    assert status == 403, (status, body[:300])
    no_traceback(body)
    assert b'never authorized' not in body


def _w_save_make(u, state):
    method, _, headers, body = _form_make(u, state)
    headers['X-User'] = f'user-{u}'
    return method, f'{state["w_save"]}?u={quote(u)}', headers, body


def _w_save_check(u, status, headers, body):
    assert status == 200, (status, body[:300])
    assert body.decode('utf-8') == f'save:{u}:{u}:user-{u}'


def _w_save_no_csrf_make(u, state):
    method, path, headers, body = _w_save_make(u, state)
    del headers['X-CSRF-Token']
    return method, path, headers, body


def _w_unknown_make(u, state):
    path = f'/_widgets/echo/no_such_callback?u={quote(u)}'
    return 'GET', path, {'X-User': 'someone'}, None


def _not_found_check(u, status, headers, body):
    assert status == 404, (status, body[:300])
    no_traceback(body)


def check_wrappers(u, headers):
    """Every response went through both application wrappers, and they saw
    this request's value (not another's)."""
    assert headers['X-AW'] == f'{u}|{u}', headers['X-AW']
    assert headers['X-AW-Outer'] == f'{u}|{u}'


KINDS = [
    Kind('plain', _plain_make, _plain_check),
    Kind('hooked', _hooked_make, _hooked_check),
    Kind('hooked', _hooked_make, _hooked_check),
    Kind('invalid', _invalid_make, _invalid_check),
    Kind('form', _form_make, _form_check),
    Kind('no_csrf', _no_csrf_make, _no_csrf_check),
    Kind('c_echo', _c_echo_make, _c_echo_check),
    Kind('c_form', _c_form_make, _c_form_check),
    Kind('c_no_csrf', _c_form_no_csrf_make, _no_csrf_check),
    Kind('c_private', _c_private_make, _c_private_check),
    Kind('c_anonymous', _c_anonymous_make, _c_anonymous_check),
    Kind('rpc_batch', _rpc_batch_make, _rpc_batch_check),
    Kind('rpc_batch', _rpc_batch_make, _rpc_batch_check),
    Kind('rpc_private', _rpc_private_make, _rpc_private_check),
    Kind('rpc_anonymous', _rpc_anonymous_make, _rpc_anonymous_check),
    Kind('rpc_not_json', _rpc_not_json_make, _rpc_not_json_check),
    Kind('w_show', _w_show_make, _w_show_check),
    Kind('w_show', _w_show_make, _w_show_check),
    Kind('w_denied', _w_denied_make, _forbidden_check),
    Kind('w_locked', _w_locked_make, _forbidden_check),
    Kind('w_save', _w_save_make, _w_save_check),
    Kind('w_save_no_csrf', _w_save_no_csrf_make, _no_csrf_check),
    Kind('w_unknown', _w_unknown_make, _not_found_check),
]


def fetch(conn, method, path, headers=None, body=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.headers, response.read()


def session_state(conn):
    """A session cookie and its CSRF token, for one client thread."""
    status, headers, body = fetch(conn, 'GET', '/token?u=setup')
    assert status == 200, body
    cookie = SimpleCookie(headers['Set-Cookie'])
    state = {
        'cookie': '; '.join(f'{k}={m.value}' for k, m in cookie.items()),
        'token': _json(body)['token'],
        'pid': headers['X-PID'],
    }
    status, headers, body = fetch(conn, 'GET', '/widget-urls?u=setup')
    assert status == 200, body
    urls = _json(body)
    assert urls['show'] == '/_widgets/echo/show?u=Q', urls
    state['w_show'] = urls['show'].partition('?')[0]
    state['w_save'] = urls['save']
    state['w_pid'] = headers['X-PID']
    return state


def drive(host, port, kinds, total, time_limit, threads=CLIENT_THREADS):
    """Send *total* requests (at most, and for at most *time_limit*
    seconds) from *threads* keep-alive connections; return the per-kind
    counts of checked responses and the list of errors."""
    counter = itertools.count()
    deadline = time.monotonic() + time_limit
    done = Counter()
    errors = []
    lock = threading.Lock()

    def worker():
        local, local_errors = Counter(), []
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            state = session_state(conn)
            while time.monotonic() < deadline:
                i = next(counter)
                if i >= total:
                    break
                kind = kinds[i % len(kinds)]
                u = f'{i}-{uuid.uuid4().hex[:12]}'
                state['i'] = i
                try:
                    status, headers, body = fetch(conn, *kind.make(u, state))
                    kind.check(u, status, headers, body)
                    check_wrappers(u, headers)
                except Exception as e:  # recorded, reported, then asserted
                    local_errors.append(f'{kind.name} {u}: {e!r}')
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=30)
                else:
                    local[kind.name] += 1
        except Exception as e:  # pragma: no cover - reported by the test
            local_errors.append(f'worker: {e!r}')
        finally:
            conn.close()
            with lock:
                done.update(local)
                errors.extend(local_errors)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(time_limit + 60)
    assert not any(thread.is_alive() for thread in workers)
    return done, errors


# -- waitress ----------------------------------------------------------------


@pytest.fixture
def waitress_server():
    # "Task queue depth is N" warnings are expected under load
    queue_log = logging.getLogger('waitress.queue')
    level = queue_log.level
    queue_log.setLevel(logging.ERROR)
    app = reliability_app.make_app()
    server = StopableWSGIServer.create(
        app, host='127.0.0.1', threads=8, expose_tracebacks=False
    )
    try:
        assert server.wait()
        yield server, app
    finally:
        server.shutdown()
        queue_log.setLevel(level)


def test_waitress_load(waitress_server):
    server, app = waitress_server
    started = time.monotonic()
    done, errors = drive(
        server.adj.host, server.adj.port, KINDS, TOTAL, TIME_LIMIT
    )
    elapsed = time.monotonic() - started
    sent = sum(done.values()) + len(errors)
    print(
        f'\nwaitress load: {sent} requests in {elapsed:.1f}s '
        f'({sent / elapsed:.0f}/s), {len(errors)} errors, '
        f'{done["rpc_batch"] * 4} JSON-RPC calls in {done["rpc_batch"]} '
        f'batches, by kind {dict(sorted(done.items()))}'
    )
    assert errors == []
    assert sent == TOTAL
    # request_finished ran once per request (the setup requests included)
    finished = reliability_app.get_stats(app.registry).finished
    assert sum(finished.values()) == TOTAL + 2 * CLIENT_THREADS
    assert finished['token'] == CLIENT_THREADS


# -- gunicorn ----------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_server():
    port = free_port()
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        filter(None, [str(ROOT), env.get('PYTHONPATH')])
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'gunicorn',
            '--workers',
            '4',
            '--bind',
            f'127.0.0.1:{port}',
            '--log-level',
            'warning',
            'tests.reliability_app:make_app()',
        ],
        cwd=str(ROOT),
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, 'gunicorn exited'
            try:
                conn = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
                fetch(conn, 'GET', '/plain?u=up')
                conn.close()
                break
            except OSError:
                assert time.monotonic() < deadline, 'gunicorn did not start'
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(30)


def test_gunicorn_scale_out(gunicorn_server):
    port = gunicorn_server
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    state = session_state(conn)
    conn.close()
    total = (1000 if SOAK else 40) * len(KINDS)
    counter = itertools.count()
    answered = Counter()
    errors = []
    lock = threading.Lock()

    def worker():
        while (i := next(counter)) < total:
            u = f'{i}-{uuid.uuid4().hex[:12]}'
            # a new connection each time: any worker may answer
            conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
            try:
                kind = KINDS[i % len(KINDS)]
                state_i = dict(state, i=i)
                status, headers, body = fetch(conn, *kind.make(u, state_i))
                kind.check(u, status, headers, body)
                check_wrappers(u, headers)
                with lock:
                    answered[(kind.name, headers['X-PID'])] += 1
            except Exception as e:
                with lock:
                    errors.append(f'{u}: {e!r}')
            finally:
                conn.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    pids = {pid for _, pid in answered}

    def other_workers(*kinds, origin):
        """Workers other than *origin* that answered requests of *kinds*."""
        return {pid for kind, pid in answered if kind in kinds} - {origin}

    print(
        f'\ngunicorn: {sum(answered.values())} requests, {len(errors)} '
        f'errors, {len(pids)} workers answered'
    )
    assert errors == []
    assert sum(answered.values()) == total
    assert len(pids) >= 2
    # the session (CSRF token) came from one worker, others accepted it
    assert other_workers('form', 'c_form', 'w_save', origin=state['pid'])
    # widget URLs generated by one worker work on the others
    assert other_workers('w_show', 'w_save', origin=state['w_pid'])
    # controller routes (http and JSON) answer on several workers
    assert len({p for k, p in answered if k.startswith(('c_', 'rpc_'))}) >= 2
