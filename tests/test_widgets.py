"""Widget server-side callbacks: real Pyramid apps driven through WebTest.

The ToscaWidgets acceptance scenarios (reference, Part 1, section 1.10) are
marked ``TW<n>`` in the test names' docstrings.
"""

import io
import json
import re

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError
from pyramid.httpexceptions import HTTPFound, HTTPUnauthorized
from pyramid.interfaces import IRoutesMapper
from pyramid.request import Request
from pyramid.response import Response
from pyramid.scripting import prepare
from pyramid.security import NO_PERMISSION_REQUIRED, Allowed, Denied
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Invalid
from pyramid_hooks.config import CATEGORY_WIDGETS
from pyramid_hooks.interfaces import IWidgetRegistry
from pyramid_hooks.widgets import (
    CallbackOptions,
    ServerSideCallbackMixin,
    always_allow,
    always_deny,
    callback_options,
    serverside_callback,
    url_for_callback,
)
from tests.widgets_example import main as example_app


def make_config(settings=None, allow=True):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    if allow:
        config.set_callback_authorization(always_allow)
    return config


def make_app(config, **kw):
    return TestApp(config.make_wsgi_app(), **kw)


def deny_handler(callback, request):
    return Response('widget says no', status=403)


class Counter:
    def __init__(self):
        self.calls = []

    def __call__(self, *args):
        self.calls.append(args)


class Echo(ServerSideCallbackMixin):
    """A widget whose callbacks record their calls."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.calls = []

    @serverside_callback
    def cb(self, request):
        self.calls.append('cb')
        return Response(f'cb of {self.id}')

    @serverside_callback
    def other(self, request):
        self.calls.append('other')
        return Response('other')

    def helper(self, request):  # not a callback
        return Response('helper')  # pragma: no cover

    def _private(self, request):  # not a callback
        return Response('private')  # pragma: no cover


# -- mounting and URLs --------------------------------------------------


def test_callback_served_at_the_default_prefix():
    """TW1: an allowed callback answers 200 with its body."""
    config = make_config()
    widget = Echo(id='w')
    config.add_widget(widget)
    app = make_app(config)
    res = app.get('/_widgets/w/cb')
    assert res.status_int == 200
    assert res.text == 'cb of w'
    assert widget.calls == ['cb']


def test_prefix_setting_gives_the_toscawidgets_url():
    """TW1 with ToscaWidgets' own URL."""
    config = make_config(
        {'hooks.widgets.prefix': '/toscawidgets/resources/__callback__/'}
    )
    config.add_widget(Echo(id='w'))
    app = make_app(config)
    assert app.get('/toscawidgets/resources/__callback__/w/cb').text == (
        'cb of w'
    )
    app.get('/_widgets/w/cb', status=404)


def test_prefix_setting():
    config = make_config({'hooks.widgets.prefix': '/late'})
    config.add_widget(Echo(id='w'))
    app = make_app(config)
    assert app.get('/late/w/cb').text == 'cb of w'


def test_bad_prefix_setting_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match=r'hooks\.widgets\.prefix'):
        make_config({'hooks.widgets.prefix': 'no-slash'})


def test_prefix_changed_after_add_widget():
    config = make_config()
    config.add_widget(Echo(id='w'))
    config.add_settings({'hooks.widgets.prefix': '/late'})
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    assert 'hooks.widgets.prefix: changed after pyramid_hooks was' in str(
        e.value
    )


class Linker(ServerSideCallbackMixin):
    @serverside_callback
    def link(self, request):
        return Response(
            json_body={
                'by_method': url_for_callback(request, self.link),
                'by_name': self.url_for_callback(request, 'link', q='a b'),
                'by_string': url_for_callback(request, f'{self.id}/link'),
                'bound': self.url_for_callback(request, self.link, n=1),
            }
        )


def test_url_for_callback_under_script_name():
    """TW2: the URL includes SCRIPT_NAME, and requesting it works."""
    config = make_config()
    config.add_widget(Linker(id='lnk'))
    app = make_app(config, extra_environ={'SCRIPT_NAME': '/app'})
    urls = app.get('/_widgets/lnk/link').json
    assert urls == {
        'by_method': '/app/_widgets/lnk/link',
        'by_name': '/app/_widgets/lnk/link?q=a+b',
        'by_string': '/app/_widgets/lnk/link',
        'bound': '/app/_widgets/lnk/link?n=1',
    }
    # the URL works when the app is mounted under /app
    mounted = TestApp(
        lambda environ, start_response: app.app(
            dict(
                environ,
                SCRIPT_NAME='/app',
                PATH_INFO=environ['PATH_INFO'][len('/app') :],
            ),
            start_response,
        )
    )
    assert mounted.get(urls['by_method']).json == urls


def test_url_for_callback_under_route_prefix():
    """A widget added inside ``config.include(route_prefix=)`` is served
    under that prefix, and its URLs say so."""
    config = make_config()

    def include(config):
        config.add_widget(Linker(id='lnk'))

    config.include(include, route_prefix='/sub/')
    config.add_widget(Echo(id='top'))
    app = make_app(config, extra_environ={'SCRIPT_NAME': '/app'})
    assert app.get('/sub/_widgets/lnk/link').json['by_method'] == (
        '/app/sub/_widgets/lnk/link'
    )
    assert app.get('/_widgets/top/cb').text == 'cb of top'
    # one route per prefix: the top-level route does not serve 'lnk'
    app.get('/_widgets/lnk/link', status=404)
    app.get('/sub/_widgets/top/cb', status=404)
    mapper = config.registry.getUtility(IRoutesMapper)
    widget_routes = sorted(
        (r.name, r.pattern)
        for r in mapper.get_routes()
        if r.name.startswith('pyramid_hooks.widgets')
    )
    assert widget_routes == [
        ('pyramid_hooks.widgets', '/_widgets/{widget}/{callback}'),
        ('pyramid_hooks.widgets:sub', 'sub/_widgets/{widget}/{callback}'),
    ]


def test_url_for_callback_under_a_route_prefix_with_a_placeholder():
    """``route_prefix='/{lang}'``: the URL takes the prefix's values from
    the current request's route (as ``current_route_path``); a request
    whose route has none is a ``ValueError`` naming the placeholder."""
    config = make_config()

    def include(config):
        config.add_widget(Linker(id='lnk'))
        config.add_route('page', '/page')
        config.add_view(
            lambda request: {'url': url_for_callback(request, 'lnk/link')},
            route_name='page',
            renderer='json',
        )

    config.include(include, route_prefix='/{lang}')

    def elsewhere(request):
        try:
            url_for_callback(request, 'lnk/link')
        except ValueError as e:
            return Response(str(e))
        raise AssertionError('no ValueError')  # pragma: no cover

    config.add_route('top', '/top/{_query}')
    config.add_view(elsewhere, route_name='top')
    app = make_app(config)
    assert app.get('/de/_widgets/lnk/link').json['by_name'] == (
        '/de/_widgets/lnk/link?q=a+b'
    )
    assert app.get('/fr/page').json == {'url': '/fr/_widgets/lnk/link'}
    message = app.get('/top/x').text
    assert "needs a value for 'lang'" in message
    assert "widget 'lnk'" in message


