"""Port of tgext.pluggable 0.9.0's plugging machinery to Pyramid with
pyramid_hooks.

Originals: ``tgext/pluggable/plug.py`` (``plug``, ``ApplicationPlugger``,
``PluggablesConfigurationComponent``, ``SharedPluggedDict``,
``AlreadyPluggedException``, ``MissingAppIdException``),
``tgext/pluggable/utils.py`` (``plugged``, ``plug_url``, ``plug_redirect``,
``mount_point``), ``tgext/pluggable/adapt_controllers.py``
(``ControllersAdapter``), ``tgext/pluggable/adapt_statics.py``
(``PluggedStaticsMiddleware``, ``StaticsAdapter``) and
``tgext/pluggable/i18n.py`` (``pluggable_translations_wrapper``).  The
model, websetup, partials and template-replacement adapters are left out
(they adapt SQLAlchemy/Ming models and Genshi/Kajiki templates).

A pluggable is a package with ``plugme(config, options) -> dict`` and
optionally a ``controllers`` module (an ``includeme``), ``helpers`` and a
``public`` directory, as in TurboGears.

TurboGears -> Pyramid:

- ``plug(base_config, 'name', appid=...)`` -> ``plug(config, 'name',
  appid=...)``, called from ``main`` or an ``includeme``; the plugged
  dictionary (``tgext.pluggable.plugged`` in the blueprint) is kept in the
  application's registry, so two applications plug on their own;
- ``tg.hooks.register('initialized_config', plugger.plug)`` -> the same
  with ``config.register_hook``; ``ApplicationPlugger.plug`` logged every
  exception and a ``configure_new_app`` listener (``fail_if_failed_to_plug``)
  stopped the start afterwards: here the exception propagates from the
  commit, naming the listener, so that listener is gone;
- ``ControllersAdapter`` (``configure_new_app`` + ``after_wsgi_middlewares``
  setting ``RootController()`` as an attribute of the root controller) ->
  ``config.include(module.controllers, route_prefix=mount_point)`` from the
  ``initialized_config`` listener;
- ``PluggedStaticsMiddleware`` on ``/_pluggable/<module>/`` ->
  ``config.add_static_view('_pluggable/<module>', '<module>:public')``;
- helpers added to the application's ``h`` -> a Pyramid ``BeforeRender``
  subscriber giving the templates' system values ``h.<module>`` (and, with
  ``global_helpers``, the helpers' public names on ``h``); not a
  ``before_render_call`` listener, whose ``values`` are what the view
  returned: ``h`` there would reach the ``json`` renderer's output;
- ``pluggable_translations_wrapper`` (a controller wrapper adding each
  pluggable's translations to the request's translator) ->
  ``config.add_translation_dirs('<module>:i18n')``: Pyramid's localizer
  already merges translation directories, no wrapper is needed;
- ``plug_url(name, path, params)`` / ``plug_redirect`` -> the same with
  the request first (``tg.url`` read the request from a thread local).
"""

import importlib
import inspect
import logging
import os
from types import SimpleNamespace
from urllib.parse import urlencode

from pyramid.events import BeforeRender
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPFound

log = logging.getLogger('tgext.pluggable')

PLUGGED_KEY = 'tgext.pluggable.plugged'


class AlreadyPluggedException(ConfigurationError):
    """The same pluggable plugged twice in one application."""


class MissingAppIdException(ConfigurationError):
    """Neither ``plugme`` nor ``plug`` gave the pluggable an ``appid``."""


def _plugged_dict(registry):
    """The application's plugged dictionary (``SharedPluggedDict``)."""
    return registry.setdefault(PLUGGED_KEY, {'appids': {}, 'modules': {}})


def plugged(registry):
    """The module names plugged in the application of *registry*."""
    plugged_dict = registry.get(PLUGGED_KEY)
    if not plugged_dict:
        return []
    return list(plugged_dict['modules'])


