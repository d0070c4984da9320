"""JSON-RPC: one URL, many methods.  Several ``type='json'`` handlers at
one URL dispatch on the call's ``method``; a handler alone at its URL
answers any method; opt-in ``rpc.discover`` answers an OpenRPC document."""

import logging

import pytest
from pyramid.exceptions import ConfigurationError

from pyramid_hooks import Invalid
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.config import get_controller_registry
from tests.controllers_pkg.support import make_app, make_config

USER = {'X-User': 'alice'}


def call(method, params=None, id_=1):
    member = {'jsonrpc': '2.0', 'method': method, 'params': params or {}}
    if id_ is not None:
        member['id'] = id_
    return member


def post(app, body, url='/rpc', **kw):
    return app.post_json(url, body, **kw)


class Calc(Controller):
    @route('/rpc', type='json', auth='public')
    def add(self, a: int, b: int = 0) -> int:
        """Add two numbers.

        The rest of the docstring is not the summary."""
        return a + b

    @route('/rpc', type='json', auth='public')
    def sub(self, a, b):
        return a - b

    @route('/rpc', type='json', auth='public', rpc_method='calc.mul')
    def multiply(self, a, b):
        return a * b

    @route('/rpc', type='json', auth='user')
    def whoami(self):
        return self.request.authenticated_userid

    @route('/rpc', type='json', auth='public')
    def fail(self):
        raise ValueError('secret detail')

    @route('/alone', type='json', auth='public')
    def alone(self, x=0):
        return x


def app_for(*classes, settings=None, setup=None):
    config = make_config(settings)
    if setup is not None:
        setup(config)
    for cls in classes:
        config.add_controller(cls)
    return make_app(config)


def test_calls_dispatch_on_the_method_name():
    app = app_for(Calc)
    assert post(app, call('add', {'a': 2, 'b': 3})).json['result'] == 5
    # the issue's report: "sub" ran "add" and returned its result
    assert post(app, call('sub', {'a': 2, 'b': 3})).json['result'] == -1
    assert post(app, call('calc.mul', {'a': 2, 'b': 3})).json['result'] == 6


def test_rpc_method_replaces_the_handler_name():
    app = app_for(Calc)
    reply = post(app, call('multiply', {'a': 2, 'b': 3})).json
    assert reply == {
        'jsonrpc': '2.0',
        'id': 1,
        'error': {'code': -32601, 'message': 'Method not found'},
    }


def test_unknown_method_and_notifications():
    app = app_for(Calc)
    reply = post(app, call('nope', id_=7)).json
    assert reply['id'] == 7
    assert reply['error'] == {'code': -32601, 'message': 'Method not found'}
    assert post(app, call('nope', id_=None)).status_int == 204
    # not discoverable unless asked
    assert post(app, call('rpc.discover')).json['error']['code'] == -32601


def test_a_batch_dispatches_each_call(caplog):
    app = app_for(Calc)
    batch = [
        call('add', {'a': 1, 'b': 1}, 1),
        call('sub', {'a': 1, 'b': 1}, 2),
        call('nope', {}, 3),
        call('add', {'a': 1, 'c': 1}, 4),
        call('sub', {'a': 5, 'b': 1}, None),
        call('whoami', {}, 5),
        call('fail', {}, 6),
    ]
    with caplog.at_level(logging.ERROR):
        replies = {r['id']: r for r in post(app, batch).json}
    assert replies[1]['result'] == 2
    assert replies[2]['result'] == 0
    assert replies[3]['error']['code'] == -32601
    assert replies[4]['error']['code'] == -32602
    assert replies[5]['error'] == {
        'code': -32001,
        'message': 'Access denied',
        'data': {'status': 403},
    }
    assert replies[6]['error'] == {'code': -32603, 'message': 'Internal error'}
    assert len(replies) == 6  # the notification has no reply
    assert 'secret detail' not in str(replies)
    assert 'tests.test_jsonrpc_dispatch.Calc.fail' in caplog.text


def test_auth_applies_per_handler_and_is_checked_once_per_request():
    config = make_config()
    config.add_controller(Calc)
    app = make_app(config)
    assert post(app, call('whoami'), headers=USER).json['result'] == 'alice'
    config.policy.calls = 0
    batch = [call('whoami', {}, n) for n in range(3)]
    replies = post(app, batch, headers=USER).json
    assert [r['result'] for r in replies] == ['alice'] * 3
    # one identity lookup for the check, one per call for the handler
    assert config.policy.calls == 4
    config.policy.calls = 0
    post(app, [call('add', {'a': 1}, n) for n in range(3)])
    assert config.policy.calls == 0  # public handlers: no check