def test_url_for_callback_on_a_page_whose_route_has_route_name():
    """A page at ``/routes/{route_name}`` (an admin page describing a
    route) linking to a widget: the matchdict's ``route_name`` went to
    ``request.route_path`` with the widget's route name, a ``TypeError``
    (500)."""
    config = make_config()
    config.add_widget(Linker(id='lnk'))
    config.add_route('about', '/routes/{route_name}')
    config.add_view(
        lambda request: {'url': url_for_callback(request, 'lnk/link')},
        route_name='about',
        renderer='json',
    )
    app = make_app(config)
    assert app.get('/routes/home').json == {'url': '/_widgets/lnk/link'}


def test_route_prefix_context_at_the_add_widget_call_applies():
    """The route prefix is the configurator's at the ``add_widget`` call,
    also inside ``config.route_prefix_context``, although the route is
    added when the configuration is committed."""
    config = make_config()
    with config.route_prefix_context('ctx'):
        config.add_widget(Echo(id='inner'))
    config.add_widget(Echo(id='outer'))
    app = make_app(config)
    assert app.get('/ctx/_widgets/inner/cb').text == 'cb of inner'
    assert app.get('/_widgets/outer/cb').text == 'cb of outer'
    app.get('/_widgets/inner/cb', status=404)


def test_url_for_callback_outside_a_request():
    """TW2: outside a request a clear error; with a prepared request (a
    script) it works through the registry."""
    config = make_config()
    widget = Linker(id='lnk')
    config.add_widget(widget)
    config.make_wsgi_app()
    with pytest.raises(ValueError, match='needs the current request'):
        url_for_callback(None, widget.link)
    env = prepare(registry=config.registry)
    try:
        assert url_for_callback(env['request'], widget.link) == (
            '/_widgets/lnk/link'
        )
    finally:
        env['closer']()


def test_url_for_callback_errors():
    config = make_config()
    widget = Echo(id='w')
    config.add_widget(widget)
    config.make_wsgi_app()
    env = prepare(registry=config.registry)
    request = env['request']
    try:
        with pytest.raises(ValueError, match="no widget 'nope' is mounted"):
            url_for_callback(request, 'nope/cb')
        with pytest.raises(ValueError, match='has no server-side callback'):
            url_for_callback(request, 'w/helper')
        with pytest.raises(ValueError, match='has no server-side callback'):
            widget.url_for_callback(request, 'nope')
        with pytest.raises(ValueError, match='is not a server-side callback'):
            url_for_callback(request, widget.helper)
        with pytest.raises(ValueError, match='is not a bound callback'):
            url_for_callback(request, Echo.cb)
        with pytest.raises(ValueError, match='is not mounted'):
            url_for_callback(request, Echo(id='x').cb)
    finally:
        env['closer']()


# -- authorization ------------------------------------------------------


def test_default_global_handler_denies():
    """TW3: no handler anywhere: 403, and the callback does not run."""
    config = make_config(allow=False)
    widget = Echo(id='w')
    config.add_widget(widget)
    app = make_app(config)
    app.get('/_widgets/w/cb', status=403)
    assert widget.calls == []


def test_global_handler_from_the_setting():
    config = make_config(
        {'hooks.widgets.authorization': 'tests.widgets_fixture.teapot'},
        allow=False,
    )
    config.add_widget(Echo(id='w'))
    app = make_app(config)
    assert app.get('/_widgets/w/cb', status=418).text == 'teapot'


def test_set_callback_authorization_overrides_the_setting():
    config = Configurator(
        settings={
            'hooks.widgets.authorization': 'tests.widgets_fixture.teapot'
        }
    )
    config.include('pyramid_hooks')
    config.set_callback_authorization('pyramid_hooks.widgets.always_allow')
    config.add_widget(Echo(id='w'))
    assert make_app(config).get('/_widgets/w/cb').text == 'cb of w'


def test_set_callback_authorization_validates_and_conflicts():
    config = make_config(allow=False)
    with pytest.raises(ConfigurationError, match='is not callable'):
        config.set_callback_authorization(42)
    config.set_callback_authorization(always_allow)
    config.set_callback_authorization(always_deny)
    config.add_widget(Echo(id='w'))
    with pytest.raises(ConfigurationConflictError):
        config.commit()


def test_set_callback_authorization_include_override():
    config = make_config(allow=False)

    def include(config):
        config.set_callback_authorization(always_deny)

    config.include(include)
    config.set_callback_authorization(always_allow)
    config.add_widget(Echo(id='w'))
    assert make_app(config).get('/_widgets/w/cb').text == 'cb of w'


class WidgetDeny(Echo):
    callback_authorization = deny_handler  # a plain function: used unbound


class WidgetAllowMethod(Echo):
    def callback_authorization(self, callback, request):
        self.calls.append(('auth', callback.__name__))
        return always_allow(callback, request)


class WidgetStatic(Echo):
    callback_authorization = staticmethod(always_allow)


class WidgetDotted(Echo):
    callback_authorization = 'pyramid_hooks.widgets.always_allow'


class PerCallback(ServerSideCallbackMixin):
    callback_authorization = deny_handler

    @serverside_callback(authorization=always_allow)
    def opened(self, request):
        return Response('opened')

    @serverside_callback(authorization='tests.widgets_fixture.teapot')
    def dotted(self, request):
        return Response('dotted')  # pragma: no cover

    @serverside_callback
    def closed(self, request):
        return Response('closed')  # pragma: no cover


def test_widget_handler_replaces_the_global_one():
    """TW4: global allow with a widget deny gives 403; global deny with a
    widget allow gives 200 (the most specific handler replaces the
    others)."""
    config = make_config(allow=True)
    denied = WidgetDeny(id='denied')
    config.add_widget(denied)
    app = make_app(config)
    assert app.get('/_widgets/denied/cb', status=403).text == (
        'widget says no'
    )
    assert denied.calls == []

    config = make_config(allow=False)
    config.add_widget(WidgetAllowMethod(id='method'))
    config.add_widget(WidgetStatic(id='static'))
    config.add_widget(WidgetDotted(id='dotted'))
    config.add_widget(Echo(id='ctor', callback_authorization=always_allow))
    config.add_widget(Echo(id='global'))
    app = make_app(config)
    for widget_id in ('method', 'static', 'dotted', 'ctor'):
        assert app.get(f'/_widgets/{widget_id}/cb').text == (
            f'cb of {widget_id}'
        )
    app.get('/_widgets/global/cb', status=403)


def test_widget_handler_as_method_is_bound():
    config = make_config(allow=False)
    widget = WidgetAllowMethod(id='m')
    config.add_widget(widget)
    make_app(config).get('/_widgets/m/other')
    assert widget.calls == [('auth', 'other'), 'other']