def plug(config, module_name, appid=None, **kwargs):
    """Plug the pluggable *module_name*: ``plugme`` now, the rest from the
    ``initialized_config`` hook, once the settings are final."""
    plugged_dict = _plugged_dict(config.registry)
    if module_name in plugged_dict['modules']:
        raise AlreadyPluggedException(
            f'{module_name} has already been plugged in this application'
        )
    module = importlib.import_module(module_name)
    plug_options = {'appid': appid, **kwargs}
    log.info('Plugging %s', module_name)
    module_options = module.plugme(config, plug_options)
    if not appid:
        appid = module_options.get('appid')
    if not appid:
        raise MissingAppIdException(
            f"{module_name} doesn't provide a default appid and none was "
            'given to plug()'
        )
    options = {**module_options, **plug_options, 'appid': appid}
    taken = plugged_dict['appids'].get(appid)
    if taken is not None:
        # TurboGears set the second controller over the first, silently
        raise ConfigurationError(
            f'{module_name} cannot be plugged at appid {appid!r}: {taken} '
            'is plugged there; give plug() another appid='
        )
    plugged_dict['appids'][appid] = module_name
    # recorded now, so plugged() answers during the remaining plugme calls
    plugged_dict['modules'][module_name] = {}
    plugger = ApplicationPlugger(plugged_dict, module_name, options)
    config.register_hook('initialized_config', plugger.plug)


def _import_pluggable(module_name):
    """Import a pluggable package and its standard submodules."""
    module = importlib.import_module(module_name)
    for submodule in ('controllers', 'helpers'):
        if not hasattr(module, submodule):
            try:
                importlib.import_module(f'{module_name}.{submodule}')
            except ModuleNotFoundError:
                pass
    return module


def mount_point_for(appid):
    """``/a/b`` for the appid ``a.b`` (TurboGears mounted ``root.a.b``)."""
    return '/' + appid.replace('.', '/')


class ApplicationPlugger:
    def __init__(self, plugged_dict, module_name, options):
        self.plugged = plugged_dict
        self.module_name = module_name
        self.options = options

    def plug(self, config, settings):
        module_name = self.module_name
        module = _import_pluggable(module_name)
        appid = self.options['appid']
        mount = mount_point_for(appid)
        self.plugged['modules'][module_name] = {
            'appid': appid,
            'module_name': module_name,
            'module': module,
            'mount_point': mount,
        }
        options = self.options
        package_dir = os.path.dirname(module.__file__)

        if hasattr(module, 'helpers') and options.get('plug_helpers', True):
            config.add_subscriber(
                HelpersPlugger(
                    module_name,
                    module.helpers,
                    options.get('global_helpers', False),
                ),
                BeforeRender,
            )

        if hasattr(module, 'controllers') and options.get(
            'plug_controller', True
        ):
            config.include(module.controllers, route_prefix=mount)

        if os.path.isdir(os.path.join(package_dir, 'public')) and options.get(
            'plug_statics', True
        ):
            config.add_static_view(
                f'_pluggable/{module_name}', f'{module_name}:public'
            )

        if os.path.isdir(os.path.join(package_dir, 'i18n')):
            config.add_translation_dirs(f'{module_name}:i18n')


class HelpersPlugger:
    """``BeforeRender`` subscriber: the pluggable's helpers as
    ``h.<module>`` in the renderer's system values (and, with
    ``global_helpers``, each public helper as ``h.<name>`` unless the
    application has one)."""

    def __init__(self, module_name, helpers, global_helpers):
        self.module_name = module_name
        self.helpers = helpers
        self.global_helpers = global_helpers

    def __call__(self, event):
        h = event.setdefault('h', SimpleNamespace())
        setattr(h, self.module_name, self.helpers)
        if not self.global_helpers:
            return
        for name, impl in inspect.getmembers(self.helpers):
            if name.startswith('_'):
                continue
            if not hasattr(h, name):
                setattr(h, name, impl)
            else:
                log.warning('%s helper already existing, skipping it', name)


def mount_point(registry, pluggable_name):
    """Where *pluggable_name* is mounted (``/appid``)."""
    return registry[PLUGGED_KEY]['modules'][pluggable_name]['mount_point']


def plug_url(request, pluggable_name, path, params=None, qualified=False):
    """The URL of *path* inside the pluggable *pluggable_name*."""
    base = request.application_url if qualified else request.script_name
    url = base + mount_point(request.registry, pluggable_name) + path
    if params:
        url += '?' + urlencode(params)
    return url


def plug_redirect(request, pluggable_name, path, params=None):
    raise HTTPFound(location=plug_url(request, pluggable_name, path, params))
