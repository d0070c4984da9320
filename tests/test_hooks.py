"""Hook namespaces, hooks and listeners through real applications."""

import inspect
import logging

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError

from pyramid_hooks import get_hooks
from pyramid_hooks.hook_specs import HookSpec
from pyramid_hooks.scopes import route_key, runtime_keys

from .conftest import make_app


def notifying_view(hook, namespace=None):
    """A view that notifies *hook* and returns what the listeners did."""

    def view(request):
        seen = []
        request.hooks.notify(hook, seen, namespace=namespace)
        return {'seen': seen}

    return view


def app_with(config, view, path='/'):
    config.add_route('r', path)
    config.add_view(view, route_name='r', renderer='json')
    return make_app(config)


def test_include_twice_and_by_setting_is_harmless():
    config = Configurator(settings={'pyramid.includes': 'pyramid_hooks'})
    config.include('pyramid_hooks')
    config.include('pyramid_hooks')
    config.register_hook('custom', lambda seen: seen.append(1))
    app = app_with(config, notifying_view('custom'))
    assert app.get('/').json == {'seen': [1]}


def test_request_hooks_is_the_registry_of_the_app(config):
    def view(request):
        same = request.hooks is get_hooks(request.registry)
        return {'same': same}

    assert app_with(config, view).get('/').json == {'same': True}


def test_default_namespace_accepts_any_name_in_registration_order(config):
    config.register_hook('custom', lambda seen: seen.append('a'))
    config.register_hook('custom', lambda seen: seen.append('b'))
    config.register_hook('custom', lambda seen: seen.append('c'))
    app = app_with(config, notifying_view('custom'))
    assert app.get('/').json == {'seen': ['a', 'b', 'c']}


def test_notify_without_listeners_is_a_no_op(config):
    app = app_with(config, notifying_view('nobody_listens'))
    assert app.get('/').json == {'seen': []}


def test_notify_refuses_keywords_it_does_not_know(config):
    """Listeners receive positional arguments only (those a declared hook
    checks at startup): a misspelt ``namespace=`` is an error, not a
    keyword handed to the listeners."""
    got = []
    config.register_hook('kw', lambda a, flag=None: got.append((a, flag)))
    config.commit()
    hooks = get_hooks(config.registry)
    with pytest.raises(TypeError, match="unexpected keyword argument 'nm'"):
        hooks.notify('kw', 1, nm='mailer')
    with pytest.raises(TypeError, match="unexpected keyword argument 'nm'"):
        hooks.default.notify('kw', 1, nm='mailer')
    hooks.notify('kw', 1)
    assert got == [(1, None)]


def test_notify_with_value_chains_every_listener(config):
    config.add_hook('price', args=('currency',), value=True)
    config.register_hook('price', lambda value, currency: value * 2)
    config.register_hook('price', lambda value, currency: value + 1)
    config.register_hook(
        'price', lambda value, currency: f'{value} {currency}'
    )

    def view(request):
        return {'price': request.hooks.notify_with_value('price', 10, 'EUR')}

    assert app_with(config, view).get('/').json == {'price': '21 EUR'}


def test_notify_with_value_scoped_to_a_view(config):
    def view(request):
        pass

    config.add_hook('title', value=True, scope='any')
    config.register_hook('title', lambda value: value.upper())
    config.register_hook('title', lambda value: value + '!', view=view)
    config.commit()
    hooks = get_hooks(config.registry)
    assert hooks.notify_with_value('title', 'hi', view=view) == 'HI!'
    assert hooks.notify_with_value('title', 'hi') == 'HI'


def test_notify_with_value_without_listeners_returns_value(config):
    config.commit()
    hooks = get_hooks(config.registry)
    assert hooks.notify_with_value('nothing', 'same') == 'same'


def test_custom_namespace_strict_and_namespace_object(config):
    config.add_hook_namespace('mailer')
    config.add_hook('sent', args=('seen',), namespace='mailer')
    config.register_hook(
        'sent', lambda seen: seen.append('sent'), namespace='mailer'
    )

    def view(request):
        seen = []
        mailer = request.hooks.namespace('mailer')
        mailer.notify('sent', seen)
        request.hooks.notify('sent', seen)  # default namespace: nobody
        return {'seen': seen, 'repr': repr(mailer)}

    assert app_with(config, view).get('/').json == {
        'seen': ['sent'],
        'repr': "<HookNamespace 'mailer'>",
    }


