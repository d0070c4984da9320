"""``request.validation_errors`` is one view call's: a view called with
the same request after or from another (``render_view_to_response``, an
error handler rendering another page) sees its own validation result
only, and so do the ``after_render`` and render-call listeners chosen for
it (the view's own, or its error handler's).  A stale value chose the
wrong ones, and a view's code read another's errors as its own."""

from pyramid.config import Configurator
from pyramid.view import render_view_to_response
from webtest import TestApp

from pyramid_hooks import Invalid


def accept(request, params):
    return params


def refuse(request, params):
    raise Invalid({'name': 'required'})


# the view called by the others: it validates its parameters


def other(request):
    return {'errors': getattr(request, 'validation_errors', None)}


def other_again(request):  # pragma: no cover - its validation passes
    return {'handler': True}


# a view whose validation fails: its error handler renders 'other'


def form(request):  # pragma: no cover - its validation fails
    return {}


def form_again(request):
    assert request.validation_errors == {'name': 'required'}
    return render_view_to_response(request.context, request, name='other')


# a view whose validation passes: it calls a view whose validation fails


def page(request):
    render_view_to_response(request.context, request, name='bad')
    return {'page': True}


def page_again(request):  # pragma: no cover - its validation passes
    return {'handler': True}


def bad(request):  # pragma: no cover - its validation fails
    return {}


def bad_again(request):
    return {'bad': True}


def stamp(header, value):
    def after_render(request, response):
        response.headers[header] = value

    return after_render


def by(value):
    def before_render_call(request, renderer_name, values):
        values['by'] = value

    return before_render_call


def make_app():
    config = Configurator()
    config.include('pyramid_hooks')
    options = {'renderer': 'json'}
    config.add_view(
        other,
        name='other',
        validate=accept,
        error_handler=other_again,
        **options,
    )
    config.add_view(
        form,
        name='form',
        validate=refuse,
        error_handler=form_again,
        **options,
    )
    config.add_view(
        page,
        name='page',
        validate=accept,
        error_handler=page_again,
        **options,
    )
    config.add_view(
        bad, name='bad', validate=refuse, error_handler=bad_again, **options
    )
    for view, header, value in (
        (other, 'X-Other', 'own'),
        (other_again, 'X-Other', 'handler'),
        (page, 'X-Page', 'own'),
        (page_again, 'X-Page', 'handler'),
        (form, 'X-Form', 'own'),
        (form_again, 'X-Form', 'handler'),
    ):
        config.register_hook('after_render', stamp(header, value), view=view)
        config.register_hook('before_render_call', by(value), view=view)
    return TestApp(config.make_wsgi_app())


def test_a_view_called_after_a_failed_validation_sees_its_own_result():
    """``form`` failed, its error handler renders ``other``, whose
    validation passes: ``other`` saw ``form``'s errors as its own, and its
    error handler's listeners ran instead of its own."""
    response = make_app().get('/form')
    assert response.json == {'errors': None, 'by': 'own'}
    assert response.headers['X-Other'] == 'own'
    # and ``form``'s error handler's listeners ran for ``form``
    assert response.headers['X-Form'] == 'handler'


def test_a_view_that_called_a_failing_one_keeps_its_own_result():
    """``page`` passes and calls ``bad``, which fails: ``page``'s own
    listeners run for it, not those of its error handler."""
    response = make_app().get('/page')
    assert response.json == {'page': True, 'by': 'own'}
    assert response.headers['X-Page'] == 'own'
