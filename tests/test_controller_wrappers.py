"""Controller wrappers: ``config.add_controller_wrapper``, the
``controller_wrappers=`` view option, ``@controller_wrapper`` and the
``hooks.controller_wrappers`` setting, driven through real Pyramid
applications with WebTest.

Items ``TG n`` port the TurboGears 2.5 tests listed in
``reference/turbogears.md`` (c).
"""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import ApplicationWrapper, Invalid, WrapperInfo
from pyramid_hooks.pipeline import PIPELINE
from pyramid_hooks.wrapper_chains import compose_controller_wrappers
from tests import wrappers_scan_fixture as scanned

HERE = __name__


def logging_wrapper(label, log):
    """A controller wrapper that logs around the call it wraps."""

    def wrapper(next_caller):
        def call(context, request):
            log.append(f'>{label}')
            try:
                result = next_caller(context, request)
            except Exception as e:
                log.append(f'!{label}:{type(e).__name__}')
                raise
            log.append(f'<{label}')
            return result

        return call

    wrapper.__qualname__ = wrapper.__name__ = f'wrapper_{label}'
    return wrapper


def hi(request):
    return 'HI!'


def other(request):
    return 'other'


def make_config(settings=None, log=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')

    def test(request):
        if log is not None:
            log.append('view')
        return {'answer': 'HI!'}

    config.add_route('test', '/test')
    config.add_view(test, route_name='test', renderer='json')
    config.add_route('hi', '/hi')
    config.add_view(hi, route_name='hi', renderer='string')
    config.add_route('other', '/other')
    config.add_view(other, route_name='other', renderer='string')
    return config


# -- module-level wrappers, for dotted names ------------------------------

SETTING_LOG = []
setting_first = logging_wrapper('setting_first', SETTING_LOG)
setting_second = logging_wrapper('setting_second', SETTING_LOG)


def exclaim(next_caller):
    def call(context, request):
        return next_caller(context, request) + '!'

    return call


class Suffix:
    """A class is a wrapper factory too: ``Suffix(next_caller, info)``."""

    def __init__(self, next_caller, info):
        self.next_caller = next_caller
        self.route_name = info.route_name

    def __call__(self, context, request):
        return f'{self.next_caller(context, request)} via {self.route_name}'


# -- the TurboGears scenarios ---------------------------------------------


def test_compose_without_wrappers_returns_the_caller():
    """TG 24: with no wrapper the caller is the view itself; with a
    pass-through wrapper it is what the wrapper returned."""
    config = Configurator()
    winfo = WrapperInfo(hi, {}, config.registry)

    def caller(context, request):  # pragma: no cover - never called
        raise AssertionError

    assert compose_controller_wrappers(caller, (), (), winfo) is caller
    made = []

    def passthrough(next_caller):
        def call(context, request):  # pragma: no cover - never called
            return next_caller(context, request)

        made.append(call)
        return call

    assert (
        compose_controller_wrappers(
            caller, (), ((passthrough, 1, None),), winfo
        )
        is (made[0])
    )


def test_global_controller_wrapper():
    """TG 25."""
    log = []
    config = make_config(log=log)
    config.add_controller_wrapper(logging_wrapper('A', log))
    app = TestApp(config.make_wsgi_app())
    assert app.get('/test').json == {'answer': 'HI!'}
    assert log == ['>A', 'view', '<A']


def test_multiple_global_controller_wrappers_last_registered_outermost():
    """TG 26, with the order asserted."""
    log = []
    config = make_config(log=log)
    for label in 'ABC':
        config.add_controller_wrapper(logging_wrapper(label, log))
    app = TestApp(config.make_wsgi_app())
    app.get('/test')
    assert log == ['>C', '>B', '>A', 'view', '<A', '<B', '<C']


def test_dedicated_controller_wrapper():
    """TG 27/28: a wrapper scoped to one view callable."""
    log = []
    config = make_config()
    config.add_controller_wrapper(logging_wrapper('hi', log), view=hi)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hi').text == 'HI!'
    assert app.get('/other').text == 'other'
    assert log == ['>hi', '<hi']


def test_dedicated_controller_wrapper_by_dotted_names():
    config = make_config()
    config.add_controller_wrapper(f'{HERE}.exclaim', view=f'{HERE}.hi')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hi').text == 'HI!!'
    assert app.get('/other').text == 'other'


def test_mixed_controller_wrappers_order():
    """TG 29, with TurboGears' checked order: app-wide A then B, scoped a
    then b, then the view's own option wrappers o1, o2 give
    ``o2 o1 b a B A view``."""
    log = []
    config = Configurator()
    config.include('pyramid_hooks')

    def view(request):
        log.append('view')
        return 'done'

    config.add_route('mixed', '/mixed')
    config.add_view(
        view,
        route_name='mixed',
        renderer='string',
        controller_wrappers=[
            logging_wrapper('o1', log),
            logging_wrapper('o2', log),
        ],
    )
    config.add_controller_wrapper(logging_wrapper('A', log))
    config.add_controller_wrapper(logging_wrapper('a', log), view=view)
    config.add_controller_wrapper(logging_wrapper('B', log))
    config.add_controller_wrapper(
        logging_wrapper('b', log), route_name='mixed'
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/mixed').text == 'done'
    assert log == [
        *('>o2', '>o1', '>b', '>a', '>B', '>A'),
        'view',
        *('<A', '<B', '<a', '<b', '<o1', '<o2'),
    ]


def test_same_wrapper_twice_is_a_conflict():
    """TG 30 accumulates a wrapper registered twice; here it is a
    configuration conflict, and each app has its own list."""
    log = []
    wrapper = logging_wrapper('A', log)
    config = make_config()
    config.add_controller_wrapper(wrapper)
    config.add_controller_wrapper(wrapper)
    with pytest.raises(ConfigurationConflictError):
        config.commit()

    for _ in range(2):
        config = make_config()
        config.add_controller_wrapper(wrapper)
        TestApp(config.make_wsgi_app()).get('/hi')
    assert log == ['>A', '<A', '>A', '<A']


def test_include_path_override_resolves_a_duplicate():
    log = []
    wrapper = logging_wrapper('A', log)

    def plugin(config):
        config.add_controller_wrapper(wrapper, view=hi)

    config = make_config()
    config.include(plugin)
    config.add_controller_wrapper(wrapper, view=hi)
    TestApp(config.make_wsgi_app()).get('/hi')
    assert log == ['>A', '<A']


def test_registering_after_the_app_was_made():
    """TG 7/8 warn or apply at once; here both scopes are errors."""
    config = make_config()
    config.make_wsgi_app()
    for kw in ({}, {'view': hi}):
        with pytest.raises(ConfigurationError) as e:
            config.add_controller_wrapper(exclaim, **kw)
        assert 'the WSGI application was already made' in str(e.value)
        assert f'{HERE}.exclaim' in str(e.value)


def test_none_is_not_a_wrapper():
    """TG 8 fails with a TypeError at once; here a ConfigurationError."""
    config = make_config()
    with pytest.raises(ConfigurationError) as e:
        config.add_controller_wrapper(None)
    assert 'None is not callable' in str(e.value)


def test_wrapper_with_a_bad_signature():
    def three(next_caller, info, extra):  # pragma: no cover - refused
        return next_caller

    config = make_config()
    with pytest.raises(ConfigurationError) as e:
        config.add_controller_wrapper(three)
    assert 'wrapper(next_caller) or wrapper(next_caller, info)' in str(e.value)
    assert 'three' in str(e.value)


def test_view_and_route_name_together():
    config = make_config()
    with pytest.raises(ConfigurationError) as e:
        config.add_controller_wrapper(exclaim, view=hi, route_name='hi')
    assert 'give view= or route_name=, not both' in str(e.value)


def test_wrapper_returning_a_non_callable_fails_at_startup():
    def bad(next_caller):
        return None

    config = make_config()
    config.add_controller_wrapper(bad, view=hi)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert 'bad returned None for view' in str(e.value)
    assert 'it must return call(context, request)' in str(e.value)


class RequestIdWrapper(ApplicationWrapper):
    """An application wrapper, given where a controller wrapper belongs."""

    def __call__(self, request):
        return self.next_handler(request)


@pytest.mark.parametrize(
    'settings, register',
    [
        (
            {'hooks.controller_wrappers': f'{HERE}.RequestIdWrapper'},
            lambda config: None,
        ),
        ({}, lambda config: config.add_controller_wrapper(RequestIdWrapper)),
        (
            {},
            lambda config: config.add_view(
                hi, name='mine', controller_wrappers=[RequestIdWrapper]
            ),
        ),
    ],
    ids=['setting', 'directive', 'view-option'],
)
def test_an_application_wrapper_given_as_a_controller_wrapper_fails_at_startup(
    settings, register
):
    """``hooks.controller_wrappers = myapp.wrappers.RequestId`` (the
    setting above ``hooks.application_wrappers``, the wrong one): the class
    takes two arguments, as a controller wrapper does, so it was accepted
    and every request was a 500 (``__call__() takes 2 positional arguments
    but 3 were given``)."""
    with pytest.raises(ConfigurationError) as e:
        config = make_config(settings)
        register(config)
        TestApp(config.make_wsgi_app()).get('/hi')
    message = str(e.value)
    assert f'{HERE}.RequestIdWrapper is an application wrapper' in message
    assert 'config.add_application_wrapper' in message
    assert 'hooks.application_wrappers' in message


# -- what a wrapper may do --------------------------------------------------


def test_short_circuit_and_before_render_sees_the_wrappers_result():
    log = []

    def cached(next_caller):
        def call(context, request):
            if 'cached' in request.params:
                return {'answer': 'from cache'}
            return next_caller(context, request)

        return call

    config = make_config(log=log)
    config.add_controller_wrapper(cached)
    config.register_hook(
        'before_render',
        lambda request, params, output: log.append(('render', dict(output))),
    )
    config.register_hook(
        'after_render',
        lambda request, response: log.append(('after', response.json)),
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/test?cached=1').json == {'answer': 'from cache'}
    assert log == [
        ('render', {'answer': 'from cache'}),
        ('after', {'answer': 'from cache'}),
    ]


def test_wrapper_changes_the_raw_result():
    def add_key(next_caller):
        def call(context, request):
            result = next_caller(context, request)
            result['wrapped'] = True
            return result

        return call

    config = make_config()
    config.add_controller_wrapper(add_key, route_name='test')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/test').json == {'answer': 'HI!', 'wrapped': True}


def test_wrapper_may_return_a_response():
    def deny(next_caller):
        def call(context, request):
            return Response('denied', status=401)

        return call

    config = make_config()
    config.add_controller_wrapper(deny, view=hi)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hi', status=401).text == 'denied'


class Teapot(Exception):
    pass


def test_exceptions_raised_in_wrappers_unwind_and_are_rendered():
    log = []

    def forbid(next_caller):
        def call(context, request):
            log.append('forbid')
            raise HTTPForbidden('wrapper says no')

        return call

    def teapot(next_caller):
        def call(context, request):
            raise Teapot('short and stout')

        return call

    config = make_config(log=log)
    config.add_controller_wrapper(forbid, view=hi)
    config.add_controller_wrapper(logging_wrapper('outer', log), view=hi)
    config.add_controller_wrapper(teapot, route_name='other')
    config.add_exception_view(
        lambda exc, request: Response(str(exc), status=418), context=Teapot
    )
    app = TestApp(config.make_wsgi_app())
    assert 'wrapper says no' in app.get('/hi', status=403).text
    assert log == ['>outer', 'forbid', '!outer:HTTPForbidden']
    assert app.get('/other', status=418).text == 'short and stout'


def test_exception_from_the_view_unwinds_the_wrappers():
    log = []

    def fail(request):
        raise Teapot('from the view')

    config = make_config()
    config.add_route('fail', '/fail')
    config.add_view(fail, route_name='fail')
    config.add_exception_view(
        lambda exc, request: Response(str(exc), status=418), context=Teapot
    )
    config.add_controller_wrapper(logging_wrapper('A', log), view=fail)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/fail', status=418).text == 'from the view'
    assert log == ['>A', '!A:Teapot']


def test_exception_views_get_only_wrappers_scoped_to_them():
    """An app-wide wrapper never wraps an exception view (it could break
    the error page); a wrapper scoped to the exception view does."""
    log = []

    def fail(request):
        raise Teapot('teapot')

    def caught(exc, request):
        return Response('caught', status=418)

    config = make_config()
    config.add_route('fail', '/fail')
    config.add_view(fail, route_name='fail')
    config.add_exception_view(caught, context=Teapot)
    config.add_controller_wrapper(logging_wrapper('app-wide', log))
    config.add_controller_wrapper(logging_wrapper('excview', log), view=caught)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/fail', status=418).text == 'caught'
    assert log == [
        '>app-wide',
        '!app-wide:Teapot',
        '>excview',
        '<excview',
    ]


# -- information and opting out ---------------------------------------------


def test_info_contents():
    seen = []

    def inspect_info(next_caller, info):
        seen.append(info)
        return next_caller

    class Pages:
        def __init__(self, request):
            self.request = request

        def page(self):
            return 'page'

    config = make_config(settings={'site': 'demo'})
    config.add_route('page', '/page')
    config.add_view(
        Pages, attr='page', route_name='page', name='', renderer='string'
    )
    config.add_view(hi, name='named', renderer='string')
    config.add_controller_wrapper(inspect_info)
    config.commit()
    by_view = {(i.view, i.name): i for i in seen}
    info = by_view[(Pages, '')]
    assert info.attr == 'page'
    assert info.route_name == 'page'
    assert info.options['route_name'] == 'page'
    assert info.options['renderer'] is not None
    assert info.registry is config.registry
    assert info.settings['site'] == 'demo'
    assert repr(info) == (
        f'<WrapperInfo view={Pages.__module__}.{Pages.__qualname__} '
        "attr='page' route_name='page'>"
    )
    named = by_view[(hi, 'named')]
    assert named.attr is None
    assert named.route_name is None
    default = by_view[(hi, '')]
    assert default.name == ''
    assert default.route_name == 'hi'


def _probe_derivers(config, seen):
    """Two view derivers right around the pipeline deriver (the controller
    wrappers' with the lifecycle's and the render-call hooks'): what it
    received and what it returned, per route."""

    def below(view, info):
        seen.setdefault(info.options.get('route_name'), {})['in'] = view
        return view

    def above(view, info):
        seen.setdefault(info.options.get('route_name'), {})['out'] = view
        return view

    config.add_view_deriver(
        below,
        name='probe_below',
        under=PIPELINE,
        over='mapped_view',
    )
    config.add_view_deriver(
        above, name='probe_above', under='rendered_view', over=PIPELINE
    )


def test_opting_out_leaves_the_view_unchanged():
    """A wrapper factory returning ``next_caller`` costs nothing: the
    deriver returns the very object it received."""
    log = []

    def only_hi(next_caller, info):
        if info.view is not hi:
            return next_caller
        return logging_wrapper('hi', log)(next_caller)

    seen = {}
    config = make_config()
    _probe_derivers(config, seen)
    config.add_controller_wrapper(only_hi)
    app = TestApp(config.make_wsgi_app())
    assert seen['other']['out'] is seen['other']['in']
    assert seen['hi']['out'] is not seen['hi']['in']
    app.get('/other')
    app.get('/hi')
    assert log == ['>hi', '<hi']


def test_no_wrapper_keeps_pyramids_pipeline():
    seen = {}
    config = make_config()
    _probe_derivers(config, seen)
    config.add_controller_wrapper(exclaim, view=hi)
    config.commit()
    assert seen['test']['out'] is seen['test']['in']
    assert seen['other']['out'] is seen['other']['in']
    assert seen['hi']['out'] is not seen['hi']['in']


# -- class-based views ------------------------------------------------------


class Greeter:
    def __init__(self, request):
        self.request = request

    def hello(self):
        return 'hello'

    def bye(self):
        return 'bye'


def _greeter_config():
    config = Configurator()
    config.include('pyramid_hooks')
    for attr in ('hello', 'bye'):
        config.add_route(attr, f'/{attr}')
        config.add_view(Greeter, attr=attr, route_name=attr, renderer='string')
    return config


def test_class_scope_wraps_every_attr():
    config = _greeter_config()
    config.add_controller_wrapper(exclaim, view=Greeter)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hello').text == 'hello!'
    assert app.get('/bye').text == 'bye!'


def test_method_scope_wraps_that_attr_only():
    config = _greeter_config()
    config.add_controller_wrapper(exclaim, view=Greeter.hello)
    config.add_controller_wrapper(Suffix, view=f'{HERE}.Greeter.bye')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hello').text == 'hello!'
    assert app.get('/bye').text == 'bye via bye'


# -- the view option, the decorator and the setting -------------------------


def test_controller_wrappers_option():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('one', '/one')
    config.add_view(
        hi, route_name='one', renderer='string', controller_wrappers=exclaim
    )
    config.add_route('dotted', '/dotted')
    config.add_view(
        hi,
        route_name='dotted',
        renderer='string',
        controller_wrappers=f'{HERE}.Suffix',
    )
    config.add_route('two', '/two')
    config.add_view(
        hi,
        route_name='two',
        renderer='string',
        controller_wrappers=[f'{HERE}.exclaim', Suffix],
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/one').text == 'HI!!'
    assert app.get('/dotted').text == 'HI! via dotted'
    assert app.get('/two').text == 'HI!! via two'


@pytest.mark.parametrize(
    ('option', 'message'),
    [
        (f'{HERE}.missing', f"cannot import '{HERE}.missing'"),
        ([42], 'must be a callable or its dotted name, got 42'),
        (
            [lambda a, b, c: None],
            'must accept (next_caller) or (next_caller, info)',
        ),
    ],
)
def test_controller_wrappers_option_errors(option, message):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_view(hi, renderer='string', controller_wrappers=option)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert message in str(e.value)
    assert 'controller_wrappers= of view' in str(e.value)


def test_decorator_after_scan():
    scanned.LOG.clear()
    config = Configurator()
    config.include('pyramid_hooks')
    for route in ('scanned', 'method', 'other'):
        config.add_route(route, f'/{route}')
    config.scan(scanned)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/scanned').text == 'scanned'
    assert scanned.LOG == ['>outer', '>inner', 'view', '<inner', '<outer']
    scanned.LOG.clear()
    assert app.get('/method').text == 'method'
    assert app.get('/other').text == 'other'
    assert scanned.LOG == ['>method', 'method', '<method', 'other']


def test_decorator_registration_points_at_the_decorated_line():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('scanned', '/scanned')
    config.add_route('method', '/method')
    config.add_route('other', '/other')
    config.scan(scanned)
    config.commit()
    intrs = config.registry.introspector.get_category(
        'pyramid_hooks controller wrappers'
    )
    where = {
        i['introspectable']['wrapper']: i['introspectable'].action_info
        for i in intrs
    }
    assert where[scanned.METHOD].file.endswith('wrappers_scan_fixture.py')
    assert 'controller_wrapper(METHOD)' in where[scanned.METHOD].src


def test_setting_controller_wrappers():
    """``hooks.controller_wrappers``: app-wide, in order (the last
    outermost), registered by the include, so the wrappers added in code
    afterwards wrap them."""
    SETTING_LOG.clear()
    config = make_config(
        settings={
            'hooks.controller_wrappers': f'{HERE}.setting_first '
            f'{HERE}.setting_second'
        },
        log=SETTING_LOG,
    )
    config.add_controller_wrapper(logging_wrapper('code', SETTING_LOG))
    app = TestApp(config.make_wsgi_app())
    app.get('/test')
    assert SETTING_LOG == [
        '>code',
        '>setting_second',
        '>setting_first',
        'view',
        '<setting_first',
        '<setting_second',
        '<code',
    ]


def test_setting_with_a_bad_name():
    with pytest.raises(ConfigurationError) as e:
        make_config(settings={'hooks.controller_wrappers': 'nope.nope'})
    assert "hooks.controller_wrappers: cannot import 'nope.nope'" in str(
        e.value
    )


def test_two_apps_in_one_process():
    log = []
    first = make_config()
    first.add_controller_wrapper(logging_wrapper('first', log))
    second = make_config()
    second.add_controller_wrapper(logging_wrapper('second', log), view=hi)
    app1 = TestApp(first.make_wsgi_app())
    app2 = TestApp(second.make_wsgi_app())
    app1.get('/hi')
    app2.get('/hi')
    app2.get('/other')
    app1.get('/other')
    assert log == [
        *('>first', '<first'),
        *('>second', '<second'),
        *('>first', '<first'),
    ]


def test_error_handler_keeps_its_wrappers():
    """TG 38: on a validation failure the error handler runs with its own
    before_call listeners and controller wrappers (and the app-wide
    ones)."""
    log = []

    def validator(request, params):
        if not params.get('uid', '').isdigit():
            raise Invalid({'uid': 'not a number'})
        return params

    def handler(request):
        return f'UID: {request.params["uid"]}, NUM: {request.num}'

    def append_x(next_caller):
        def call(context, request):
            return next_caller(context, request) + 'X'

        return call

    def view(request):
        return 'valid'

    def set_num(request, params):
        request.num = params.setdefault('num', 5)

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('validated', '/validated')
    config.add_view(
        view,
        route_name='validated',
        renderer='string',
        validate=validator,
        error_handler=handler,
    )
    config.register_hook('before_call', set_num, view=handler)
    config.add_controller_wrapper(append_x, view=handler)
    config.add_controller_wrapper(logging_wrapper('app', log))
    app = TestApp(config.make_wsgi_app())
    assert app.post('/validated', {'uid': 'NaN'}).text == 'UID: NaN, NUM: 5X'
    assert app.post('/validated', {'uid': '7'}).text == 'valid'
    assert log == ['>app', '<app', '>app', '<app']


def test_introspectable():
    config = make_config()
    config.add_controller_wrapper(exclaim, route_name='hi')
    config.commit()
    [intr] = config.registry.introspector.get_category(
        'pyramid_hooks controller wrappers'
    )
    intr = intr['introspectable']
    assert intr['wrapper'] is exclaim
    assert intr['route_name'] == 'hi'
    assert intr['view'] is None
    assert intr.title == f'{HERE}.exclaim'


def test_a_wrapper_without_a_readable_signature_gets_next_caller():
    """A builtin whose signature cannot be read is called with
    ``next_caller`` only (``staticmethod(f)`` is a callable pass-through
    since Python 3.10)."""
    config = make_config()
    config.add_controller_wrapper(staticmethod)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/hi').text == 'HI!'


class Unhashable:
    """A view instance that cannot be a scope key."""

    __hash__ = None

    def __call__(self, request):
        return 'unhashable'

    def page(self, request):
        return 'instance page'


class Dynamic:
    """A class-based view whose method is made by ``__getattr__``."""

    def __init__(self, request):
        self.request = request

    def __getattr__(self, name):
        return lambda: f'dynamic {name}'


def test_unusual_views_get_app_wide_and_route_wrappers():
    config = Configurator()
    config.include('pyramid_hooks')
    views = [
        ('unhashable', Unhashable(), None),
        ('instance', Unhashable(), 'page'),
        ('dynamic', Dynamic, 'page'),
    ]
    for route, view, attr in views:
        config.add_route(route, f'/{route}')
        config.add_view(view, attr=attr, route_name=route, renderer='string')
    config.add_controller_wrapper(exclaim)
    config.add_controller_wrapper(Suffix, route_name='dynamic')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/unhashable').text == 'unhashable!'
    assert app.get('/instance').text == 'instance page!'
    assert app.get('/dynamic').text == 'dynamic page! via dynamic'