def test_listener_may_come_before_its_namespace_and_hook(config):
    config.register_hook(
        'sent', lambda seen: seen.append('early'), namespace='mailer'
    )
    config.add_hook('sent', args=('seen',), namespace='mailer')
    config.add_hook_namespace('mailer')
    app = app_with(config, notifying_view('sent', namespace='mailer'))
    assert app.get('/').json == {'seen': ['early']}


def test_non_strict_custom_namespace_accepts_undeclared(config):
    config.add_hook_namespace('loose', strict=False)
    config.register_hook(
        'anything', lambda seen: seen.append(1), namespace='loose'
    )
    app = app_with(config, notifying_view('anything', namespace='loose'))
    assert app.get('/').json == {'seen': [1]}


def test_strict_namespace_rejects_undeclared_hook(config):
    config.add_hook_namespace('mailer')
    config.add_hook('sent', namespace='mailer')

    def stray():
        pass

    config.register_hook('snet', stray, namespace='mailer')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    message = str(e.value)
    assert "Unknown hook 'mailer:snet'" in message
    assert 'tests.test_hooks.' in message and 'stray' in message
    assert 'test_hooks.py' in message
    assert 'declared hooks: sent' in message


def test_strict_namespace_notify_of_undeclared_name_is_an_error(config):
    config.add_hook_namespace('mailer')
    config.commit()
    hooks = get_hooks(config.registry)
    with pytest.raises(LookupError, match="Unknown hook 'mailer:nope'"):
        hooks.notify('nope', namespace='mailer')
    with pytest.raises(LookupError, match="Unknown hook 'mailer:nope'"):
        hooks.notify_with_value('nope', 1, namespace='mailer')
    # scoped to a view too: an undeclared name is still refused
    with pytest.raises(LookupError, match="Unknown hook 'mailer:nope'"):
        hooks.notify('nope', namespace='mailer', view=print)
    with pytest.raises(LookupError, match="Unknown hook 'mailer:nope'"):
        hooks.namespace('mailer').notify_with_value('nope', 1, view=print)


def test_notify_namespace_and_view_are_keyword_only_parameters(config):
    """``help(request.hooks.notify)`` shows what notify accepts: the
    namespace and view are keyword-only parameters, not hidden in
    ``**kw``."""
    config.commit()
    hooks = get_hooks(config.registry)
    for notify, names in (
        (hooks.notify, ('namespace', 'view')),
        (hooks.notify_with_value, ('namespace', 'view')),
        (hooks.default.notify, ('view',)),
        (hooks.default.notify_with_value, ('view',)),
    ):
        parameters = inspect.signature(notify).parameters
        for name in names:
            assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
            assert parameters[name].default is None


def test_undeclared_namespace_is_an_error(config):
    config.register_hook('x', print, namespace='ghost')
    with pytest.raises(ConfigurationError, match="'ghost' is not declared"):
        config.commit()


def test_unknown_namespace_at_runtime(config):
    config.commit()
    with pytest.raises(LookupError, match="Unknown hook namespace 'ghost'"):
        get_hooks(config.registry).notify('x', namespace='ghost')


@pytest.mark.parametrize(
    'hook, namespace, expected',
    [
        (
            'snet',
            'mailer',
            "Unknown hook 'mailer:snet' in the strict namespace 'mailer'; "
            "did you mean 'sent'? (a strict namespace's hooks are declared "
            "with config.add_hook('snet', namespace='mailer'))",
        ),
        (
            'sent',
            'mailr',
            "Unknown hook namespace 'mailr'; did you mean 'mailer'? (a "
            'namespace is declared with '
            "config.add_hook_namespace('mailr'))",
        ),
    ],
)
def test_a_misspelt_notification_says_what_was_meant(
    config, hook, namespace, expected
):
    """A plugin's typo at ``notify`` time was a bare ``LookupError``
    (``Unknown hook namespace 'mailr'``), where the same typo in a
    registration says what was meant and how to declare it."""
    config.add_hook_namespace('mailer')
    config.add_hook('sent', args=('seen',), namespace='mailer')
    app = app_with(config, notifying_view(hook, namespace))
    with pytest.raises(LookupError) as e:
        app.get('/')
    assert str(e.value) == expected


def test_add_hook_in_undeclared_namespace(config):
    config.add_hook('x', namespace='ghost')
    with pytest.raises(ConfigurationError, match="'ghost' is not declared"):
        config.commit()


