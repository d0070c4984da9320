"""Shared fixtures: real Pyramid configurators and WebTest apps."""

import os

import pytest
from hypothesis import settings
from pyramid import testing
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


@pytest.fixture(autouse=True)
def no_current_request_left_behind():
    """Each test starts with no current request or registry: a test that
    pushed one (``pyramid.testing.setUp()``, a failing ``testConfig``) and
    did not pop it would otherwise change what
    ``get_current_request()`` answers in the tests after it."""
    yield
    testing.tearDown()
