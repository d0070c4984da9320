"""Loose ends of earlier passes (the tenth wave's ``left10``), each
driven through a real Pyramid application."""

import pytest
from pyramid.config import Configurator
from pyramid.view import render_view_to_response
from webtest import TestApp

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


def nested_app(seen, after_render, invalid_inner=False):
    """``/outer`` (``validate=``) renders the view ``inner`` (its own
    ``validate=``) with ``render_view_to_response``, then reads its own
    ``request.hook_params``; *seen* gets what each reads."""

    def inner(request):
        seen.append(('inner', request.hook_params['who']))
        return {}

    def outer(request):
        render_view_to_response(request.context, request, name='inner')
        seen.append(('outer', request.hook_params['who']))
        return {}

    def handler(request):
        seen.append(('inner handler', request.hook_params['who']))
        return {}

    def reads(request, *args):
        seen.append((args[-1].__class__.__name__, request.hook_params['who']))

    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('before_render', reads)
    if after_render:
        config.register_hook('after_render', reads)
    inner_options = {'validate': lambda request, params: {'who': 'inner'}}
    if invalid_inner:
        inner_options = {'validate': refuses, 'error_handler': handler}
    config.add_view(inner, name='inner', renderer='json', **inner_options)
    config.add_view(
        outer,
        name='outer',
        renderer='json',
        validate=lambda request, params: {'who': 'outer'},
    )
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('after_render', [False, True])
@pytest.mark.parametrize('invalid_inner', [False, True])
def test_nested_view_call_leaves_the_outer_params(after_render, invalid_inner):
    """After ``render_view_to_response`` of another view, the outer view
    and its ``before_render`` and ``after_render`` listeners read the
    inner view's ``request.hook_params``; each reads its own now, the
    inner view's listeners (and error handler) the inner's, whether the
    inner view has ``after_render`` listeners (its last step) or not."""
    seen = []
    nested_app(seen, after_render, invalid_inner).get(
        '/outer', {'who': 'unvalidated'}
    )
    inner = 'unvalidated' if invalid_inner else 'inner'  # the query's
    expected = [
        ('inner handler' if invalid_inner else 'inner', inner),
        ('dict', inner),
        ('Response', inner),
        ('outer', 'outer'),
        ('dict', 'outer'),
        ('Response', 'outer'),
    ]
    if not after_render:
        expected = [seen for seen in expected if seen[0] != 'Response']
    assert seen == expected
