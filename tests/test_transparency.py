"""Transparency: a registration that does nothing changes no response.

Every test builds the same application twice, without and with
do-nothing registrations (a pass-through application wrapper and
controller wrapper, listeners that ignore their arguments on every
built-in request hook), sends the same request to both through WebTest and
compares what the client (or the WSGI server) gets: status, body and
headers, or the exception that propagated.  DESIGN, "Transparency".
"""

import copy
import datetime
import pickle

import pytest
from pyramid import testing
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden
from pyramid.interfaces import ITweens
from pyramid.response import Response
from pyramid.tweens import EXCVIEW
from pyramid.view import render_view_to_response
from pyramid.viewderivers import VIEW
from webtest import TestApp

from pyramid_hooks import ApplicationWrapper
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.finished import TWEEN_NAME as FINISHED_TWEEN
from pyramid_hooks.wrappers import TWEEN_NAME

REQUEST_HOOKS = {
    'before_validate': lambda request, params: None,
    'before_call': lambda request, params: None,
    'before_render': lambda request, params, output: None,
    'after_render': lambda request, response: None,
    'before_render_call': lambda request, renderer_name, values: None,
    'after_render_call': lambda request, renderer_name, values, response: None,
    'new_request': lambda request: None,
    'context_found': lambda request: None,
    'new_response': lambda request, response: None,
    'request_finished': lambda request: None,
}


class PassThrough(ApplicationWrapper):
    def __call__(self, request):
        return self.next_handler(request)


def pass_through(next_caller):
    def call(context, request):
        return next_caller(context, request)

    return call


def do_nothing(config):
    """The do-nothing registrations."""
    for name, listener in REQUEST_HOOKS.items():
        config.register_hook(name, listener)
    config.add_controller_wrapper(pass_through)
    config.add_application_wrapper(PassThrough)


def build(setup, registrations=None, settings=None):
    config = Configurator(settings=dict(settings or {}))
    config.include('pyramid_hooks')
    setup(config)
    if registrations is not None:
        registrations(config)
    return TestApp(config.make_wsgi_app())


def outcome(app, url, method='GET', **kw):
    """What the client (or the WSGI server, for an exception) gets."""
    try:
        response = getattr(app, method.lower())(url, expect_errors=True, **kw)
    except Exception as e:
        return ('raised', type(e).__name__, str(e))
    return (response.status, response.body, sorted(response.headerlist))


def same_outcome(setup, url, registrations=do_nothing, **kw):
    """The outcome of *url*, checked to be the same without and with
    *registrations*."""
    bare = outcome(build(setup), url, **kw)
    registered = outcome(build(setup, registrations), url, **kw)
    assert registered == bare
    return bare


# -- exceptions from below the application wrappers ------------------------


class Boom(Exception):
    pass


def catching_policy(environ, router):
    """An execution policy that answers for the exceptions it sees."""
    with router.request_context(environ) as request:
        try:
            return router.invoke_request(request)
        except Boom as e:
            return Response(f'policy saw {e}', status=503)


def generic_error_page(exc, request):
    return Response('generic error page', status=500)


def with_error_pages(config):
    config.set_execution_policy(catching_policy)
    config.add_exception_view(generic_error_page, context=Exception)


def test_exception_raised_by_an_exception_view_propagates():
    def broken_error_page(exc, request):
        raise Boom('from the error page')

    def view(request):
        raise ValueError('view broke')

    def setup(config):
        with_error_pages(config)
        config.add_exception_view(broken_error_page, context=ValueError)
        config.add_route('r', '/')
        config.add_view(view, route_name='r')

    status, body, _ = same_outcome(setup, '/')
    assert (status, body) == (
        '503 Service Unavailable',
        b'policy saw from the error page',
    )


def boom_tween_factory(handler, registry):
    def boom_tween(request):
        if request.path == '/refused':
            raise Boom('from a tween')
        return handler(request)

    return boom_tween


def test_exception_raised_by_a_tween_under_the_wrappers_propagates():
    def setup(config):
        with_error_pages(config)
        config.add_tween(
            f'{__name__}.boom_tween_factory', under=TWEEN_NAME, over=EXCVIEW
        )
        config.add_route('r', '/{name}')
        config.add_view(lambda request: Response('ok'), route_name='r')

    assert same_outcome(setup, '/refused')[:2] == (
        '503 Service Unavailable',
        b'policy saw from a tween',
    )
    assert same_outcome(setup, '/fine')[:2] == ('200 OK', b'ok')