def test_hooks_strict_setting_covers_default_namespace():
    config = Configurator(settings={'hooks.strict': 'true'})
    config.include('pyramid_hooks')
    config.add_hook('declared', args=('seen',))
    config.register_hook('declared', lambda seen: seen.append(1))
    config.register_hook('before_call', lambda request, params: None)
    config.commit()
    hooks = get_hooks(config.registry)
    seen = []
    hooks.notify('declared', seen)
    assert seen == [1]
    with pytest.raises(LookupError, match='strict'):
        hooks.notify('undeclared')

    config = Configurator(settings={'hooks.strict': 'yes'})
    config.include('pyramid_hooks')
    config.register_hook('undeclared', print)
    with pytest.raises(ConfigurationError, match="Unknown hook 'undeclared'"):
        config.commit()


def test_signature_checked_at_startup(config):
    def wrong(request):  # before_call gives (request, params)
        pass

    config.register_hook('before_call', wrong)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    message = str(e.value)
    assert 'wrong' in message
    assert "hook 'before_call' (request, params)" in message
    assert 'too many positional arguments' in message


def test_signature_checked_for_listener_registered_before_hook(config):
    config.add_hook_namespace('mailer')
    config.register_hook('sent', lambda: None, namespace='mailer')
    config.add_hook('sent', args=('message',), namespace='mailer')
    with pytest.raises(ConfigurationError, match="hook 'mailer:sent'"):
        config.commit()


def test_value_hook_signature_includes_the_value(config):
    config.add_hook('filter', args=('request',), value=True)
    config.register_hook('filter', lambda request: request)
    with pytest.raises(ConfigurationError, match=r'\(value, request\)'):
        config.commit()


def test_uninspectable_listener_is_accepted(config):
    config.add_hook('builtin', args=('seen',))
    config.register_hook('builtin', min)  # no signature to read
    config.commit()
    ns = get_hooks(config.registry).namespace()
    assert ns.registrations[0].listener is min


def test_non_callable_listener_is_an_error(config):
    with pytest.raises(ConfigurationError, match='42 is not callable'):
        config.register_hook('x', 42)


def test_dotted_name_listener_resolves_against_package():
    config = Configurator(package='tests', settings={})
    config.include('pyramid_hooks')
    config.register_hook('custom', '.listeners.append_a')
    app = app_with(config, notifying_view('custom'))
    assert app.get('/').json == {'seen': ['a']}


def test_duplicate_registration_is_a_conflict(config):
    def listener(seen):
        pass

    config.register_hook('x', listener)
    config.register_hook('x', listener)
    with pytest.raises(ConfigurationConflictError):
        config.commit()


def test_including_config_overrides_duplicate_of_include(config):
    from . import listeners

    config.include('tests.listeners.include_append_a')
    config.register_hook('custom', listeners.append_a)
    app = app_with(config, notifying_view('custom'))
    assert app.get('/').json == {'seen': ['a']}


def test_unregister_removes_an_includes_listener(config):
    config.include('tests.listeners.include_append_a')
    config.include('tests.listeners.include_append_b')
    config.unregister_hook('custom', 'tests.listeners.append_a')
    app = app_with(config, notifying_view('custom'))
    assert app.get('/').json == {'seen': ['b']}


def test_unregister_scoped_listener(config):
    from . import listeners

    def view(request):
        return {}

    config.register_hook('before_call', listeners.record_call, view=view)
    config.unregister_hook('before_call', listeners.record_call, view=view)
    config.commit()
    ns = get_hooks(config.registry).default
    assert ns.registrations == []


def test_unregister_unknown_listener_is_an_error(config):
    config.unregister_hook('custom', 'tests.listeners.append_a')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert 'append_a is not registered for that hook' in str(e.value)

    config = Configurator()
    config.include('pyramid_hooks')
    config.unregister_hook('custom', print, route_name='r')
    with pytest.raises(ConfigurationError, match="with route_name='r'"):
        config.commit()


def test_view_and_route_name_together_is_an_error(config):
    with pytest.raises(ConfigurationError, match='not both'):
        config.register_hook('before_call', print, view=print, route_name='r')


