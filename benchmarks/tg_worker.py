"""The TurboGears 2.5 side of scenario 3, run in its own process.

TurboGears keeps its hooks, milestones and configuration in module globals,
so its application is built here, in a subprocess, never in the process
that measures the Pyramid applications.  The protocol is one JSON object per
line: the worker answers ``{"ready": ..., "probe": ...}`` once the
application is built and checked, then each ``{"number": N}`` with
``{"seconds": s}`` (seconds per request over *N* direct WSGI calls), until
its standard input closes.

The application mirrors :func:`benchmarks.apps.full_stack_app`: a JSON
controller (``@expose('json')``) returning the same document, one
application wrapper, one app-wide controller wrapper (registered on the
dispatch component) and app-wide ``before_call``, ``before_render`` and
``after_render`` listeners on ``tg.hooks``, with
``MinimalApplicationConfigurator``.
"""

import collections
import json
import logging
import sys
from importlib.metadata import version

from benchmarks.harness import batch_timer, wsgi_call

DOCUMENT = {'id': 1, 'name': 'benchmark', 'items': [1, 2, 3]}
CALLS = collections.Counter()


def make_app(application_wrapper=True):
    from tg import MinimalApplicationConfigurator, TGController, expose, hooks
    from tg.appwrappers.base import ApplicationWrapper

    class Root(TGController):
        @expose('json')
        def data(self, **kw):
            return dict(DOCUMENT)

    def controller_wrapper(next_caller):
        def call(config, controller, remainder, params):
            CALLS['controller_wrapper'] += 1
            return next_caller(config, controller, remainder, params)

        return call

    class BenchApplicationWrapper(ApplicationWrapper):
        def __call__(self, controller, environ, context):
            CALLS['application_wrapper'] += 1
            return self.next_handler(controller, environ, context)

    def on_before_call(remainder, params):
        CALLS['before_call'] += 1

    def on_before_render(remainder, params, output):
        CALLS['before_render'] += 1
        output['hooked'] = True

    def on_after_render(response):
        CALLS['after_render'] += 1

    configurator = MinimalApplicationConfigurator()
    configurator.update_blueprint({'root_controller': Root()})
    configurator.get_component('dispatch').register_controller_wrapper(
        controller_wrapper
    )
    if application_wrapper:
        configurator.register_application_wrapper(
            BenchApplicationWrapper, after=None
        )
    hooks.register('before_call', on_before_call)
    hooks.register('before_render', on_before_render)
    hooks.register('after_render', on_after_render)
    return configurator.make_wsgi_app()


def main():
    logging.disable(logging.WARNING)
    application_wrapper = '--no-application-wrapper' not in sys.argv
    try:
        import tg  # noqa: F401
    except ImportError:
        print(
            json.dumps({'error': 'TurboGears2 is not installed'}), flush=True
        )
        return
    app = make_app(application_wrapper)
    call = wsgi_call(app, '/data')
    status, headers, body = call.probe()
    print(
        json.dumps(
            {
                'ready': True,
                'version': version('TurboGears2'),
                'probe': {
                    'status': status,
                    'content_type': headers.get('Content-Type'),
                    'body': json.loads(body),
                    'calls': dict(CALLS),
                },
            }
        ),
        flush=True,
    )
    measure = batch_timer(call)
    for line in sys.stdin:
        command = json.loads(line)
        seconds = measure(command['number'])
        print(json.dumps({'seconds': seconds}), flush=True)


if __name__ == '__main__':
    main()
