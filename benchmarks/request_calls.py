"""Make N requests to one benchmark application, for callgrind.

Wall time of a request is noisy on a shared machine; instruction counts
are not.  Count the timed requests only (the warm-up ones import and fill
caches)::

    PYTHONHASHSEED=0 valgrind --tool=callgrind \\
        --callgrind-out-file=/dev/null \\
        --collect-atstart=no --toggle-collect=starmap_next \\
        python -m benchmarks.request_calls full 1000

and divide the total by N.  (``python`` the interpreter itself, not a
shell-script shim: valgrind would count the shell.)  The requests run
inside :func:`itertools.starmap`, as in :mod:`benchmarks.startup_build`.
Applications: ``bare``, ``include``, ``full`` (scenarios 2 and 3),
``hand`` (its hand-written equivalent), ``tg`` (TurboGears 2.5, the
application of :mod:`benchmarks.tg_worker`), ``widget`` and ``plain``
(scenario 6), or ``parts:a,b`` (a :func:`~benchmarks.apps.partial_stack_app`
of scenario 3b).  The garbage collector is off, as in a timed batch.
"""

import gc
import itertools
import sys

from benchmarks import apps
from benchmarks.harness import wsgi_call


def build(name):
    """``(app, path)`` of the application *name*."""
    if name.startswith('parts:'):
        parts = name.split(':', 1)[1].split(',')
        return apps.partial_stack_app(parts), '/data'
    if name == 'tg':
        from benchmarks.tg_worker import make_app

        return make_app(), '/data'
    if name in ('widget', 'plain'):
        made = apps.widget_app() if name == 'widget' else None
        return made or apps.plain_response_app(), apps.widget_path()
    return {
        'bare': apps.bare_app,
        'include': apps.include_app,
        'full': apps.full_stack_app,
        'hand': apps.hand_written_app,
    }[name](), '/data'


def main(argv):
    name = argv[0] if argv else 'full'
    count = int(argv[1]) if len(argv) > 1 else 1000
    app, path = build(name)
    call = wsgi_call(app, path)
    status = call.probe()[0]
    if not status.startswith('200'):
        raise SystemExit(f'{name}: {status}')
    for _ in range(200):
        call()
    gc.collect()
    gc.disable()
    list(itertools.starmap(call, itertools.repeat((), count)))


if __name__ == '__main__':
    main(sys.argv[1:])
