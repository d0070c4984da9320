"""Application wrappers: ``config.add_application_wrapper``, the tween and
the chain order, driven through real Pyramid applications with WebTest.

Items ``TG n`` port the TurboGears 2.5 tests listed in
``reference/turbogears.md`` (c).
"""

import functools

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from webtest import TestApp

import pyramid_hooks
from pyramid_hooks import ApplicationWrapper
from pyramid_hooks.config.application_wrappers import ApplicationWrappers
from pyramid_hooks.interfaces import IApplicationWrappers
from pyramid_hooks.wrappers import (
    TWEEN_NAME,
    application_wrappers_tween_factory,
)

HERE = __name__


def make_config(settings=None, log=None):
    """A configuration with pyramid_hooks and a few views."""
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')

    def home(request):
        if log is not None:
            log.append('view')
        return Response('HI!')

    def fail(request):
        raise ValueError('boom')

    def forbid(request):
        raise HTTPForbidden()

    def unhandled(request):
        raise KeyError('nobody renders me')

    def value_error_view(exc, request):
        return Response(f'oops: {exc}', status=500)

    config.add_route('home', '/')
    config.add_view(home, route_name='home')
    config.add_route('fail', '/fail')
    config.add_view(fail, route_name='fail')
    config.add_route('forbid', '/forbid')
    config.add_view(forbid, route_name='forbid')
    config.add_route('unhandled', '/unhandled')
    config.add_view(unhandled, route_name='unhandled')
    config.add_exception_view(value_error_view, context=ValueError)
    return config


def recording(label, log):
    """An ApplicationWrapper class that logs the request on the way in and
    the response status on the way out."""

    class Recorder(ApplicationWrapper):
        def __call__(self, request):
            log.append(f'>{label}')
            try:
                response = self.next_handler(request)
            except Exception as e:
                log.append(f'!{label}:{type(e).__name__}')
                raise
            log.append(f'<{label}:{response.status_int}')
            return response

    Recorder.__name__ = Recorder.__qualname__ = f'Recorder{label}'
    Recorder.__module__ = HERE
    return Recorder


# -- module-level wrappers, for dotted names ------------------------------

SETTINGS_LOG = []


class SettingsOuter(ApplicationWrapper):
    def __call__(self, request):
        SETTINGS_LOG.append('>SettingsOuter')
        return self.next_handler(request)


class SettingsInner(ApplicationWrapper):
    def __call__(self, request):
        SETTINGS_LOG.append('>SettingsInner')
        return self.next_handler(request)


class AppWrapperTest(ApplicationWrapper):
    """TG 33: answers by itself."""

    def __call__(self, request):
        return Response('AppWrapper #1')


class Replacement(ApplicationWrapper):
    def __call__(self, request):
        return Response('AppWrapper #2')


class Optional(ApplicationWrapper):
    """Left out of the chain unless ``optional.enabled`` is set."""

    constructed = 0

    def __init__(self, next_handler, registry):
        super().__init__(next_handler, registry)
        type(self).constructed += 1
        self.enabled = self.settings.get('optional.enabled') == 'yes'

    @property
    def injected(self):
        return self.enabled

    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-Optional'] = 'yes'
        return response


# -- running wrappers -----------------------------------------------------


def test_application_wrapper_setup():
    """TG 31: one wrapper runs around the request and sees the registry."""
    seen = {}

    class Visit(ApplicationWrapper):
        def __call__(self, request):
            seen['registry'] = request.registry is self.registry
            seen['settings'] = self.settings['answer']
            return self.next_handler(request)

    config = make_config(settings={'answer': '42'})
    config.add_application_wrapper(Visit)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').text == 'HI!'
    assert seen == {'registry': True, 'settings': '42'}


