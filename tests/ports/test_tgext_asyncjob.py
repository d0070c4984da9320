"""tgext.asyncjob 0.3.1, ported (tests/ports/tgext_asyncjob.py): the
behaviour of its ``tests/test_memorytracker.py``, jobs started by
requests."""

import threading

from pyramid.config import Configurator
from webtest import TestApp

import pyramid_hooks
from tests.ports.tgext_asyncjob import (
    IAsyncJobQueue,
    asyncjob_get_progress,
    asyncjob_perform,
    asyncjob_running_uid,
    asyncjob_set_progress,
    plugme,
)


class Task:
    """The original's ``TestTask``, with events instead of polling."""

    def __init__(self):
        self.started = threading.Event()
        self.go_on = threading.Event()
        self.uids = []
        self.step = None

    def __call__(self, *args, **kw):
        self.uids.append(asyncjob_running_uid())
        self.args = (args, kw)
        self.started.set()
        self.go_on.wait(5)
        if self.step is not None:
            self.step()


def start(request):
    task = request.registry.settings['task']
    return asyncjob_perform(request, task, 1, two=2)


def progress(request):
    return asyncjob_get_progress(request, request.matchdict['uid'])


def make_app():
    task = Task()
    config = Configurator(settings={'task': task})
    config.include('pyramid_hooks')
    config.add_route('start', '/start')
    config.add_view(start, route_name='start', renderer='json')
    config.add_route('progress', '/progress/{uid}')
    config.add_view(progress, route_name='progress', renderer='json')
    plugme(config)
    return TestApp(pyramid_hooks.make_wsgi_app(config)), task


def finish(app, task):
    queue = app.app.registry.getUtility(IAsyncJobQueue)
    task.go_on.set()
    queue.stop()
    queue.queue.join()


def test_start_job():
    app, task = make_app()
    uid = app.get('/start').json
    task.started.wait(5)
    assert app.get('/progress/' + uid).json == [-1, None]
    assert task.uids == [uid]
    assert task.args == ((1,), {'two': 2})
    finish(app, task)
    assert app.get('/progress/' + uid).json is None


def test_job_progress():
    """The original's ``call_from_thread(asyncjob_set_progress, ...)``."""
    app, task = make_app()
    uid = app.get('/start').json
    task.started.wait(5)
    reported, resume = threading.Event(), threading.Event()

    def report():
        asyncjob_set_progress(0, {'hello': 'World'})
        reported.set()
        resume.wait(5)

    task.step = report
    task.go_on.set()
    reported.wait(5)
    assert app.get('/progress/' + uid).json == [0, {'hello': 'World'}]
    resume.set()
    finish(app, task)


def test_job_exception(caplog):
    app, task = make_app()
    uid = app.get('/start').json
    task.started.wait(5)

    def fail():
        raise Exception('ERROR')

    task.step = fail
    finish(app, task)
    assert app.get('/progress/' + uid).json is None
    assert f'Exception in async job {uid}' in caplog.text


def test_one_queue_per_application():
    """The original's queue and tracker were process globals (the last
    started worker's)."""
    (app1, task1), (app2, task2) = make_app(), make_app()
    queue1, queue2 = (
        a.app.registry.getUtility(IAsyncJobQueue) for a in (app1, app2)
    )
    assert queue1 is not queue2
    finish(app1, task1)
    finish(app2, task2)