def test_unhandled_exception_reaches_the_execution_policy():
    def view(request):
        raise Boom('from the view')

    def setup(config):
        config.set_execution_policy(catching_policy)
        config.add_route('r', '/')
        config.add_view(view, route_name='r')

    assert same_outcome(setup, '/')[:2] == (
        '503 Service Unavailable',
        b'policy saw from the view',
    )


def test_exception_raised_by_an_exception_view_reaches_the_server():
    def broken_error_page(exc, request):
        raise Boom('from the error page')

    def view(request):
        raise ValueError('view broke')

    def setup(config):
        config.add_exception_view(broken_error_page, context=ValueError)
        config.add_route('r', '/')
        config.add_view(view, route_name='r')

    assert same_outcome(setup, '/') == (
        'raised',
        'Boom',
        'from the error page',
    )


class ReRaising(ApplicationWrapper):
    """Catches what comes from below and lets it through."""

    def __call__(self, request):
        try:
            return self.next_handler(request)
        except Boom:
            raise


class Replacing(ApplicationWrapper):
    """Turns what comes from below into its own refusal."""

    def __call__(self, request):
        try:
            return self.next_handler(request)
        except Boom as e:
            raise HTTPForbidden() from e


def forbidden_page(request):
    return Response('forbidden page', status=403)


def test_exception_a_wrapper_lets_through_propagates():
    def setup(config):
        with_error_pages(config)
        config.add_tween(
            f'{__name__}.boom_tween_factory', under=TWEEN_NAME, over=EXCVIEW
        )
        config.add_forbidden_view(forbidden_page)
        config.add_route('r', '/{name}')
        config.add_view(lambda request: Response('ok'), route_name='r')

    def re_raising(config):
        config.add_application_wrapper(ReRaising)

    assert same_outcome(setup, '/refused', re_raising)[:2] == (
        '503 Service Unavailable',
        b'policy saw from a tween',
    )
    # the wrapper's own exception is rendered by the app's exception views
    replaced = build(setup, lambda c: c.add_application_wrapper(Replacing))
    response = replaced.get('/refused', status=403)
    assert response.text == 'forbidden page'


# -- the form body stays readable ------------------------------------------


def body_view(request):
    data = request.body_file.read()
    if len(data) == request.content_length:
        return Response(f'read the whole body, {len(data)} bytes')
    return Response(f'read {len(data)} of {request.content_length} bytes')


def body_setup(config):
    config.add_route('r', '/')
    config.add_view(body_view, route_name='r')


def test_form_body_is_readable_by_the_view():
    status, body, _ = same_outcome(
        body_setup, '/', method='POST', params={'a': '1', 'b': 'x' * 100}
    )
    assert (status, body) == ('200 OK', b'read the whole body, 106 bytes')


MULTIPART = (
    b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
    b'--XyZ\r\nContent-Disposition: form-data; name="f"; '
    b'filename="f.txt"\r\nContent-Type: text/plain\r\n\r\ncontent\r\n'
    b'--XyZ--\r\n'
)


def test_multipart_body_is_readable_by_the_view():
    def post(app):
        return app.request(
            '/',
            method='POST',
            body=MULTIPART,
            content_type='multipart/form-data; boundary=XyZ',
        )

    bare = post(build(body_setup))
    registered = post(build(body_setup, do_nothing))
    assert registered.text == bare.text == 'read the whole body, 167 bytes'


def test_form_body_is_readable_after_a_listener_read_params():
    seen = []

    def reads_params(config):
        config.register_hook(
            'before_call', lambda request, params: seen.append(dict(params))
        )

    status, body, _ = same_outcome(
        body_setup, '/', reads_params, method='POST', params={'a': '1'}
    )
    assert (status, body) == ('200 OK', b'read the whole body, 3 bytes')
    assert seen == [{'a': '1'}]


# -- undecodable parameters matter only to whoever reads them ---------------


def raw_setup(config):
    config.add_route('raw', '/raw')
    config.add_view(lambda request: Response('raw'), route_name='raw')


