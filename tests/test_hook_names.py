"""A listener for a misspelled hook name (``before_rendr``) in a
non-strict namespace used to be silent: the app started and the listener
never ran.  Custom names stay allowed; a name close to a declared or
built-in one is a warning at startup and a line in ``phooks`` (one spelt
as it but for case, ``-`` or ``_`` is an error: tests/test_never_silent.py),
and a strict namespace's error gets the same suggestion."""

import logging

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.scripts.phooks import render_text
from pyramid_hooks.scripts.report import collect

LOGGER = 'pyramid_hooks.config.hook_directives'


def fill(request, params, output):  # pragma: no cover - never notified
    output['filled'] = True


def page_seen(request):  # pragma: no cover - never notified
    pass


def make_config(**settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    return config


def test_a_misspelled_builtin_hook_is_a_warning_at_startup(caplog):
    config = make_config()
    config.register_hook('before_rendr', fill)
    with caplog.at_level(logging.WARNING, LOGGER):
        config.make_wsgi_app()
    [record] = caplog.records
    assert record.levelname == 'WARNING'
    message = record.getMessage()
    assert f'Listener {__name__}.fill registered at ' in message
    assert 'test_hook_names.py' in message
    assert "hook 'before_rendr', which is neither declared nor built in" in (
        message
    )
    assert message.endswith("did you mean 'before_render'?")


def test_a_misspelled_hook_in_the_settings(caplog):
    config = Configurator(
        settings={'hooks.on.before_rendr': f'{__name__}.fill'}
    )
    with caplog.at_level(logging.WARNING, LOGGER):
        config.include('pyramid_hooks')
        config.commit()
    [record] = caplog.records
    assert 'registered at setting hooks.on.before_rendr' in record.getMessage()
    assert "did you mean 'before_render'?" in record.getMessage()


def test_custom_names_stay_silent(caplog):
    config = make_config()
    config.register_hook('page_seen', page_seen)
    config.register_hook('before_render', fill)  # a built-in one
    with caplog.at_level(logging.WARNING, LOGGER):
        config.make_wsgi_app()
    assert caplog.records == []


def test_an_unregistered_listener_is_not_a_warning(caplog):
    config = make_config()
    config.register_hook('before_rendr', fill)
    config.unregister_hook('before_rendr', fill)
    with caplog.at_level(logging.WARNING, LOGGER):
        config.commit()
    assert caplog.records == []


def test_a_declared_custom_hook_is_a_candidate(caplog):
    config = make_config()
    config.add_hook('page_seen', args=('request',))
    config.register_hook('page_sen', page_seen)
    with caplog.at_level(logging.WARNING, LOGGER):
        config.commit()
    assert "'page_sen'" in caplog.text
    assert "did you mean 'page_seen'?" in caplog.text


def test_a_non_strict_namespace_of_a_plugin(caplog):
    config = make_config()
    config.add_hook_namespace('mailer', strict=False)
    config.add_hook('sent', args=('request',), namespace='mailer')
    config.register_hook('snet', page_seen, namespace='mailer')
    with caplog.at_level(logging.WARNING, LOGGER):
        config.commit()
    assert "hook 'mailer:snet'" in caplog.text
    assert "did you mean 'sent'?" in caplog.text


def test_an_autocommit_configurator_warns_too(caplog):
    config = Configurator(autocommit=True)
    config.include('pyramid_hooks')
    with caplog.at_level(logging.WARNING, LOGGER):
        config.register_hook('after_rendr', page_seen)
    assert "did you mean 'after_render'?" in caplog.text


def test_the_strict_setting_suggests_the_name():
    config = Configurator(
        settings={
            'hooks.strict': 'true',
            'hooks.on.before_rendr': f'{__name__}.fill',
        }
    )
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    message = str(e.value)
    assert "Unknown hook 'before_rendr' in the strict namespace" in message
    assert (
        "new_response, request_finished); did you mean 'before_render'?"
        in (message)
    )


def test_a_strict_namespace_without_a_close_name():
    config = make_config()
    config.add_hook_namespace('mailer')
    config.add_hook('sent', args=('request',), namespace='mailer')
    config.register_hook('archived', page_seen, namespace='mailer')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert 'did you mean' not in str(e.value)


def test_phooks_says_it():
    config = make_config()
    config.register_hook('before_rendr', fill)
    config.register_hook('page_seen', page_seen)
    report = collect(config.make_wsgi_app().registry)
    [default] = [ns for ns in report['namespaces'] if ns['name'] == '']
    hooks = {hook['name']: hook for hook in default['hooks']}
    assert hooks['before_rendr']['did_you_mean'] == 'before_render'
    assert hooks['page_seen']['did_you_mean'] is None
    lines = render_text(report)
    assert "  before_rendr  (not declared; did you mean 'before_render'?)" in (
        lines
    )
    assert '  page_seen  (not declared)' in lines