def test_constructor_argument_over_class_attribute():
    config = make_config(allow=False)
    config.add_widget(WidgetDeny(id='w', callback_authorization=always_allow))
    assert make_app(config).get('/_widgets/w/cb').text == 'cb of w'


def test_callback_handler_over_widget_handler():
    config = make_config(allow=True)
    config.add_widget(PerCallback(id='p'))
    app = make_app(config)
    assert app.get('/_widgets/p/opened').text == 'opened'
    assert app.get('/_widgets/p/dotted', status=418).text == 'teapot'
    assert app.get('/_widgets/p/closed', status=403).text == 'widget says no'


def flexible_handler(callback, request, *rest):
    return always_allow(callback, request)


class FlexibleMethod(Echo):
    def callback_authorization(self, callback, request=None):
        self.calls.append(('auth', callback.__name__))
        return always_allow(callback, request)


class FlexiblePlain(Echo):
    callback_authorization = flexible_handler


def test_widget_handler_signature_ambiguity():
    """A function that fits both signatures is a method when the widget's
    class defines it, a plain handler otherwise."""
    config = make_config(allow=False)
    method = FlexibleMethod(id='method')
    config.add_widget(method)
    config.add_widget(FlexiblePlain(id='plain'))
    app = make_app(config)
    assert app.get('/_widgets/method/cb').text == 'cb of method'
    assert method.calls == [('auth', 'cb'), 'cb']
    assert app.get('/_widgets/plain/cb').text == 'cb of plain'


def test_widget_handler_with_wrong_signature():
    class Bad(Echo):
        def callback_authorization(self):
            pass  # pragma: no cover

    config = make_config()
    with pytest.raises(ConfigurationError, match=r'must accept \(callback'):
        config.add_widget(Bad(id='bad'))
    with pytest.raises(ConfigurationError, match='is not callable'):
        config.add_widget(Echo(id='bad', callback_authorization=42))


def login_redirect(callback, request):
    return HTTPFound(location='/login')


def basic_challenge(callback, request):
    return HTTPUnauthorized(
        headers={'WWW-Authenticate': 'Basic realm="widgets"'}
    )


def no_content(callback, request):
    return Response(status=204)


def not_a_response(callback, request):
    return 'yes'


def test_non_200_responses_pass_through_unchanged():
    """TW5: a redirect, a 401 challenge and even a 204 are returned as the
    handler made them; the callback never runs (only exactly 200 allows)."""
    config = make_config(allow=False)
    widgets = {
        'redirect': Echo(id='redirect', callback_authorization=login_redirect),
        'challenge': Echo(
            id='challenge', callback_authorization=basic_challenge
        ),
        'empty': Echo(id='empty', callback_authorization=no_content),
    }
    for widget in widgets.values():
        config.add_widget(widget)
    app = make_app(config)
    res = app.get('/_widgets/redirect/cb', status=302)
    assert res.headers['Location'] == 'http://localhost/login'
    res = app.get('/_widgets/challenge/cb', status=401)
    assert res.headers['WWW-Authenticate'] == 'Basic realm="widgets"'
    res = app.get('/_widgets/empty/cb', status=204)
    assert res.body == b''
    assert all(widget.calls == [] for widget in widgets.values())


def test_handler_must_return_a_response():
    config = make_config(allow=False)
    config.add_widget(Echo(id='w', callback_authorization=not_a_response))
    app = make_app(config)
    with pytest.raises(TypeError, match="widget 'w' callback 'cb' returned"):
        app.get('/_widgets/w/cb')


class BodyReader(ServerSideCallbackMixin):
    def callback_authorization(self, callback, request):
        self.seen = (callback.__name__, request.body_file.read())
        if callback.__name__ == 'forbidden':
            return always_deny(callback, request)
        return always_allow(callback, request)

    @serverside_callback(require_csrf=False)
    def upload(self, request):
        return Response(b'callback saw ' + request.body)

    @serverside_callback(require_csrf=False)
    def form(self, request):
        return Response('form ' + request.POST['q'])

    @serverside_callback
    def forbidden(self, request):
        return Response('never')  # pragma: no cover


def test_handler_reads_the_body_and_the_callback_still_sees_it():
    """TW6: the handler gets the bound callback (it can branch on its
    name) and may read the body; the callback reads the same body."""
    config = make_config(allow=False)
    widget = BodyReader(id='b')
    config.add_widget(widget)
    app = make_app(config)
    res = app.post('/_widgets/b/upload', b'raw data', content_type='x/y')
    assert res.text == 'callback saw raw data'
    assert widget.seen == ('upload', b'raw data')
    res = app.post('/_widgets/b/form', {'q': 'spam'})
    assert res.text == 'form spam'
    assert widget.seen == ('form', b'q=spam')
    app.get('/_widgets/b/forbidden', status=403)
    assert widget.seen == ('forbidden', b'')


class CountingInput:
    """A ``wsgi.input`` that counts the bytes the application reads."""

    def __init__(self, body):
        self.stream = io.BytesIO(body)
        self.read_bytes = 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):  # pragma: no cover - WebOb reads by size
        return self.read(size)


class Uploader(ServerSideCallbackMixin):
    @serverside_callback(require_csrf=False)
    def upload(self, request):
        return Response('never')  # pragma: no cover - refused


@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_the_default_refusal_reads_nothing_of_the_body(method):
    """An anonymous client's body is not copied for a call the default
    handler (``always_deny``) refuses anyway."""
    config = make_config(allow=False)
    config.add_widget(Uploader(id='u'))
    body = CountingInput(b'x' * 100_000)
    request = Request.blank(
        '/_widgets/u/upload',
        method=method,
        content_type='x/y',
        headers={'Content-Length': '100000'},
        environ={'wsgi.input': body},
    )
    assert request.get_response(config.make_wsgi_app()).status_int == 403
    assert body.read_bytes == 0


# -- bad input ----------------------------------------------------------


@pytest.mark.parametrize(
    'path',
    [
        '/_widgets/nope/cb',  # unknown widget
        '/_widgets/w/nope',  # unknown callback
        '/_widgets/w/helper',  # a method, not a callback
        '/_widgets/w/_private',  # private
        '/_widgets/w/__init__',  # dunder
        '/_widgets/w/__class__',
        '/_widgets/w/cb/',  # trailing slash
        '/_widgets/w/cb/extra',
        '/_widgets/w',
        '/_widgets/w/',
        '/_widgets/',
        '/_widgets',
        '/_widgets//cb',  # empty segment
        '/_widgets/w//cb',
        '/_widgets/../w/cb',  # traversal
        '/_widgets/w/..',
        '/_widgets/%2E%2E/cb',
        '/_widgets/w%2Fcb/cb',  # encoded slash
        '/_widgets/w/cb%2F',
        '/_widgets/W/cb',  # ids are case-sensitive
        '/_widgetsX/w/cb',  # TW14: segment boundary
        '/_widgets/w/cb%00',
    ],
)
def test_bad_paths_are_404(path):
    """TW7, TW14: 404, never a 500."""
    config = make_config()
    config.add_widget(Echo(id='w'))
    app = make_app(config)
    app.get(path, status=404)


