"""The twelfth attacker pass (atk12w): hooks, the view pipeline, wrappers,
widgets, the trace and the settings, attacked from outside."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

# -- request_finished under a tween added later -----------------------------


def maintenance_tween_factory(handler, registry):
    """An application's own tween, added without ``under=``/``over=``
    (Pyramid puts it at the top): it answers some requests itself."""

    def maintenance_tween(request):
        if request.path == '/down':
            return Response('down for maintenance', status=503)
        if request.path == '/broken':
            raise LookupError('the tween failed')
        return handler(request)

    return maintenance_tween


def finished_app(seen):
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('request_finished', lambda r: seen.append(r.path))
    config.add_tween(f'{__name__}.maintenance_tween_factory')
    config.add_route('page', '/page')
    config.add_view(lambda request: Response('page'), route_name='page')
    return config


@pytest.mark.parametrize('path', ['/down', '/broken', '/page'])
def test_request_finished_runs_when_a_later_tween_ends_the_request(path):
    seen = []
    app = TestApp(finished_app(seen).make_wsgi_app())
    try:
        app.get(path, expect_errors=True)
    except LookupError:
        assert path == '/broken'
    assert seen == [path]


# -- a hook name spelt with a space ----------------------------------------


def stamp(request):
    request.response.headers['X-Stamp'] = '1'


@pytest.mark.parametrize(
    ('key', 'meant'),
    [
        ('hooks.on.new request', 'new_request'),
        ('hooks.on.before call', 'before_call'),
        ('hooks.on. new_request', 'new_request'),
    ],
)
def test_a_hook_name_with_a_space_is_refused_not_just_warned_of(key, meant):
    """An ini key ``hooks.on.new request`` (a space for the ``_``) named a
    hook nothing notifies: the listener never ran, and only a warning said
    so, as for a typo, where a name differing in case or ``-`` stops the
    start."""
    config = Configurator(settings={key: f'{__name__}.stamp'})
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert f"spell it '{meant}'" in message
    assert f'hooks.on.{meant}' in message