def test_a_shared_url_requires_no_permission_of_pyramid():
    """Pyramid's permission check decides for the whole HTTP request: at a
    URL that JSON handlers share, each call's handler is checked instead,
    so the route requires nothing of Pyramid (``pviews`` says so)."""
    from tests.test_jsonrpc import pviews

    def setup(config):
        config.set_default_permission('view')

    app = app_for(Calc, setup=setup)
    shown = pviews(app, '/rpc')
    assert 'tests.test_jsonrpc_dispatch' in shown
    assert 'required permission' not in shown
    assert 'required permission = view' in pviews(app, '/alone')
    replies = post(app, [call('add', {'a': 1}, 1), call('whoami', {}, 2)])
    assert replies.json[0]['error']['code'] == -32001  # the default one
    replies = post(app, [call('add', {'a': 1}, 1)], headers=USER)
    assert replies.json[0]['result'] == 1


def test_permission_validation_and_wrappers_apply_per_handler():
    seen = []

    def wrapper(next_caller):
        def wrapped(*args, **kw):
            seen.append('wrapped')
            return next_caller(*args, **kw)

        return wrapped

    def positive(request, params):
        if params.get('n', 0) < 0:
            raise Invalid({'n': 'must be positive'})
        return params

    class Mixed(Controller):
        @route('/rpc', type='json', auth='public', permission='admin')
        def admin(self):
            return 'admin'

        @route('/rpc', type='json', auth='public', validate=positive)
        def checked(self, n):
            return n

        @route(
            '/rpc', type='json', auth='public', controller_wrappers=[wrapper]
        )
        def wrapped(self):
            return 'ok'

    app = app_for(Mixed)
    batch = [
        call('admin', {}, 1),
        call('checked', {'n': -1}, 2),
        call('checked', {'n': 3}, 3),
        call('wrapped', {}, 4),
    ]
    replies = {r['id']: r for r in post(app, batch, headers=USER).json}
    assert replies[1]['error']['code'] == -32001
    assert replies[2]['error']['code'] == -32602
    assert replies[2]['error']['data'] == {'errors': {'n': 'must be positive'}}
    assert replies[3]['result'] == 3
    assert replies[4]['result'] == 'ok'
    assert seen == ['wrapped']
    admin = {'X-User': 'admin'}
    assert post(app, call('admin'), headers=admin).json['result'] == 'admin'


def test_before_call_listener_scoped_to_one_handler():
    seen = []

    def listener(request, params):
        seen.append(request.jsonrpc_call.method)

    app = app_for(
        Calc,
        setup=lambda config: config.register_hook(
            'before_call', listener, view=Calc.sub
        ),
    )
    post(app, [call('add', {'a': 1}, 1), call('sub', {'a': 1, 'b': 1}, 2)])
    assert seen == ['sub']


def test_a_handler_alone_at_its_url_answers_any_method():
    app = app_for(Calc)
    for method in ('call', 'alone', 'anything.at.all'):
        reply = post(app, call(method, {'x': 4}), url='/alone').json
        assert reply['result'] == 4
    routes = get_controller_registry(app.app.registry).routes
    # nothing to dispatch: the envelope is today's
    alone = routes['tests.test_jsonrpc_dispatch.Calc.alone'].endpoint
    assert alone.rpc_urls == {}
    add = routes['tests.test_jsonrpc_dispatch.Calc.add'].endpoint
    assert repr(add.rpc_urls['tests.test_jsonrpc_dispatch.Calc.add']) == (
        "<RpcUrl '/rpc': add, sub, calc.mul, whoami, fail>"
    )


def test_handlers_of_two_controllers_share_a_url():
    class Cart(Controller):
        @route('/shop', type='json', auth='public', rpc_method='cart.add')
        def add(self, item):
            return f'cart+{item}'

    class Wishlist(Controller):
        @route('/shop', type='json', auth='public', rpc_method='wish.add')
        def add(self, item):
            return f'wish+{item}'

    class BetterCart(Cart):
        @route()
        def add(self, item):
            return super().add(item).upper()

    app = app_for(Cart, Wishlist, BetterCart)
    batch = [
        call('cart.add', {'item': 'a'}, 1),
        call('wish.add', {'item': 'b'}, 2),
    ]
    replies = post(app, batch, url='/shop').json
    assert [r['result'] for r in replies] == ['CART+A', 'wish+b']


