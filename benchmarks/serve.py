"""Serve one of :data:`benchmarks.apps.BY_NAME` with waitress on a free
127.0.0.1 port, in its own process (scenario 8).

Prints ``{"port": N}`` on one line once listening, then serves until it is
terminated or its standard input closes (so it never outlives the runner).
"""

import json
import logging
import os
import sys
import threading


def main():
    import waitress

    logging.getLogger('waitress.queue').setLevel(logging.ERROR)

    from benchmarks.apps import BY_NAME

    name = sys.argv[1]
    cpu = os.environ.get('BENCHMARKS_SERVER_CPU')
    if cpu and hasattr(os, 'sched_setaffinity'):
        os.sched_setaffinity(0, {int(cpu)})
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    app = BY_NAME[name]()
    server = waitress.create_server(
        app, host='127.0.0.1', port=0, threads=threads
    )
    print(json.dumps({'port': server.effective_port}), flush=True)

    def watch_stdin():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    server.run()


if __name__ == '__main__':
    main()