def test_paths_outside_the_prefix_reach_the_app():
    """TW14."""
    config = make_config()
    config.add_route('mine', '/_widgetsX/{rest:.*}')
    config.add_view(lambda request: Response('app'), route_name='mine')
    config.add_widget(Echo(id='w'))
    app = make_app(config)
    assert app.get('/_widgetsX/w/cb').text == 'app'


def test_callback_returning_a_non_response():
    """TW12: a TypeError naming the widget and the callback."""

    class Sloppy(ServerSideCallbackMixin):
        @serverside_callback
        def lazy(self, request):
            return {'not': 'a response'}

    config = make_config()
    config.add_widget(Sloppy(id='sloppy'))
    app = make_app(config)
    with pytest.raises(
        TypeError,
        match=r"callback 'lazy' of widget 'sloppy' returned \{'not'",
    ):
        app.get('/_widgets/sloppy/lazy')


def test_callback_raising_goes_to_the_exception_view():
    """TW13: Pyramid's exception view answers; nothing of the callback's
    partial work is sent."""

    class Broken(ServerSideCallbackMixin):
        @serverside_callback
        def explode(self, request):
            request.response.text = 'partial'
            raise RuntimeError('boom')

    config = make_config()
    config.add_view(
        lambda exc, request: Response(f'failed: {exc}', status=500),
        context=RuntimeError,
    )
    config.add_widget(Broken(id='broken'))
    app = make_app(config)
    res = app.get('/_widgets/broken/explode', status=500)
    assert res.text == 'failed: boom'


def test_notfound_view_of_the_app_answers_404():
    config = make_config()
    config.add_notfound_view(lambda request: Response('custom', status=404))
    config.add_widget(Echo(id='w'))
    app = make_app(config)
    assert app.get('/_widgets/w/nope', status=404).text == 'custom'


# -- inheritance, ids, nesting ------------------------------------------


class Base(ServerSideCallbackMixin):
    @serverside_callback
    def inherited(self, request):
        return Response('base inherited')

    @serverside_callback
    def overridden(self, request):
        return Response('base overridden')  # pragma: no cover

    @serverside_callback
    def unmarked(self, request):
        return Response('base unmarked')  # pragma: no cover


class Derived(Base):
    @serverside_callback
    def overridden(self, request):
        return Response('derived overridden')

    def unmarked(self, request):  # not marked again: not a callback
        return Response('derived unmarked')  # pragma: no cover


def test_inherited_callbacks_are_mounted():
    """TW8: a parent's callback is served on the subclass; the subclass's
    override is the one invoked; an override not marked again is not a
    callback."""
    config = make_config()
    config.add_widget(Derived(id='d'))
    app = make_app(config)
    assert app.get('/_widgets/d/inherited').text == 'base inherited'
    assert app.get('/_widgets/d/overridden').text == 'derived overridden'
    app.get('/_widgets/d/unmarked', status=404)


def test_one_class_under_two_ids():
    config = make_config()
    first, second = Echo(id='first'), Echo(id='second')
    config.add_widget(first)
    config.add_widget(second)
    app = make_app(config)
    assert app.get('/_widgets/first/cb').text == 'cb of first'
    assert app.get('/_widgets/second/cb').text == 'cb of second'
    assert (first.calls, second.calls) == (['cb'], ['cb'])


def test_duplicate_id_is_a_conflict():
    """TW9: two widgets with one id: a configuration conflict."""
    config = make_config()
    config.add_widget(Echo(id='w'))
    config.add_widget(Echo(id='w'))
    with pytest.raises(ConfigurationConflictError):
        config.commit()


def test_including_configuration_wins_a_duplicate_id():
    config = make_config()

    def include(config):
        config.add_widget(Linker(id='w'))

    config.include(include)
    config.add_widget(Echo(id='w'))
    app = make_app(config)
    assert app.get('/_widgets/w/cb').text == 'cb of w'
    app.get('/_widgets/w/link', status=404)


def test_ids_are_unique_across_route_prefixes():
    config = make_config()

    def include(config):
        config.add_widget(Echo(id='w'))

    def other(config):
        config.add_widget(Echo(id='w'))

    config.include(include, route_prefix='/sub')
    config.include(other, route_prefix='/other')
    with pytest.raises(ConfigurationConflictError):
        config.commit()


@pytest.mark.parametrize(
    ('widget', 'message'),
    [
        (Echo(), 'has no id'),  # TW10
        (Echo(id=''), "invalid widget id ''"),
        (Echo(id='1abc'), "invalid widget id '1abc'"),
        (Echo(id='a/b'), "invalid widget id 'a/b'"),
        (Echo(id='a b'), 'invalid widget id'),
        (Echo(id='caf\xe9'), 'invalid widget id'),
        (Echo(id=3), 'invalid widget id 3'),
        (Echo, 'is a class'),
        (ServerSideCallbackMixin(id='empty'), 'no server-side callbacks'),
    ],
)
def test_bad_widgets_are_configuration_errors(widget, message):
    config = make_config()
    with pytest.raises(ConfigurationError, match=message) as info:
        config.add_widget(widget)
    assert 'test_widgets.py' in str(info.value)


def test_good_ids():
    config = make_config()
    for widget_id in ('a', 'A-b_c:d.e', 'x1'):
        config.add_widget(Echo(id=widget_id))
    app = make_app(config)
    assert app.get('/_widgets/A-b_c:d.e/cb').text == 'cb of A-b_c:d.e'


def test_widget_by_dotted_name():
    config = make_config(allow=False)
    config.add_widget('tests.widgets_fixture.dotted')
    assert make_app(config).get('/_widgets/dotted/hello').text == (
        'dotted hello'
    )


def test_callback_names():
    class Named(ServerSideCallbackMixin):
        @serverside_callback(name='search.json')
        def _search(self, request):
            return Response('named')

    config = make_config()
    config.add_widget(Named(id='n'))
    app = make_app(config)
    assert app.get('/_widgets/n/search.json').text == 'named'
    app.get('/_widgets/n/_search', status=404)


def test_bad_callbacks_are_configuration_errors():
    class Private(ServerSideCallbackMixin):
        @serverside_callback
        def _hidden(self, request):
            pass  # pragma: no cover

    class Twice(ServerSideCallbackMixin):
        @serverside_callback(name='x')
        def a(self, request):
            pass  # pragma: no cover

        @serverside_callback(name='x')
        def b(self, request):
            pass  # pragma: no cover

    class Static(ServerSideCallbackMixin):
        @staticmethod
        @serverside_callback
        def s(request):
            pass  # pragma: no cover

    class BadHandler(ServerSideCallbackMixin):
        @serverside_callback(authorization='tests.widgets_fixture.dotted')
        def cb(self, request):
            pass  # pragma: no cover

    config = make_config()
    for widget, message in (
        (Private(id='p'), "callback name '_hidden' cannot be a URL name"),
        (Twice(id='t'), "two callbacks are named 'x'"),
        (Static(id='s'), 'must be an instance method'),
        (BadHandler(id='b'), "callback 'cb': the authorization handler"),
    ):
        with pytest.raises(ConfigurationError, match=message):
            config.add_widget(widget)


