"""The ``hooks.*`` settings: conversion, validation, write-back."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.settings import (
    as_dotted_list,
    as_path_prefix,
    as_strict_bool,
    parse_settings,
)
from pyramid_hooks.shared import get_hooks_settings
from pyramid_hooks.widgets import (
    always_allow,
    always_deny,
    global_authorization,
)


def commit_with(**settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.commit()
    return config


def test_defaults_are_written_nowhere_and_parsed():
    config = commit_with()
    parsed = get_hooks_settings(config.registry)
    assert parsed.strict is False
    assert parsed.widgets_prefix == '/_widgets'
    assert global_authorization(config.registry) is always_deny
    assert parsed.controllers_debug is False
    assert parsed.listeners == []
    assert not any(k.startswith('hooks.') for k in config.registry.settings)


def test_values_are_converted_and_written_back():
    config = commit_with(
        **{
            'hooks.strict': 'Off',
            'hooks.controllers.debug': 'YES',
            'hooks.widgets.prefix': '/api/widgets/',
            'hooks.widgets.authorization': (
                'pyramid_hooks.widgets.always_allow'
            ),
            'hooks.controller_wrappers': '',
        }
    )
    settings = config.registry.settings
    assert settings['hooks.strict'] is False
    assert settings['hooks.controllers.debug'] is True
    assert settings['hooks.widgets.prefix'] == '/api/widgets'
    assert settings['hooks.widgets.authorization'] is always_allow
    assert settings['hooks.controller_wrappers'] == []


@pytest.mark.parametrize(
    ('value', 'expected'),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ('t', True),
        (' Y ', True),
        ('on', True),
        ('1', True),
        ('f', False),
        ('n', False),
        ('OFF', False),
        ('0', False),
    ],
)
def test_strict_booleans(value, expected):
    assert as_strict_bool(value, 'hooks.strict') is expected


@pytest.mark.parametrize('value', ['maybe', '', 2, None, 'ture'])
def test_ambiguous_booleans_are_errors(value):
    with pytest.raises(ConfigurationError) as e:
        commit_with(**{'hooks.strict': value})
    assert 'hooks.strict: expected a boolean' in str(e.value)
    assert repr(value) in str(e.value)


def test_dotted_lists():
    with pytest.raises(ConfigurationError):  # tests/test_fix15.py
        as_dotted_list(None, 'k')
    assert as_dotted_list('json\nos.path', 'k') == [
        __import__('json'),
        __import__('os').path,
    ]
    assert as_dotted_list(['json', print], 'k') == [
        __import__('json'),
        print,
    ]
    assert as_dotted_list(print, 'k') == [print]


def test_unimportable_name_names_the_key():
    with pytest.raises(ConfigurationError) as e:
        commit_with(**{'hooks.on.new_request': 'tests.nowhere.listener'})
    assert (
        "hooks.on.new_request: cannot import 'tests.nowhere.listener'"
        in str(e.value)
    )


def test_non_callable_listener_names_the_key():
    with pytest.raises(ConfigurationError) as e:
        commit_with(**{'hooks.on.new_request': 'tests.listeners.__doc__'})
    assert 'hooks.on.new_request: listener' in str(e.value)
    assert 'is not callable' in str(e.value)


@pytest.mark.parametrize(
    'key',
    ['hooks.on.', 'hooks.on..x', 'hooks.on.mailer.'],
)
def test_malformed_listener_keys(key):
    with pytest.raises(ConfigurationError, match=r'expected hooks\.on\.'):
        commit_with(**{key: 'tests.listeners.append_a'})


def test_unknown_key_is_an_error():
    with pytest.raises(ConfigurationError) as e:
        commit_with(**{'hooks.stirct': 'true'})
    assert 'hooks.stirct: unknown setting' in str(e.value)
    assert 'hooks.strict' in str(e.value)


@pytest.mark.parametrize(
    'key, meant',
    [
        ('hooks.stirct', 'hooks.strict'),
        ('hooks.controller_wrapper', 'hooks.controller_wrappers'),
        ('hooks.controllers.maxbatch', 'hooks.controllers.max_batch'),
        ('hooks.widget.prefix', 'hooks.widgets.prefix'),
    ],
)
def test_unknown_key_says_which_key_it_is_close_to(key, meant):
    """A typo was answered with the list of all twelve keys, where the
    other errors of the package say "did you mean"."""
    with pytest.raises(ConfigurationError) as e:
        commit_with(**{key: 'true'})
    assert str(e.value).startswith(
        f'{key}: unknown setting; did you mean {meant!r}?'
    )


def test_unknown_key_close_to_none_gets_no_hint():
    with pytest.raises(ConfigurationError) as e:
        commit_with(**{'hooks.zzz': 'true'})
    assert str(e.value).startswith(
        'hooks.zzz: unknown setting; the hooks.* settings are '
    )


@pytest.mark.parametrize(
    'value', ['_widgets', '/', '', '//', '/a//b', '/a/../b', '/a b', 3]
)
def test_bad_widget_prefixes(value):
    with pytest.raises(ConfigurationError) as e:
        commit_with(**{'hooks.widgets.prefix': value})
    assert 'hooks.widgets.prefix: expected a path' in str(e.value)


def test_good_widget_prefixes():
    assert as_path_prefix('/w', 'k') == '/w'
    assert as_path_prefix('/a/b.c-d~/', 'k') == '/a/b.c-d~'


def test_non_callable_authorization_handler():
    with pytest.raises(ConfigurationError) as e:
        commit_with(**{'hooks.widgets.authorization': 'tests.listeners'})
    assert (
        'hooks.widgets.authorization: the authorization handler '
        "'tests.listeners' cannot be called"
    ) in str(e.value)
    assert 'is not callable' in str(e.value)


def test_parse_settings_is_idempotent_on_converted_values():
    settings = {
        'hooks.strict': 'true',
        'hooks.on.x': 'tests.listeners.append_a',
        'hooks.widgets.prefix': '/w/',
    }
    first = parse_settings(settings)
    second = parse_settings(settings)
    assert second.strict is first.strict is True
    assert second.listeners == first.listeners
    assert settings['hooks.widgets.prefix'] == '/w'


def test_settings_changed_after_the_include_are_refused():
    config = Configurator(settings={'hooks.strict': 'false', 'other': 1})
    config.include('pyramid_hooks')
    config.add_settings({'hooks.controllers.debug': 'true', 'other': 2})
    config.add_settings({'hooks.strict': True})
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert (
        'hooks.controllers.debug, hooks.strict: changed after pyramid_hooks '
        'was included'
    ) in str(e.value)


def test_settings_and_code_registering_the_same_wrapper():
    """A wrapper in hooks.controller_wrappers and in code is one wrapper:
    the including configuration wins by Pyramid's include-path rule."""
    from tests.controllers_pkg.base import Shop

    config = Configurator(
        settings={'hooks.controller_wrappers': 'tests.listeners.wrapper'}
    )
    config.include('pyramid_hooks')
    config.add_controller_wrapper('tests.listeners.wrapper')
    config.add_controller(Shop)
    config.commit()
    from pyramid_hooks.interfaces import IControllerWrappers

    wrappers = config.registry.getUtility(IControllerWrappers)
    assert len(wrappers.registrations) == 1


