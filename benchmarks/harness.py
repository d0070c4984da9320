"""Timing primitives shared by the scenarios and the TurboGears worker.

A *variant* is a callable ``measure(number) -> seconds per operation``.
:func:`compare` calibrates a batch size on the baseline, warms every
variant up, then runs the repetitions interleaved (the order rotates each
round, so a slow drift of the machine hits every variant alike) and keeps
every repetition; the figure reported is the median.
"""

import gc
import io
import statistics
import time
import timeit

#: the WSGI environ every direct call starts from
BASE_ENVIRON = {
    'REQUEST_METHOD': 'GET',
    'SCRIPT_NAME': '',
    'PATH_INFO': '/',
    'QUERY_STRING': '',
    'SERVER_NAME': 'localhost',
    'SERVER_PORT': '80',
    'SERVER_PROTOCOL': 'HTTP/1.1',
    'HTTP_HOST': 'localhost',
    'REMOTE_ADDR': '127.0.0.1',
    'wsgi.version': (1, 0),
    'wsgi.url_scheme': 'http',
    'wsgi.errors': io.StringIO(),
    'wsgi.multithread': False,
    'wsgi.multiprocess': False,
    'wsgi.run_once': False,
}


class NotAvailable(Exception):
    """A scenario's feature has not landed (or does not work) yet."""


class Settings:
    """How hard to measure: repetitions, warm-up and the minimum duration
    of one timed batch (the batch size is calibrated to reach it)."""

    def __init__(
        self,
        repeat=7,
        warmup=0.2,
        min_batch=0.15,
        startup_repeat=5,
        load_requests=4000,
        load_seconds=4.0,
        load_threads=4,
        load_repeat=5,
    ):
        self.repeat = repeat
        self.warmup = warmup
        self.min_batch = min_batch
        self.startup_repeat = startup_repeat
        self.load_requests = load_requests
        self.load_seconds = load_seconds
        self.load_threads = load_threads
        self.load_repeat = load_repeat

    def as_dict(self):
        return dict(vars(self))


def _start_response(status, headers, exc_info=None):
    return None


def wsgi_call(app, path='/', method='GET', body=None, headers=None, query=''):
    """A no-argument callable making one WSGI request to *app* with a fresh
    copy of a prepared environ, reading the whole body; returns
    ``(status, headers, body)`` of the last call through ``.last``."""
    environ = dict(BASE_ENVIRON)
    environ['REQUEST_METHOD'] = method
    environ['PATH_INFO'] = path
    environ['QUERY_STRING'] = query
    for name, value in (headers or {}).items():
        key = name.upper().replace('-', '_')
        if key not in ('CONTENT_TYPE', 'CONTENT_LENGTH'):
            key = 'HTTP_' + key
        environ[key] = value
    payload = body or b''
    if body is not None:
        environ['CONTENT_LENGTH'] = str(len(body))
    BytesIO = io.BytesIO

    def call():
        env = environ.copy()
        env['wsgi.input'] = BytesIO(payload)
        result = app(env, _start_response)
        try:
            b''.join(result)
        finally:
            close = getattr(result, 'close', None)
            if close is not None:
                close()

    def probe():
        """One request, returning ``(status, headers, body)``."""
        env = environ.copy()
        env['wsgi.input'] = BytesIO(payload)
        seen = []
        result = app(env, lambda s, h, e=None: seen.append((s, h)))
        try:
            data = b''.join(result)
        finally:
            close = getattr(result, 'close', None)
            if close is not None:
                close()
        status, hdrs = seen[0]
        return status, dict(hdrs), data

    call.probe = probe
    return call


def batch_timer(fn):
    """``measure(number)`` for a no-argument callable: the seconds per call
    of *number* calls, the garbage collector paused as :mod:`timeit`
    does."""

    def measure(number):
        gc.collect()
        enabled = gc.isenabled()
        gc.disable()
        try:
            start = time.perf_counter()
            for _ in range(number):
                fn()
            elapsed = time.perf_counter() - start
        finally:
            if enabled:
                gc.enable()
        return elapsed / number

    return measure


def stmt_timer(stmt, namespace):
    """``measure(number)`` for a statement compiled into :mod:`timeit`'s
    loop (no extra function call per operation: for micro-benchmarks)."""
    timer = timeit.Timer(stmt, globals=namespace)

    def measure(number):
        return timer.timeit(number) / number

    return measure


def calibrate(measure, min_batch):
    """The smallest power-of-ten-ish batch size whose run lasts at least
    *min_batch* seconds."""
    number = 1
    while True:
        per_op = measure(number)
        if per_op * number >= min_batch or number >= 10_000_000:
            return number
        if per_op * number < min_batch / 20:
            number *= 10
        else:
            number = int(min_batch / per_op * 1.1) + 1


def compare(variants, settings, number=None):
    """Measure *variants* (an ordered mapping name -> ``measure``; the
    first is the baseline used to calibrate) interleaved.  Returns
    ``(number, {name: [seconds per op, ...]})``."""
    names = list(variants)
    if number is None:
        number = calibrate(variants[names[0]], settings.min_batch)
    for name in names:
        deadline = time.perf_counter() + settings.warmup
        while time.perf_counter() < deadline:
            variants[name](max(1, number // 10))
    runs = {name: [] for name in names}
    for i in range(settings.repeat):
        order = names[i % len(names) :] + names[: i % len(names)]
        if i % 2:
            order.reverse()
        for name in order:
            runs[name].append(variants[name](number))
    return number, runs


def summary(values):
    """Median, min, max and relative spread of a list of timings."""
    median = statistics.median(values)
    return {
        'median': median,
        'min': min(values),
        'max': max(values),
        'spread': (max(values) - min(values)) / median if median else 0.0,
        'runs': list(values),
    }