@pytest.mark.parametrize(
    ('kw', 'message'),
    [
        ({'request_method': 'G T'}, 'request_method must be'),
        ({'request_method': [1]}, 'request_method must be'),
        ({'request_method': ()}, 'at least one method'),
        ({'permission': 3}, 'permission must be a string'),
        ({'require_csrf': 'yes'}, 'require_csrf must be'),
        ({'authorization': 3}, 'authorization must be'),
        ({'name': '_x'}, 'name must match'),
        ({'name': 'a/b'}, 'name must match'),
    ],
)
def test_bad_callback_options(kw, message):
    with pytest.raises(ConfigurationError, match=message):
        serverside_callback(**kw)(lambda self, request: None)


def test_serverside_callback_needs_a_function():
    with pytest.raises(ConfigurationError, match='keyword arguments'):
        serverside_callback('POST')
    with pytest.raises(ConfigurationError, match='instance method'):
        serverside_callback(Echo)


def test_callback_options_are_normalised():
    @serverside_callback(request_method='post', name='x')
    def cb(self, request):
        pass  # pragma: no cover

    assert callback_options(cb) == CallbackOptions(
        ('POST',), None, None, None, 'x', None, {}
    )


class Field(ServerSideCallbackMixin):
    @serverside_callback
    def check(self, request):
        return Response(
            f'field check at {url_for_callback(request, self.check)}'
        )


class Form(ServerSideCallbackMixin):
    def __init__(self, *args, children=(), **kw):
        super().__init__(*args, **kw)
        self.children = list(children)

    @serverside_callback
    def submit(self, request):
        return Response('form submit')


class Label:
    """A child without callbacks (and without an id): ignored."""


class Group:
    """A container without an id: its children keep their parent's id."""

    def __init__(self, children, id=None):
        self.children = children
        self.id = id


def test_nested_widgets_use_compound_ids():
    """TW11: the child is served under ``form:field`` only."""
    config = make_config()
    inner = Form(id='inner', children=[Field(id='field')])
    config.add_widget(Form(id='form', children=[Field(id='field'), Label()]))
    config.add_widget(Form(children=[inner], id='outer'))
    config.add_widget(
        Form(
            id='grouped',
            children=[
                Group([Field(id='a')]),
                Group([Field(id='b')], id='named'),
            ],
        )
    )
    app = make_app(config)
    assert app.get('/_widgets/grouped:a/check').text.endswith(
        'grouped:a/check'
    )
    assert app.get('/_widgets/grouped:named:b/check').text.endswith(
        'grouped:named:b/check'
    )
    assert app.get('/_widgets/form/submit').text == 'form submit'
    assert app.get('/_widgets/form:field/check').text == (
        'field check at /_widgets/form:field/check'
    )
    assert app.get('/_widgets/outer:inner:field/check').text == (
        'field check at /_widgets/outer:inner:field/check'
    )
    app.get('/_widgets/field/check', status=404)
    app.get('/_widgets/inner/submit', status=404)
    assert app.get('/_widgets/outer:inner/submit').text == 'form submit'


def test_nested_widget_errors():
    config = make_config()
    with pytest.raises(ConfigurationError, match='has no id'):
        config.add_widget(Form(id='f', children=[Field()]))
    looped = Form(id='loop')
    looped.children = [looped]
    with pytest.raises(ConfigurationError, match='its own descendant'):
        config.add_widget(looped)
    with pytest.raises(ConfigurationError, match='is a class'):
        config.add_widget(Form(id='f', children=[Field]))
    with pytest.raises(ConfigurationError, match="invalid widget id '-g'"):
        config.add_widget(Form(id='f', children=[Group([], id='-g')]))


def test_nested_ids_clash_with_mounted_widgets():
    config = make_config()
    config.add_widget(Field(id='form:field'))
    config.add_widget(Form(id='form', children=[Field(id='field')]))
    with pytest.raises(ConfigurationError, match='clashes with the widget'):
        config.commit()

    config = make_config()
    shared = Field(id='field')
    config.add_widget(Form(id='a', children=[shared]))
    config.add_widget(Form(id='b', children=[shared]))
    with pytest.raises(ConfigurationError, match='mounted once'):
        config.commit()


# -- request method, CSRF, permission -----------------------------------


class Methods(ServerSideCallbackMixin):
    @serverside_callback(request_method='GET')
    def read(self, request):
        return Response('read')

    @serverside_callback(request_method=('post', 'PUT'))
    def write(self, request):
        return Response('wrote ' + request.method)

    @serverside_callback
    def anything(self, request):
        return Response('any ' + request.method)

    @serverside_callback(require_csrf=False, request_method='POST')
    def webhook(self, request):
        return Response('hook')


def csrf_app():
    config = make_config()
    config.set_session_factory(SignedCookieSessionFactory('secret'))
    config.add_route('page', '/page')
    config.add_view(
        lambda request: Response(request.session.get_csrf_token()),
        route_name='page',
    )
    config.add_widget(Methods(id='m'))
    return make_app(config)


def test_request_method_405_with_allow():
    """TW16: method restriction."""
    app = csrf_app()
    assert app.get('/_widgets/m/read').text == 'read'
    assert app.head('/_widgets/m/read').status_int == 200
    res = app.post('/_widgets/m/read', status=405)
    assert res.headers['Allow'] == 'GET'
    res = app.get('/_widgets/m/write', status=405)
    assert res.headers['Allow'] == 'POST, PUT'
    app.get('/_widgets/m/webhook', status=405)


def test_csrf_on_unsafe_methods():
    """TW16: CSRF check on unsafe methods (token from a page, as a form
    field or a header), off with require_csrf=False."""
    app = csrf_app()
    assert app.get('/_widgets/m/anything').text == 'any GET'
    app.post('/_widgets/m/write', status=400)
    app.post('/_widgets/m/write', {'csrf_token': 'forged'}, status=400)
    app.delete('/_widgets/m/anything', status=400)
    token = app.get('/page').text
    res = app.post('/_widgets/m/write', {'csrf_token': token})
    assert res.text == 'wrote POST'
    res = app.put('/_widgets/m/write', headers={'X-CSRF-Token': token})
    assert res.text == 'wrote PUT'
    res = app.delete('/_widgets/m/anything', headers={'X-CSRF-Token': token})
    assert res.text == 'any DELETE'
    assert app.post('/_widgets/m/webhook').text == 'hook'


def test_csrf_default_options_of_the_app_apply():
    """The token name of ``set_default_csrf_options`` is used, and the
    app-wide default does not override ``require_csrf=False``."""
    config = make_config()
    config.set_session_factory(SignedCookieSessionFactory('secret'))
    config.set_default_csrf_options(require_csrf=True, token='tok')
    config.add_route('page', '/page')
    config.add_view(
        lambda request: Response(request.session.get_csrf_token()),
        route_name='page',
        request_method='GET',
    )
    config.add_widget(Methods(id='m'))
    app = make_app(config)
    token = app.get('/page').text
    app.post('/_widgets/m/write', {'csrf_token': token}, status=400)
    assert app.post('/_widgets/m/write', {'tok': token}).text == 'wrote POST'
    assert app.post('/_widgets/m/webhook').text == 'hook'