def test_same_url_under_two_route_prefixes_is_two_urls():
    class One(Controller):
        @route('/rpc', type='json', auth='public')
        def one(self):
            return 1

    class Two(Controller):
        @route('/rpc', type='json', auth='public')
        def two(self):
            return 2

    def include_one(config):
        config.add_controller(One)

    def include_two(config):
        config.add_controller(Two)

    def setup(config):
        config.include(include_one, '/a')
        config.include(include_two, '/b')

    app = app_for(setup=setup)
    assert post(app, call('x'), url='/a/rpc').json['result'] == 1
    assert post(app, call('x'), url='/b/rpc').json['result'] == 2


def _pair(first, second):
    class Pair(Controller):
        @route('/rpc', type='json', auth='public', **first)
        def one(self):
            return 1  # pragma: no cover

        @route('/rpc', type='json', auth='public', **second)
        def two(self):
            return 2  # pragma: no cover

    return Pair


@pytest.mark.parametrize(
    'first, second, words',
    [
        (
            {'rpc_method': 'two'},
            {},
            ["are both the JSON-RPC method 'two'", 'Pair.one', 'Pair.two'],
        ),
        (
            {'cors': '*'},
            {},
            ['differ in cors=', "('*', None)", 'Pair.one', 'Pair.two'],
        ),
        ({'max_batch': 3}, {'max_batch': 4}, ['differ in max_batch=']),
        (
            {'discover': True},
            {'discover': False},
            ['discover=True', 'discover=False', 'give one answer'],
        ),
    ],
)
def test_handlers_sharing_a_url_must_agree(first, second, words):
    config = make_config()
    config.add_controller(_pair(first, second))
    with pytest.raises(ConfigurationError) as raised:
        config.commit()
    for word in words:
        assert word in str(raised.value)
    assert 'test_jsonrpc_dispatch.py:' in str(raised.value)


def test_sharing_a_url_with_an_earlier_commit_is_an_error():
    class Later(Controller):
        @route('/rpc', type='json', auth='public')
        def later(self):
            return 0  # pragma: no cover

    config = make_config()
    config.add_controller(Calc)
    config.commit()
    config.add_controller(Later)
    with pytest.raises(ConfigurationError, match='since an earlier commit'):
        config.commit()


@pytest.mark.parametrize(
    'options, words',
    [
        ({'rpc_method': ''}, ['a JSON-RPC method name']),
        ({'rpc_method': 3}, ['a JSON-RPC method name']),
        ({'rpc_method': 'rpc.x'}, ['reserved by JSON-RPC 2.0']),
    ],
)
def test_route_validates_rpc_method(options, words):
    with pytest.raises(ConfigurationError) as raised:
        route('/rpc', type='json', **options)
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize('option', [{'rpc_method': 'x'}, {'discover': True}])
def test_rpc_options_on_an_http_route_are_errors(option):
    class Page(Controller):
        @route('/page', auth='public', **option)
        def page(self):
            return 'x'  # pragma: no cover

    config = make_config()
    config.add_controller(Page)
    with pytest.raises(ConfigurationError, match='only JSON routes take it'):
        config.commit()


# -- rpc.discover ------------------------------------------------------------


class Unknowable:
    """Not a JSON type."""


#: a default that is not JSON: not described
SENTINEL = object()


class Shop(Controller):
    @route('/api', type='json', auth='public', discover=True)
    def search(
        self,
        query: str,
        limit: int = 10,
        price: float = 0.5,
        exact: bool = False,
        tags: list[str] | None = None,
        options: dict[str, int] | None = None,
        pair: tuple = (),
        raw: list = None,  # noqa: RUF013
        thing: Unknowable = None,
        things: list[Unknowable] = (),
        named: dict[str, Unknowable] | None = None,
        anything=SENTINEL,
        *,
        page: 'int' = 1,
    ) -> list[dict]:
        """Search the catalogue.

        Returns the products."""
        return []  # pragma: no cover

    @route('/api', type='json', auth='user')
    def orders(self, **kw) -> 'NotDefinedAnywhere':  # noqa: F821
        return []  # pragma: no cover

    @route('/api', type='json', auth='public', rpc_method='cart.count')
    def count(self):
        return 3


