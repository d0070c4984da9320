"""The twelfth attack pass on the controllers (atk12j): each test drives a
real application and fails without the fix it names."""

import logging

import pytest
from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route


def sloppy_check(request):
    """An ``auth`` check returning what is neither a pass nor a refusal."""
    return 'yes'


class SloppyCheck:
    """The same check as a callable object."""

    def __call__(self, request):
        return 'yes'


class Guarded(Controller):
    @route('/guarded', auth='sloppy')
    def guarded(self):  # pragma: no cover - the check fails first
        return 'opened'


@pytest.mark.parametrize('trace', ['false', 'true'])
@pytest.mark.parametrize(
    'check, name',
    [
        (sloppy_check, f'{__name__}.sloppy_check'),
        (SloppyCheck(), '<tests.test_atk12j.SloppyCheck object'),
    ],
)
def test_a_bad_auth_check_result_names_the_check_with_tracing_on(
    trace, check, name, caplog
):
    """With ``hooks.trace`` on, the error named the trace's wrapper
    (``pyramid_hooks.probes._probe.<locals>.traced``), not the check."""
    config = Configurator(settings={'hooks.trace': trace})
    config.include('pyramid_hooks')
    config.add_controller_auth('sloppy', check)
    config.add_controller(Guarded)
    app = TestApp(config.make_wsgi_app())
    with (
        caplog.at_level(logging.ERROR, 'pyramid_hooks.controllers'),
        pytest.raises(TypeError) as raised,
    ):
        app.get('/guarded')
    assert f'the check {name}' in str(raised.value)
    assert f'the check {name}' in caplog.text
    assert 'probes' not in caplog.text
