"""Port of TurboGears 2.5.1's transaction application wrapper to Pyramid
with pyramid_hooks.

Original: ``tg/appwrappers/transaction_manager.py``
(``TransactionApplicationWrapper``, ``AbortTransaction``).

TurboGears -> Pyramid:

- ``ApplicationWrapper.__init__(handler, config)`` /
  ``__call__(controller, environ, context)`` ->
  ``pyramid_hooks.ApplicationWrapper.__init__(next_handler, registry)`` /
  ``__call__(request)``; ``coerce_config(config, 'tm.', ...)`` -> the
  ``tm.*`` deployment settings (``self.settings``);
- the transaction manager (``transaction.manager``) -> the ``tm.manager``
  setting (an object or a dotted name), ``transaction.manager`` by default;
- an exception raised by the controller -> also a failure that an exception
  view answered: ``self.failed(request)`` (Pyramid set
  ``request.exception``, as pyramid_tm reads it), and the transaction is
  aborted, never committed; a raised HTTP
  answer (``HTTPFound``, TurboGears' ``redirect()``) is not a failure, as
  in TurboGears.
"""

import logging
import sys

from pyramid.settings import asbool

from pyramid_hooks import ApplicationWrapper, resolve

log = logging.getLogger(__name__)


class AbortTransaction(Exception):
    def __init__(self, response):
        self.response = response


class TransactionApplicationWrapper(ApplicationWrapper):
    """Runs each request in a transaction, aborted when the request
    failed, retried on a retryable error.

    Settings: ``tm.enabled`` (default false), ``tm.attempts`` (default 1),
    ``tm.commit_veto`` (``veto(environ, status, headerlist) -> bool``, a
    callable or dotted name) and ``tm.manager``.
    """

    def __init__(self, next_handler, registry):
        super().__init__(next_handler, registry)
        settings = self.settings
        self.enabled = asbool(settings.get('tm.enabled', False))
        self.attempts = int(settings.get('tm.attempts', 1))
        veto = settings.get('tm.commit_veto')
        self.commit_veto = veto and resolve(veto, 'tm.commit_veto')
        self.manager = None

        if self.enabled:
            manager = settings.get('tm.manager')
            if manager is None:
                try:
                    import transaction
                except ImportError:
                    log.exception('tm.enabled, but no transaction package')
                    self.enabled = False
                else:
                    manager = transaction.manager
            self.manager = manager and resolve(manager, 'tm.manager')

        log.debug('transaction wrapper on: %s', self.enabled)

    @property
    def injected(self):
        return self.enabled

    def __call__(self, request):
        if 'repoze.tm.active' in request.environ:
            # repoze.tm2 runs the transaction already
            return self.next_handler(request)

        transaction_manager = self.manager
        total_attempts = self.attempts
        commit_veto = self.commit_veto

        attempts_left = total_attempts
        while attempts_left:
            attempts_left -= 1

            attempt = total_attempts - attempts_left
            log.debug('attempt %d of %d', attempt, total_attempts)
            transaction_manager.begin()
            try:
                response = self.next_handler(request)
                if self.failed(request):
                    log.debug('an exception view answered: abort')
                    raise AbortTransaction(response)

                if transaction_manager.isDoomed():
                    log.debug('doomed: abort')
                    raise AbortTransaction(response)

                if commit_veto is not None:
                    veto = commit_veto(
                        request.environ, response.status, response.headerlist
                    )
                    if veto:
                        log.debug('vetoed: abort')
                        raise AbortTransaction(response)

                transaction_manager.commit()
                log.debug('committed')
                return response
            except AbortTransaction as e:
                transaction_manager.abort()
                return e.response
            except Exception:
                exc_info = sys.exc_info()
                log.debug('the request raised: abort')
                txn = transaction_manager.get()
                try:
                    can_retry = txn.isRetryableError(exc_info[1])
                    txn.abort()
                    if attempts_left <= 0 or not can_retry:
                        raise
                finally:
                    del exc_info
