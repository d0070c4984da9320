"""Loose ends of earlier passes (the tenth wave's ``left10``), each
driven through a real Pyramid application."""

import pytest

from pyramid_hooks import Invalid
from tests.test_transparency_peers import registered_view


def info(request):
    return {'title': 'Foo API'}


def passes(request, params):
    return params


def refuses(request, params):
    raise Invalid({'title': 'required'})


@pytest.mark.parametrize('validate', [passes, refuses])
def test_validated_view_called_without_a_request_is_refused(validate):
    """A registered view with ``validate=`` called with ``request=None``
    (as pyramid_openapi3's suite calls its views) has nothing to validate
    nor to put the errors on: it was an ``AttributeError`` on ``None``
    when the validator refused, the unvalidated view's output when it
    passed.  Refused, naming the view and the fix, whatever the
    validator would say (it is not called)."""
    view = registered_view(None, info, renderer='json', validate=validate)
    with pytest.raises(TypeError) as raised:
        view(request=None, context=None)
    message = str(raised.value)
    assert 'tests.test_left10.info has validate=' in message
    assert 'request=None' in message
    assert 'DummyRequest' in message