def test_bad_names(config):
    with pytest.raises(ConfigurationError, match='non-empty string'):
        config.register_hook('', print)
    with pytest.raises(ConfigurationError, match='non-empty string'):
        config.add_hook_namespace(None)
    with pytest.raises(ConfigurationError, match='non-empty string'):
        config.add_hook('x', namespace='')
    with pytest.raises(ConfigurationError, match='non-empty string'):
        config.register_hook('before_call', print, route_name=' ')


def test_add_hook_validates_its_arguments(config):
    with pytest.raises(ConfigurationError, match="got 'not an id'"):
        config.add_hook('h', args=('not an id',))
    with pytest.raises(ConfigurationError, match="got 'class'"):
        config.add_hook('h', args='class')
    with pytest.raises(ConfigurationError, match='scope must be one of'):
        config.add_hook('h', scope='everywhere')
    with pytest.raises(ConfigurationError, match='value must be True'):
        config.add_hook('h', value='yes')
    with pytest.raises(ConfigurationError, match='trap_exceptions must'):
        config.add_hook('h', trap_exceptions=1)
    with pytest.raises(ConfigurationError, match='built-in hook'):
        config.add_hook('before_call')
    with pytest.raises(ConfigurationError, match='strict must be'):
        config.add_hook_namespace('n', strict='no')


def test_single_string_args(config):
    config.add_hook('one', args='seen')
    config.register_hook('one', lambda seen: seen.append(1))
    app = app_with(config, notifying_view('one'))
    assert app.get('/').json == {'seen': [1]}


def test_duplicate_declarations_conflict(config):
    config.add_hook_namespace('mailer')
    config.add_hook_namespace('mailer')
    with pytest.raises(ConfigurationConflictError):
        config.commit()


def test_view_only_hook_registered_app_wide_is_an_error(config):
    config.add_hook('per_view', args=('request',), scope='view')
    config.register_hook('per_view', lambda request: None)
    with pytest.raises(ConfigurationError, match='only be scoped to views'):
        config.commit()


def test_app_only_hook_scoped_to_a_view_is_an_error(config):
    config.register_hook('new_request', lambda request: None, view=print)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert "'new_request' is application-wide" in str(e.value)


def test_scoped_custom_hook_notified_with_view(config):
    config.add_hook('per_view', args=('seen',), scope='view')

    class Views:
        def __init__(self, request):
            self.request = request

        def show(self):
            seen = []
            self.request.hooks.notify('per_view', seen, view=self.show)
            return {'seen': seen}

    def by_class(seen):
        seen.append('class')

    def by_method(seen):
        seen.append('method')

    config.register_hook('per_view', by_method, view=Views.show)
    config.register_hook('per_view', by_class, view=Views)
    config.add_route('r', '/')
    config.add_view(Views, attr='show', route_name='r', renderer='json')
    app = make_app(config)
    assert app.get('/').json == {'seen': ['method', 'class']}


def test_runtime_keys():
    class A:
        def m(self):
            pass

    a = A()
    assert runtime_keys(a.m) == (A.m, A)
    assert runtime_keys(A) == (A,)
    assert route_key('x') == ('route', 'x')


def test_trap_exceptions_logs_and_goes_on(config, caplog):
    config.add_hook('fragile', args=('seen',), trap_exceptions=True)
    config.add_hook('fragile_value', value=True, trap_exceptions=True)

    def broken(seen):
        raise RuntimeError('boom')

    def broken_value(value):
        raise RuntimeError('bang')

    config.register_hook('fragile', broken)
    config.register_hook('fragile', lambda seen: seen.append('after'))
    config.register_hook('fragile_value', lambda value: value + 1)
    config.register_hook('fragile_value', broken_value)
    config.register_hook('fragile_value', lambda value: value * 10)

    def view(request):
        seen = []
        request.hooks.notify('fragile', seen)
        value = request.hooks.notify_with_value('fragile_value', 1)
        return {'seen': seen, 'value': value}

    with caplog.at_level(logging.ERROR, logger='pyramid_hooks.hooks'):
        result = app_with(config, view).get('/').json
    assert result == {'seen': ['after'], 'value': 20}
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        'broken' in m and 'fragile' in m and 'trapped' in m for m in messages
    )
    assert any('broken_value' in m for m in messages)


def test_untrapped_exception_stops_remaining_listeners(config):
    def broken(seen):
        seen.append('broken')
        raise KeyError('listener key error')

    config.register_hook('custom', broken)
    config.register_hook('custom', lambda seen: seen.append('never'))
    config.commit()
    seen = []
    with pytest.raises(KeyError, match='listener key error'):
        get_hooks(config.registry).notify('custom', seen)
    assert seen == ['broken']


