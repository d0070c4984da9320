"""A small pluggable (the shape of tgapp-userprofile's ``plugme``) for the
tgext.pluggable port's tests: it plugs a dependency when the application
has not plugged it yet, as ``plug(app_config, 'tgext.mailer')`` does
there."""

from tests.ports.tgext_pluggable import plug, plugged

CONFIG_KEY = '_pluggable_sample_config'


def plugme(config, options):
    config.add_settings({CONFIG_KEY: options})
    if 'tests.ports.pluggable_sample.dependency' not in plugged(
        config.registry
    ):
        plug(config, 'tests.ports.pluggable_sample.dependency')
    return {'appid': 'sample', 'global_helpers': True}
