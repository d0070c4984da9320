"""TurboGears' transaction wrapper (TurboGears 2.5.1,
``tg/appwrappers/transaction_manager.py``) ported to an application wrapper
(``docs/porting_turbogears.rst``).  The transaction manager is any object
with ``begin``, ``commit``, ``abort`` and ``isDoomed`` (``transaction.manager``
of the ``transaction`` package), given in the settings as ``tm.manager``."""

from pyramid_hooks import ApplicationWrapper


class TransactionWrapper(ApplicationWrapper):
    """Run each request in a transaction: committed when the request
    succeeds, aborted when it fails, also when an exception view rendered
    the error page (:meth:`~pyramid_hooks.ApplicationWrapper.failed`)."""

    def __init__(self, next_handler, registry):
        super().__init__(next_handler, registry)
        self.manager = self.settings.get('tm.manager')

    @property
    def injected(self):
        return self.manager is not None  # TurboGears: tm.enabled

    def __call__(self, request):
        self.manager.begin()
        try:
            response = self.next_handler(request)
        except Exception:
            self.manager.abort()  # no exception view answered it
            raise
        if self.failed(request) or self.manager.isDoomed():
            self.manager.abort()  # an exception view answered the failure
            return response
        try:
            self.manager.commit()
        except Exception:
            self.manager.abort()
            raise
        return response
