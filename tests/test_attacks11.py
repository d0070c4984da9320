"""An attacker's eleventh pass: a hostile client against a real Pyramid
application (WebTest); what got in (each test failed before its fix), and
probes that found nothing, kept as regression tests."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPNotFound
from pyramid.response import Response
from pyramid.security import Allowed, Denied
from pyramid.view import render_view_to_response
from webtest import TestApp

from pyramid_hooks import Controller, Invalid, route
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    always_deny,
    serverside_callback,
    url_for_callback,
)
from tests.test_left10 import nested_app


def require_ok(request, params):
    if params.get('ok') != '1':
        raise Invalid({'ok': 'give ok=1'})


class AdminOnly:
    """``X-User: admin`` is allowed every permission, no one else any."""

    def identity(self, request):
        return request.headers.get('X-User')

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        if self.identity(request) == 'admin':
            return Allowed('admin')
        return Denied('not admin')


def make_app(*controllers, default_permission=None):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(AdminOnly())
    if default_permission:
        config.set_default_permission(default_permission)
    for controller in controllers:
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app())


class Report(Controller):
    @route('/report', auth='public', renderer='string')
    def report(self, **kw):
        return 'secret report'  # pragma: no cover - refused at startup


class Ping(Report):
    @route(
        '/ping',
        auth='none',
        renderer='string',
        validate=require_ok,
        error_handler='report',
    )
    def ping(self, ok=''):
        return 'pong'  # pragma: no cover - refused at startup


class Delete(Controller):
    @route('/delete', auth='public', methods=['POST'], renderer='string')
    def delete(self, item):
        return f'deleted {item}'  # pragma: no cover - refused at startup


class Show(Delete):
    @route(
        '/show',
        auth='public',
        renderer='string',
        validate=require_ok,
        error_handler='delete',
    )
    def show(self, ok='', item=''):
        return 'shown'  # pragma: no cover - refused at startup


class Members(Controller):
    @route('/members', auth='public', renderer='string', is_authenticated=True)
    def members(self, **kw):
        return 'members only'  # pragma: no cover - refused at startup

    @route(
        '/apply',
        auth='public',
        renderer='string',
        validate=require_ok,
        error_handler='members',
    )
    def apply(self, ok=''):
        return 'applied'  # pragma: no cover - refused at startup


@pytest.mark.parametrize(
    ('controller', 'shown'),
    [
        (Ping, "error_handler 'report' is a handler with auth='public'"),
        (Show, "error_handler 'delete' is a handler with methods=('POST',)"),
        (Members, "'members' is a handler with is_authenticated=True"),
    ],
)
def test_an_error_handler_past_a_default_permission_or_csrf_is_refused(
    controller, shown
):
    """Holes in the check of an ``error_handler=`` handler.  With
    ``config.set_default_permission('view')``, ``report`` (``auth='public'``)
    is denied to an anonymous client on its own URL, but ``GET /ping?ok=0``
    (``auth='none'``, which consults no permission) answered
    ``secret report``.  ``delete`` serves only POST, so its route always
    checks the CSRF token; ``GET /show?ok=0&item=x`` (an ``<img>`` of
    another site) ran it: ``deleted x``.  ``members`` has Pyramid's view
    predicate ``is_authenticated=True`` (its URL is a 404 to an anonymous
    client), yet ``GET /apply?ok=0`` answered ``members only``.  All are
    refused at startup."""
    with pytest.raises(ConfigurationError) as raised:
        make_app(controller, default_permission='view')
    message = str(raised.value)
    assert shown in message
    assert 'the same auth=, permission= and csrf= (and methods=,' in message


class Form(Controller):
    @route('/new', auth='public', methods=['GET'], renderer='string')
    def new(self, item=''):
        return f'form {item}'

    @route(
        '/create',
        auth='public',
        methods=['POST'],
        csrf=False,
        renderer='string',
        validate=require_ok,
        error_handler='new',
    )
    def create(self, ok='', item=''):
        return 'created'

    @route('/noop', auth='none', renderer='string')
    def noop(self, **kw):
        return 'noop'

    @route(
        '/free',
        auth='none',
        renderer='string',
        validate=require_ok,
        error_handler='noop',
    )
    def free(self, ok=''):
        return 'free'  # pragma: no cover - the probe sends ok=0


def test_turbogears_new_and_create_still_answer():
    """TurboGears' ``create`` (POST, here ``csrf=False`` as a webhook is)
    with ``error_handler=new`` (GET only: its route never checks a token,
    whatever ``csrf=`` says, and was refused as ``csrf=True``), and an
    ``auth='none'`` handler of an ``auth='none'`` route: both answer."""
    app = make_app(Form, default_permission='view')
    admin = {'X-User': 'admin'}
    reply = app.post('/create', {'ok': '0', 'item': 'x'}, headers=admin)
    assert reply.text == 'form x'
    assert app.get('/free?ok=0').text == 'noop'


class Rpc(Controller):
    @route('/rpc/help', type='json', auth='public', methods=['POST'])
    def usage(self, **kw):
        return 'usage'

    @route(
        '/rpc/add',
        type='json',
        auth='public',
        validate=require_ok,
        error_handler='usage',
    )
    def add(self, ok=''):
        return 'added'  # pragma: no cover - the probe sends ok=0


def test_a_json_error_handler_serving_post_only_still_answers():
    """JSON routes check their content type, not a token: a JSON handler
    saying ``methods=['POST']`` is no stricter than one that does not."""
    call = {'jsonrpc': '2.0', 'method': 'add', 'id': 1, 'params': {}}
    reply = make_app(Rpc).post_json('/rpc/add', call)
    assert reply.json['result'] == 'usage'


def widget_app(widget):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_widget(widget)
    return TestApp(config.make_wsgi_app())


class Purge(ServerSideCallbackMixin):
    id = 'w'

    @serverside_callback(request_method='POST', authorization=always_deny)
    def purge(self, request):
        return Response('purged')  # pragma: no cover - refused at startup

    @serverside_callback(validate=require_ok, error_handler='purge')
    def lookup(self, request):
        return Response('found')  # pragma: no cover - refused at startup


class PostOnly(ServerSideCallbackMixin):
    id = 'w'

    @serverside_callback(request_method='POST')
    def purge(self, request):
        return Response('purged')  # pragma: no cover - refused at startup

    @serverside_callback(validate=require_ok, error_handler='purge')
    def lookup(self, request):
        return Response('found')  # pragma: no cover - refused at startup


@pytest.mark.parametrize(
    ('widget', 'shown'),
    [
        (Purge(), 'other permission= or authorization='),
        (PostOnly(), 'other request_method= or require_csrf='),
    ],
)
def test_a_widget_error_handler_past_its_own_checks_is_refused(widget, shown):
    """A callback's ``error_handler=`` naming another callback, as the
    controllers' check (atk10) refuses for handlers: ``purge`` says
    ``authorization=always_deny`` (or serves POST only, checking the CSRF
    token), yet ``GET /_widgets/w/lookup?ok=0`` answered ``purged``."""
    with pytest.raises(ConfigurationError) as raised:
        widget_app(widget)
    message = str(raised.value)
    assert "error_handler='purge' of the callback 'lookup'" in message
    assert shown in message


class Search(ServerSideCallbackMixin):
    id = 's'

    @serverside_callback(request_method='GET')
    def form(self, request):
        return Response('form')

    def plain(self, request):
        return Response('plain')

    @serverside_callback(
        request_method='POST',
        require_csrf=False,
        validate=require_ok,
        error_handler='form',
    )
    def save(self, request):
        return Response('saved')  # pragma: no cover - the probe fails

    @serverside_callback(validate=require_ok, error_handler=plain)
    def find(self, request):
        return Response('found')  # pragma: no cover - the probe fails


def test_a_widget_error_handler_checking_no_more_still_answers():
    """A GET-only callback (its own URL checks no token) answering a
    ``require_csrf=False`` POST one, and a method that is no callback."""
    app = widget_app(Search())
    assert app.post('/_widgets/s/save', {'ok': '0'}).text == 'form'
    assert app.get('/_widgets/s/find?ok=0').text == 'plain'


class Help(Controller):
    @route('/help', auth='public', renderer='json')
    def help(self, topic=''):
        if topic == 'gone':
            raise HTTPNotFound()
        if topic == 'raw':
            return Response('raw help')
        return {'topic': topic}

    @route(
        '/page',
        auth='public',
        renderer='string',
        validate=require_ok,
        error_handler='help',
    )
    def page(self, ok='', topic=''):
        return 'page'  # pragma: no cover - the probes send ok=0


def not_found(exc, request):
    request.response.status = 404
    return {'shown': 'sorry', 'internal': 'postgres://app:secret@db'}


def shown_renderer(info):
    """A template showing ``values['shown']`` only."""
    return lambda values, system: values['shown']


def not_found_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_renderer('shown', shown_renderer)
    config.add_exception_view(not_found, HTTPNotFound, renderer='shown')
    config.add_controller(Help)
    return TestApp(config.make_wsgi_app())


def test_an_error_handlers_renderer_stays_with_the_failing_view():
    """``help``'s ``renderer='json'`` is for the failing ``page``'s result
    only.  It was set on the request before ``help`` ran, so when ``help``
    raised ``HTTPNotFound`` the application's not-found view (a template
    showing ``shown``) was rendered as JSON: ``GET /page?ok=0&topic=gone``
    answered every value given to the template, the database URL
    included, where ``GET /help?topic=gone`` answers ``sorry``."""
    app = not_found_app()
    assert app.get('/help?topic=gone', status=404).text == 'sorry'
    reply = app.get('/page?ok=0&topic=gone', status=404)
    assert reply.text == 'sorry'
    assert app.get('/page?ok=0&topic=raw').text == 'raw help'
    assert app.get('/page?ok=0&topic=x').json == {'topic': 'x'}


def failing_inner_app(seen, after_render, invalid_inner):
    """``/outer`` (``validate=``) renders the view ``inner`` and catches
    the ``HTTPBadRequest`` it raises (from the view, or from its error
    handler), then reads its own ``request.hook_params``."""

    def inner(request):
        raise HTTPBadRequest()

    def handler(request):
        raise HTTPBadRequest()

    def outer(request):
        try:
            render_view_to_response(request.context, request, name='inner')
        except HTTPBadRequest:
            seen.append(('outer', request.hook_params['who']))
        return {}

    return nested_app(
        seen,
        after_render,
        invalid_inner,
        inner=inner,
        handler=handler,
        outer=outer,
    )


@pytest.mark.parametrize('after_render', [False, True])
@pytest.mark.parametrize('invalid_inner', [False, True])
def test_a_failing_inner_view_leaves_the_outer_params(
    after_render, invalid_inner
):
    """A view rendered by another that raises (an error its caller
    catches) left its own ``request.hook_params`` (``who='inner'``, or the
    unvalidated query's ``who`` its error handler got) to the caller and
    the caller's ``before_render`` and ``after_render`` listeners, in
    place of the caller's validated ones."""
    seen = []
    failing_inner_app(seen, after_render, invalid_inner).get(
        '/outer', {'who': 'unvalidated'}
    )
    expected = [('outer', 'outer'), ('dict', 'outer'), ('Response', 'outer')]
    assert seen == expected[: 3 if after_render else 2]


class Linked(ServerSideCallbackMixin):
    @serverside_callback
    def cb(self, request):  # pragma: no cover - never called
        return Response('x')


def test_a_prefix_value_holding_a_slash_stays_in_its_segment():
    """A widget under ``route_prefix='/{lang}'``, its URL asked for by a
    page whose own route lets ``lang`` hold a ``/`` (``/docs/{lang:.+}``).
    The value was quoted as a ``*rest`` of Pyramid's is, keeping ``/``:
    ``GET /docs/..%2F..%2Fadmin`` made the link ``/../../admin/_widgets/
    w/cb``, which a browser resolves to ``/admin/_widgets/w/cb``, another
    URL of the client's choosing.  Pyramid's ``route_path`` makes
    ``%2F`` of it, in one segment; so do we now."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.include(
        lambda config: config.add_widget(Linked(id='w')),
        route_prefix='/{lang}',
    )
    config.add_route('docs', '/docs/{lang:.+}')
    config.add_view(
        lambda request: Response(url_for_callback(request, 'w/cb')),
        route_name='docs',
    )
    app = TestApp(config.make_wsgi_app())
    reply = app.get('/docs/..%2F..%2Fadmin')
    assert reply.text == '/..%2F..%2Fadmin/_widgets/w/cb'
    assert app.get('/docs/en').text == '/en/_widgets/w/cb'


def two_handlers(first, second):
    class Pages(Controller):
        @route(first, auth='public', renderer='string')
        def by_number(self, **kw):
            return 'by number'

        @route(second, auth='public', renderer='string')
        def fixed(self, **kw):
            return 'fixed'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Pages)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('first', 'second'),
    [
        ('/<int:year>', '/2024'),
        ('/<float:v>/notes', '/1.5/notes'),
        ('/p/<int:n>', '/p/<int(min=5):n>'),
    ],
)
def test_a_first_segment_int_placeholder_shadowing_a_later_url_is_refused(
    first, second
):
    """``/<int:year>`` and then ``/2024`` (another handler): ``GET /2024``
    was served by the ``<int:>`` handler and ``fixed`` never, silently.
    The check compared ``<int:>`` with a static segment only after a
    static first segment (``/f/<int:id>`` before ``/f/2024`` was
    refused), not as the first; nor an ``<int:>`` with a later
    ``<int(min=5):>``, which matches fewer URLs."""
    with pytest.raises(ConfigurationError) as raised:
        two_handlers(first, second)
    assert f'{second!r} is never served: {first!r}' in str(raised.value)


def test_a_static_url_before_an_int_placeholder_still_answers():
    app = two_handlers('/2024', '/<int:year>')
    assert app.get('/2024').text == 'by number'
    assert app.get('/2025').text == 'fixed'
    app = two_handlers('/<int(min=5):n>', '/<int(signed=True):n>')
    assert app.get('/7').text == 'by number'
    assert app.get('/-7').text == 'fixed'


def token_guard(request, params):
    if request.headers.get('X-Token') != 'secret':
        raise HTTPForbidden()


class Guarded(Controller):
    @route('/guarded', auth='public', renderer='string')
    def guarded(self, **kw):
        return 'guarded page'

    @route(
        '/join',
        auth='public',
        renderer='string',
        validate=require_ok,
        error_handler='guarded',
    )
    def join(self, ok=''):
        return 'joined'  # pragma: no cover - the probes send ok=0


@pytest.mark.parametrize(
    ('hook', 'scope'),
    [
        ('before_validate', {'view': Guarded.guarded}),
        (
            'before_validate',
            {'route_name': 'tests.test_attacks11.Guarded.guarded'},
        ),
        (
            'before_call',
            {'route_name': 'tests.test_attacks11.Guarded.guarded'},
        ),
    ],
)
def test_a_guard_of_an_error_handlers_own_route_runs_for_it(hook, scope):
    """A guard listener of the handler ``guarded`` (``before_validate``,
    which the porting guide says a guard belongs in, scoped to it, or a
    listener scoped to its route): ``GET /guarded`` is a 403 without the
    token, yet ``GET /join?ok=0`` answered ``guarded page``.  The
    handler's own ``before_validate`` listeners and those of its routes
    run for it now, as its ``before_call`` ones did."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook(hook, token_guard, **scope)
    config.add_controller(Guarded)
    app = TestApp(config.make_wsgi_app())
    app.get('/guarded', status=403)
    app.get('/join?ok=0', status=403)
    token = {'X-Token': 'secret'}
    assert app.get('/join?ok=0', headers=token).text == 'guarded page'


def token_wrapper(next_caller):
    def call(context, request):
        token_guard(request, None)
        return next_caller(context, request)

    return call


class Wrapped(Controller):
    @route(
        '/wrapped',
        auth='public',
        renderer='string',
        controller_wrappers=[token_wrapper],
    )
    def wrapped(self, **kw):
        return 'wrapped page'

    @route(
        '/enter',
        auth='public',
        renderer='string',
        validate=require_ok,
        error_handler='wrapped',
    )
    def enter(self, ok=''):
        return 'entered'  # pragma: no cover - the probes send ok=0


def test_an_error_handlers_own_controller_wrappers_run_for_it():
    """``route(controller_wrappers=[token_wrapper])`` on the handler: its
    own URL is a 403 without the token, and ``GET /enter?ok=0`` answered
    ``wrapped page`` (the handler's view option was not read)."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Wrapped)
    app = TestApp(config.make_wsgi_app())
    app.get('/wrapped', status=403)
    app.get('/enter?ok=0', status=403)
    token = {'X-Token': 'secret'}
    assert app.get('/enter?ok=0', headers=token).text == 'wrapped page'


class Staff(Controller):
    @route('/staff', permission='edit', renderer='string')
    def staff(self, **kw):
        return 'staff page'  # pragma: no cover - refused at startup


class Visitors(Controller):
    @route(
        '/visit',
        auth='public',
        renderer='string',
        validate=require_ok,
        error_handler=Staff.staff,
    )
    def visit(self, ok=''):
        return 'visited'  # pragma: no cover - refused at startup


def visit_view(request):
    return 'visited'  # pragma: no cover - refused at startup


@pytest.mark.parametrize('how', ['controller', 'view'])
def test_another_controllers_handler_as_error_handler_is_refused(how):
    """``error_handler=Staff.staff``, the handler of another controller
    (``permission='edit'``), is no method of the view's class: it was
    called as ``staff(request)``, the request as ``self``, and ``GET
    /visit?ok=0`` answered ``staff page`` to an anonymous client, from a
    controller route or a plain view alike."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(AdminOnly())
    config.add_controller(Staff)
    if how == 'controller':
        config.add_controller(Visitors)
    else:
        config.add_route('visit', '/visit')
        config.add_view(
            visit_view,
            route_name='visit',
            renderer='string',
            validate=require_ok,
            error_handler=Staff.staff,
        )
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'tests.test_attacks11.Staff.staff cannot be called' in message
    assert 'its first parameter is self' in message


class Vault(ServerSideCallbackMixin):
    @serverside_callback(authorization=always_deny)
    def empty(self, request):
        return Response('emptied')  # pragma: no cover - refused at startup


vault = Vault(id='vault')


class Lookup(ServerSideCallbackMixin):
    id = 'lookup'

    @serverside_callback(validate=require_ok, error_handler=vault.empty)
    def find(self, request):
        return Response('found')  # pragma: no cover - refused at startup


def test_another_widgets_callback_as_error_handler_is_refused():
    """``error_handler=vault.empty``, a callback of another widget saying
    ``authorization=always_deny``: ``GET /_widgets/lookup/find?ok=0``
    answered ``emptied``."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_widget(vault)
    with pytest.raises(ConfigurationError) as raised:
        config.add_widget(Lookup())
    assert 'is a callback of another widget' in str(raised.value)


def token_check(request):
    """A check that (wrongly) decides by the params it thinks it sees."""
    return getattr(request, 'hook_params', {}).get('token') == 'ok'


class SharedRpc(Controller):
    @route('/shared', type='json', auth='public', rpc_method='ping')
    def ping(self, token=''):
        return 'pong'

    @route('/shared', type='json', auth='by_token', rpc_method='wipe')
    def wipe(self):
        return 'wiped'


def test_a_check_at_a_shared_url_sees_no_earlier_calls_params():
    """A batch ``[ping {"token": "ok"}, wipe]`` to a URL both share: the
    ``auth`` check of ``wipe`` ran before its call with the ``ping``
    call's ``request.hook_params`` still on the request, and let ``wipe``
    through (``"result": "wiped"``); it sees no earlier call's state now,
    as it saw no ``request.jsonrpc_call`` since an earlier pass."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('before_call', lambda request, params: None)
    config.add_controller_auth('by_token', token_check)
    config.add_controller(SharedRpc)
    app = TestApp(config.make_wsgi_app())
    batch = [
        {
            'jsonrpc': '2.0',
            'id': 1,
            'method': 'ping',
            'params': {'token': 'ok'},
        },
        {'jsonrpc': '2.0', 'id': 2, 'method': 'wipe'},
    ]
    replies = app.post_json('/shared', batch).json
    assert replies[0]['result'] == 'pong'
    assert replies[1]['error']['code'] == -32001
