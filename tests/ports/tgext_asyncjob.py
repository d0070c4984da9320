"""Port of tgext.asyncjob 0.3.1 to Pyramid with pyramid_hooks.

Original: ``tgext/asyncjob/__init__.py`` (``plugme``), ``tghooks.py``
(``start_async_worker``), ``queue.py`` (``AsyncJobQueue``,
``asyncjob_perform``), ``worker.py`` (``AsyncWorkerThread``,
``asyncjob_running_uid``), ``progress.py`` (``asyncjob_set_progress``,
``asyncjob_get_progress``) and ``trackers/memory.py``
(``MemoryProgressTracker``).  The redis tracker and
``asyncjob_timed_query`` are left out; without the ``transaction``
package the worker's transaction is the original's ``FakeTransaction``.

TurboGears -> Pyramid:

- ``milestones.environment_loaded.register(lambda:
  start_async_worker(...))`` -> a ``configure_new_app`` listener: the
  worker starts once per application, when it is made (a ``config_setup``
  listener would start it for a configuration that may still fail);
- ``app_globals.asyncjob_queue`` (``tg.app_globals``, or the
  ``app_globals`` option) -> the queue registered as a utility of the
  application's registry (:class:`IAsyncJobQueue`), read from
  ``request.registry``;
- the process-global ``asyncjobs_progress_status`` proxy, whose
  ``_tracker`` the last started worker replaced -> the queue's own
  tracker, per application; ``asyncjob_set_progress`` run by a job
  finds it through the worker's thread-local, as ``asyncjob_running_uid``
  finds the job;
- ``asyncjob_perform(what, *args, **params)`` and
  ``asyncjob_get_progress(entryid)`` -> the same with the ``request``
  first: there is no ``tg.app_globals`` to reach the queue through.
"""

import logging
import queue
import threading
import uuid

from zope.interface import Interface

log = logging.getLogger(__name__)


class IAsyncJobQueue(Interface):
    """The application's :class:`AsyncJobQueue`."""


class FakeTransaction:
    def noop(*args):
        pass

    begin = abort = commit = noop


try:
    import transaction
except ImportError:
    transaction = FakeTransaction()


class MemoryProgressTracker:
    def __init__(self):
        self.status_lock = threading.Lock()
        self.status = {}

    def track(self, entryid):
        with self.status_lock:
            self.status[entryid] = (-1, None)

    def remove(self, entryid):
        with self.status_lock:
            self.status.pop(entryid, None)

    def set_progress(self, entryid, value, message):
        with self.status_lock:
            self.status[entryid] = (value, message)

    def get_progress(self, entryid):
        with self.status_lock:
            return self.status.get(entryid)


class AsyncJobQueue:
    def __init__(self, tracker):
        self.queue = queue.Queue()
        self.tracker = tracker

    def get(self):
        return self.queue.get()

    def done(self, entryid):
        self.tracker.remove(entryid)
        self.queue.task_done()

    def perform(self, what, args, params):
        uid = f'asyncjob_{uuid.uuid1()}'
        self.tracker.track(uid)
        self.queue.put(
            {'callable': what, 'args': args, 'params': params, 'uid': uid}
        )
        return uid

    def stop(self):
        """Not in the original, whose worker runs until the process
        ends: a message without ``callable`` that ends the worker."""
        self.queue.put({'stop': True})


running_status = threading.local()


class AsyncWorkerThread(threading.Thread):
    def __init__(self, queue):
        super().__init__(daemon=True)
        self.queue = queue

    def run(self):
        log.info('Worker thread is running.')
        running_status.queue = self.queue
        while True:
            msg = self.queue.get()
            if msg.get('stop'):
                self.queue.queue.task_done()
                return
            func = msg.get('callable')
            args = msg.get('args') or []
            params = msg.get('params') or {}
            uid = msg.get('uid')
            if func:
                transaction.begin()
                try:
                    running_status.entry = uid
                    func(*args, **params)
                    transaction.commit()
                except Exception:
                    log.exception('Exception in async job %s', uid)
                    transaction.abort()
            running_status.entry = None
            self.queue.done(uid)


def asyncjob_running_uid():
    return running_status.entry


def asyncjob_set_progress(value, data=None):
    """Called by a job, in the worker's thread."""
    running_status.queue.tracker.set_progress(
        asyncjob_running_uid(), value, data
    )


def asyncjob_get_progress(request, entryid):
    queue = request.registry.getUtility(IAsyncJobQueue)
    return queue.tracker.get_progress(entryid)


def asyncjob_perform(request, what, *args, **params):
    queue = request.registry.getUtility(IAsyncJobQueue)
    return queue.perform(what, args, params)


def start_async_worker(registry, progress_tracker=None):
    if progress_tracker is None:
        progress_tracker = MemoryProgressTracker()
    job_queue = AsyncJobQueue(progress_tracker)
    registry.registerUtility(job_queue, IAsyncJobQueue)
    worker = AsyncWorkerThread(job_queue)
    worker.start()
    return worker


def plugme(config, progress_tracker=None):
    """What ``plug(base_config, 'tgext.asyncjob')`` did."""
    log.info('Setting up tgext.asyncjob...')

    def start(app):
        start_async_worker(app.registry, progress_tracker)

    config.register_hook('configure_new_app', start)
    return {'appid': 'tgext.asyncjob'}
