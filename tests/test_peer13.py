"""peer13: other add-ons' own suites with pyramid_hooks included.  No
transparency bug found; this covers the one branch main left uncovered
(``error_handlers.note_class_view`` for a class view whose
``error_handler=`` names another method but that has no ``validate=``)."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError


class Notes:
    def __init__(self, request):
        self.request = request

    def save(self):  # pragma: no cover - the start is refused
        return 'saved'

    def form(self):  # pragma: no cover - the start is refused
        return 'form'


def test_a_class_views_error_handler_without_validate_is_refused():
    """``error_handler='form'`` on ``Notes.save`` with no ``validate=``
    would never run: the start fails naming the view and the fix."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('save', '/save')
    config.add_view(
        Notes,
        attr='save',
        route_name='save',
        renderer='string',
        error_handler='form',
    )
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'error_handler= of view tests.test_peer13.Notes' in message
    assert 'needs validate=' in message
