"""Shared fixtures: real Pyramid configurators and WebTest apps."""

import pytest
from pyramid.config import Configurator
from webtest import TestApp


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