def test_registration_after_app_is_made_is_an_error(config):
    config.make_wsgi_app()
    with pytest.raises(ConfigurationError, match='already made'):
        config.register_hook('custom', print)
    with pytest.raises(ConfigurationError, match='already made'):
        config.add_hook('late')
    with pytest.raises(ConfigurationError, match='already made'):
        config.add_hook_namespace('late')
    with pytest.raises(ConfigurationError, match='already made'):
        config.unregister_hook('custom', print)


def test_two_apps_never_see_each_others_listeners():
    apps = []
    for label in ('one', 'two'):
        config = Configurator()
        config.include('pyramid_hooks')
        config.register_hook(
            'custom', lambda seen, label=label: seen.append(label)
        )
        apps.append(app_with(config, notifying_view('custom')))
    assert apps[0].get('/').json == {'seen': ['one']}
    assert apps[1].get('/').json == {'seen': ['two']}
    assert apps[0].get('/').json == {'seen': ['one']}


def test_autocommit_registration_before_declaration():
    config = Configurator(autocommit=True)
    config.include('pyramid_hooks')
    config.register_hook('other', lambda: None, namespace='mailer')
    config.register_hook('sent', lambda: None, namespace='mailer')
    with pytest.raises(LookupError, match="namespace 'mailer'"):
        get_hooks(config.registry).notify('sent', namespace='mailer')
    config.add_hook_namespace('mailer', strict=False)
    config.add_hook_namespace('empty')
    config.add_hook_namespace('empty')  # autocommit: no conflict detection
    with pytest.raises(ConfigurationError, match="hook 'mailer:sent'"):
        config.add_hook('sent', args=('x',), namespace='mailer')


def test_reprs(config):
    config.add_hook('h', args=('a',), value=True, scope='any')
    config.register_hook('h', print, route_name='r')
    config.commit()
    hooks = get_hooks(config.registry)
    assert repr(hooks) == "<HookRegistry namespaces=['']>"
    assert repr(hooks.default) == "<HookNamespace '(default)'>"
    spec = hooks.default.specs['h']
    assert repr(spec) == '<HookSpec h(value, a) scope=any>'
    assert repr(HookSpec('x', namespace='ns')) == (
        '<HookSpec ns:x() scope=app>'
    )
    registration = hooks.default.registrations[0]
    assert "scoped to ('route', 'r')" in repr(registration)


# -- notify: the listeners of a hook called in a loop --------------------


def notify_view(hook, *args, **kw):
    """A view that notifies *hook* with *args* and reports what it got:
    ``{'ok': True}`` or the error's type and message."""

    def view(request):
        try:
            request.hooks.notify(hook, *args, **kw)
        except TypeError as e:
            return {'error': str(e)}
        return {'ok': True}

    return view


def test_notify_calls_listeners_in_order(config):
    calls = []

    def first(request, params):
        calls.append(('first', params))

    def second(a, b):
        calls.append(('second', b))

    def third(x, y, *, flag=True):
        calls.append(('third', y, flag))

    for listener in (first, second, third):
        config.register_hook('custom', listener)
    app = app_with(config, notify_view('custom', 'req', {'q': 1}))
    assert app.get('/').json == {'ok': True}
    assert calls == [
        ('first', {'q': 1}),
        ('second', {'q': 1}),
        ('third', {'q': 1}, True),
    ]


def test_notify_with_the_wrong_number_of_arguments(config):
    """A listener notified with too many or too few arguments raises its
    own TypeError, so no listener of that hook runs; the right number
    runs every listener."""
    calls = []

    def one(request):
        calls.append(('one', request))

    def none():
        calls.append('none')

    config.register_hook('two', lambda a, b: calls.append(1))
    config.register_hook('two', lambda a, b: calls.append(2))
    config.register_hook('one', one)
    config.register_hook('none', none)
    notifications = {
        '/': ('one', 'r'),
        '/zero': ('none',),
        '/three': ('two', 1, 2, 3),
        '/too-few': ('two', 1),
        '/extra': ('none', 'x'),
        '/missing': ('one',),
    }
    for path, notification in notifications.items():
        config.add_route(path, path)
        config.add_view(
            notify_view(*notification), route_name=path, renderer='json'
        )
    app = make_app(config)
    assert app.get('/').json == {'ok': True}
    assert app.get('/zero').json == {'ok': True}
    errors = {
        '/three': 'takes 2 positional arguments but 3 were given',
        '/too-few': "missing 1 required positional argument: 'b'",
        '/extra': 'none() takes 0 positional arguments but 1 was given',
        '/missing': "one() missing 1 required positional argument: 'request'",
    }
    for path, error in errors.items():
        assert error in app.get(path).json['error']
    assert calls == [('one', 'r'), 'none']


