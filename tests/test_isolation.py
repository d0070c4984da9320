"""Isolation and faults.

* Two applications with different hooks, namespaces and controller
  wrappers live in one process and are called alternately from several
  threads: neither sees the other's registrations.
* A listener, a controller wrapper or a validator that raises: the
  application's exception view answers, ``request_finished`` still runs,
  and the next request is unaffected.
* A slow listener or wrapper blocks only its own request.
"""

import threading
from collections import Counter

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    ApplicationWrapper,
    Controller,
    Invalid,
    ServerSideCallbackMixin,
    get_hooks,
    route,
    serverside_callback,
)

THREADS = 6
ROUNDS = 150


def shared_view(request):
    """The same view callable is used by both applications."""
    params = request.hook_params
    return {
        'u': params['u'],
        'seen': params.get('seen', []),
        'namespaces': sorted(n for n in request.hooks.namespaces if n),
    }


class Panel(ServerSideCallbackMixin):
    """One widget class; each app mounts its own instance under the same
    id, with its own authorization handler."""

    def __init__(self, name, **kw):
        super().__init__(**kw)
        self.name = name

    @serverside_callback(request_method='GET')
    def show(self, request):
        by = request.environ['isolation.authorized_by']
        return Response(f'{self.name}:{request.GET["u"]}:{by}')


class Shop(Controller):
    """The base controller, activated by both apps."""

    @route('/shop', auth='public')
    def show(self, u):
        return f'shop:{u}'


class ShopExtension(Shop):
    """Activated by app "b" only: overrides the handler."""

    @route()
    def show(self, u):
        return 'extended ' + super().show(u)


def make_app(name, other):
    """An application whose hooks and wrappers all stamp *name*; it must
    never see *other*."""
    config = Configurator(settings={'app.name': name})
    config.include('pyramid_hooks')
    config.add_hook_namespace(f'ns_{name}')
    config.add_hook('stamp', args=('params',), namespace=f'ns_{name}')

    def new_request(request):
        request.environ['isolation.app'] = name

    def before_call(request, params):
        params.setdefault('seen', []).append(f'before_call:{name}')
        request.hooks.notify('stamp', params, namespace=f'ns_{name}')

    def stamp(params):
        params['seen'].append(f'stamp:{name}')

    def wrapper(next_caller, info):
        def call(context, request):
            result = next_caller(context, request)
            result['seen'].append(f'wrapper:{info.settings["app.name"]}')
            result['environ'] = request.environ['isolation.app']
            return result

        return call

    def after_render(request, response):
        response.headers['X-App'] = name

    config.register_hook('new_request', new_request)
    config.register_hook('before_call', before_call, view=shared_view)
    config.register_hook('stamp', stamp, namespace=f'ns_{name}')
    config.register_hook('after_render', after_render)
    config.add_controller_wrapper(wrapper, view=shared_view)
    config.add_route('home', '/')
    config.add_view(shared_view, route_name='home', renderer='json')

    def authorize(callback, request):
        request.environ['isolation.authorized_by'] = name
        return Response()

    class Stamp(ApplicationWrapper):
        def __call__(self, request):
            response = self.next_handler(request)
            response.headers['X-Wrapped-By'] = self.settings['app.name']
            return response

    config.add_application_wrapper(Stamp, name=f'stamp-{name}')
    config.add_widget(
        Panel(name, id='panel', callback_authorization=authorize)
    )
    config.add_controller(Shop)
    if name == 'b':
        config.add_controller(ShopExtension)
    return config.make_wsgi_app()