def test_tg_ordering_after_is_the_runtime_order():
    """TG 32: register 2; 4 after 3; 3; 1 after=False; 5 after 3 gives the
    chain 1 2 3 4 5 innermost first: the request enters 5 4 3 2 1 and the
    response comes back through 1 2 3 4 5."""
    log = []
    w = {n: recording(n, log) for n in range(1, 6)}
    config = make_config(log=log)
    config.add_application_wrapper(w[2])
    config.add_application_wrapper(w[4], after=w[3])
    config.add_application_wrapper(w[3])
    config.add_application_wrapper(w[1], after=False)
    config.add_application_wrapper(w[5], after=w[3])
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').text == 'HI!'
    assert log == [
        *('>5', '>4', '>3', '>2', '>1'),
        'view',
        *('<1:200', '<2:200', '<3:200', '<4:200', '<5:200'),
    ]
    wrappers = config.registry.getUtility(IApplicationWrappers)
    assert [r.factory for r in wrappers.ordered()] == [
        w[5],
        w[4],
        w[3],
        w[2],
        w[1],
    ]
    assert [r.factory for r in wrappers.innermost_first()] == [
        w[1],
        w[2],
        w[3],
        w[4],
        w[5],
    ]
    assert [type(instance) for _, instance in wrappers.chain] == [
        w[5],
        w[4],
        w[3],
        w[2],
        w[1],
    ]


def test_groups_and_last_registered_outermost():
    log = []
    w = {n: recording(n, log) for n in ('F1', 'F2', 'D1', 'D2', 'T1', 'T2')}
    config = make_config()
    config.add_application_wrapper(w['T1'], after=True)
    config.add_application_wrapper(w['D1'])
    config.add_application_wrapper(w['F1'], after=False)
    config.add_application_wrapper(w['T2'], after=True)
    config.add_application_wrapper(w['D2'], after=None)
    config.add_application_wrapper(w['F2'], after=False)
    app = TestApp(config.make_wsgi_app())
    app.get('/')
    assert log[:6] == ['>T2', '>T1', '>D2', '>D1', '>F2', '>F1']


def test_after_by_name_joins_the_targets_group_depth_first():
    """``after=X`` sits immediately outside X, in X's group, whether X is
    registered before or after; dependents of dependents come right after
    them (depth first)."""
    log = []
    w = {n: recording(n, log) for n in ('A', 'B', 'C', 'D', 'E', 'T')}
    config = make_config()
    config.add_application_wrapper(w['C'], after='inner-a', name='c')
    config.add_application_wrapper(w['T'], after=True)
    config.add_application_wrapper(w['A'], after=False, name='inner-a')
    config.add_application_wrapper(w['E'], after='inner-a')
    config.add_application_wrapper(w['D'], after='c', name='d')
    config.add_application_wrapper(w['B'])
    app = TestApp(config.make_wsgi_app())
    app.get('/')
    # innermost first: A, C, D (after c), E (after A, registered later), B
    assert log[:6] == ['>T', '>B', '>E', '>D', '>C', '>A']
    names = [
        r.name
        for r in config.registry.getUtility(IApplicationWrappers).ordered()
    ]
    assert names == [
        f'{HERE}.RecorderT',
        f'{HERE}.RecorderB',
        f'{HERE}.RecorderE',
        'd',
        'c',
        'inner-a',
    ]


def test_after_a_class_registered_under_a_custom_name():
    log = []
    inner, outer = recording('in', log), recording('out', log)
    config = make_config()
    config.add_application_wrapper(outer, after=inner)
    config.add_application_wrapper(inner, name='custom', after=True)
    TestApp(config.make_wsgi_app()).get('/')
    assert log[:2] == ['>out', '>in']


def test_a_function_factory_works_like_a_class():
    log = []

    def factory(next_handler, registry):
        def wrapper(request):
            log.append('factory')
            return next_handler(request)

        return wrapper

    config = make_config()
    config.add_application_wrapper(factory)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').text == 'HI!'
    assert log == ['factory']
    [registration] = config.registry.getUtility(IApplicationWrappers).ordered()
    assert registration.name == f'{HERE}.{factory.__qualname__}'