def test_notify_listeners_of_mixed_or_variable_arity(config):
    """Listeners with ``*args``, defaults, callables that are not plain
    functions or different arities get the arguments as given."""
    calls = []

    class Callable:
        def __call__(self, *args):
            calls.append(('instance', args))

    def with_default(a, b=None):
        calls.append(('default', a, b))

    def star(*args):
        calls.append(('star', args))

    def required_keyword(a, *, must):  # pragma: no cover - never called
        raise AssertionError

    config.register_hook('mixed', with_default)
    config.register_hook('mixed', star)
    config.register_hook('mixed', Callable())
    config.register_hook('keyword', required_keyword)
    config.add_route('one', '/one')
    config.add_view(notify_view('mixed', 1), route_name='one', renderer='json')
    config.add_route('kw', '/kw')
    config.add_view(
        notify_view('keyword', 1), route_name='kw', renderer='json'
    )
    app = app_with(config, notify_view('mixed', 1, 2))
    assert app.get('/').json == {'ok': True}
    assert app.get('/one').json == {'ok': True}
    assert calls == [
        ('default', 1, 2),
        ('star', (1, 2)),
        ('instance', (1, 2)),
        ('default', 1, None),
        ('star', (1,)),
        ('instance', (1,)),
    ]
    # the listener's own TypeError, as for a plain loop
    assert 'must' in app.get('/kw').json['error']


def test_notify_with_view_runs_app_wide_then_scoped_listeners(config):
    calls = []

    def target(request):  # pragma: no cover - only a scope key
        raise AssertionError

    def scoped(request, params=None):
        calls.append(('scoped', request, params))

    def app_wide(request, params=None):
        calls.append(('app', request, params))

    config.register_hook('custom', scoped, view=target)
    config.register_hook('custom', app_wide)
    config.add_route('plain', '/plain')
    config.add_view(
        notify_view('custom', 'r', 'p'), route_name='plain', renderer='json'
    )
    app = app_with(config, notify_view('custom', 'r', view=target))
    assert app.get('/').json == {'ok': True}
    assert app.get('/plain').json == {'ok': True}
    assert calls == [
        ('app', 'r', None),
        ('scoped', 'r', None),
        ('app', 'r', 'p'),
    ]


def test_unregister_rebuilds_the_hook(config):
    calls = []

    def a(request):
        calls.append('a')

    def b(request):
        calls.append('b')

    config.register_hook('custom', a)
    config.register_hook('custom', b)
    config.commit()
    config.unregister_hook('custom', a)
    app = app_with(config, notify_view('custom', 'r'))
    assert app.get('/').json == {'ok': True}
    assert calls == ['b']


def test_unregister_leaves_the_other_hooks_listeners(config):
    calls = []

    def a(request):
        calls.append('a')

    def b(request):
        calls.append('b')

    config.register_hook('custom', a)
    config.register_hook('other', b)
    config.register_hook('custom', b)
    config.commit()
    config.unregister_hook('custom', a)
    config.add_route('other', '/other')
    config.add_view(
        notify_view('other', 'r'), route_name='other', renderer='json'
    )
    app = app_with(config, notify_view('custom', 'r'))
    assert app.get('/').json == {'ok': True}
    assert app.get('/other').json == {'ok': True}
    assert calls == ['b', 'b']


def test_many_listeners_of_one_hook_run_in_order_every_time(config):
    """A hundred listeners of one hook, notified twice: each time all of
    them, in registration order."""
    calls = []

    def make(i):
        def listener(request):
            calls.append(i)

        return listener

    for i in range(100):
        config.register_hook('custom', make(i))
    app = app_with(config, notify_view('custom', 'r'))
    assert app.get('/').json == {'ok': True}
    assert app.get('/').json == {'ok': True}
    assert calls == list(range(100)) * 2
