"""Shared fixtures: real Pyramid configurators and WebTest apps."""

import os

import pytest
from hypothesis import settings
from pyramid.config import Configurator
from webtest import TestApp

# CI sets HYPOTHESIS_PROFILE=ci: the same examples on every run, so that a
# landing never depends on luck; runs elsewhere keep drawing new ones (and
# a failure found there becomes an @example).
settings.register_profile('ci', derandomize=True)
settings.load_profile(os.environ.get('HYPOTHESIS_PROFILE', 'default'))


@pytest.fixture
def config():
    """A Configurator (autocommit off, so conflicts fire) with
    pyramid_hooks included."""
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    return config


def make_app(config, **kw):
    """A WebTest app over ``config.make_wsgi_app()``."""
    return TestApp(config.make_wsgi_app(), **kw)
