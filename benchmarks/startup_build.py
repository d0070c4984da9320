"""Build one variant of the startup scenario (5) once, for callgrind.

Wall time of a startup is noisy on a shared machine; instruction counts
are not.  Count the second build only (the first imports everything)::

    PYTHONHASHSEED=0 valgrind --tool=callgrind \\
        --callgrind-out-file=/dev/null \\
        --collect-atstart=no --toggle-collect=starmap_next \\
        python -m benchmarks.startup_build hooks 1000

(``python`` the interpreter itself, not a shell-script shim such as
pyenv's: valgrind would count the shell.)  The build runs inside
:func:`itertools.starmap`, which nothing else in a build calls, so
toggling collection on its C function counts the build alone.
Variants: ``bare``, ``hooks`` (what row 5 measures: 10 wrappers, 100
scoped listeners), ``decorated`` (the same wrappers through
``decorator=``), ``include`` (the include, nothing registered),
``derivers`` (bare with three do-nothing view derivers).  ``NOGC=1`` keeps
the garbage collector off during the build, as rows 5g and 5hg do.
"""

import gc
import itertools
import os
import sys

from pyramid.config import Configurator

from benchmarks.scenarios import (
    SCOPED_LISTENERS,
    WRAPPERS,
    _make_listeners,
    _make_views,
    _make_wrappers,
    add_startup_views,
    build_decorated_app,
    build_derivers_app,
    build_startup_app,
)


def build_include_app(views):
    config = Configurator()
    config.include('pyramid_hooks')
    add_startup_views(config, views)
    return config.make_wsgi_app()


def main(argv):
    mode = argv[0] if argv else 'hooks'
    count = int(argv[1]) if len(argv) > 1 else 1000
    wrappers = _make_wrappers(WRAPPERS)
    listeners = _make_listeners(SCOPED_LISTENERS)
    builds = {
        'bare': lambda views: build_startup_app(views),
        'hooks': lambda views: build_startup_app(
            views, wrappers, listeners, True
        ),
        'decorated': lambda views: build_decorated_app(views, wrappers),
        'include': build_include_app,
        'derivers': build_derivers_app,
    }
    build = builds[mode]
    views = _make_views(count)
    build(views[:10])  # imports, first-time caches
    gc.collect()
    if os.environ.get('NOGC'):
        gc.disable()
    list(itertools.starmap(build, [(views,)]))


if __name__ == '__main__':
    main(sys.argv[1:])
