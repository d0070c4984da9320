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


class Files(Controller):
    """Serves what a client uploaded, as a handler of an Odoo port would."""

    stored = b'<script>alert(document.cookie)</script>'

    @route('/returned', auth='none')
    def returned(self):
        return self.stored

    @route('/made', auth='none')
    def made(self, typed=False):
        headers = [('Content-Disposition', 'inline')]
        if typed:
            headers.append(('Content-Type', 'image/png'))
        return self.request.make_response(self.stored, headers=headers)

    @route('/text', auth='none')
    def text(self):
        return self.request.make_response('<p>page</p>')


def files_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Files)
    return TestApp(config.make_wsgi_app())


def test_bytes_given_to_make_response_are_no_html_page():
    """``make_response(bytes)`` without a ``Content-Type`` answered
    ``text/html``: a client's upload served that way runs as a page of the
    site, while the same bytes returned are ``application/octet-stream``."""
    app = files_app()
    returned = app.get('/returned')
    made = app.get('/made')
    assert made.body == returned.body == Files.stored
    assert made.content_type == returned.content_type
    assert made.content_type == 'application/octet-stream'
    assert made.headers['Content-Disposition'] == 'inline'


def test_make_response_keeps_a_given_type_and_html_text():
    app = files_app()
    assert app.get('/made?typed=1').content_type == 'image/png'
    text = app.get('/text')
    assert (text.content_type, text.text) == ('text/html', '<p>page</p>')
