"""Other add-ons' own suites, the fourteenth pass (peer14): what their
suites found, driven through a real Pyramid application."""

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPGone
from pyramid.response import Response
from webtest import TestApp


def end_of_life_tween_factory(handler, registry):
    """Kinto's ``_end_of_life_tween_factory``: an add-on's tween added
    without ``under=``/``over=``, answering some requests alone."""

    def end_of_life_tween(request):
        if request.path == '/v0/old':
            return HTTPGone()
        return handler(request)

    return end_of_life_tween


def kinto_like(config):
    """An add-on's ``includeme`` adding its tween (``kinto.core``'s)."""
    config.add_tween('tests.test_peer14.end_of_life_tween_factory')
    config.add_route('page', '/page')
    config.add_view(lambda request: Response('page'), route_name='page')


def kinto_test_app(seen=None):
    """Kinto's own test base: ``Configurator()``, a subscriber,
    ``config.commit()``, then ``kinto.core``'s include."""
    config = Configurator()
    if seen is not None:
        config.include('pyramid_hooks')
        config.register_hook('request_finished', lambda r: seen.append(r.path))
    config.add_subscriber(lambda event: None, 'pyramid.events.NewRequest')
    config.commit()
    config.include(kinto_like)
    return TestApp(config.make_wsgi_app())


def test_a_request_finished_listener_keeps_a_tween_added_once_committed():
    """Kinto's suite (``tests/core/resource/test_events.py``, 60 tests)
    with a ``request_finished`` listener: the start was refused, the tween
    Kinto adds after its test base's ``config.commit()`` being above ours.
    The application starts and answers as alone, and the listener runs for
    the requests that tween answers too (through ``NewResponse``)."""
    bare = kinto_test_app()
    seen = []
    hooked = kinto_test_app(seen)
    for path, status in (('/page', 200), ('/v0/old', 410)):
        alone = bare.get(path, status=status)
        res = hooked.get(path, status=status)
        assert (res.status, res.body) == (alone.status, alone.body)
    assert seen == ['/page', '/v0/old']