def ini_settings(tmp_path, lines):
    """The settings of an ``[app:main]`` section, as ``pserve`` reads
    them (PasteDeploy keeps the case of keys)."""
    from pyramid.paster import get_appsettings

    ini = tmp_path / 'app.ini'
    ini.write_text(
        '[app:main]\nuse = call:tests.test_settings:app_factory\n'
        + '\n'.join(lines)
        + '\n'
    )
    return get_appsettings(str(ini))


def app_factory(global_config, **settings):
    return None


@pytest.mark.parametrize('value', ['', '   '])
def test_an_empty_authorization_handler_names_the_key(tmp_path, value):
    """``hooks.widgets.authorization =`` was an ``IndexError`` from the
    dotted name resolver, naming nothing."""
    settings = ini_settings(
        tmp_path, [f'hooks.widgets.authorization = {value}']
    )
    with pytest.raises(ConfigurationError) as e:
        commit_with(**settings)
    assert str(e.value) == (
        "hooks.widgets.authorization: '' is an empty dotted name; give the "
        "handler's dotted name (package.module.name), or leave the key out "
        'for the default, pyramid_hooks.widgets.always_deny'
    )


@pytest.mark.parametrize(
    'key', ['Hooks.strict', 'HOOKS.trace', 'hOOks.widgets.authorization']
)
def test_a_hooks_key_in_another_case_is_an_error(tmp_path, key):
    """PasteDeploy keeps the case of a key: ``Hooks.strict = true`` was
    silently ignored (not strict)."""
    settings = ini_settings(tmp_path, [f'{key} = true'])
    assert key in settings
    with pytest.raises(ConfigurationError) as e:
        commit_with(**settings)
    lower = key.lower()
    assert str(e.value).startswith(f'{key}: ')
    assert f'spell it {lower}' in str(e.value)
