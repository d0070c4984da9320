"""Port of tgext.mailer 0.3.0 to Pyramid with pyramid_hooks.

Original: ``tgext/mailer/__init__.py`` (``plugme``, ``get_mailer``) and
``tgext/mailer/plugmailer.py`` (``SetupMailer``,
``RequestMailerAppWrapper``); the mailers of ``tgext/mailer/mailer.py`` are
reduced to what the plugin's wiring needs (SMTP itself is out of scope: the
standard mailer only records its settings and what it would send).

TurboGears -> Pyramid:

- ``hooks.register('before_wsgi_middlewares', SetupMailer(options))``
  -> ``config.register_hook('before_wsgi_middlewares', ...)``; the listener
  receives the Router, whose ``registry`` stands for ``app_globals``;
- ``configurator.register_application_wrapper(RequestMailerAppWrapper)``
  -> ``config.add_application_wrapper(RequestMailerAppWrapper)``;
- ``context.request`` / ``context.app_globals`` / ``context.config``
  -> ``request`` / ``self.registry`` / ``self.settings``.
"""

import logging
import os
from dataclasses import dataclass, field

from pyramid.settings import asbool
from pyramid.threadlocal import get_current_registry

from pyramid_hooks import ApplicationWrapper

log = logging.getLogger('tgext.mailer')


@dataclass
class Message:
    """An e-mail (``tgext.mailer.message.Message``, the fields the plugin's
    users fill)."""

    subject: str = ''
    sender: str | None = None
    recipients: list = field(default_factory=list)
    body: str = ''
    html: str | None = None


class Mailer:
    """The standard mailer, configured from the ``mail.*`` settings."""

    def __init__(self, host='localhost', port=25, default_sender=None):
        self.host = host
        self.port = port
        self.default_sender = default_sender
        self.sent = []

    @classmethod
    def from_settings(cls, settings, prefix='mail.'):
        kwargs = {}
        for key in ('host', 'port', 'default_sender'):
            if prefix + key in settings:
                kwargs[key] = settings[prefix + key]
        if 'port' in kwargs:
            kwargs['port'] = int(kwargs['port'])
        return cls(**kwargs)

    def send(self, message):
        message.sender = message.sender or self.default_sender
        self.sent.append(message)

    send_immediately = send


class DummyMailer:
    """Keeps messages in ``outbox`` (``send``, ``send_immediately``) and
    ``queue`` (``send_to_queue``), as the original's test mailer."""

    def __init__(self):
        self.outbox = []
        self.queue = []

    def send(self, message):
        self.outbox.append(message)

    def send_immediately(self, message, fail_silently=False):
        self.outbox.append(message)

    def send_to_queue(self, message):
        self.queue.append(message)


class DebugMailer:
    """Writes each message to a file of *top_level_directory*."""

    def __init__(self, top_level_directory):
        os.makedirs(top_level_directory, exist_ok=True)
        self.tld = top_level_directory

    def _send(self, message, fail_silently=False):
        count = len(os.listdir(self.tld))
        path = os.path.join(self.tld, f'message-{count:04d}.eml')
        with open(path, 'w', encoding='utf-8') as out:
            out.write(f'Subject: {message.subject}\n')
            out.write(f'To: {", ".join(message.recipients)}\n\n')
            out.write(message.body)

    send = send_immediately = send_to_queue = _send


class SetupMailer:
    """``before_wsgi_middlewares`` listener: picks the mailer factory and
    makes the application-wide mailer."""

    def __init__(self, options):
        self.options = options

    def _create_standard_mailer(self, settings):
        return Mailer.from_settings(settings, prefix='mail.')

    def _create_dummy_mailer(self, settings):
        return DummyMailer()

    def _create_debug_mailer(self, settings):
        return DebugMailer(os.path.join(os.getcwd(), 'mail'))

    def __call__(self, app):
        registry = app.registry
        settings = registry.settings
        try:
            # an option of plugme wins over the settings (tests, scripts)
            using_debugmailer = self.options['debugmailer']
        except KeyError:
            using_debugmailer = settings.get('mail.debugmailer', False)

        if using_debugmailer == 'dummy':
            mailer_factory = self._create_dummy_mailer
        elif asbool(using_debugmailer):
            mailer_factory = self._create_debug_mailer
        else:
            mailer_factory = self._create_standard_mailer

        registry._mailer_factory = mailer_factory
        global_mailer = mailer_factory(settings)
        registry._mailer = global_mailer

        log.info('mailer: %s', type(global_mailer).__name__)
        return app


class RequestMailerAppWrapper(ApplicationWrapper):
    """Gives every request its own mailer (``request._mailer``)."""

    def __call__(self, request):
        request._mailer = self.registry._mailer_factory(self.settings)
        return self.next_handler(request)


def plugme(config, **options):
    """What ``tgext.pluggable.plug(base_config, 'tgext.mailer', **options)``
    did: register the set-up hook and the application wrapper."""
    config.register_hook('before_wsgi_middlewares', SetupMailer(options))
    config.add_application_wrapper(RequestMailerAppWrapper)
    return {'appid': 'tgext.mailer'}


def includeme(config):
    """``config.include('tests.ports.tgext_mailer')``: plug with no
    options (the ini file's ``mail.*`` settings decide)."""
    plugme(config)


def get_mailer(request):
    """The request's mailer, or the application's one without a request."""
    if request is None:
        return get_current_registry()._mailer
    return request._mailer