def test_two_apps_in_one_process_do_not_leak():
    apps = {'a': make_app('a', 'b'), 'b': make_app('b', 'a')}
    errors = []
    done = Counter()
    lock = threading.Lock()

    def worker(index):
        clients = {name: TestApp(app) for name, app in apps.items()}
        for i in range(ROUNDS):
            name = 'ab'[(index + i) % 2]
            u = f'{index}-{i}-{name}'
            try:
                res = clients[name].get('/', {'u': u})
                assert res.json == {
                    'u': u,
                    'seen': [
                        f'before_call:{name}',
                        f'stamp:{name}',
                        f'wrapper:{name}',
                    ],
                    'namespaces': [f'ns_{name}'],
                    'environ': name,
                }, res.json
                assert res.headers['X-App'] == name
                res = clients[name].get('/_widgets/panel/show', {'u': u})
                assert res.text == f'{name}:{u}:{name}'
                res = clients[name].get('/shop', {'u': u})
                shop = f'shop:{u}' if name == 'a' else f'extended shop:{u}'
                assert res.text == shop
                assert res.headers['X-Wrapped-By'] == name
            except Exception as e:
                with lock:
                    errors.append(repr(e))
            else:
                with lock:
                    done[name] += 1

    threads = [
        threading.Thread(target=worker, args=(i,)) for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert done == {'a': THREADS * ROUNDS // 2, 'b': THREADS * ROUNDS // 2}
    # the extension activated in "b" did not change what "a" serves
    assert TestApp(apps['a']).get('/shop', {'u': 'x'}).text == 'shop:x'
    # and the registries themselves are apart
    hooks_a = get_hooks(apps['a'].registry)
    hooks_b = get_hooks(apps['b'].registry)
    assert hooks_a is not hooks_b
    with pytest.raises(LookupError):
        hooks_a.namespace('ns_b')
    with pytest.raises(LookupError):
        hooks_b.namespace('ns_a')


def test_an_app_without_the_feature_is_untouched_by_one_with_it():
    """A second app that registers nothing has none of the first one's
    listeners, even for the same view callable."""
    make_app('a', 'plain')
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('home', '/')

    def view(request):
        return {'has_params': hasattr(request, 'hook_params')}

    config.add_view(view, route_name='home', renderer='json')
    res = TestApp(config.make_wsgi_app()).get('/', {'u': '1'})
    assert res.json == {'has_params': False}
    assert 'X-App' not in res.headers


# -- faults ------------------------------------------------------------------


class Boom(RuntimeError):
    """What the faulty parts raise."""


def fault_app(finished):
    """An application whose parts raise on demand (``?fault=<part>``), with
    an exception view for :class:`Boom` and one for everything else."""
    config = Configurator()
    config.include('pyramid_hooks')

    def maybe_fail(request, part):
        if request.GET.get('fault') == part:
            raise Boom(f'{part} failed')

    def new_request(request):
        maybe_fail(request, 'new_request')

    def context_found(request):
        maybe_fail(request, 'context_found')

    def before_validate(request, params):
        maybe_fail(request, 'before_validate')
        params['trail'] = ['before_validate']

    def validate(request, params):
        maybe_fail(request, 'validator')
        if request.GET.get('fault') == 'validator-other':
            raise KeyError('validator bug')
        if request.GET.get('fault') == 'invalid':
            raise Invalid({'u': 'refused'})
        params['trail'].append('validate')
        return params

    def before_call(request, params):
        maybe_fail(request, 'before_call')
        params['trail'].append('before_call')

    def before_render(request, params, output):
        maybe_fail(request, 'before_render')
        if 'trail' in output:
            output['trail'].append('before_render')

    def after_render(request, response):
        maybe_fail(request, 'after_render')
        response.headers['X-After-Render'] = request.GET['u']

    def new_response(request, response):
        response.headers['X-U'] = request.GET.get('u', '')

    def request_finished(request):
        finished.append((request.GET.get('u'), request.GET.get('fault')))

    def wrapper(next_caller):
        def call(context, request):
            maybe_fail(request, 'wrapper-before')
            result = next_caller(context, request)
            maybe_fail(request, 'wrapper-after')
            if isinstance(result, dict) and 'trail' in result:
                result['trail'].append('wrapper')
            return result

        return call

    def view(request):
        maybe_fail(request, 'view')
        params = request.hook_params
        return {'u': params['u'], 'trail': [*params['trail'], 'view']}

    def boom_view(exc, request):
        request.response.status = 503
        return {'error': str(exc), 'u': request.GET.get('u')}

    def other_view(exc, request):
        request.response.status = 500
        return {'error': exc.__class__.__name__, 'u': request.GET.get('u')}

    # new_request registered first: its listener failing must not keep
    # request_finished from running
    config.register_hook('new_request', new_request)
    config.register_hook('request_finished', request_finished)
    config.register_hook('context_found', context_found)
    config.register_hook('before_validate', before_validate)
    config.register_hook('before_call', before_call)
    config.register_hook('before_render', before_render)
    config.register_hook('after_render', after_render, view=view)
    config.register_hook('new_response', new_response)
    config.add_controller_wrapper(wrapper)
    config.add_route('home', '/')
    config.add_view(
        view, route_name='home', renderer='json', validate=validate
    )

    class Faulty(ServerSideCallbackMixin):
        def callback_authorization(self, callback, request):
            maybe_fail(request, 'authorization')
            return Response()

        @serverside_callback
        def act(self, request):
            maybe_fail(request, 'callback')
            return Response(f'acted:{request.GET["u"]}')

    class FaultyController(Controller):
        @route('/ctl', auth='public')
        def http(self, u):
            maybe_fail(self.request, 'controller')
            return f'ctl:{u}'

        @route('/ctl/rpc', type='json', auth='public')
        def rpc(self, u, **kw):
            maybe_fail(self.request, 'json-controller')
            return {'u': u}

    config.add_widget(Faulty(id='faulty'))
    config.add_controller(FaultyController)
    config.add_exception_view(boom_view, context=Boom, renderer='json')
    config.add_exception_view(other_view, context=KeyError, renderer='json')
    return TestApp(config.make_wsgi_app())


FAULTS = [
    'new_request',
    'context_found',
    'before_validate',
    'validator',
    'before_call',
    'wrapper-before',
    'view',
    'wrapper-after',
    'before_render',
    'after_render',
]


@pytest.mark.parametrize('fault', FAULTS)
def test_a_failing_part_is_answered_by_the_exception_view(fault):
    finished = []
    app = fault_app(finished)
    res = app.get('/', {'u': 'bad', 'fault': fault}, status=503)
    assert res.json == {'error': f'{fault} failed', 'u': 'bad'}
    assert res.headers['X-U'] == 'bad'
    assert 'X-After-Render' not in res.headers
    assert finished == [('bad', fault)]
    # the next request is unaffected
    res = app.get('/', {'u': 'good'})
    assert res.json == {
        'u': 'good',
        'trail': [
            'before_validate',
            'validate',
            'before_call',
            'view',
            'wrapper',
            'before_render',
        ],
    }
    assert res.headers['X-After-Render'] == 'good'
    assert finished == [('bad', fault), ('good', None)]


@pytest.mark.parametrize(
    ('fault', 'path', 'good'),
    [
        ('authorization', '/_widgets/faulty/act', 'acted:good'),
        ('callback', '/_widgets/faulty/act', 'acted:good'),
        ('controller', '/ctl', 'ctl:good'),
    ],
)
def test_failing_widget_and_controller_code(fault, path, good):
    finished = []
    app = fault_app(finished)
    res = app.get(path, {'u': 'bad', 'fault': fault}, status=503)
    assert res.json == {'error': f'{fault} failed', 'u': 'bad'}
    assert res.headers['X-U'] == 'bad'
    assert finished == [('bad', fault)]
    res = app.get(path, {'u': 'good'})
    assert res.text == good
    assert res.headers['X-U'] == 'good'
    assert finished == [('bad', fault), ('good', None)]


def test_a_failing_json_handler_is_a_jsonrpc_error():
    """On JSON routes the failure is a -32603 reply without details (the
    JSON-RPC specification's answer), the request still finishes
    normally."""
    finished = []
    app = fault_app(finished)
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'rpc', 'params': {'u': 'x'}}
    res = app.post_json('/ctl/rpc?u=bad&fault=json-controller', call)
    assert res.json['error'] == {'code': -32603, 'message': 'Internal error'}
    assert res.headers['X-U'] == 'bad'
    res = app.post_json('/ctl/rpc?u=good', call)
    assert res.json == {'jsonrpc': '2.0', 'id': 1, 'result': {'u': 'x'}}
    assert 'X-After-Render' not in res.headers  # scoped to another view
    assert finished == [('bad', 'json-controller'), ('good', None)]


def test_a_validator_bug_is_not_a_validation_error():
    """A validator raising something other than Invalid is a bug: the
    exception view for it answers, not a 400."""
    finished = []
    app = fault_app(finished)
    res = app.get('/', {'u': 'bad', 'fault': 'validator-other'}, status=500)
    assert res.json == {'error': 'KeyError', 'u': 'bad'}
    res = app.get('/', {'u': 'bad2', 'fault': 'invalid'}, status=400)
    assert 'refused' in res.text
    assert app.get('/', {'u': 'good'}).json['u'] == 'good'
    assert finished == [
        ('bad', 'validator-other'),
        ('bad2', 'invalid'),
        ('good', None),
    ]


def test_faults_interleaved_from_threads():
    """Failing and succeeding requests from several threads: every answer
    is its own, and request_finished ran for each."""
    finished = []
    app = fault_app(finished)
    errors = []

    def worker(index):
        client = TestApp(app.app)
        for i in range(60):
            u = f'{index}-{i}'
            fault = FAULTS[(index + i) % len(FAULTS)] if i % 2 else None
            try:
                if fault:
                    res = client.get('/', {'u': u, 'fault': fault}, status=503)
                    assert res.json == {'error': f'{fault} failed', 'u': u}
                else:
                    res = client.get('/', {'u': u})
                    assert res.json['u'] == u
                    assert res.headers['X-After-Render'] == u
                assert res.headers['X-U'] == u
            except Exception as e:
                errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(finished) == 4 * 60


# -- slow parts --------------------------------------------------------------


def slow_app(part, release):
    """An application whose *part* (a ``before_call`` listener, a
    controller wrapper or an application wrapper) waits for *release* on
    requests with ``?slow=1``."""
    config = Configurator()
    config.include('pyramid_hooks')
    entered = threading.Event()

    def wait(request):
        if request.GET.get('slow'):
            entered.set()
            assert release.wait(30)

    def listener(request, params):
        wait(request)

    def wrapper(next_caller):
        def call(context, request):
            wait(request)
            return next_caller(context, request)

        return call

    class SlowWrapper(ApplicationWrapper):
        def __call__(self, request):
            wait(request)
            return self.next_handler(request)

    if part == 'listener':
        config.register_hook('before_call', listener)
    elif part == 'wrapper':
        config.add_controller_wrapper(wrapper)
    else:
        config.add_application_wrapper(SlowWrapper)

    def view(request):
        return {'u': request.GET['u']}

    config.add_route('home', '/')
    config.add_view(view, route_name='home', renderer='json')
    return config.make_wsgi_app(), entered


@pytest.mark.parametrize('part', ['listener', 'wrapper', 'application'])
def test_a_slow_part_blocks_only_its_own_request(part):
    release = threading.Event()
    app, entered = slow_app(part, release)
    slow_result = []

    def slow():
        slow_result.append(TestApp(app).get('/', {'u': 'slow', 'slow': '1'}))

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        assert entered.wait(10)
        # while the slow request is inside the listener/wrapper, others
        # (from this and other threads) go through
        fast = []

        def other(index):
            client = TestApp(app)
            for i in range(10):
                fast.append(client.get('/', {'u': f'{index}-{i}'}).json)

        others = [threading.Thread(target=other, args=(i,)) for i in range(3)]
        for t in others:
            t.start()
        for t in others:
            t.join(10)
        assert not any(t.is_alive() for t in others)
        assert len(fast) == 30
        assert thread.is_alive()
        assert slow_result == []
    finally:
        release.set()
        thread.join(10)
    assert slow_result[0].json == {'u': 'slow'}