def test_discover_answers_an_openrpc_document_of_the_callers_methods():
    app = app_for(Shop)
    document = post(app, call('rpc.discover'), url='/api').json['result']
    assert document['openrpc'].startswith('1.')
    assert document['info'] == {'title': '/api', 'version': '1.0.0'}
    names = [method['name'] for method in document['methods']]
    assert names == ['search', 'cart.count']  # orders needs a user
    search = document['methods'][0]
    assert search['summary'] == 'Search the catalogue.'
    assert search['paramStructure'] == 'by-name'
    assert search['result'] == {
        'name': 'result',
        'schema': {'type': 'array', 'items': {'type': 'object'}},
    }
    params = {param['name']: param for param in search['params']}
    assert params['query'] == {
        'name': 'query',
        'required': True,
        'schema': {'type': 'string'},
    }
    schemas = {name: param['schema'] for name, param in params.items()}
    assert schemas == {
        'query': {'type': 'string'},
        'limit': {'type': 'integer', 'default': 10},
        'price': {'type': 'number', 'default': 0.5},
        'exact': {'type': 'boolean', 'default': False},
        'tags': {
            'anyOf': [
                {'type': 'array', 'items': {'type': 'string'}},
                {'type': 'null'},
            ],
            'default': None,
        },
        'options': {
            'anyOf': [
                {
                    'type': 'object',
                    'additionalProperties': {'type': 'integer'},
                },
                {'type': 'null'},
            ],
            'default': None,
        },
        'pair': {'type': 'array', 'default': []},
        'raw': {'type': 'array', 'default': None},
        'thing': {'default': None},
        'things': {'type': 'array', 'default': []},
        'named': {
            'anyOf': [{'type': 'object'}, {'type': 'null'}],
            'default': None,
        },
        'anything': {},
        'page': {'type': 'integer', 'default': 1},
    }
    assert [p['required'] for p in search['params']].count(True) == 1
    count = document['methods'][1]
    assert 'summary' not in count
    assert count['params'] == []
    assert count['result'] == {'name': 'result', 'schema': {}}
    # a user sees orders too; its unresolvable annotation describes nothing
    document = post(app, call('rpc.discover'), url='/api', headers=USER).json
    orders = document['result']['methods'][1]
    assert orders['name'] == 'orders'
    assert orders['params'] == []
    assert orders['result'] == {'name': 'result', 'schema': {}}


def test_discover_in_a_batch_and_as_a_notification():
    app = app_for(Shop)
    batch = [
        call('orders', {}, 1),
        call('rpc.discover', {}, 2),
        call('rpc.discover', {}, None),
        call('cart.count', {}, 3),
    ]
    replies = {r['id']: r for r in post(app, batch, url='/api').json}
    assert replies[1]['error']['code'] == -32001
    assert [m['name'] for m in replies[2]['result']['methods']] == [
        'search',
        'cart.count',
    ]
    assert replies[3]['result'] == 3
    assert len(replies) == 3


class Solo(Controller):
    @route('/solo', type='json', auth='public')
    def solo(self, x=0):
        """The only one."""
        return x

    @route('/quiet', type='json', auth='public', discover=False)
    def quiet(self):
        return 'quiet'


def test_discover_setting_turns_it_on_for_every_json_url():
    app = app_for(Solo, settings={'hooks.controllers.discover': 'true'})
    document = post(app, call('rpc.discover'), url='/solo').json['result']
    assert [m['name'] for m in document['methods']] == ['solo']
    assert document['methods'][0]['summary'] == 'The only one.'
    # alone at its URL, the handler still answers any other method
    assert post(app, call('call', {'x': 2}), url='/solo').json['result'] == 2
    # discover=False opts a URL out: rpc.discover is an unknown method
    # there, as every name JSON-RPC reserves (it never runs the handler)
    reply = post(app, call('rpc.discover'), url='/quiet').json
    assert reply['error']['code'] == -32601


def test_discover_setting_is_a_strict_boolean():
    settings = {'hooks.controllers.discover': 'maybe'}
    with pytest.raises(ConfigurationError, match=r'controllers\.discover'):
        make_config(settings)


def test_dispatch_with_tracing_on():
    app = app_for(Calc, settings={'hooks.trace': 'true'})
    batch = [call('add', {'a': 1}, 1), call('sub', {'a': 1, 'b': 2}, 2)]
    assert [r['result'] for r in post(app, batch).json] == [1, -1]
