"""Loose ends of earlier passes (the tenth wave's ``left10``), each
driven through a real Pyramid application."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from pyramid.view import render_view_to_response
from webtest import TestApp

from pyramid_hooks import Controller, Invalid, route
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)
from tests.controllers_pkg.support import make_app, make_config
from tests.test_controller_sibling_prefixes import Crud, MovieCrud, activate
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


def nested_app(seen, after_render, invalid_inner=False, **views):
    """``/outer`` (``validate=``) renders the view ``inner`` (its own
    ``validate=``) with ``render_view_to_response``, then reads its own
    ``request.hook_params``; *seen* gets what each reads.  *views* may
    give other ``inner``, ``handler`` and ``outer`` views."""

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

    inner = views.get('inner', inner)
    outer = views.get('outer', outer)
    handler = views.get('handler', handler)

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


def positive(request, params):
    if params.get('n', 0) < 0:
        raise Invalid({'n': 'negative'})
    return params


def rpc_call(params, id):
    return {'jsonrpc': '2.0', 'method': 'double', 'params': params, 'id': id}


class Doubler(Controller):
    @route(
        '/rpc',
        type='json',
        auth='none',
        validate=positive,
        error_handler='refused',
    )
    def double(self, n):
        return 2 * n

    def refused(self):
        return {'refused': self.request.validation_errors}


#: what a batch's ``after_render`` sees: the route's listeners, no call
BATCH = ('own', {}, False, False)


@pytest.mark.parametrize(
    ('sent', 'after_render'),
    [
        # a batch: the route's own listeners, no call's state, whatever
        # the order of its refused and accepted calls
        ([rpc_call({'n': -1}, 1), rpc_call({'n': 2}, 2)], BATCH),
        ([rpc_call({'n': 2}, 1), rpc_call({'n': -1}, 2)], BATCH),
        # one call: its own result chooses, as on an http route
        (rpc_call({'n': -1}, 1), ('handler', {'n': -1}, True, True)),
        (rpc_call({'n': 2}, 1), ('own', {'n': 2}, False, True)),
    ],
)
def test_batch_after_render_sees_no_call(sent, after_render):
    """A batch's ``after_render`` listeners, and whether they were its
    handler's or the error handler's, followed its last call: the error
    handler's when that call was refused, the route's when it passed, with
    that call's ``hook_params``.  The reply is the batch's: they are the
    route's own, and the request has no call's ``hook_params``,
    ``validation_errors`` nor ``jsonrpc_call``."""
    seen = []

    def listener(name):
        def record(request, response):
            seen.append(
                (
                    name,
                    dict(getattr(request, 'hook_params', {})),
                    hasattr(request, 'validation_errors'),
                    hasattr(request, 'jsonrpc_call'),
                )
            )

        return record

    config = make_config()
    config.register_hook('after_render', listener('own'), view=Doubler.double)
    config.register_hook(
        'after_render', listener('handler'), view=Doubler.refused
    )
    config.add_controller(Doubler)
    app = make_app(config)
    assert app.post_json('/rpc', sent).status_int == 200
    assert seen == [after_render]


def check_query(request, params):
    if not params.get('q'):
        raise Invalid({'q': 'required'})
    return params


class Form(ServerSideCallbackMixin):
    def form_errors(self, request):
        return Response(f'{self.id}: ' + ', '.join(request.validation_errors))

    @serverside_callback(validate=check_query, error_handler=form_errors)
    def given(self, request):
        return Response('ok')

    @serverside_callback(validate=check_query, error_handler='form_errors')
    def named(self, request):
        return Response('ok')


class Subform(Form):
    def form_errors(self, request):
        return Response('the override')


def widget_app(widget):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_widget(widget)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('callback', ['given', 'named'])
def test_widget_callback_error_handler_is_a_method_of_the_widget(callback):
    """A callback's ``error_handler=`` naming a method of the widget (the
    function from the class body, or its name) was refused at startup
    (``cannot be called as error_handler(request)``; ``this view is not
    served by a class``), though a view's names a method of its class.
    It is called on the widget as ``method(request)``, looked up by name
    on the widget, so a subclass's override answers, as for a view."""
    app = widget_app(Form(id='f'))
    assert app.get(f'/_widgets/f/{callback}?q=x').text == 'ok'
    assert app.get(f'/_widgets/f/{callback}').text == 'f: q'
    subform = widget_app(Subform(id='s'))
    assert subform.get(f'/_widgets/s/{callback}').text == 'the override'