def test_undecodable_query_is_ignored_by_a_view_that_does_not_read_it():
    assert same_outcome(raw_setup, '/raw?q=%ff')[:2] == ('200 OK', b'raw')


def test_undecodable_form_is_ignored_by_a_view_that_does_not_read_it():
    assert same_outcome(
        raw_setup,
        '/raw',
        method='POST',
        params=b'q=%ff%fe',
        content_type='application/x-www-form-urlencoded; charset=latin-1',
    )[:2] == ('200 OK', b'raw')


def test_undecodable_query_is_a_400_for_a_validator_that_reads_it():
    def validate(request, params):
        return {'q': params.get('q')}

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('r', '/r')
    config.add_view(
        lambda request: Response('ok'), route_name='r', validate=validate
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/r?q=ok').text == 'ok'
    response = app.get('/r?q=%ff', status=400)
    assert 'cannot be decoded' in response.text


def test_undecodable_query_is_a_400_for_a_view_reading_hook_params():
    def view(request):
        return Response(str(sorted(request.hook_params)))

    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('before_call', REQUEST_HOOKS['before_call'])
    config.add_route('r', '/r')
    config.add_view(view, route_name='r')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/r?q=1').text == "['q']"
    app.get('/r?q=%ff', status=400)


class Search(Controller):
    @route('/search', type='http', auth='public')
    def search(self, q=''):
        return f'searched {q}'


def test_undecodable_param_is_a_400_on_an_http_controller_route():
    def setup(config):
        config.add_controller(Search)

    assert same_outcome(setup, '/search?q=a')[:2] == ('200 OK', b'searched a')
    assert same_outcome(setup, '/search?q=%ff')[0] == '400 Bad Request'


def test_params_behaves_as_a_dict_before_and_after_decoding():
    seen = {}

    def listener(request, params):
        seen['before'] = repr(params)
        seen['deepcopy'] = copy.deepcopy(params)
        seen['after'] = repr(params)
        seen['pickled'] = pickle.loads(pickle.dumps(params))
        seen['is_dict'] = isinstance(params, dict)

    def setup(config):
        config.register_hook('before_call', listener)
        config.add_route('r', '/{id}')
        config.add_view(lambda request: Response('ok'), route_name='r')

    build(setup).get('/7?a=1&a=2')
    expected = {'a': ['1', '2'], 'id': '7'}
    assert seen == {
        'before': '<LazyParams (not decoded yet)>',
        'deepcopy': expected,
        'after': repr(expected),
        'pickled': expected,
        'is_dict': True,
    }
    assert type(seen['deepcopy']) is dict


def test_params_nobody_read_is_rendered_whole_by_the_json_renderer():
    def view(request):
        return {'params': request.hook_params}

    def setup(config):
        config.register_hook('before_call', REQUEST_HOOKS['before_call'])
        config.add_route('r', '/{id}')
        config.add_view(view, route_name='r', renderer='json')

    app = build(setup)
    assert app.get('/7?a=1').json == {'params': {'a': '1', 'id': '7'}}
    # the renderer is the first reader of undecodable parameters
    app.get('/7?a=%ff', status=400)


# -- a view option another add-on declares too ------------------------------


class TitleSchema:
    """A schema, as pyramid_marshmallow takes for ``validate=``: not a
    callable."""

    def load(self, data):
        if 'title' not in data:
            raise HTTPBadRequest('title is required')
        return {'title': data['title']}


def schema_validator(view, info):
    """Another add-on's view deriver declaring ``validate=`` too, as
    pyramid_marshmallow's does: it loads the query with the schema."""
    schema = info.options.get('validate')
    if schema is None:
        return view

    def validated(context, request):
        request.data = schema.load(dict(request.GET))
        return view(context, request)

    return validated


schema_validator.options = ('validate',)


def album(request):
    return Response(f'album {request.data["title"]}')


def schema_setup(config):
    config.add_view_deriver(schema_validator)
    config.add_route('album', '/album')
    config.add_view(album, route_name='album', validate=TitleSchema())


@pytest.mark.parametrize('url', ['/album?title=Low', '/album'])
def test_validate_option_of_another_add_on_is_left_to_it(url):
    def alone():
        config = Configurator()
        schema_setup(config)
        return TestApp(config.make_wsgi_app())

    expected = outcome(alone(), url)
    assert same_outcome(schema_setup, url) == expected
    assert expected[0] in ('200 OK', '400 Bad Request')


# -- a deriver of another add-on between the renderer and the view ----------


def marshaller(view, info):
    """Another add-on's view deriver under Pyramid's ``rendered_view``
    that changes the view's result before it is rendered, as
    pyramid_marshmallow's ``marshal=`` does (dates to text)."""
    if not info.options.get('marshal'):
        return view

    def marshalled(context, request):
        return {
            key: str(value) for key, value in view(context, request).items()
        }

    return marshalled


marshaller.options = ('marshal',)


def release(request):
    return {'title': 'Low', 'released': datetime.date(1977, 1, 14)}


def renderer_named(view, info):
    """Another add-on's view deriver over ``rendered_view`` that reads the
    view's renderer (its name) when the view is derived."""
    renderer = info.options.get('renderer')
    if renderer is None:
        return view

    def named(context, request):
        response = view(context, request)
        response.headers['X-Renderer'] = renderer.name
        return response

    return named


def marshal_setup(config):
    config.add_view_deriver(marshaller, under='rendered_view', over=VIEW)
    config.add_view_deriver(renderer_named)
    config.add_route('release', '/release')
    config.add_view(
        release, route_name='release', renderer='json', marshal=True
    )


def test_result_changed_by_another_add_on_under_the_renderer_is_rendered():
    """The render-call hooks run at Pyramid's renderer call, with the
    values it renders: whatever derivers sit between ``rendered_view`` and
    the view (here included after pyramid_hooks) have changed them.  A
    deriver over ``rendered_view`` reads the view's renderer as it is."""
    config = Configurator()
    marshal_setup(config)
    alone = outcome(TestApp(config.make_wsgi_app()), '/release')
    assert same_outcome(marshal_setup, '/release') == alone
    assert alone[1] == b'{"title": "Low", "released": "1977-01-14"}'
    assert ('X-Renderer', 'json') in alone[2]


# -- Pyramid's testing helpers ---------------------------------------------


def test_render_view_to_response_with_a_dummy_request():
    seen = []

    def view(request):
        return {'view': 'ok'}

    def reads_params(config):
        do_nothing(config)
        config.register_hook(
            'before_call', lambda request, params: seen.append(dict(params))
        )

    def responses(registrations):
        config = testing.setUp()
        try:
            config.include('pyramid_hooks')
            if registrations is not None:
                registrations(config)
            config.add_view(view, name='v', renderer='json')
            config.commit()
            return [
                render_view_to_response(
                    None, testing.DummyRequest(params=params), name='v'
                ).body
                for params in ({}, {'a': '1'})
            ]
        finally:
            testing.tearDown()

    assert responses(None) == [b'{"view": "ok"}'] * 2
    assert responses(do_nothing) == [b'{"view": "ok"}'] * 2
    assert responses(reads_params) == [b'{"view": "ok"}'] * 2
    assert seen == [{}, {'a': '1'}]


# -- request_finished runs for every request -------------------------------


class Refusing(ApplicationWrapper):
    """Answers or fails without calling ``next_handler``."""

    def __call__(self, request):
        if request.path == '/raise':
            raise RuntimeError('refused by the wrapper')
        if request.path == '/answer':
            return Response('answered by the wrapper')
        return self.next_handler(request)


def finished_app(finished, settings=None, wrapper=Refusing):
    def setup(config):
        config.register_hook(
            'request_finished', lambda request: finished.append(request.path)
        )
        config.add_application_wrapper(wrapper)
        config.add_route('r', '/{name}')
        config.add_view(lambda request: Response('view'), route_name='r')

    return build(setup, settings=settings)


@pytest.mark.parametrize('path', ['/raise', '/answer', '/view'])
def test_request_finished_runs_once_whatever_the_wrapper_does(path):
    finished = []
    app = finished_app(finished)
    if path == '/raise':
        with pytest.raises(RuntimeError, match='refused by the wrapper'):
            app.get(path)
    else:
        app.get(path)
    assert finished == [path]


def test_request_finished_runs_once_when_a_new_request_listener_fails():
    finished = []

    def failing(request):
        raise RuntimeError('new_request failed')

    def setup(config):
        config.register_hook('new_request', failing)
        config.register_hook(
            'request_finished', lambda request: finished.append(request.path)
        )
        config.add_route('r', '/')
        config.add_view(lambda request: Response('view'), route_name='r')

    with pytest.raises(RuntimeError, match='new_request failed'):
        build(setup).get('/')
    assert finished == ['/']


@pytest.mark.parametrize('use_tweens', [False, True])
def test_request_finished_runs_once_per_subrequest(use_tweens):
    finished = []

    def outer(request):
        sub = request.blank('/inner')
        inner = request.invoke_subrequest(sub, use_tweens=use_tweens)
        return Response('outer+' + inner.text)

    def setup(config):
        config.register_hook(
            'request_finished', lambda request: finished.append(request.path)
        )
        config.add_application_wrapper(PassThrough)
        config.add_route('outer', '/outer')
        config.add_view(outer, route_name='outer')
        config.add_route('inner', '/inner')
        config.add_view(lambda request: Response('inner'), route_name='inner')

    assert build(setup).get('/outer').text == 'outer+inner'
    assert finished == ['/inner', '/outer']


def test_request_finished_with_an_explicit_tween_list():
    """Without the tween in an explicit ``pyramid.tweens`` list, the
    listeners still run for every request that reaches ``NewRequest``."""
    finished = []
    settings = {'pyramid.tweens': f'{TWEEN_NAME}\n{EXCVIEW}'}
    app = finished_app(finished, settings)
    app.get('/view')
    assert finished == ['/view']


def implicit_tweens(setup):
    config = Configurator()
    config.include('pyramid_hooks')
    setup(config)
    config.commit()
    return [name for name, _ in config.registry.getUtility(ITweens).implicit()]


def test_ptweens_is_unchanged_without_request_finished_listeners():
    def others(config):
        for name, listener in REQUEST_HOOKS.items():
            if name != 'request_finished':
                config.register_hook(name, listener)

    def finishing(config):
        config.register_hook('request_finished', lambda request: None)

    assert FINISHED_TWEEN not in implicit_tweens(others)
    assert implicit_tweens(others) == implicit_tweens(lambda config: None)
    tweens = implicit_tweens(finishing)
    assert tweens[0] == FINISHED_TWEEN
    assert tweens[1:] == implicit_tweens(lambda config: None)


def test_request_finished_tween_listed_without_listeners_is_left_out():
    """Listed in an explicit ``pyramid.tweens`` list, the tween's factory
    still decides: without listeners the request goes straight on."""
    settings = {'pyramid.tweens': f'{FINISHED_TWEEN}\n{EXCVIEW}'}
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_route('r', '/')
    config.add_view(lambda request: Response('view'), route_name='r')
    app = config.make_wsgi_app()
    assert TestApp(app).get('/').text == 'view'


FINISHED = []


def finished_first(request):
    FINISHED.append(('first', request.path))


def finished_second(request):
    FINISHED.append(('second', request.path))


def include_finished_first(config):
    config.register_hook('request_finished', finished_first)


def assert_finished_once(config):
    """One ``request_finished`` tween, and both listeners ran once."""
    config.add_route('r', '/{name}')
    config.add_view(lambda request: Response('view'), route_name='r')
    app = TestApp(config.make_wsgi_app())
    tweens = [
        name for name, _ in config.registry.getUtility(ITweens).implicit()
    ]
    assert tweens.count(FINISHED_TWEEN) == 1
    assert app.get('/x').text == 'view'
    assert FINISHED == [('first', '/x'), ('second', '/x')]


def test_request_finished_tween_once_beside_an_include_override():
    """Several ``request_finished`` listeners add the tween once, and an
    include-path override of one of them (a dropped action of an early
    order) commits: the tween is an ordinary action of the commit."""
    FINISHED.clear()
    config = Configurator()
    config.include('pyramid_hooks')
    config.include(include_finished_first)
    config.register_hook('request_finished', finished_first)  # overrides
    config.register_hook('request_finished', finished_second)
    assert_finished_once(config)


def test_request_finished_tween_once_across_commits_and_configurators():
    """Listeners registered in two commits, the second from another
    configurator of the same registry, add the tween once: Pyramid includes
    the callable that adds it once per configuration."""
    FINISHED.clear()
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('request_finished', finished_first)
    config.commit()
    other = Configurator(registry=config.registry, autocommit=True)
    other.register_hook('request_finished', finished_second)
    assert_finished_once(config)