def test_a_partial_with_a_name():
    class Tagging(ApplicationWrapper):
        def __init__(self, next_handler, registry, tag):
            super().__init__(next_handler, registry)
            self.tag = tag

        def __call__(self, request):
            response = self.next_handler(request)
            response.headers['X-Tag'] = self.tag
            return response

    config = make_config()
    config.add_application_wrapper(
        functools.partial(Tagging, tag='t1'), name='tagging'
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').headers['X-Tag'] == 't1'


def test_wrapper_sees_the_request_first_and_may_answer_alone():
    """TG 33, first half: a wrapper answers without calling next."""
    config = make_config()
    config.add_application_wrapper(AppWrapperTest)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').text == 'AppWrapper #1'
    assert app.get('/does-not-exist').text == 'AppWrapper #1'


def test_replacement_by_include_path_override():
    """TG 33, second half: ``replace_application_wrapper`` becomes Pyramid's
    include-path override: the including configuration's registration of
    the same name wins, and is no conflict."""

    def plugin(config):
        config.add_application_wrapper(AppWrapperTest, name='answer')

    config = make_config()
    config.include(plugin)
    config.add_application_wrapper(Replacement, name='answer')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').text == 'AppWrapper #2'
    wrappers = config.registry.getUtility(IApplicationWrappers)
    assert [r.factory for r in wrappers.registrations] == [Replacement]


def test_duplicate_name_is_a_conflict():
    config = make_config()
    config.add_application_wrapper(AppWrapperTest, name='answer')
    config.add_application_wrapper(Replacement, name='answer')
    with pytest.raises(ConfigurationConflictError) as e:
        config.commit()
    assert 'pyramid_hooks application wrapper' in str(e.value)
    assert 'answer' in str(e.value)


def test_same_class_twice_is_a_conflict():
    config = make_config()
    config.add_application_wrapper(AppWrapperTest)
    config.add_application_wrapper(AppWrapperTest)
    with pytest.raises(ConfigurationConflictError):
        config.commit()


def test_rewriting_the_path_redispatches():
    """TG 34 (no controller hijacking): the wrapper runs before traversal
    and route matching, so it can send the request elsewhere; the 404 is
    rendered inside and comes back through it."""
    log = []

    class Elsewhere(ApplicationWrapper):
        def __call__(self, request):
            request.path_info = '/nowhere'
            response = self.next_handler(request)
            log.append(response.status_int)
            return response

    config = make_config()
    config.add_application_wrapper(Elsewhere)
    app = TestApp(config.make_wsgi_app())
    app.get('/', status=404)
    assert log == [404]


def test_wrappers_see_exception_view_responses():
    log = []
    config = make_config()
    config.add_application_wrapper(recording('A', log))
    app = TestApp(config.make_wsgi_app())
    assert app.get('/fail', status=500).text == 'oops: boom'
    assert app.get('/forbid', status=403)
    assert app.get('/missing', status=404)
    assert log == ['>A', '<A:500', '>A', '<A:403', '>A', '<A:404']


def test_wrappers_may_replace_the_response():
    class Friendly404(ApplicationWrapper):
        def __call__(self, request):
            response = self.next_handler(request)
            if response.status_int == 404:
                return Response('nothing here', status=404)
            return response

    config = make_config()
    config.add_application_wrapper(Friendly404)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/missing', status=404).text == 'nothing here'
    assert app.get('/').text == 'HI!'


def test_unhandled_exceptions_unwind_through_the_wrappers():
    """No exception view for KeyError: the exception leaves the excview
    tween, every wrapper sees it on its way out, and it reaches the WSGI
    server."""
    log = []
    config = make_config()
    config.add_application_wrapper(recording('outer', log))
    config.add_application_wrapper(recording('inner', log), after=False)
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(KeyError):
        app.get('/unhandled')
    assert log == ['>outer', '>inner', '!inner:KeyError', '!outer:KeyError']


def test_exception_raised_in_a_wrapper_is_rendered_after_unwinding():
    """An exception raised by a wrapper unwinds the outer wrappers; the
    wrapper tween then renders it with the exception views, as the
    exception-view tween would have."""
    log = []

    class Deny(ApplicationWrapper):
        def __call__(self, request):
            log.append('deny')
            raise HTTPForbidden('no entry')

    class Broken(ApplicationWrapper):
        def __call__(self, request):
            raise ValueError('wrapper broke')

    config = make_config(log=log)
    config.add_application_wrapper(recording('outer', log), after=True)
    config.add_application_wrapper(Deny)
    app = TestApp(config.make_wsgi_app())
    response = app.get('/', status=403)
    assert 'no entry' in response.text
    assert log == ['>outer', 'deny', '!outer:HTTPForbidden']

    config = make_config()
    config.add_application_wrapper(Broken)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/', status=500).text == 'oops: wrapper broke'


def test_wrappers_may_convert_exceptions():
    class Catch(ApplicationWrapper):
        def __call__(self, request):
            try:
                return self.next_handler(request)
            except KeyError:
                return Response('caught', status=503)

    config = make_config()
    config.add_application_wrapper(Catch)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/unhandled', status=503).text == 'caught'


def test_chain_is_inspectable_through_next_handler():
    """TG 36: walk the chain from the router's handler."""
    log = []
    outer, inner = recording('outer', log), recording('inner', log)
    config = make_config()
    config.add_application_wrapper(inner, after=False)
    config.add_application_wrapper(outer)
    router = config.make_wsgi_app()
    first = router.handle_request.next_handler
    assert isinstance(first, outer)
    assert isinstance(first.next_handler, inner)
    assert first.next_handler.next_handler.__name__ == 'excview_tween'
    assert repr(first).startswith(f'<{HERE}.Recorderouter around <')


def test_injected_false_leaves_the_wrapper_out():
    Optional.constructed = 0
    log = []
    config = make_config()
    config.add_application_wrapper(recording('A', log))
    config.add_application_wrapper(Optional, after=False)
    router = config.make_wsgi_app()
    app = TestApp(router)
    response = app.get('/')
    app.get('/')
    assert 'X-Optional' not in response.headers
    assert Optional.constructed == 1  # constructed once, then dropped
    outermost = router.handle_request.next_handler
    assert outermost.next_handler.__name__ == 'excview_tween'
    wrappers = config.registry.getUtility(IApplicationWrappers)
    assert [r.factory for r, _ in wrappers.chain] == [type(outermost)]
    assert [r.factory for r in wrappers.ordered()][-1] is Optional

    config = make_config(settings={'optional.enabled': 'yes'})
    config.add_application_wrapper(Optional)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').headers['X-Optional'] == 'yes'
    assert Optional.constructed == 2


def test_no_injected_wrapper_means_no_tween_layer():
    Optional.constructed = 0
    config = make_config()
    config.add_application_wrapper(Optional)
    router = config.make_wsgi_app()
    assert router.handle_request.__name__ == 'excview_tween'
    assert config.registry.getUtility(IApplicationWrappers).chain == []


def test_each_wrapper_is_constructed_once_per_app():
    constructed = []

    class Counted(ApplicationWrapper):
        def __init__(self, next_handler, registry):
            super().__init__(next_handler, registry)
            constructed.append(self)

        def __call__(self, request):
            return self.next_handler(request)

    config = make_config()
    config.add_application_wrapper(Counted)
    app = TestApp(config.make_wsgi_app())
    for _ in range(3):
        app.get('/')
    assert len(constructed) == 1


def test_two_apps_in_one_process_have_their_own_wrappers():
    log = []
    first = make_config()
    first.add_application_wrapper(recording('first', log))
    second = make_config()
    second.add_application_wrapper(recording('second', log))
    third = make_config()
    app1 = TestApp(first.make_wsgi_app())
    app2 = TestApp(second.make_wsgi_app())
    app3 = TestApp(third.make_wsgi_app())
    app1.get('/')
    app2.get('/')
    app3.get('/')
    assert log == ['>first', '<first:200', '>second', '<second:200']


def test_no_application_wrappers_no_tween_work():
    """With no wrapper the tween factory returns Pyramid's handler itself:
    ``ptweens`` lists the tween, but it adds no layer to the request."""
    config = make_config()
    router = config.make_wsgi_app()
    assert router.handle_request.__name__ == 'excview_tween'
    assert config.registry.queryUtility(IApplicationWrappers) is None

    def handler(request):  # pragma: no cover - never called
        raise AssertionError

    assert application_wrappers_tween_factory(handler, config.registry) is (
        handler
    )
    empty = Configurator()
    empty.registry.registerUtility(ApplicationWrappers(), IApplicationWrappers)
    assert application_wrappers_tween_factory(handler, empty.registry) is (
        handler
    )


def test_the_tween_sits_over_excview():
    from pyramid.interfaces import ITweens

    config = make_config()
    config.commit()
    names = [
        name for name, _ in config.registry.getUtility(ITweens).implicit()
    ]
    assert (
        names.index(TWEEN_NAME)
        == names.index('pyramid.tweens.excview_tween_factory') - 1
    )


def test_explicit_pyramid_tweens_must_list_the_tween():
    settings = {'pyramid.tweens': 'pyramid.tweens.excview_tween_factory'}
    config = make_config(settings=settings)
    config.add_application_wrapper(AppWrapperTest)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert TWEEN_NAME in str(e.value)
    assert f'{HERE}.AppWrapperTest' in str(e.value)

    settings = {
        'pyramid.tweens': f'{TWEEN_NAME}\npyramid.tweens.excview_tween_factory'
    }
    config = make_config(settings=settings)
    config.add_application_wrapper(AppWrapperTest)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').text == 'AppWrapper #1'

    # without wrappers an explicit list need not name the tween
    config = make_config(settings={'pyramid.tweens': ''})
    assert TestApp(config.make_wsgi_app()).get('/').text == 'HI!'


def test_setting_application_wrappers():
    """``hooks.application_wrappers``: dotted names, default group, in
    order (last outermost), registered by the include, so wrappers added
    in code afterwards wrap them."""
    SETTINGS_LOG.clear()

    class InCode(ApplicationWrapper):
        def __call__(self, request):
            SETTINGS_LOG.append('>InCode')
            return self.next_handler(request)

    config = make_config(
        settings={
            'hooks.application_wrappers': f'{HERE}.SettingsInner\n'
            f'{HERE}.SettingsOuter'
        }
    )
    config.add_application_wrapper(InCode)
    app = TestApp(config.make_wsgi_app())
    app.get('/')
    assert SETTINGS_LOG == ['>InCode', '>SettingsOuter', '>SettingsInner']
    [_, outer, _] = config.registry.getUtility(IApplicationWrappers).ordered()
    assert outer.where == 'setting hooks.application_wrappers'


def test_wsgi_middlewares_sit_outside_the_wrapper_tween():
    """``pyramid_hooks.make_wsgi_app``: after_wsgi_middlewares outermost,
    then the given middlewares, then before_wsgi_middlewares, then the
    router with its tweens (the application wrappers inside)."""
    log = []

    def middleware(label):
        def wrap(app):
            def wsgi(environ, start_response):
                log.append(f'>{label}')
                result = app(environ, start_response)
                log.append(f'<{label}')
                return result

            return wsgi

        return wrap

    config = make_config(log=log)
    config.register_hook('before_wsgi_middlewares', middleware('before'))
    config.register_hook('after_wsgi_middlewares', middleware('after'))
    config.add_application_wrapper(recording('wrapper', log))
    app = TestApp(
        pyramid_hooks.make_wsgi_app(config, middlewares=[middleware('mw')])
    )
    assert app.get('/').text == 'HI!'
    assert log == [
        '>after',
        '>mw',
        '>before',
        '>wrapper',
        'view',
        '<wrapper:200',
        '<before',
        '<mw',
        '<after',
    ]


def test_request_hooks_around_the_wrappers():
    """Pyramid fires NewRequest (the new_request hook) in its main handler,
    under every tween, so the wrappers see the request before new_request
    listeners do; NewResponse fires after the whole tween chain."""
    log = []
    config = make_config(log=log)
    config.register_hook('new_request', lambda request: log.append('new'))
    config.register_hook(
        'new_response', lambda request, response: log.append('response')
    )
    config.add_application_wrapper(recording('w', log))
    TestApp(config.make_wsgi_app()).get('/')
    assert log == ['>w', 'new', 'view', '<w:200', 'response']


def test_introspectable():
    config = make_config()
    config.add_application_wrapper(AppWrapperTest, after=True, name='x')
    config.commit()
    [intr] = config.registry.introspector.get_category(
        'pyramid_hooks application wrappers'
    )
    intr = intr['introspectable']
    assert intr['name'] == 'x'
    assert intr['wrapper'] is AppWrapperTest
    assert intr['after'] is True
    assert intr.action_info.line is not None


def test_dotted_name_wrapper():
    config = make_config()
    config.add_application_wrapper(f'{HERE}.AppWrapperTest')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').text == 'AppWrapper #1'
    [registration] = config.registry.getUtility(
        IApplicationWrappers
    ).registrations
    assert registration.name == f'{HERE}.AppWrapperTest'
    assert repr(registration) == (
        f"<application wrapper '{HERE}.AppWrapperTest' after=None>"
    )


# -- startup errors ---------------------------------------------------------


class NoCall:
    def __init__(self, next_handler, registry):
        pass


class Abstract(ApplicationWrapper):
    pass


class OneArgument(ApplicationWrapper):
    def __init__(self, next_handler):
        super().__init__(next_handler, None)

    def __call__(self, request):  # pragma: no cover - never constructed
        return self.next_handler(request)


@pytest.mark.parametrize(
    ('wrapper', 'message'),
    [
        (42, 'is not a class or factory'),
        (f'{HERE}.SETTINGS_LOG', 'is not a class or factory'),
        (functools.partial(AppWrapperTest), 'has no dotted name'),
        (NoCall, 'NoCall does not implement __call__'),
        (Abstract, 'Abstract does not implement __call__'),
        (OneArgument, 'cannot be called as Wrapper(next_handler, registry)'),
        (
            lambda: None,
            'cannot be called as Wrapper(next_handler, registry)',
        ),
    ],
)
def test_not_a_wrapper(wrapper, message):
    config = make_config()
    with pytest.raises(ConfigurationError) as e:
        config.add_application_wrapper(wrapper)
    assert message in str(e.value)


class TurboGearsForm(ApplicationWrapper):
    """TurboGears 2's wrapper form: __call__(controller, environ, context)."""

    def __call__(self, controller, environ, context):  # pragma: no cover
        return self.next_handler(controller, environ, context)


def test_the_turbogears_call_form_is_refused_at_startup():
    """It used to start and then fail every request with a TypeError."""
    config = make_config()
    with pytest.raises(ConfigurationError) as e:
        config.add_application_wrapper(TurboGearsForm)
    message = str(e.value)
    assert f'{HERE}.TurboGearsForm.__call__ cannot be called as ' in message
    assert '__call__(self, request)' in message
    assert "missing a required argument: 'environ'" in message
    assert (
        "TurboGears' form __call__(self, controller, environ, context) is "
        'not supported'
    ) in message
    assert 'test_application_wrappers.py' in message  # the user's line


def test_a_factory_making_a_turbogears_wrapper_fails_when_the_app_is_made():
    def factory(next_handler, registry):
        return TurboGearsForm(next_handler, registry)

    config = make_config()
    config.add_application_wrapper(factory, name='tg')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert "Application wrapper 'tg'" in message
    assert 'test_application_wrappers.py' in message
    assert 'must be callable as wrapper(request)' in message
    assert "TurboGears' form" in message


def test_an_instance_is_not_a_wrapper():
    config = make_config()
    instance = AppWrapperTest(None, None)
    with pytest.raises(ConfigurationError) as e:
        config.add_application_wrapper(instance, name='instance')
    assert 'cannot be called as Wrapper(next_handler, registry)' in str(
        e.value
    )


def test_not_a_wrapper_with_name_given():
    config = make_config()
    with pytest.raises(ConfigurationError) as e:
        config.add_application_wrapper(42, name='x')
    assert "add_application_wrapper 'x'" in str(e.value)
    assert 'not a class or factory' in str(e.value)


@pytest.mark.parametrize('name', ['', '  ', 3])
def test_bad_name(name):
    config = make_config()
    with pytest.raises(ConfigurationError) as e:
        config.add_application_wrapper(AppWrapperTest, name=name)
    assert 'name= must be a non-empty string' in str(e.value)


@pytest.mark.parametrize('after', [0, 1.5, ['x']])
def test_bad_after(after):
    config = make_config()
    with pytest.raises(ConfigurationError) as e:
        config.add_application_wrapper(AppWrapperTest, after=after)
    assert 'after= must be False, None, True' in str(e.value)


def test_unknown_after_names_the_wrapper():
    config = make_config()
    config.add_application_wrapper(Replacement)
    config.add_application_wrapper(AppWrapperTest, after='missing')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    message = str(e.value)
    assert f"Application wrapper '{HERE}.AppWrapperTest'" in message
    assert "after='missing' names no registered application wrapper" in (
        message
    )
    assert 'test_application_wrappers.py:' in message


@pytest.mark.parametrize(
    'settings, after',
    [
        ({}, 'missing'),
        ({'pyramid.tweens': 'pyramid.tweens.excview_tween_factory'}, None),
    ],
    ids=['unknown-after', 'explicit-tweens'],
)
def test_chain_errors_say_where_they_come_from(settings, after):
    """Under their message, the errors of the chain's check said
    ``in: Line 0 of file None``, as if the package had lost track."""
    config = make_config(settings=settings)
    config.add_application_wrapper(AppWrapperTest, after=after)
    with pytest.raises(ConfigurationError) as e:
        TestApp(config.make_wsgi_app()).get('/')
    message = str(e.value)
    assert 'Line 0 of file None' not in message
    assert message.rstrip().endswith(
        'in:\n  the application wrapper chain, checked when the '
        'configuration is committed'
    )


def test_unknown_after_class():
    config = make_config()
    config.add_application_wrapper(AppWrapperTest, after=Replacement)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert 'names no registered application wrapper' in str(e.value)


def test_ambiguous_after_class():
    config = make_config()
    config.add_application_wrapper(AppWrapperTest, name='one')
    config.add_application_wrapper(AppWrapperTest, name='two')
    config.add_application_wrapper(Replacement, after=AppWrapperTest)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert "under the names 'one', 'two'; give the name" in str(e.value)


def test_cycle_names_the_wrappers():
    config = make_config()
    config.add_application_wrapper(AppWrapperTest, after='b', name='a')
    config.add_application_wrapper(Replacement, after='a', name='b')
    config.add_application_wrapper(Optional, after='b', name='c')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    message = str(e.value)
    assert "Application wrapper 'a'" in message
    assert "its after= chain is a cycle: 'a' -> 'b' -> 'a'" in message


def test_cycle_reached_from_a_dependent():
    config = make_config()
    config.add_application_wrapper(Optional, after='b', name='c')
    config.add_application_wrapper(AppWrapperTest, after='b', name='a')
    config.add_application_wrapper(Replacement, after='a', name='b')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert "cycle: 'b' -> 'a' -> 'b'" in str(e.value)


def test_self_cycle():
    config = make_config()
    config.add_application_wrapper(AppWrapperTest, after='me', name='me')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert "cycle: 'me' -> 'me'" in str(e.value)


def test_registering_after_the_app_was_made():
    config = make_config()
    config.make_wsgi_app()
    with pytest.raises(ConfigurationError) as e:
        config.add_application_wrapper(AppWrapperTest)
    assert 'the WSGI application was already made' in str(e.value)
    assert f'{HERE}.AppWrapperTest' in str(e.value)


def test_factory_returning_a_non_callable_fails_when_the_app_is_made():
    def factory(next_handler, registry):
        return 'not a handler'

    config = make_config()
    config.add_application_wrapper(factory, name='bad')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    assert "Application wrapper 'bad'" in str(e.value)
    assert 'must be callable as wrapper(request)' in str(e.value)


def test_factory_without_a_readable_signature_is_checked_when_made():
    """Some builtins have no signature to check at registration."""
    config = make_config()
    config.add_application_wrapper(min, name='builtin')
    config.commit()
    with pytest.raises(ConfigurationError, match=r"'builtin' .*raised Type"):
        config.make_wsgi_app()


# -- a wrapper's result must be a response ---------------------------------


class Forgetful(ApplicationWrapper):
    """Calls the application but forgets to return its response."""

    def __call__(self, request):
        self.next_handler(request)


class Plain(ApplicationWrapper):
    """Passes the response on unchanged."""

    def __call__(self, request):
        return self.next_handler(request)


def forgetful_app(*outer, exception_view=False):
    events = []
    config = make_config()
    config.add_application_wrapper(Forgetful)
    for wrapper in outer:
        config.add_application_wrapper(wrapper)
    config.register_hook(
        'new_response', lambda request, response: events.append(response)
    )
    config.register_hook('request_finished', lambda request: events.append(1))
    if exception_view:
        config.add_exception_view(
            lambda exc, request: Response('sorry', status=500),
            context=TypeError,
        )
    return TestApp(config.make_wsgi_app()), events


def test_a_wrapper_returning_no_response_is_an_error_naming_it():
    """The router called ``None(environ, start_response)`` after the
    ``new_response`` listeners got ``None``: nothing named the wrapper."""
    app, events = forgetful_app()
    name = f'{HERE}.Forgetful'
    with pytest.raises(TypeError, match=f"wrapper '{name}' .*returned None"):
        app.get('/')
    assert events == [1]  # no new_response with None; request_finished once
    # the outermost passed on what a wrapper inside it returned: both named
    app, events = forgetful_app(Plain)
    with pytest.raises(TypeError) as e:
        app.get('/')
    assert f"wrapper '{HERE}.Plain'" in str(e.value)
    assert f"'{name}'" in str(e.value)
    assert events == [1]


def test_a_wrapper_returning_no_response_gets_the_error_page():
    """An exception view renders the error, as any wrapper's failure."""
    app, events = forgetful_app(exception_view=True)
    assert app.get('/', status=500).text == 'sorry'
    assert [e.status_int for e in events[:1]] == [500]
    assert events[1:] == [1]


def test_a_wrapper_may_return_what_a_response_adapter_takes():
    """WebOb's own responses and what the application adapts are
    responses, as for a view."""
    import webob

    class Text(ApplicationWrapper):
        def __call__(self, request):
            if request.path == '/webob':
                return webob.Response('webob')
            return request.path

    config = make_config()
    config.add_response_adapter(lambda text: Response(f'text {text}'), str)
    config.add_application_wrapper(Text)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/webob').text == 'webob'
    assert app.get('/adapted', status=200).text == 'text /adapted'