class HeaderPolicy:
    """Identity from the X-User header; 'view' for anyone identified,
    'edit' for admin only."""

    def identity(self, request):
        return request.headers.get('X-User')

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        user = self.identity(request)
        if permission == 'view' and user:
            return Allowed('identified')
        if permission == 'edit' and user == 'admin':
            return Allowed('admin')
        return Denied(f'{user} may not {permission}')

    def remember(self, request, userid, **kw):
        return []  # pragma: no cover

    def forget(self, request, **kw):
        return []  # pragma: no cover


class Guarded(ServerSideCallbackMixin):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.asked = []

    def callback_authorization(self, callback, request):
        self.asked.append(callback.__name__)
        return always_allow(callback, request)

    @serverside_callback(permission='edit')
    def edit(self, request):
        return Response('edited')

    @serverside_callback
    def default(self, request):
        return Response('default')

    @serverside_callback(permission=NO_PERMISSION_REQUIRED)
    def public(self, request):
        return Response('public')


def test_permission_checked_by_the_security_policy_first():
    config = make_config()
    config.set_security_policy(HeaderPolicy())
    config.set_default_permission('view')
    widget = Guarded(id='g')
    config.add_widget(widget)
    app = make_app(config)
    res = app.get('/_widgets/g/edit', headers={'X-User': 'bob'}, status=403)
    assert 'edit failed permission check' in res.text
    app.get('/_widgets/g/default', status=403)  # the default permission
    assert widget.asked == []  # denied before the authorization handler
    assert app.get('/_widgets/g/public').text == 'public'
    assert app.get('/_widgets/g/default', headers={'X-User': 'bob'}).text == (
        'default'
    )
    res = app.get('/_widgets/g/edit', headers={'X-User': 'admin'})
    assert res.text == 'edited'
    assert widget.asked == ['public', 'default', 'edit']


def test_forbidden_view_of_the_app_handles_permission_denied():
    config = make_config()
    config.set_security_policy(HeaderPolicy())
    config.add_forbidden_view(
        lambda request: HTTPFound(location=request.route_url('login'))
    )
    config.add_route('login', '/login')
    config.add_widget(Guarded(id='g'))
    app = make_app(config)
    res = app.get('/_widgets/g/edit', status=302)
    assert res.headers['Location'] == 'http://localhost/login'


# -- hooks, validation, controller wrappers ------------------------------


class Search(ServerSideCallbackMixin):
    @serverside_callback
    def search(self, request):
        return Response('results for ' + request.params.get('q', ''))

    @serverside_callback
    def suggest(self, request):
        return Response('suggestions')


def test_hooks_scoped_to_a_callback():
    config = make_config()
    app_wide, scoped, by_class, by_route = (Counter() for _ in range(4))
    config.register_hook('before_call', app_wide)
    config.register_hook('before_call', scoped, view=Search.search)
    config.register_hook('before_call', by_class, view=Search)
    config.register_hook(
        'before_call', by_route, route_name='pyramid_hooks.widgets'
    )
    config.add_widget(Search(id='s'))
    config.add_widget(Echo(id='e'))
    app = make_app(config)
    app.get('/_widgets/s/search?q=spam')
    app.get('/_widgets/s/suggest')
    app.get('/_widgets/e/cb')
    # the app-wide listener runs once per call
    assert [params for _, params in app_wide.calls] == [
        {'q': 'spam', 'widget': 's', 'callback': 'search'},
        {'widget': 's', 'callback': 'suggest'},
        {'widget': 'e', 'callback': 'cb'},
    ]
    assert len(scoped.calls) == 1
    assert len(by_class.calls) == 2
    assert len(by_route.calls) == 3


def test_hooks_do_not_run_for_refused_calls():
    config = make_config(allow=False)
    listener = Counter()
    config.register_hook('before_call', listener)
    config.add_widget(Search(id='s'))
    make_app(config).get('/_widgets/s/search', status=403)
    assert listener.calls == []


def test_controller_wrappers_scoped_to_a_callback():
    order = []

    def wrapper(next_caller, info):
        def call(context, request):
            order.append(('wrapper', info.view.__name__, info.route_name))
            response = next_caller(context, request)
            response.headers['X-Wrapped'] = 'yes'
            return response

        return call

    config = make_config()
    config.add_controller_wrapper(wrapper, view=Search.search)
    config.add_widget(Search(id='s'))
    app = make_app(config)
    assert app.get('/_widgets/s/search').headers['X-Wrapped'] == 'yes'
    assert 'X-Wrapped' not in app.get('/_widgets/s/suggest').headers
    assert order == [('wrapper', 'search', 'pyramid_hooks.widgets')]


def check_query(request, params):
    if not params.get('q'):
        raise Invalid({'q': 'required'})
    return dict(params, q=params['q'].strip())


def validation_failed(request):
    return Response('bad: ' + ', '.join(request.validation_errors))


class Validated(ServerSideCallbackMixin):
    @serverside_callback(validate=check_query)
    def search(self, request):
        return Response('query ' + request.hook_params['q'])

    @serverside_callback(
        validate='tests.test_widgets.check_query',
        error_handler=validation_failed,
        controller_wrappers=['tests.test_widgets.shout'],
    )
    def lenient(self, request):
        return Response('lenient ' + request.hook_params['q'])


def shout(next_caller):
    def call(context, request):
        response = next_caller(context, request)
        response.text = response.text.upper()
        return response

    return call


def test_validation_and_wrapper_options_of_a_callback():
    config = make_config()
    config.add_widget(Validated(id='v'))
    app = make_app(config)
    assert app.get('/_widgets/v/search?q=+x+').text == 'query x'
    app.get('/_widgets/v/search', status=400)
    assert app.get('/_widgets/v/lenient?q=y').text == 'LENIENT Y'
    # the error handler is a view of its own: the option's wrappers are not
    # applied to it
    assert app.get('/_widgets/v/lenient').text == 'bad: q'


# -- registries, introspection, zero cost -------------------------------


def test_two_apps_in_one_process_do_not_share_widgets():
    """TW15."""
    config_a, config_b = make_config(), make_config()
    config_a.add_widget(Echo(id='a'))
    config_b.add_widget(Search(id='b'))
    app_a, app_b = make_app(config_a), make_app(config_b)
    assert app_a.get('/_widgets/a/cb').text == 'cb of a'
    app_a.get('/_widgets/b/search', status=404)
    assert app_b.get('/_widgets/b/search').text == 'results for '
    app_b.get('/_widgets/a/cb', status=404)


