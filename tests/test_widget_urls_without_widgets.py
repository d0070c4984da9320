"""``url_for_callback`` in an application without widgets refuses, and
changes nothing: a request must not register a utility (a change of the
application's configuration at request time, from every thread)."""

from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.interfaces import IWidgetRegistry
from pyramid_hooks.widgets import url_for_callback


class Widget:
    id = 'w'

    def ping(self, request):  # pragma: no cover - never called
        return Response()


def page(request):
    answers = []
    for callback in ('w/ping', Widget().ping):
        try:
            url_for_callback(request, callback)
        except ValueError as e:
            answers.append(str(e))
    return Response('\n'.join(answers))


def test_no_widget_registry_is_made_at_request_time():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('page', '/')
    config.add_view(page, route_name='page')
    app = config.make_wsgi_app()
    text = TestApp(app).get('/').text
    assert "no widget 'w' is mounted" in text
    assert (
        "widget tests.test_widget_urls_without_widgets.Widget 'w' is not"
        in (text)
    )
    assert app.registry.queryUtility(IWidgetRegistry) is None


def test_a_callback_named_with_a_dot_is_told_the_form():
    """``url_for_callback(request, 'names.suggest')`` (a dot, not ``/``)
    said only that no widget ``'names.suggest'`` is mounted."""
    from pyramid.config import Configurator
    from pyramid.response import Response
    from webtest import TestApp

    from pyramid_hooks import url_for_callback

    def page(request):
        try:
            url_for_callback(request, 'names.suggest')
        except ValueError as e:
            return Response(str(e))
        return Response('no error')  # pragma: no cover - it raises

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('page', '/page')
    config.add_view(page, route_name='page')
    text = TestApp(config.make_wsgi_app()).get('/page').text
    assert text == (
        "url_for_callback: no widget 'names.suggest' is mounted in this "
        "application (config.add_widget): write 'widget id/callback name'"
    )
