"""A bounded HTTP load generator: threads with keep-alive
:class:`http.client.HTTPConnection` s, stopping by themselves after a
number of requests or a number of seconds, whichever comes first."""

import contextlib
import http.client
import itertools
import json
import os
import subprocess
import sys
import threading
import time


def run_load(port, path, requests, seconds, threads):
    """Send up to *requests* ``GET path`` requests within *seconds* from
    *threads* threads; return ``(completed, elapsed, errors)``."""
    counter = itertools.count()
    deadline = time.perf_counter() + seconds
    done = [0] * threads
    errors = [0] * threads

    def worker(slot):
        connection = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
        try:
            while time.perf_counter() < deadline:
                if next(counter) >= requests:
                    break
                try:
                    connection.request('GET', path)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    errors[slot] += 1
                    connection.close()
                    connection = http.client.HTTPConnection(
                        '127.0.0.1', port, timeout=10
                    )
                    continue
                if response.status == 200:
                    done[slot] += 1
                else:
                    errors[slot] += 1
        finally:
            connection.close()

    workers = [
        threading.Thread(target=worker, args=(i,), daemon=True)
        for i in range(threads)
    ]
    start = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join(seconds + 15)
    elapsed = time.perf_counter() - start
    return sum(done), elapsed, sum(errors)


class Server:
    """One application served by :mod:`benchmarks.serve` in a subprocess
    (a context manager: the subprocess is stopped on exit)."""

    def __init__(self, name, threads=4, cpu=None):
        self.name = name
        self.threads = threads
        self.env = None
        if cpu is not None:
            self.env = dict(os.environ, BENCHMARKS_SERVER_CPU=str(cpu))
        self.process = None
        self.port = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                '-m',
                'benchmarks.serve',
                self.name,
                str(self.threads),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=self.env,
        )
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(10)
            raise RuntimeError(f'the {self.name!r} server did not start')
        self.port = json.loads(line)['port']
        return self

    def __exit__(self, *exc):
        process = self.process
        process.stdin.close()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(5)


@contextlib.contextmanager
def split_cpus():
    """Give the servers the last CPU and this process (the load
    generator) the others, so that they do not take turns on one CPU;
    yields the server's CPU, or ``None`` where affinity cannot be set or
    there is a single CPU.  The process's affinity is restored after."""
    getter = getattr(os, 'sched_getaffinity', None)
    if getter is None:
        yield None
        return
    allowed = sorted(getter(0))
    if len(allowed) < 2:
        yield None
        return
    os.sched_setaffinity(0, allowed[:-1])
    try:
        yield allowed[-1]
    finally:
        os.sched_setaffinity(0, allowed)