def test_registration_after_the_app_was_made():
    """TW17: a late add_widget is a clear error (no silent queue as in
    tw2); a new configuration made afterwards serves its own widgets."""
    config = make_config()
    config.add_widget(Echo(id='w'))
    first = make_app(config)
    with pytest.raises(ConfigurationError, match='already made'):
        config.add_widget(Echo(id='late'))
    with pytest.raises(ConfigurationError, match='already made'):
        config.set_callback_authorization(always_allow)
    later = make_config()
    later.add_widget(Echo(id='late'))
    assert make_app(later).get('/_widgets/late/cb').text == 'cb of late'
    first.get('/_widgets/late/cb', status=404)


def test_widget_registry_layout():
    config = make_config(allow=False)

    def include(config):
        config.add_widget(PerCallback(id='p'))

    config.include(include, route_prefix='sub')
    widget = Echo(id='e')
    config.add_widget(widget)
    config.add_widget(Methods(id='m'))
    config.make_wsgi_app()
    registry = config.registry.getUtility(IWidgetRegistry)
    assert list(registry.widgets) == ['p', 'e', 'm']
    mounted = registry.widgets['e']
    assert mounted.widget is widget
    assert mounted.path == '/_widgets/e'
    assert repr(mounted) == "<MountedWidget 'e' at /_widgets/e>"
    assert list(mounted.callbacks) == ['cb', 'other']
    cb = mounted.callbacks['cb']
    assert repr(cb) == '<MountedCallback /_widgets/e/cb>'
    assert (cb.path, cb.authorization, cb.authorization_source) == (
        '/_widgets/e/cb',
        always_deny,
        'global',
    )
    p = registry.widgets['p']
    assert p.route_name == 'pyramid_hooks.widgets:sub'
    assert [
        (name, c.authorization_source) for name, c in p.callbacks.items()
    ] == [('opened', 'callback'), ('dotted', 'callback'), ('closed', 'widget')]
    assert registry.widgets['m'].callbacks['write'].options.request_method == (
        'POST',
        'PUT',
    )
    assert set(registry.routes) == {
        'pyramid_hooks.widgets',
        'pyramid_hooks.widgets:sub',
    }
    assert registry.routes['pyramid_hooks.widgets'][('e', 'cb')] is cb


def test_introspectables():
    config = make_config()
    config.add_widget(PerCallback(id='p'))
    config.make_wsgi_app()
    intr = config.registry.introspector.get(CATEGORY_WIDGETS, 'p')
    assert intr['id'] == 'p'
    assert intr['widget_class'].endswith('test_widgets.PerCallback')
    assert intr['pattern'] == '/_widgets/{widget}/{callback}'
    assert intr['path'] == '/_widgets/p'
    assert intr['route_name'] == 'pyramid_hooks.widgets'
    assert intr['widget_authorization'].endswith('test_widgets.deny_handler')
    assert intr['callbacks']['opened']['authorization'] == (
        'pyramid_hooks.widgets.always_allow'
    )
    assert intr['callbacks']['closed']['authorization_source'] == 'widget'
    assert intr['callbacks']['closed']['path'] == '/_widgets/p/closed'
    assert intr.action_info.file.endswith('test_widgets.py')
    handler = config.registry.introspector.get(
        CATEGORY_WIDGETS, 'global callback authorization'
    )
    assert handler['authorization'] is always_allow


def test_no_widgets_no_route():
    """Zero cost when unused: no route, no view, no registry."""
    config = make_config(allow=False)
    config.make_wsgi_app()
    assert config.registry.queryUtility(IRoutesMapper) is None
    assert config.registry.queryUtility(IWidgetRegistry) is None


def test_always_allow_and_deny():
    assert always_allow(None, None).status_int == 200
    assert always_deny(None, None).status_int == 403


# -- the documented example ---------------------------------------------


def test_ajax_search_example():
    """The page's JavaScript gets the callback URLs from url_for_callback;
    calling them as it does works (search: GET; pick: POST with the CSRF
    token of the page's meta tag)."""
    app = TestApp(example_app(), extra_environ={'SCRIPT_NAME': '/shop'})
    page = app.get('/')
    search_url = json.loads(re.search(r'searchUrl = (".*?");', page.text)[1])
    pick_url = json.loads(re.search(r'pickUrl = (".*?");', page.text)[1])
    token = re.search(r'name="csrf-token" content="(.*?)"', page.text)[1]
    assert search_url == '/shop/_widgets/fruit-search/search'
    assert pick_url == '/shop/_widgets/fruit-search/pick'
    res = app.get(search_url[len('/shop') :] + '?q=AP')
    assert res.json == {
        'query': 'ap',
        'results': ['apple', 'apricot', 'grape'],
    }
    assert app.get('/_widgets/fruit-search/search').json['results'] == []
    path = pick_url[len('/shop') :]
    app.post(path, {'item': 'mango'}, status=400)  # no token
    res = app.post(path, {'item': 'mango'}, headers={'X-CSRF-Token': token})
    assert res.json == {'picked': 'mango'}
    app.post(
        path, {'item': 'kiwi'}, headers={'X-CSRF-Token': token}, status=400
    )
    assert 'Last pick: <span id="picked">mango</span>' in app.get('/').text


# -- callbacks are Pyramid views ----------------------------------------


def test_callbacks_are_views_in_the_introspector():
    """Each callback is a view of the widgets route in Pyramid's own
    ``'views'`` category (what pyramid_debugtoolbar and ``pviews`` read),
    with its request methods and permission, related to the route."""
    config = make_config()
    config.set_security_policy(HeaderPolicy())  # checks permission='edit'
    config.add_widget(Methods(id='m'))
    config.add_widget(Guarded(id='g'))
    config.make_wsgi_app()
    introspector = config.registry.introspector
    views = {
        intr['callable'].__name__: intr
        for intr in (
            entry['introspectable']
            for entry in introspector.get_category('views')
        )
        if intr['route_name'] == 'pyramid_hooks.widgets'
        and not intr['exception_only']
    }
    assert sorted(views) == [
        'anything',
        'default',
        'edit',
        'public',
        'read',
        'webhook',
        'write',
    ]
    write = views['write']
    assert write['callable'].__self__.id == 'm'
    assert write['request_methods'] == ('POST', 'PUT')
    assert write['require_csrf'] is True
    assert views['webhook']['require_csrf'] is False
    assert [
        intr.discriminator
        for intr in introspector.related(views['edit'])
        if intr.category_name == 'permissions'
    ] == ['edit']
    assert write['context'].__name__ == 'CallbackContext[m/write]'
    assert write.action_info.file.endswith('test_widgets.py')
    related = introspector.related(write)
    assert ('routes', 'pyramid_hooks.widgets') in {
        (intr.category_name, intr.discriminator) for intr in related
    }


def example_ini(tmp_path):
    ini = tmp_path / 'example.ini'
    ini.write_text('[app:main]\nuse = call:tests.widgets_example:main\n')
    return str(ini)