def test_widget_callback_error_handler_naming_no_method():
    class Typo(ServerSideCallbackMixin):
        def form_errors(self, request):
            return Response('')

        @serverside_callback(validate=check_query, error_handler='form_erors')
        def save(self, request):
            return Response('ok')

    with pytest.raises(ConfigurationError) as raised:
        widget_app(Typo(id='t'))
    assert str(raised.value) == (
        "add_widget: error_handler='form_erors' of the callback 'save' of "
        "widget 't': tests.test_left10.test_widget_callback_error_handler_"
        "naming_no_method.<locals>.Typo has no method 'form_erors'; did you "
        "mean 'form_errors'?"
    )


class Unprintable:
    """What a user may give: its ``repr`` (and ``str``) raise."""

    def __repr__(self):
        raise RuntimeError('no repr')


class UnprintableWidget(ServerSideCallbackMixin, Unprintable):
    @serverside_callback
    def ping(self, request):
        return Response('pong')


def hooks_config():
    config = Configurator()
    config.include('pyramid_hooks')
    return config


def ok(request, params):
    return params


@pytest.mark.parametrize(
    'directive',
    [
        lambda c: c.register_hook('before_call', Unprintable()),
        lambda c: c.register_hook(Unprintable(), ok),
        lambda c: c.add_hook(Unprintable()),
        lambda c: c.add_controller_wrapper(Unprintable()),
        lambda c: c.add_controller(Unprintable()),
        lambda c: c.add_widget(Unprintable()),
        lambda c: c.set_callback_authorization(Unprintable()),
        lambda c: c.add_view(info, renderer='json', validate=Unprintable()),
        lambda c: c.add_view(
            info, renderer='json', validate=ok, error_handler=Unprintable()
        ),
    ],
)
def test_an_object_whose_repr_raises_is_named_in_the_refusal(directive):
    """A directive given an object whose ``__repr__`` raises failed with
    that exception (``RuntimeError: no repr``) where its message was made:
    the refusal names it by its class now."""
    config = hooks_config()
    with pytest.raises(ConfigurationError) as raised:
        directive(config)
        config.commit()
    assert '<tests.test_left10.Unprintable object>' in str(raised.value)


def test_a_widget_whose_repr_raises_is_mounted():
    """``add_widget`` built its message about the widget before it needed
    one: a widget whose ``__repr__`` raises could not be mounted at all."""
    config = hooks_config()
    config.set_callback_authorization(always_allow)
    config.add_widget(UnprintableWidget(id='u'))
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/u/ping').text == 'pong'


@pytest.mark.parametrize(
    'pairs',
    [
        (('/base', Crud), ('/films', MovieCrud)),
        (('/films', MovieCrud), ('/base', Crud)),
    ],
)
def test_extension_under_another_prefix_than_its_base_is_refused(pairs):
    """An extension activated under another route prefix than its base
    was served under the first activated one's, its own URLs answering
    404, silently (``/films/`` 404, ``/base/`` the extension's).  It is
    refused at startup naming both activations, their prefixes and the
    fix, as sibling extensions were."""
    with pytest.raises(ConfigurationError) as raised:
        activate(*pairs)
    message = str(raised.value)
    assert 'MovieCrud at ' in message
    assert 'Crud at ' in message
    assert '(route prefix /films)' in message
    assert '(route prefix /base)' in message
    assert 'Activate both under one prefix' in message
    assert 'class Movies(Crud, Controller)' in message


def test_extension_under_its_base_prefix_is_served():
    app = activate(('/films', Crud), ('/films/', MovieCrud))
    assert app.get('/films/').text == 'Movie'
