"""The thirteenth attacker pass (atk13): this round's changes (JSON-RPC
batches marked failed, route converters' errors, object_name unwrapping,
error_handler checks, the request_finished tween, call_problem's order
check), attacked from outside."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

# -- request_finished under a tween added once committed ---------------------

TWEEN = 'tests.test_atk12w.maintenance_tween_factory'
FINISHED = 'pyramid_hooks.finished.request_finished_tween_factory'


def committed_app(seen, autocommit, under=None):
    config = Configurator(autocommit=autocommit)
    config.include('pyramid_hooks')
    config.register_hook('request_finished', lambda r: seen.append(r.path))
    config.commit()  # the app's own tweens come after: Pyramid's habit
    config.add_tween(TWEEN, **({} if under is None else {'under': under}))
    config.add_route('page', '/page')
    config.add_view(lambda request: Response('page'), route_name='page')
    return config


@pytest.mark.parametrize('autocommit', [False, True])
def test_a_tween_added_after_a_commit_over_request_finished_is_refused(
    autocommit,
):
    """A tween added once ours was committed (``config.commit()``, an
    autocommitting configurator) went above it: ``request_finished`` did
    not run for the requests it answered, silently."""
    with pytest.raises(ConfigurationError) as raised:
        committed_app([], autocommit).make_wsgi_app()
    assert TWEEN in str(raised.value)
    assert f"under='{FINISHED}'" in str(raised.value)
    seen = []
    app = TestApp(committed_app(seen, autocommit, FINISHED).make_wsgi_app())
    app.get('/down', status=503)
    app.get('/page')
    assert seen == ['/down', '/page']