def test_pviews_shows_a_callback(tmp_path, capsys):
    """Pyramid's ``pviews`` finds the callback's view for its URL, with
    its request methods; an unknown callback is "Not found"."""
    from pyramid.scripts import pviews

    ini = example_ini(tmp_path)
    assert pviews.main(['pviews', ini, '/_widgets/fruit-search/pick']) == 0
    out = capsys.readouterr().out
    assert 'route name: pyramid_hooks.widgets' in out
    assert 'route pattern: /_widgets/{widget}/{callback}' in out
    assert 'context: <CallbackContext fruit-search/pick>' in out
    assert 'tests.widgets_example.pick' in out
    assert 'view predicates (request_method = POST)' in out
    pviews.main(['pviews', ini, '/_widgets/fruit-search/nope'])
    assert 'Not found.' in capsys.readouterr().out


def test_proutes_lists_the_callbacks(tmp_path, capsys):
    """Pyramid's ``proutes`` lists the widgets route with the callbacks
    and their methods (views without ``request_method``, here the 405
    exception view, show as Pyramid shows any view with a context:
    ``<unknown>``)."""
    from pyramid.scripts import proutes

    assert proutes.main(['proutes', example_ini(tmp_path)]) == 0
    rows = [
        line.split()
        for line in capsys.readouterr().out.splitlines()
        if line.startswith('pyramid_hooks.widgets ')
    ]
    assert rows == [
        [
            'pyramid_hooks.widgets',
            '/_widgets/{widget}/{callback}',
            '<unknown>',
            '*',
        ],
        [
            'pyramid_hooks.widgets',
            '/_widgets/{widget}/{callback}',
            'tests.widgets_example.search',
            'GET',
        ],
        [
            'pyramid_hooks.widgets',
            '/_widgets/{widget}/{callback}',
            'tests.widgets_example.pick',
            'POST',
        ],
    ]


def test_a_hand_written_route_named_like_the_widgets_route_conflicts():
    """The widgets route is an ordinary ``add_route``: Pyramid's conflict
    detection names both registrations."""
    config = make_config()
    config.add_route('pyramid_hooks.widgets', '/mine')
    config.add_widget(Echo(id='w'))
    with pytest.raises(ConfigurationConflictError) as e:
        config.commit()
    message = str(e.value)
    assert "('route', 'pyramid_hooks.widgets')" in message
    assert "config.add_route('pyramid_hooks.widgets', '/mine')" in message
    assert "config.add_widget(Echo(id='w'))" in message


def test_the_pipeline_opt_out_is_gone():
    """``hooks_pipeline=False`` was the dispatcher's opt-out; no view has
    it any more."""
    config = make_config()
    config.add_route('r', '/r')
    config.add_view(
        lambda request: Response('r'), route_name='r', hooks_pipeline=False
    )
    with pytest.raises(ConfigurationError, match='hooks_pipeline'):
        config.commit()


def test_many_callbacks_each_served():
    """A widget with 50 callbacks: each is its own view, found at once."""

    def make(i):
        def callback(self, request):
            return Response(f'callback {i}')

        return serverside_callback(name=f'c{i}')(callback)

    Many = type(
        'Many',
        (ServerSideCallbackMixin,),
        {f'c{i}': make(i) for i in range(50)},
    )
    config = make_config()
    config.add_widget(Many(id='many'))
    app = make_app(config)
    for i in (0, 17, 49):
        assert app.get(f'/_widgets/many/c{i}').text == f'callback {i}'
    app.get('/_widgets/many/c50', status=404)


class Introspective(ServerSideCallbackMixin):
    @serverside_callback
    def where(self, request):
        context = request.context
        return Response(
            json_body={
                'context': repr(context),
                'widget': context.widget is self,
                'callback': context.mounted.name,
                'parent': type(context.__parent__).__name__,
            }
        )


def test_the_callbacks_context():
    """The view's context is the callback's context, whose parent is the
    application's root."""
    config = make_config()
    config.add_widget(Introspective(id='i'))
    assert make_app(config).get('/_widgets/i/where').json == {
        'context': '<CallbackContext i/where>',
        'widget': True,
        'callback': 'where',
        'parent': 'DefaultRootFactory',
    }


class Root:
    def __init__(self, request):
        self.__acl__ = [('Allow', 'admin', 'edit'), ('Allow', 'bob', 'view')]


class ACLPolicy(HeaderPolicy):
    def permits(self, request, context, permission):
        from pyramid.authorization import ACLHelper

        principals = ['system.Everyone']
        if self.identity(request):
            principals.append(self.identity(request))
        return ACLHelper().permits(context, principals, permission)


def test_acl_of_the_root_applies():
    """An ACL security policy finds the application root's ``__acl__``
    through the callback's context, as for any view of a route."""
    config = make_config()
    config.set_root_factory(Root)
    config.set_security_policy(ACLPolicy())
    config.set_default_permission('view')
    config.add_widget(Guarded(id='g'))
    app = make_app(config)
    app.get('/_widgets/g/edit', headers={'X-User': 'bob'}, status=403)
    assert app.get('/_widgets/g/edit', headers={'X-User': 'admin'}).text == (
        'edited'
    )
    assert app.get('/_widgets/g/default', headers={'X-User': 'bob'}).text == (
        'default'
    )
    app.get('/_widgets/g/default', status=403)


def test_wrong_method_goes_through_the_apps_exception_views():
    """The 405 is answered by the application's view for HTTP errors, as
    an ``HTTPMethodNotAllowed`` raised by a view would be; no listener of
    the application runs for it."""
    from pyramid.httpexceptions import HTTPException

    config = make_config()
    listener = Counter()
    config.register_hook('before_call', listener)
    config.add_exception_view(
        lambda exc, request: Response(
            f'error {exc.code}',
            status=exc.code,
            headers={'Allow': exc.headers.get('Allow', '')},
        ),
        context=HTTPException,
    )
    config.add_widget(Methods(id='m'))
    app = make_app(config)
    res = app.post('/_widgets/m/read', status=405)
    assert res.text == 'error 405'
    assert res.headers['Allow'] == 'GET'
    assert listener.calls == []


def test_405_only_for_callbacks():
    """A hand-written view of the widgets route whose predicate does not
    match is Pyramid's 404, not the callbacks' 405."""
    config = make_config()
    config.add_widget(Echo(id='w'))
    config.add_view(
        lambda request: Response('mine'),
        route_name='pyramid_hooks.widgets',
        request_method='PUT',
    )
    app = make_app(config)
    assert app.put('/_widgets/nope/x').text == 'mine'
    app.get('/_widgets/nope/x', status=404)
    assert app.get('/_widgets/w/cb').text == 'cb of w'


def test_callback_result_is_not_rendered_by_a_default_renderer():
    """A callback must return a response even when the application has a
    default renderer."""
    from pyramid.renderers import JSON

    class Sloppy(ServerSideCallbackMixin):
        @serverside_callback
        def lazy(self, request):
            return {'not': 'a response'}

    config = make_config()
    config.add_renderer(None, JSON())
    config.add_widget(Sloppy(id='sloppy'))
    app = make_app(config)
    with pytest.raises(TypeError, match="callback 'lazy' of widget"):
        app.get('/_widgets/sloppy/lazy')
